// HTTP/1.1 lexical pieces shared by the request parser (http_parser.cc) and the response parser
// (http_response_parser.cc): token characters, case-insensitive compare, strict CRLF line
// splitting and chunk-size lines. Also for net's users that handle header names (the gateway).
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/http_parser.h"

namespace gs::net::syntax {

// NextLine's "no complete line yet" result.
inline constexpr size_t kNeed = static_cast<size_t>(-1);

// RFC 9110 tchar.
bool IsTchar(char c);
inline bool IsOws(char c) { return c == ' ' || c == '\t'; }

// `s` without leading and trailing optional white space (SP, HTAB).
inline std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}
// ASCII case-insensitive equality (header names, methods).
bool IEquals(std::string_view a, std::string_view b);
// 0-15 for a hex digit, -1 otherwise.
int HexValue(char c);

// Length of the CRLF-terminated line at the front of `in` (without the CRLF), or kNeed when no
// complete line is there yet. A bare LF or CR sets *err to kBareLf / kBareCr; a line longer than
// `max` sets *err to `too_long` (both also return kNeed).
size_t NextLine(std::string_view in, size_t max, HttpError too_long, HttpError* err);

// How strict a chunk-size line is (the two parsers historically differ; see their callers).
struct ChunkLineRules {
  size_t max_digits = 16;              // more hex digits: kChunkSizeOverflow
  bool allow_empty_extension = false;  // "5;" accepted
};

// Parses `line` (without CRLF): hex size, then optionally ';' and an extension of HTAB/VCHAR/
// obs-text directly after the digits (no BWS: "5 ;x" is refused). Returns kNone and sets *size,
// or kChunkSizeOverflow / kInvalidChunkSize / kInvalidChunkExtension.
HttpError ParseChunkSizeLine(std::string_view line, const ChunkLineRules& rules, uint64_t* size);

}  // namespace gs::net::syntax
