// HTTP/1.1 lexical helpers (see http_syntax.h).
#include "net/http_syntax.h"

#include <array>

namespace gs::net::syntax {
namespace {

constexpr std::array<bool, 256> MakeTchar() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kTchar = MakeTchar();

}  // namespace

bool IsTchar(char c) { return kTchar[static_cast<unsigned char>(c)]; }

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t NextLine(std::string_view in, size_t max, HttpError too_long, HttpError* err) {
  size_t limit = in.size() < max + 2 ? in.size() : max + 2;
  for (size_t i = 0; i < limit; ++i) {
    char c = in[i];
    if (c == '\n') {
      *err = HttpError::kBareLf;  // a CRLF is consumed at the CR below
      return kNeed;
    }
    if (c == '\r') {
      if (i + 1 >= in.size()) return kNeed;
      if (in[i + 1] != '\n') {
        *err = HttpError::kBareCr;
        return kNeed;
      }
      if (i > max) {
        *err = too_long;
        return kNeed;
      }
      return i;
    }
  }
  if (in.size() > max) *err = too_long;
  return kNeed;
}

HttpError ParseChunkSizeLine(std::string_view line, const ChunkLineRules& rules, uint64_t* size) {
  size_t i = 0;
  uint64_t v = 0;
  while (i < line.size() && HexValue(line[i]) >= 0) {
    if (i >= rules.max_digits) return HttpError::kChunkSizeOverflow;
    v = (v << 4) | static_cast<uint64_t>(HexValue(line[i]));
    ++i;
  }
  if (i == 0) return HttpError::kInvalidChunkSize;
  if (i < line.size()) {
    // Only an extension may follow, introduced directly by ';' (no BWS: "5 ;x" is one of the
    // shapes front ends disagree on).
    if (line[i] != ';') return HttpError::kInvalidChunkSize;
    std::string_view ext = line.substr(i + 1);
    if (ext.empty() && !rules.allow_empty_extension) return HttpError::kInvalidChunkExtension;
    for (char ch : ext) {
      auto c = static_cast<unsigned char>(ch);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return HttpError::kInvalidChunkExtension;
    }
  }
  *size = v;
  return HttpError::kNone;
}

}  // namespace gs::net::syntax
