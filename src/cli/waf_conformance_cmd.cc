// `govshield waf conformance`: runs the conformance suites in process against our WAF engine and
// prints pass / fail / skip per suite with the reason for every failure and skip class:
//   crs      — OWASP CRS 3.3.4 regression tests (go-ftw YAML), CRS loaded as its test setup does;
//   modsec   — ModSecurity v3 regression cases, judged on status, logged ids and captures;
//   secrules — secrules-language-tests operator and transformation cases.
// The suites' data is read from --conformance-dir (default ../shared/conformance), never copied
// into the repository. Exit status: 0 when every selected suite ran (failures are reported, not
// fatal), 1 when a suite could not run (missing data, CRS failed to load).
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/waf_conformance_gateway.h"
#include "waf/conformance/crs.h"
#include "waf/conformance/engine_waf.h"
#include "waf/conformance/modsec.h"
#include "waf/conformance/secrules.h"

namespace gs::cli {
namespace {

struct WafConformanceOptions {
  std::string suite = "all";
  std::string conformance_dir;
  std::string crs_rules = "/usr/share/modsecurity-crs/rules";
  std::string crs_setup = "/etc/modsecurity/crs/crs-setup.conf";
  std::string filter;
  bool json = false;
  bool list_failures = false;
  bool via_gateway = false;
  int read_timeout_ms = 2000;
};

int RunWafConformance(const WafConformanceOptions& o) {
  namespace wc = waf::conformance;
  std::string dir = o.conformance_dir;
  if (dir.empty()) {
    const char* env = std::getenv("GS_CONFORMANCE_DIR");
    dir = env && *env ? env : "../shared/conformance";
  }
  bool all = o.suite == "all";
  std::vector<wc::SuiteReport> reports;
  if (o.via_gateway && o.suite != "crs") {
    std::fprintf(stderr, "govshield: --via-gateway runs only the CRS suite (use --suite crs)\n");
    return 2;
  }
  if (all || o.suite == "crs") {
    wc::CrsOptions co;
    co.tests_dir = dir + "/crs-v3.3.4/tests/regression/tests";
    co.rules_dir = o.crs_rules;
    co.setup_file = o.crs_setup;
    co.filter = o.filter;
    if (o.via_gateway) {
      reports.push_back(RunCrsViaGateway({co, o.read_timeout_ms}));
    } else {
      auto waf = wc::NewEngineWaf();
      reports.push_back(wc::RunCrsSuite(*waf, co));
    }
  }
  if (all || o.suite == "modsec") {
    auto waf = wc::NewEngineWaf();
    wc::ModsecOptions mo;
    mo.test_dir = dir + "/modsecurity-v3-regression/test";
    mo.filter = o.filter;
    reports.push_back(wc::RunModsecSuite(*waf, mo));
  }
  if (all || o.suite == "secrules") {
    wc::SecrulesOptions so;
    so.suite_dir = dir + "/secrules-language-tests";
    so.data_dir = dir;
    reports.push_back(wc::RunSecrulesSuite(so));
  }
  bool errors = false;
  for (const wc::SuiteReport& r : reports) errors |= !r.errors.empty();
  if (o.json) {
    std::printf("%s\n", wc::ReportJson(reports).c_str());
  } else {
    for (const wc::SuiteReport& r : reports) {
      std::printf("%s", wc::FormatReport(r, o.list_failures).c_str());
    }
  }
  return errors ? 1 : 0;
}

}  // namespace

void RegisterWafConformance(CLI::App& waf_group) {
  auto opts = std::make_shared<WafConformanceOptions>();
  auto* cmd = waf_group.add_subcommand(
      "conformance",
      "Run the CRS 3.3.4, ModSecurity v3 regression and secrules-language-tests suites in "
      "process against the engine; print pass/fail/skip per suite with reasons");
  cmd->add_option("--suite", opts->suite, "Which suite: crs, modsec, secrules or all")
      ->check(CLI::IsMember({"crs", "modsec", "secrules", "all"}))
      ->capture_default_str();
  cmd->add_option("--conformance-dir", opts->conformance_dir,
                  "Directory holding the suites (default: $GS_CONFORMANCE_DIR or "
                  "../shared/conformance)");
  cmd->add_option("--crs-rules", opts->crs_rules, "CRS rules directory (*.conf and .data files)")
      ->capture_default_str();
  cmd->add_option("--crs-setup", opts->crs_setup, "crs-setup.conf to load before the rules")
      ->capture_default_str();
  cmd->add_option("--filter", opts->filter,
                  "Only cases whose id matches this regex (CRS: test title; modsec: file#n title)");
  cmd->add_flag("--via-gateway", opts->via_gateway,
                "CRS only: send each test's bytes over TCP through a real gateway (in this "
                "process, loopback) in front of an echo backend; judge by its audit records");
  cmd->add_option("--read-timeout-ms", opts->read_timeout_ms,
                  "With --via-gateway: wait this long for an answer before a stage counts as "
                  "unanswered")
      ->check(CLI::Range(100, 60000))
      ->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print one JSON object (counts, classes, non-passing cases)");
  cmd->add_flag("--list-failures", opts->list_failures,
                "List every failing and skipped case with its reason");
  cmd->callback(Action([opts] { return RunWafConformance(*opts); }));
}

}  // namespace gs::cli
