// JSON conventions for file names in tamper evidence and audit records: a name that is valid
// UTF-8 is a JSON string (control characters escaped by the serializer); any other byte string
// goes into "<key>_b64" as standard base64, so every name is logged losslessly and every
// record is valid JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace gs::tamper {

using ::gs::IsValidUtf8;
std::string Base64Encode(std::string_view raw);
// Sets j[key] or j[key + "_b64"] as described above.
void PutName(nlohmann::json& j, const std::string& key, std::string_view raw);
// Serialises without throwing (invalid UTF-8 cannot reach it through PutName).
std::string DumpJson(const nlohmann::json& j);

}  // namespace gs::tamper
