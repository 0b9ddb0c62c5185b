// Internal to gs::webshell: the normalised view of PHP code that rules and heuristics match on,
// and the payload decoders (base64, inflate, rot13, ...) used to peel encoded layers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::webshell::internal {

// A string literal in the normalised text: `"content"` starts at `pos` (the opening quote).
struct Literal {
  size_t pos = 0;
  size_t len = 0;  // length of the content (without quotes)
};

// PHP code with comments removed, whitespace collapsed (one space only between two identifier
// characters), identifiers lower-cased, every string literal re-emitted as "decoded content"
// (escapes decoded, adjacent literals joined by `.` folded, chr(N) folded) and inline HTML
// dropped. raw_offset[i] is the byte offset in the input that produced text[i].
struct NormalizedPhp {
  std::string text;
  std::vector<uint32_t> raw_offset;
  std::vector<Literal> literals;
  // Positions in `text` of the `$` of each variable interpolated into a double-quoted string or
  // heredoc (`"sys{$x}"`, `"$a"`), ascending. An escaped `\$` is not one.
  std::vector<uint32_t> interpolations;
};

// `start_in_code`: the input is PHP code without an opening tag (an eval'd payload).
NormalizedPhp NormalizePhp(std::string_view in, bool start_in_code);

// Decoders with PHP's lenient semantics; nullopt when the input does not decode. Output is
// capped at `max_out` bytes (nullopt beyond).
std::optional<std::string> Base64Decode(std::string_view in);
std::optional<std::string> Inflate(std::string_view in, int window_bits, size_t max_out);
std::string Rot13(std::string_view in);
std::optional<std::string> HexDecode(std::string_view in);
std::string UrlDecode(std::string_view in);

// The code point an XML/HTML character reference names: "lt", "gt", "amp", "quot", "apos",
// "#65", "#x41" (the text between '&' and ';'); -1 for anything else.
long EntityValue(std::string_view name);

// Shannon entropy in bits per byte.
double Entropy(std::string_view s);

// True if nearly all bytes are printable text (what an eval'd payload looks like).
bool LooksLikeText(std::string_view s);

}  // namespace gs::webshell::internal
