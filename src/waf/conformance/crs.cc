// The CRS regression runner. The configuration choices are explained in docs/conformance.md.
#include "waf/conformance/crs.h"

#include <regex>

#include "waf/conformance/ftw.h"

namespace gs::waf::conformance {

std::string CrsTestConfig(const CrsOptions& o) {
  std::string s;
  // modsecurity.conf of the CRS test container (owasp/modsecurity-crs, nginx + libmodsecurity3),
  // with MODSEC_RULE_ENGINE=DetectionOnly and response body access for the listed types.
  s += R"(SecRuleEngine DetectionOnly
SecRequestBodyAccess On
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction Reject
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html text/xml application/json
SecResponseBodyLimit 1048576
SecResponseBodyLimitAction ProcessPartial
SecArgumentSeparator &
SecCookieFormat 0
SecRule REQUEST_HEADERS:Content-Type "(?:application(?:/soap\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation'"
SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" "id:200004,phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"
SecRule TX:/^MSC_/ "!@streq 0" "id:200005,phase:2,t:none,deny,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'"
)";
  s += "Include " + o.setup_file + "\n";
  // The harness settings CRS 3.3's tests/regression/README.md prescribes, plus the argument
  // limits the otherwise disabled 920380/920390 tests need.
  s +=
      R"(SecAction "id:900005,phase:1,nolog,pass,t:none,ctl:ruleEngine=DetectionOnly,ctl:ruleRemoveById=910000,setvar:tx.paranoia_level=4,setvar:tx.crs_validate_utf8_encoding=1,setvar:tx.arg_name_length=100,setvar:tx.arg_length=400,setvar:tx.max_num_args=255,setvar:tx.total_arg_length=64000"
)";
  s += "Include " + o.rules_dir + "/*.conf\n";
  return s;
}

void RunFtwTests(const std::vector<FtwTest>& tests, const std::string& filter_text,
                 const StageExecutor& run, SuiteReport* report) {
  std::regex filter;
  bool filtered = !filter_text.empty();
  if (filtered) {
    try {
      filter = std::regex(filter_text);
    } catch (const std::regex_error& e) {
      report->errors.push_back("bad --filter regex: " + std::string(e.what()));
      return;
    }
  }
  for (const FtwTest& t : tests) {
    if (filtered && !std::regex_search(t.title, filter)) continue;
    CaseResult r;
    r.id = t.title;
    r.file = t.file.substr(t.file.find_last_of('/') + 1);
    for (size_t i = 0; i < t.stages.size(); ++i) {
      const FtwStage& st = t.stages[i];
      StageOutcome out = run(st, BuildFtwRequest(st.input));
      StageJudgement j = JudgeFtwStage(st.output, out.front, out.waf_ran ? &out.eval : nullptr);
      if (!j.pass) {
        r.verdict = Verdict::kFail;
        r.klass = j.klass;
        r.reason = (t.stages.size() > 1 ? "stage " + std::to_string(i + 1) + ": " : "") + j.reason;
        if (!t.enabled) r.reason += " [file disabled upstream]";
        break;
      }
    }
    report->Add(std::move(r));
  }
}

SuiteReport RunCrsSuite(WafUnderTest& waf, const CrsOptions& o) {
  SuiteReport report;
  report.suite = "crs";
  report.engine = waf.name();
  Status loaded = waf.Load(CrsTestConfig(o), o.rules_dir);
  if (!loaded.ok()) {
    report.errors.push_back("loading CRS failed: " + loaded.ToString());
    return report;
  }
  std::vector<FtwTest> tests = LoadFtwDir(o.tests_dir, &report.errors);
  if (tests.empty()) report.errors.push_back("no go-ftw tests found under " + o.tests_dir);
  // In process: the front server and the echo backend are emulated, the WAF is called directly.
  auto in_process = [&waf](const FtwStage& st, const std::string& wire) {
    StageOutcome out;
    std::string server_ip = st.input.dest_addr == "localhost" ? "127.0.0.1" : st.input.dest_addr;
    out.front = EmulateFrontServer(wire, server_ip, st.input.port);
    if (out.front.kind == FrontResult::Kind::kForwarded) {
      EmulateBackend(&out.front.exchange);
      out.eval = waf.Evaluate(out.front.exchange, {});
      out.waf_ran = true;
    }
    return out;
  };
  RunFtwTests(tests, o.filter, in_process, &report);
  return report;
}

}  // namespace gs::waf::conformance
