// Validates the conformance runners against the reference implementation: the CRS 3.3.4
// regression suite run through our request building, front/backend emulation and judging, but
// evaluated by libmodsecurity3 (the engine the suite was written and tuned for). A runner bug
// shows up here as libmodsecurity "failing" tests it passes in the CRS project's own CI.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "waf/conformance/crs.h"
#include "waf/conformance/modsec.h"
#include "waf/conformance/msc_driver_test_util.h"
#ifdef GS_HAVE_MODSEC_PEER
#include "waf/conformance/modsec_peer_waf_test_util.h"
#endif

// libmodsecurity 3.0.9 leaks in its rule parser on load errors and in @geoLookup's database
// open; those are the library's, not ours (ASan builds only; no effect otherwise).
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libmodsecurity.so\nleak:libmaxminddb.so\n";
}

namespace gs::waf::conformance {
namespace {

const char kCrsTests[] = GS_SOURCE_DIR "/../shared/conformance/crs-v3.3.4/tests/regression/tests";

// Passes reached by libmodsecurity 3.0.9 with this runner (see docs/conformance.md); raise it,
// never lower it.
constexpr int kCrsPeerPassFloor = 2365;
constexpr int kModsecPeerPassFloor = 607;

const char kModsecTestDir[] = GS_SOURCE_DIR "/../shared/conformance/modsecurity-v3-regression/test";

TEST(ConformancePeer, CrsSuiteOnLibModsecurity) {
  if (!std::filesystem::is_directory("/usr/share/modsecurity-crs/rules")) {
    GTEST_SKIP() << "modsecurity-crs not installed";
  }
  ASSERT_TRUE(std::filesystem::is_directory(kCrsTests)) << kCrsTests;
  auto waf = NewLibModsecurityWaf();
  CrsOptions o;
  o.tests_dir = kCrsTests;
  if (const char* f = std::getenv("GS_CONFORMANCE_FILTER")) o.filter = f;
  SuiteReport r = RunCrsSuite(*waf, o);
  std::printf("%s", FormatReport(r, /*list_failures=*/true).c_str());
  EXPECT_TRUE(r.errors.empty());
  if (o.filter.empty()) {
    EXPECT_EQ(r.total(), 2403);
    EXPECT_GE(r.pass, kCrsPeerPassFloor);
  }
}

#ifdef GS_HAVE_MODSEC_PEER
// The same suite through the differential test's independently written libmodsecurity driver:
// both drivers must reach the same verdict on every test, or one of them is wrong.
TEST(ConformancePeer, CrsSuiteOnModsecPeerAgreesWithOwnDriver) {
  if (!std::filesystem::is_directory("/usr/share/modsecurity-crs/rules")) {
    GTEST_SKIP() << "modsecurity-crs not installed";
  }
  CrsOptions o;
  o.tests_dir = kCrsTests;
  auto own = NewLibModsecurityWaf();
  auto peer = NewModsecPeerWaf();
  SuiteReport a = RunCrsSuite(*own, o);
  SuiteReport b = RunCrsSuite(*peer, o);
  std::printf("%s", FormatReport(b, /*list_failures=*/false).c_str());
  ASSERT_TRUE(b.errors.empty()) << b.errors.front();
  ASSERT_EQ(a.cases.size(), b.cases.size());
  int differ = 0;
  for (size_t i = 0; i < a.cases.size(); ++i) {
    if (a.cases[i].verdict != b.cases[i].verdict) {
      ++differ;
      std::printf("DRIVERS DIFFER %s: own %s (%s), modsec_peer %s (%s)\n", a.cases[i].id.c_str(),
                  std::string(VerdictName(a.cases[i].verdict)).c_str(), a.cases[i].reason.c_str(),
                  std::string(VerdictName(b.cases[i].verdict)).c_str(), b.cases[i].reason.c_str());
    }
  }
  EXPECT_EQ(differ, 0);
}
#endif

TEST(ConformancePeer, ModsecRegressionOnLibModsecurity) {
  ASSERT_TRUE(std::filesystem::is_directory(kModsecTestDir)) << kModsecTestDir;
  auto waf = NewLibModsecurityWaf();
  ModsecOptions o;
  o.test_dir = kModsecTestDir;
  if (const char* f = std::getenv("GS_CONFORMANCE_FILTER")) o.filter = f;
  SuiteReport r = RunModsecSuite(*waf, o);
  std::printf("%s", FormatReport(r, /*list_failures=*/true).c_str());
  EXPECT_TRUE(r.errors.empty());
  if (o.filter.empty()) {
    EXPECT_EQ(r.total(), 656);
    EXPECT_GE(r.pass, kModsecPeerPassFloor);
  }
}

}  // namespace
}  // namespace gs::waf::conformance
