// UTF-8 well-formedness, shared by every module that turns untrusted bytes into JSON or checks
// them (@validateUtf8Encoding, syslog records, tamper events with hostile file names).
#pragma once

#include <string>
#include <string_view>

namespace gs {

// True if `s` is well-formed UTF-8: no invalid lead or continuation bytes, no truncated
// sequences, no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s);

// Appends `s` as a JSON string literal (with quotes) to `out`: valid UTF-8 (Chinese text) passes
// through unchanged, control characters and DEL are escaped, and every byte that is not part of
// a well-formed sequence becomes U+FFFD. Returns false if any byte was replaced, so a caller that
// must keep exact bytes can flag the record and store them another way (e.g. base64).
bool AppendJsonString(std::string* out, std::string_view s);

}  // namespace gs
