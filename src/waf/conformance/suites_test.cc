// The conformance gate run by `make test`: the CRS 3.3.4 regression suite and the ModSecurity v3
// regression cases against our engine, through the same runners `govshield waf conformance`
// uses. Each fails when the pass count drops below the count recorded beside this file
// (crs_baseline.txt, modsec_baseline.txt): raise a baseline when the engine improves, never
// lower it to hide a regression. The full report (every failure with its reason) is printed.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "platform/file.h"
#include "tests/testlib/subprocess.h"
#include "waf/conformance/crs.h"
#include "waf/conformance/engine_waf.h"
#include "waf/conformance/modsec.h"
#include "waf/conformance/secrules.h"

namespace gs::waf::conformance {
namespace {

const char kCrsTests[] = GS_SOURCE_DIR "/../shared/conformance/crs-v3.3.4/tests/regression/tests";
const char kModsecTestDir[] = GS_SOURCE_DIR "/../shared/conformance/modsecurity-v3-regression/test";

// The first number in a baseline file (lines starting with '#' are comments).
int Baseline(const char* name) {
  auto text = platform::ReadFile(std::string(GS_SOURCE_DIR "/src/waf/conformance/") + name);
  if (!text.ok()) return -1;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t eol = text->find('\n', pos);
    std::string line = text->substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? text->size() : eol + 1;
    if (line.empty() || line[0] == '#') continue;
    return std::atoi(line.c_str());
  }
  return -1;
}

TEST(ConformanceGate, CrsRegressionSuite) {
  if (!std::filesystem::is_directory("/usr/share/modsecurity-crs/rules")) {
    GTEST_SKIP() << "modsecurity-crs not installed";
  }
  ASSERT_TRUE(std::filesystem::is_directory(kCrsTests)) << kCrsTests;
  int baseline = Baseline("crs_baseline.txt");
  ASSERT_GT(baseline, 0) << "crs_baseline.txt missing or empty";
  auto waf = NewEngineWaf();
  CrsOptions o;
  o.tests_dir = kCrsTests;
  SuiteReport r = RunCrsSuite(*waf, o);
  std::printf("%s", FormatReport(r, /*list_failures=*/true).c_str());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.total(), 2403);
  EXPECT_GE(r.pass, baseline) << "CRS pass count fell below crs_baseline.txt";
}

TEST(ConformanceGate, ModsecRegressionSuite) {
  ASSERT_TRUE(std::filesystem::is_directory(kModsecTestDir)) << kModsecTestDir;
  int baseline = Baseline("modsec_baseline.txt");
  ASSERT_GT(baseline, 0) << "modsec_baseline.txt missing or empty";
  auto waf = NewEngineWaf();
  ModsecOptions o;
  o.test_dir = kModsecTestDir;
  SuiteReport r = RunModsecSuite(*waf, o);
  std::printf("%s", FormatReport(r, /*list_failures=*/true).c_str());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.total(), 656);
  EXPECT_GE(r.pass, baseline) << "ModSecurity regression pass count fell below modsec_baseline.txt";
}

TEST(ConformanceGate, SecrulesLanguageTests) {
  SecrulesOptions o;
  o.suite_dir = GS_SOURCE_DIR "/../shared/conformance/secrules-language-tests";
  o.data_dir = GS_SOURCE_DIR "/../shared/conformance";
  ASSERT_TRUE(std::filesystem::is_directory(o.suite_dir)) << o.suite_dir;
  SuiteReport r = RunSecrulesSuite(o);
  std::printf("%s", FormatReport(r, /*list_failures=*/true).c_str());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.total(), 4326);
  // Acceptance: at least 99% of all 4,326 cases (skips count against it).
  EXPECT_GE(r.pass * 100, r.total() * 99);
}

// Acceptance 1 of the gateway issue: the same suite sent over the wire (raw bytes on TCP)
// through a real gateway with CRS in front of a real echo backend, judged on the gateway's own
// audit records (`waf conformance --suite crs --via-gateway`, as a process). Fails when the pass
// count drops below crs_gateway_baseline.txt; every non-passing test is printed with its reason.
TEST(ConformanceGate, CrsRegressionSuiteOverTheWireThroughGateway) {
  if (!std::filesystem::is_directory("/usr/share/modsecurity-crs/rules")) {
    GTEST_SKIP() << "modsecurity-crs not installed";
  }
  int baseline = Baseline("crs_gateway_baseline.txt");
  ASSERT_GT(baseline, 0) << "crs_gateway_baseline.txt missing or empty";
  auto r = testing::RunProcess(
      {testing::GovshieldBinary(), "waf", "conformance", "--suite", "crs", "--via-gateway",
       "--json", "--conformance-dir", GS_SOURCE_DIR "/../shared/conformance"},
      "", 900'000);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(j.is_object()) << r.out;
  const nlohmann::json& s = j["suites"][0];
  for (const auto& c : s["not_passed"]) {
    std::printf("  FAIL %s: [%s] %s\n", c["id"].get<std::string>().c_str(),
                c["class"].get<std::string>().c_str(), c["reason"].get<std::string>().c_str());
  }
  std::printf("over the wire: pass %d fail %d\n", s["pass"].get<int>(), s["fail"].get<int>());
  EXPECT_TRUE(s["errors"].empty()) << s["errors"].dump();
  EXPECT_EQ(s["pass"].get<int>() + s["fail"].get<int>() + s["skip"].get<int>(), 2403);
  EXPECT_GE(s["pass"].get<int>(), baseline) << "pass count fell below crs_gateway_baseline.txt";
}

// The command runs the same runners: its JSON counts equal an in-process run, and a suite that
// cannot run makes it exit 1.
TEST(ConformanceGate, CommandLine) {
  std::string dir = GS_SOURCE_DIR "/../shared/conformance";
  auto r = testing::RunProcess({testing::GovshieldBinary(), "waf", "conformance", "--suite",
                                "secrules", "--json", "--conformance-dir", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(j.is_object()) << r.out;
  ASSERT_EQ(j["suites"].size(), 1u);
  SecrulesOptions o;
  o.suite_dir = dir + "/secrules-language-tests";
  o.data_dir = dir;
  SuiteReport in_process = RunSecrulesSuite(o);
  EXPECT_EQ(j["suites"][0]["pass"].get<int>(), in_process.pass);
  EXPECT_EQ(j["suites"][0]["fail"].get<int>(), in_process.fail);
  EXPECT_EQ(j["suites"][0]["skip"].get<int>(), in_process.skip);
  EXPECT_EQ(j["suites"][0]["not_passed"].size(),
            static_cast<size_t>(in_process.fail + in_process.skip));

  auto missing = testing::RunProcess({testing::GovshieldBinary(), "waf", "conformance", "--suite",
                                      "crs", "--conformance-dir", "/nonexistent-conformance"});
  EXPECT_EQ(missing.exit_code, 1);
}

}  // namespace
}  // namespace gs::waf::conformance
