// The ModSecurity v3 regression runner; see modsec.h for what is judged and why.
#include "waf/conformance/modsec.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "platform/file.h"

namespace gs::waf::conformance {
namespace {

using Json = nlohmann::ordered_json;

std::string Str(const Json& j, const char* key, std::string dflt = {}) {
  auto it = j.find(key);
  if (it == j.end()) return dflt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return dflt;
}

int Int(const Json& j, const char* key, int dflt) {
  auto it = j.find(key);
  if (it == j.end()) return dflt;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (...) {
      return dflt;
    }
  }
  return dflt;
}

// A JSON list of strings, each followed by `sep` (the harness ends every body line with LF).
std::string Lines(const Json& j, const char* key, const char* sep) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return {};
  std::string out;
  for (const auto& l : *it) {
    if (l.is_string()) out += l.get<std::string>() + sep;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Headers(const Json& j) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = j.find("headers");
  if (it == j.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) {
    out.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

void SetContentLength(std::vector<std::pair<std::string, std::string>>* headers, size_t n) {
  auto ieq = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const auto& [k, v] : *headers) {
    if (ieq(k, "Transfer-Encoding") && ieq(v, "chunked")) return;
  }
  bool found = false;
  for (auto& [k, v] : *headers) {
    if (ieq(k, "Content-Length")) {
      v = std::to_string(n);
      found = true;
    }
  }
  if (!found) headers->emplace_back("Content-Length", std::to_string(n));
}

// Rule ids an error_log/audit_log regex requires: `id "N"` (optionally regex-escaped).
std::vector<int64_t> ExpectedIds(const std::string& pattern) {
  static const std::regex kId(R"(id \\?"(\d+)\\?")");
  std::vector<int64_t> ids;
  for (auto it = std::sregex_iterator(pattern.begin(), pattern.end(), kId);
       it != std::sregex_iterator(); ++it) {
    ids.push_back(std::stoll((*it)[1].str()));
  }
  return ids;
}

// Undoes the regex escaping of a literal in a debug_log expectation ("\." -> ".").
bool RegexLiteral(const std::string& s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      char n = s[i + 1];
      if (std::isalnum(static_cast<unsigned char>(n))) return false;  // \d, \s ...: a class
      *out += n;
      ++i;
      continue;
    }
    if (std::string_view(".*+?[](){}|^$").find(c) != std::string_view::npos) return false;
    *out += c;
  }
  return true;
}

struct Capture {
  std::string name;   // "0".."9"
  std::string value;  // literal
};

// "Added regex subexpression TX.n: value" in a debug_log expectation, when value is a literal.
std::vector<Capture> ExpectedCaptures(const std::string& debug_log) {
  static const std::regex kCap(R"(Added regex subexpression TX\\?\.(\d+): (.*))");
  std::vector<Capture> out;
  std::smatch m;
  if (std::regex_search(debug_log, m, kCap)) {
    std::string v;
    if (RegexLiteral(m[2].str(), &v)) out.push_back({m[1].str(), v});
  }
  return out;
}

