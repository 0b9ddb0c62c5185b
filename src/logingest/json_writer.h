// A minimal JSON object writer for ingest records. Unlike a DOM library it accepts arbitrary
// bytes for string values: valid UTF-8 passes through, every invalid byte becomes U+FFFD and
// the caller is told, so it can flag the record and keep the exact bytes in base64.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace gs::logingest {

using ::gs::AppendJsonString;  // core/utf8.h
using ::gs::IsValidUtf8;       // core/utf8.h

// RFC 4648 base64 with padding.
std::string Base64Encode(std::string_view bytes);

// Builds one object: {"k":v,...}. Keys are trusted ASCII literals.
class JsonObjectWriter {
 public:
  JsonObjectWriter() { out_.push_back('{'); }
  // Returns false if `value` had invalid UTF-8 (see AppendJsonString).
  bool String(std::string_view key, std::string_view value);
  void Int(std::string_view key, int64_t value);
  void Bool(std::string_view key, bool value);
  // Inserts already-serialised JSON (caller guarantees validity).
  void Raw(std::string_view key, std::string_view json);
  std::string Finish() &&;

 private:
  void Key(std::string_view key);
  std::string out_;
  bool first_ = true;
};

}  // namespace gs::logingest
