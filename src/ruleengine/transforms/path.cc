// normalisePath / normalisePathWin: removes "./" self references, resolves "../" back references
// against earlier segments and collapses repeated slashes, the way ModSecurity (and 2.x before
// it) does. The Windows variant also treats '\' as '/'.
//
// Behaviour worth knowing (kept for identical results): a relative path that climbs above its
// start keeps its leading "../" segments; an absolute one stops at "/"; a trailing slash stays
// only if the input had one; a relative path loses its leading "/" segments' slash.
#include <cstddef>

#include "ruleengine/transforms/transforms.h"

namespace gs::transforms {
namespace {

bool NormalisePathImpl(std::string_view in, std::string* out, bool win) {
  const size_t n = in.size();
  if (n == 0) return false;
  // Only separators and '.' segments change anything.
  if (in.find_first_of(win ? std::string_view("/.\\") : std::string_view("/.")) == in.npos) {
    return false;
  }
  // The algorithm rewrites the buffer in place; the write cursor never passes the read cursor.
  out->assign(in);
  char* b = out->data();
  auto is_sep = [win](char c) { return c == '/' || (win && c == '\\'); };
  const ptrdiff_t end = static_cast<ptrdiff_t>(n) - 1;
  const bool relative = !is_sep(b[0]);
  const bool trailing = is_sep(b[end]);
  bool hit_root = false;
  bool done = false;
  ptrdiff_t src = 0;
  ptrdiff_t dst = 0;

  while (!done && src <= end && dst <= end) {
    bool skip_copy = false;
    // Backslashes are converted just ahead of the read cursor, not up front: a run of three or
    // more is skipped past before its last one is converted, and ModSecurity then copies that
    // backslash as is. Kept for identical results.
    if (win) {
      if (b[src] == '\\') b[src] = '/';
      if (src < end && b[src + 1] == '\\') b[src + 1] = '/';
    }
    if (src == end) done = true;
    // Only the last byte of a segment (before '/' or at the end) triggers normalisation.
    if (done || b[src + 1] == '/') {
      if (src != end && b[src] == '/') {
        // Empty segment: the slash-collapsing copy below handles it.
      } else if (b[src] == '.') {
        if (dst > 0 && b[dst - 1] == '.') {
          // ".." segment.
          if (relative && (hit_root || dst <= 2)) {
            hit_root = true;  // nothing left to remove: keep the "..".
          } else {
            dst -= 3;
            while (dst > 0 && b[dst] != '/') --dst;
            if (dst <= 0) {
              hit_root = true;
              dst = 0;
              // An absolute path that ends on a back reference keeps its root slash.
              if (!relative && src == end) dst = 1;
            }
            if (done) break;
            ++src;
          }
        } else if (dst == 0) {
          // Leading "." of a relative path.
          if (done) break;
          ++src;
        } else if (b[dst - 1] == '/') {
          // "." segment.
          if (done) break;
          --dst;
          ++src;
        }
      } else if (dst > 0) {
        hit_root = false;  // a regular segment
      }
    }
    if (b[src] == '/') {
      while (src < end && is_sep(b[src + 1])) ++src;
      // A relative path does not get a leading slash.
      if (relative && dst == 0) {
        ++src;
        skip_copy = true;
      }
    }
    if (!skip_copy) b[dst++] = b[src++];
  }
  if (!trailing && dst > 0 && b[dst - 1] == '/') --dst;
  out->resize(static_cast<size_t>(dst));
  return std::string_view(*out) != in;
}

}  // namespace

bool NormalisePath(std::string_view in, std::string* out, const TransformContext*) {
  return NormalisePathImpl(in, out, /*win=*/false);
}

bool NormalisePathWin(std::string_view in, std::string* out, const TransformContext*) {
  return NormalisePathImpl(in, out, /*win=*/true);
}

}  // namespace gs::transforms