std::string SkipReason(const Json& c, const std::string& rules) {
  std::string resource = Str(c, "resource");
  if (resource == "lua" || rules.find(".lua") != std::string::npos ||
      rules.find("SecRuleScript") != std::string::npos) {
    return "lua";
  }
  if (resource == "curl" || rules.find("SecRemoteRules") != std::string::npos ||
      rules.find("https://") != std::string::npos || rules.find("http://") != std::string::npos) {
    // @pmFromFile/@ipMatchFromFile/Include of a URL, or SecRemoteRules: needs the network.
    if (resource == "curl" || rules.find("SecRemoteRules") != std::string::npos ||
        std::regex_search(rules, std::regex(R"((FromFile|Include)\s+"?https?://)"))) {
      return "remote resource (network)";
    }
  }
  if (resource == "ssdeep") return "ssdeep (@fuzzyHash)";
  if (resource == "geoip") return "legacy GeoIP database (libGeoIP)";
  return {};
}

}  // namespace

SuiteReport RunModsecSuite(WafUnderTest& waf, const ModsecOptions& options) {
  // Rules name fixtures relative to the test directory; an absolute base keeps that
  // independent of how the engine joins relative paths.
  ModsecOptions o = options;
  std::error_code abs_ec;
  if (auto abs = std::filesystem::absolute(o.test_dir, abs_ec); !abs_ec) o.test_dir = abs.string();
  SuiteReport report;
  report.suite = "modsec";
  report.engine = waf.name();
  std::string cases_dir = o.test_dir + "/test-cases/regression";
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(cases_dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  if (ec || files.empty()) {
    report.errors.push_back("no regression cases under " + cases_dir);
    return report;
  }
  std::sort(files.begin(), files.end());
  std::regex filter;
  if (!o.filter.empty()) {
    try {
      filter = std::regex(o.filter);
    } catch (const std::regex_error& e) {
      report.errors.push_back("bad --filter regex: " + std::string(e.what()));
      return report;
    }
  }
  int with_semantic_check = 0;
  for (const std::string& path : files) {
    std::string file = path.substr(path.find_last_of('/') + 1);
    auto text = platform::ReadFile(path);
    if (!text.ok()) {
      report.errors.push_back(text.status().ToString());
      continue;
    }
    Json cases = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!cases.is_array()) {
      report.errors.push_back(file + ": not a JSON array");
      continue;
    }
    int index = 0;
    for (const Json& c : cases) {
      ++index;
      if (!c.is_object()) continue;
      CaseResult r;
      r.file = file;
      r.id = file + "#" + std::to_string(index) + " " + Str(c, "title");
      if (!o.filter.empty() && !std::regex_search(r.id, filter)) continue;
      std::string rules = Lines(c, "rules", "\n");
      const Json& expected = c.contains("expected") ? c["expected"] : Json::object();
      auto skip = [&](std::string klass, std::string why) {
        r.verdict = Verdict::kSkip;
        r.klass = std::move(klass);
        r.reason = std::move(why);
        report.Add(std::move(r));
      };
      if (Int(c, "enabled", 1) == 0) {
        skip("disabled upstream", "enabled: 0");
        continue;
      }
      if (std::string why = SkipReason(c, rules); !why.empty()) {
        skip(why, "needs " + why);
        continue;
      }
      auto fail = [&](std::string klass, std::string why) {
        r.verdict = Verdict::kFail;
        r.klass = std::move(klass);
        r.reason = std::move(why);
        report.Add(std::move(r));
      };
      std::string parser_error = Str(expected, "parser_error");
      Status loaded = waf.Load(rules, o.test_dir);
      if (!parser_error.empty()) {
        if (loaded.ok()) {
          fail("expected a load error", "rules loaded, expected an error like: " + parser_error);
        } else {
          report.Add(std::move(r));
        }
        ++with_semantic_check;
        continue;
      }
      if (!loaded.ok()) {
        fail("rules did not load", loaded.ToString());
        continue;
      }
      Exchange ex;
      const Json& client = c.contains("client") ? c["client"] : Json::object();
      const Json& server = c.contains("server") ? c["server"] : Json::object();
      const Json& req = c.contains("request") ? c["request"] : Json::object();
      const Json& resp = c.contains("response") ? c["response"] : Json::object();
      ex.client_ip = Str(client, "ip");
      ex.client_port = Int(client, "port", 0);
      ex.server_ip = Str(server, "ip");
      ex.server_port = Int(server, "port", 0);
      ex.uri = Str(req, "uri");
      ex.method = Str(req, "method");
      ex.http_version = Str(req, "http_version");
      ex.request_headers = Headers(req);
      ex.request_body = Lines(req, "body", "\n");
      SetContentLength(&ex.request_headers, ex.request_body.size());
      ex.response_headers = Headers(resp);
      ex.response_body = Lines(resp, "body", "\n");
      SetContentLength(&ex.response_headers, ex.response_body.size());
      ex.response_protocol = Str(resp, "protocol", "HTTP/1.1");
      ex.response_status = 200;

      std::string want_error_log = Str(expected, "error_log");
      std::vector<int64_t> want_ids = ExpectedIds(want_error_log);
      for (int64_t id : ExpectedIds(Str(expected, "audit_log"))) want_ids.push_back(id);
      std::vector<Capture> want_caps = ExpectedCaptures(Str(expected, "debug_log"));
      std::vector<std::string> tx_names;
      for (const Capture& cap : want_caps) tx_names.push_back(cap.name);
      // A non-empty error_log expectation means some rule wrote an error-log line.
      bool want_some_log = !want_error_log.empty() && want_error_log != ".*";
      if (!want_ids.empty() || !want_caps.empty() || want_some_log) ++with_semantic_check;

      Evaluation ev = waf.Evaluate(ex, tx_names, /*stop_at_disruption=*/false);
      int want_status = Int(expected, "http_code", 200);
      if (ev.outcome.status != want_status) {
        fail("http status", "status " + std::to_string(ev.outcome.status) + ", expected " +
                                std::to_string(want_status));
        continue;
      }
      std::string want_url = Str(expected, "redirect_url");
      if (!want_url.empty() && ev.outcome.redirect_url != want_url) {
        fail("redirect url",
             "redirect to '" + ev.outcome.redirect_url + "', expected '" + want_url + "'");
        continue;
      }
      std::string missing;
      for (int64_t id : want_ids) {
        if (std::find(ev.logged_ids.begin(), ev.logged_ids.end(), id) == ev.logged_ids.end()) {
          missing += (missing.empty() ? "" : ",") + std::to_string(id);
        }
      }
      if (!missing.empty()) {
        std::string got;
        for (int64_t id : ev.logged_ids) got += (got.empty() ? "" : ",") + std::to_string(id);
        fail("expected id not logged", "id(s) " + missing + " not logged; logged: [" + got + "]");
        continue;
      }
      if (want_some_log && ev.error_log_lines == 0) {
        fail("expected a log line", "nothing logged; error_log expected: " + want_error_log);
        continue;
      }
      std::string bad_cap;
      for (const Capture& cap : want_caps) {
        auto it = ev.tx.find(cap.name);
        if (it == ev.tx.end() || it->second != cap.value) {
          bad_cap = "TX." + cap.name + " = '" + (it == ev.tx.end() ? "<unset>" : it->second) +
                    "', expected '" + cap.value + "'";
          break;
        }
      }
      if (!bad_cap.empty()) {
        fail("capture", bad_cap);
        continue;
      }
      report.Add(std::move(r));
    }
  }
  report.errors.shrink_to_fit();
  report.notes.push_back(
      std::to_string(with_semantic_check) +
      " judged case(s) had a load-error, rule-id, log-line or capture check; the rest "
      "were judged on status (and redirect) only, their other expectations "
      "being debug-log text");
  return report;
}

}  // namespace gs::waf::conformance
