// File-name JSON encoding (see json_fields.h).
#include "tamper/json_fields.h"

#include <cstdint>

namespace gs::tamper {

std::string Base64Encode(std::string_view raw) {
  static constexpr char kTab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((raw.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const uint8_t*>(raw.data());
  size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    uint32_t v = uint32_t(p[i]) << 16 | uint32_t(p[i + 1]) << 8 | p[i + 2];
    out += kTab[v >> 18];
    out += kTab[(v >> 12) & 63];
    out += kTab[(v >> 6) & 63];
    out += kTab[v & 63];
  }
  if (i + 1 == raw.size()) {
    uint32_t v = uint32_t(p[i]) << 16;
    out += kTab[v >> 18];
    out += kTab[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == raw.size()) {
    uint32_t v = uint32_t(p[i]) << 16 | uint32_t(p[i + 1]) << 8;
    out += kTab[v >> 18];
    out += kTab[(v >> 12) & 63];
    out += kTab[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

void PutName(nlohmann::json& j, const std::string& key, std::string_view raw) {
  if (IsValidUtf8(raw)) {
    j[key] = std::string(raw);
  } else {
    j[key + "_b64"] = Base64Encode(raw);
  }
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace gs::tamper
