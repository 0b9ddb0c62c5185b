// Report bookkeeping and formatting shared by the conformance runners.
#include "waf/conformance/suite.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace gs::waf::conformance {

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kSkip:
      return "skip";
  }
  return "?";
}

void SuiteReport::Add(CaseResult r) {
  switch (r.verdict) {
    case Verdict::kPass:
      ++pass;
      break;
    case Verdict::kFail:
      ++fail;
      break;
    case Verdict::kSkip:
      ++skip;
      break;
  }
  cases.push_back(std::move(r));
}

std::vector<std::pair<std::string, int>> SuiteReport::Classes(Verdict v) const {
  std::map<std::string, int> counts;
  for (const CaseResult& c : cases) {
    if (c.verdict == v) ++counts[c.klass.empty() ? "other" : c.klass];
  }
  std::vector<std::pair<std::string, int>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::string FormatReport(const SuiteReport& r, bool list_failures) {
  std::string out;
  char line[512];
  int judged = r.pass + r.fail;
  std::snprintf(line, sizeof line, "%s [%s]: pass %d  fail %d  skip %d  (%.2f%% of %d judged)\n",
                r.suite.c_str(), r.engine.c_str(), r.pass, r.fail, r.skip,
                judged ? 100.0 * r.pass / judged : 0.0, judged);
  out += line;
  for (const std::string& e : r.errors) out += "  error: " + e + "\n";
  for (const std::string& n : r.notes) out += "  note: " + n + "\n";
  for (Verdict v : {Verdict::kFail, Verdict::kSkip}) {
    for (const auto& [klass, n] : r.Classes(v)) {
      std::snprintf(line, sizeof line, "  %s %5d  %s\n", std::string(VerdictName(v)).c_str(), n,
                    klass.c_str());
      out += line;
    }
  }
  if (list_failures) {
    for (const CaseResult& c : r.cases) {
      if (c.verdict == Verdict::kPass) continue;
      out += "  " + std::string(c.verdict == Verdict::kFail ? "FAIL " : "SKIP ") + c.id + " (" +
             c.file + "): " + c.reason + "\n";
    }
  }
  return out;
}

std::string ReportJson(const std::vector<SuiteReport>& reports) {
  nlohmann::json root = nlohmann::json::object();
  nlohmann::json suites = nlohmann::json::array();
  for (const SuiteReport& r : reports) {
    nlohmann::json s;
    s["suite"] = r.suite;
    s["engine"] = r.engine;
    s["pass"] = r.pass;
    s["fail"] = r.fail;
    s["skip"] = r.skip;
    s["errors"] = r.errors;
    s["notes"] = r.notes;
    nlohmann::json classes = nlohmann::json::object();
    for (Verdict v : {Verdict::kFail, Verdict::kSkip}) {
      nlohmann::json c = nlohmann::json::object();
      for (const auto& [klass, n] : r.Classes(v)) c[klass] = n;
      classes[std::string(VerdictName(v))] = c;
    }
    s["classes"] = classes;
    nlohmann::json cases = nlohmann::json::array();
    for (const CaseResult& c : r.cases) {
      if (c.verdict == Verdict::kPass) continue;
      cases.push_back({{"id", c.id},
                       {"file", c.file},
                       {"verdict", std::string(VerdictName(c.verdict))},
                       {"class", c.klass},
                       {"reason", c.reason}});
    }
    s["not_passed"] = cases;
    suites.push_back(std::move(s));
  }
  root["suites"] = suites;
  // Invalid UTF-8 (test payloads) is replaced rather than thrown on.
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace gs::waf::conformance
