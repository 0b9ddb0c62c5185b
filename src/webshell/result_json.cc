// JSON rendering of scan results. Kept apart from scanner.cc because yara.h defines macros
// (get_string) that collide with nlohmann/json.
#include <nlohmann/json.hpp>

#include "webshell/scanner.h"

namespace gs::webshell {
namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || (n == 1 && c < 0xc2) || i + n >= s.size() + (n == 0 ? 1 : 0)) {
      if (n != 0) return false;
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += static_cast<size_t>(n) + 1;
  }
  return true;
}

std::string ToHex(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace

std::string FileResultJson(const FileResult& r) {
  using nlohmann::json;
  json j;
  j["path"] = r.path;
  if (!ValidUtf8(r.path)) j["path_hex"] = ToHex(r.path);
  j["verdict"] = r.skipped ? "skipped" : VerdictName(r.verdict);
  j["score"] = r.score;
  j["size"] = r.size;
  if (r.skipped) j["skip_reason"] = r.skip_reason;
  json fs = json::array();
  for (const auto& f : r.findings) {
    json jf;
    jf["rule"] = f.rule;
    if (!f.family.empty()) jf["family"] = f.family;
    jf["score"] = f.score;
    jf["offset"] = f.offset;
    jf["layer"] = f.layer;
    jf["excerpt"] = f.excerpt;
    fs.push_back(std::move(jf));
  }
  j["findings"] = std::move(fs);
  // Invalid UTF-8 (hostile names, binary excerpts) becomes U+FFFD instead of throwing.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace gs::webshell
