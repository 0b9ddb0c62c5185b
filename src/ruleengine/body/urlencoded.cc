// application/x-www-form-urlencoded (and QUERY_STRING) as ModSecurity v3's
// Transaction::extractArguments does it: split on the argument separator, split each piece on its
// first '=', decode both halves with the non-strict URL decoder.
#include <cstring>

#include "ruleengine/body/body.h"
#include "ruleengine/body/internal.h"

namespace gs::body {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Returns a view of s decoded; points into s when nothing changes, else into the arena.
std::string_view Decode(std::string_view s, Arena* arena, bool* invalid) {
  size_t i = 0;
  while (i < s.size() && s[i] != '%' && s[i] != '+') ++i;
  if (i == s.size()) return s;
  char* out = arena->Allocate(s.size());  // decoding never grows the string
  std::memcpy(out, s.data(), i);
  size_t n = i;
  while (i < s.size()) {
    char c = s[i];
    if (c == '%') {
      // ModSecurity requires two more bytes; otherwise the '%' is copied and counted invalid.
      if (i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
        out[n++] = static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
        i += 3;
      } else {
        out[n++] = '%';
        ++i;
        *invalid = true;
      }
    } else {
      out[n++] = c == '+' ? ' ' : c;
      ++i;
    }
  }
  return {out, n};
}

}  // namespace

bool AddArg(std::string_view name, std::string_view value, Origin origin, const Limits& limits,
            BodyResult* result) {
  if (limits.arguments_limit != 0 && result->args.size() >= limits.arguments_limit) {
    result->Set(Flag::kArgumentsLimitExceeded);
    return false;
  }
  result->args.push_back(Arg{name, value, origin});
  result->args_combined_size += name.size() + value.size();
  return true;
}

void ParseUrlEncoded(std::string_view input, Origin origin, const Limits& limits,
                     BodyResult* result) {
  const char sep = limits.argument_separator;
  size_t pos = 0;
  bool invalid = false;
  while (pos < input.size()) {
    size_t end = input.find(sep, pos);
    if (end == std::string_view::npos) end = input.size();
    std::string_view piece = input.substr(pos, end - pos);
    pos = end + 1;  // a trailing separator ends the loop: getline drops that last empty piece
    size_t eq = piece.find('=');
    std::string_view key = piece.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    key = Decode(key, &result->arena, &invalid);
    value = Decode(value, &result->arena, &invalid);
    if (!AddArg(key, value, origin, limits, result)) break;
  }
  if (invalid) result->Set(Flag::kUrlencodedError);
}

}  // namespace gs::body
