// UTF-8 well-formedness, shared by every module that turns untrusted bytes into JSON or checks
// them (@validateUtf8Encoding, syslog records, tamper events with hostile file names).
#pragma once

#include <string_view>

namespace gs {

// True if `s` is well-formed UTF-8: no invalid lead or continuation bytes, no truncated
// sequences, no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s);

}  // namespace gs
