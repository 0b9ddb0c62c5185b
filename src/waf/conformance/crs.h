// Suite (a): the OWASP CRS 3.3.4 regression tests (go-ftw YAML), run in process against a
// WafUnderTest loaded with CRS as the CRS test container configures it (CrsTestConfig). Every
// stage is built as go-ftw would send it, passed through the front-server and echo-backend
// emulations of ftw.h, evaluated, and judged; a test passes when all its stages do.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "waf/conformance/ftw.h"
#include "waf/conformance/suite.h"

namespace gs::waf::conformance {

struct CrsOptions {
  // go-ftw test files (searched recursively for *.yaml).
  std::string tests_dir;
  // CRS rules (*.conf and their .data files) and crs-setup.conf, as Debian 12 installs them.
  std::string rules_dir = "/usr/share/modsecurity-crs/rules";
  std::string setup_file = "/etc/modsecurity/crs/crs-setup.conf";
  // Only tests whose title matches this ECMAScript regex (empty: all).
  std::string filter;
};

// The SecLang the suite is run with: the engine settings of the CRS test container
// (modsecurity.conf: DetectionOnly, body access, body processors 200000-200005), then
// crs-setup.conf, then the test-harness overrides CRS documents for its regression suite
// (paranoia level 4, UTF-8 validation, argument limits; rule 900005), then rules/*.conf.
std::string CrsTestConfig(const CrsOptions& options);

// What happened to one stage's request: the front's answer, and the WAF's evaluation when the
// request reached the WAF (`waf_ran`). In process the front and backend are emulated (ftw.h);
// over the wire (`waf conformance --via-gateway`) they are a real gateway and echo backend.
struct StageOutcome {
  FrontResult front;
  bool waf_ran = false;
  Evaluation eval;
};
// Runs one stage: `wire` is BuildFtwRequest(stage.input).
using StageExecutor = std::function<StageOutcome(const FtwStage& stage, const std::string& wire)>;

// Runs `tests` (those whose title matches `filter`, an ECMAScript regex; empty: all) stage by
// stage through `run`, judges each stage with JudgeFtwStage and adds one CaseResult per test
// (id = test_title) to `report`. A bad filter is reported in report->errors.
void RunFtwTests(const std::vector<FtwTest>& tests, const std::string& filter,
                 const StageExecutor& run, SuiteReport* report);

// Loads CRS into `waf` and runs every test. Load failures are reported in `errors` (then
// nothing runs). Each test yields one CaseResult (id = test_title).
SuiteReport RunCrsSuite(WafUnderTest& waf, const CrsOptions& options);

}  // namespace gs::waf::conformance
