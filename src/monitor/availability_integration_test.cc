// Acceptance 4 of issue 6: with an injected clock, a week of hourly probes (24 a day, above the
// national minimum of 20) against a real loopback page. Failing 6% of probes raises the veto
// finding; failing 4% gives only the early warning; a week later the failures have left the
// rolling window. Failures are 503 answers and pages that do not load within the timeout.
#include <gtest/gtest.h>

#include "monitor/monitor.h"
#include "monitor/testing/declared.h"
#include "monitor/testing/tls_test_server.h"
#include "tests/testlib/subprocess.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor {
namespace {

using testing::ScriptedHttpServer;

constexpr int kRoundsPerWeek = 7 * 24;

struct WeekResult {
  std::vector<Finding> last_round;
  int vetoes_in_final_round = 0;
};

class AvailabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The stall is longer than the probe timeout below: such a page "has not loaded in time".
    server_ = std::make_unique<ScriptedHttpServer>(/*stall_ms=*/600);
    auto cfg = ParseMonitorConfig(
        "interval: 1h\njitter: 0s\nstate: avail.db\ntargets:\n  - name: portal\n    availability:\n"
        "      url: http://www.example.gov.cn:" +
            std::to_string(server_->port()) +
            "/index.html\n"
            "      connect: 127.0.0.1\n      timeout: 250ms\n",
        dir_.path());
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    auto m = Monitor::Create(std::move(*cfg), nullptr, clock_);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    monitor_ = std::move(*m);
  }

  // Runs `rounds` hourly rounds; round i fails when fails(i). Returns the last round's findings.
  std::vector<Finding> RunRounds(int rounds, const std::function<bool(int)>& fails,
                                 int* stalls = nullptr) {
    std::vector<Finding> last;
    for (int i = 0; i < rounds; ++i) {
      ScriptedHttpServer::Mode mode = ScriptedHttpServer::Mode::kOk;
      if (fails(i)) {
        // Alternate the two ways a probe fails.
        bool stall = (failures_++ % 2) == 1;
        mode = stall ? ScriptedHttpServer::Mode::kStall : ScriptedHttpServer::Mode::kError;
        if (stall && stalls) ++*stalls;
      }
      server_->set_mode(mode);
      auto r = monitor_->RunOnce();
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok()) last = *r;
      if (r.ok()) testing::ExpectDeclared(*r);
      // A stalled answer keeps the (serial) server busy after the probe gave up; let it finish
      // so the stall does not spill into the next round's probe.
      EXPECT_TRUE(
          gs::testing::WaitFor([&] { return server_->completed() == server_->requests(); }, 5000));
      clock_.Advance(3600 * kNanosPerSecond);
    }
    return last;
  }

  const Finding* Find(const std::vector<Finding>& fs, const std::string& check) {
    for (const auto& f : fs)
      if (f.check == check) return &f;
    return nullptr;
  }

  gs::testing::TempDir dir_;
  ManualTimeSource clock_{*ParseRfc3339("2026-11-01T00:00:00Z")};
  std::unique_ptr<ScriptedHttpServer> server_;
  std::unique_ptr<Monitor> monitor_;
  int failures_ = 0;
};

// Failing rounds spread evenly over the week, the first one early.
std::function<bool(int)> Every(int n_failures) {
  return [n_failures](int i) {
    for (int k = 0; k < n_failures; ++k)
      if (i == 3 + k * (kRoundsPerWeek - 6) / n_failures) return true;
    return false;
  };
}

TEST_F(AvailabilityTest, SixPercentFailuresRaiseVeto) {
  int stalls = 0;
  auto last = RunRounds(kRoundsPerWeek, Every(10), &stalls);  // 10 / 168 = 5.95%
  EXPECT_GE(stalls, 4);
  EXPECT_EQ(server_->requests(), kRoundsPerWeek);  // every round really probed the page
  const Finding* veto = Find(last, "availability_veto");
  ASSERT_NE(veto, nullptr);
  EXPECT_EQ(veto->severity, Severity::kCritical);
  EXPECT_EQ(veto->evidence["probes"], kRoundsPerWeek);
  EXPECT_EQ(veto->evidence["failed"], 10);
  EXPECT_NEAR(veto->evidence["failure_ratio"].get<double>(), 10.0 / 168, 1e-9);
  // A week of clean probes later, the failures are outside the 7-day window.
  auto later = RunRounds(kRoundsPerWeek, [](int) { return false; });
  EXPECT_EQ(Find(later, "availability_veto"), nullptr);
  EXPECT_EQ(Find(later, "availability_warning"), nullptr);
}

TEST_F(AvailabilityTest, FourPercentFailuresWarnButNoVeto) {
  auto last = RunRounds(kRoundsPerWeek, Every(7));  // 7 / 168 = 4.17%
  EXPECT_EQ(Find(last, "availability_veto"), nullptr);
  const Finding* warn = Find(last, "availability_warning");
  ASSERT_NE(warn, nullptr);  // early warning (>= 3%) well before the veto
  EXPECT_EQ(warn->evidence["failed"], 7);
}

TEST_F(AvailabilityTest, NoVerdictBeforeMinimumProbes) {
  // Five failures in the first 19 probes: too few probes for a ratio (min_probes 20).
  auto last = RunRounds(19, [](int i) { return i < 5; });
  EXPECT_TRUE(last.empty());
  auto next = RunRounds(1, [](int) { return false; });
  EXPECT_NE(Find(next, "availability_veto"), nullptr);  // 5 / 20 = 25%
}

TEST(AvailabilityConfig, IntervalMustAllowTwentyProbesADay) {
  auto c = ParseMonitorConfig(
      "interval: 2h\njitter: 0s\ntargets:\n  - name: a\n    availability: {url: "
      "'http://a.example/'}\n",
      "/");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("20 probes"), std::string_view::npos);
  EXPECT_FALSE(
      ParseMonitorConfig("targets:\n  - name: a\n    availability: {url: 'ftp://a/'}\n", "/").ok());
  EXPECT_FALSE(
      ParseMonitorConfig(
          "targets:\n  - name: a\n    availability: {url: 'http://a/', warn_ratio: 0.1}\n", "/")
          .ok());
}

}  // namespace
}  // namespace gs::monitor
