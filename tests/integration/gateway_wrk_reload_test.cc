// Acceptance 5 of the gateway issue: reload under wrk load loses no request. A real
// `govshield gateway run` process (2 workers, WAF on, the built-in static upstream) serves wrk
// (2 threads, 8 keep-alive connections) while its config is reloaded again and again, by SIGHUP
// and by `govshield gateway reload -c FILE`, alternating between two valid configs (different
// WAF rules and response headers), plus configs that validate but fail to build (a rule that
// does not compile), which must be refused while the old config keeps serving. wrk's Lua script
// counts every non-2xx answer; wrk itself counts socket errors (connect, read, write, timeout).
// Asserted: zero of both, and /metrics' reload counters moved by exactly the good and refused
// reloads.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <regex>

#include "platform/file.h"
#include "testlib/subprocess.h"
#include "testlib/temp_dir.h"
#include "tests/integration/gateway_test_util.h"

namespace gs::gateway {
namespace {

using gs::testing::BackgroundProcess;
using gs::testing::GovshieldBinary;
using gs::testing::RunProcess;
using gs::testing::WaitFor;
using testing::Exchange;
using testing::FreePort;
using testing::StatusOf;

// Sums the per-thread counts in done(): every wrk thread has its own Lua state.
constexpr char kCountScript[] = R"(
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("non2xx") end
  io.write(string.format("RESULT requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, n, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
)";

// Value of a Prometheus counter without labels, or -1.
long Metric(uint16_t admin, const std::string& name) {
  std::string resp =
      Exchange(admin, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 3000);
  std::smatch m;
  if (!std::regex_search(resp, m, std::regex("\n" + name + " ([0-9]+)"))) return -1;
  return std::stol(m[1].str());
}

// wrk's RESULT line field, or -1.
long Field(const std::string& out, const std::string& key) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(key + "=([0-9]+)"))) return -1;
  return std::stol(m[1].str());
}

TEST(GatewayWrkReload, ReloadUnderWrkLoadLosesNoRequest) {
  ASSERT_TRUE(platform::PathExists("/usr/bin/wrk")) << "wrk is not installed (apt install wrk)";
  gs::testing::TempDir dir;
  std::string bin = GovshieldBinary();
  testing::CliStore cs = testing::MakeCliStore(dir.path());
  ASSERT_TRUE(cs.ok());
  const std::string &key = cs.key, &store = cs.store;
  std::string site = platform::JoinPath(dir.path(), "site");
  ASSERT_TRUE(platform::MakeDirs(site).ok());
  ASSERT_TRUE(platform::WriteFileAtomic(platform::JoinPath(site, "index.html"),
                                        "<html><body>政务公开</body></html>\n")
                  .ok());
  // Two rule sets that compile, one that does not (it passes config validation: the file
  // exists; only building the gateway finds the error).
  std::string rules_a = platform::JoinPath(dir.path(), "a.conf");
  std::string rules_b = platform::JoinPath(dir.path(), "b.conf");
  std::string rules_bad = platform::JoinPath(dir.path(), "bad.conf");
  ASSERT_TRUE(platform::WriteFileAtomic(rules_a,
                                        "SecRuleEngine On\nSecRule ARGS \"@contains "
                                        "attack-a\" \"id:1001,phase:1,deny,status:403\"\n")
                  .ok());
  ASSERT_TRUE(platform::WriteFileAtomic(rules_b,
                                        "SecRuleEngine On\nSecRule ARGS \"@contains "
                                        "attack-b\" \"id:1002,phase:1,deny,status:403\"\n")
                  .ok());
  ASSERT_TRUE(platform::WriteFileAtomic(rules_bad,
                                        "SecRuleEngine On\nSecRule ARGS \"@rx (\" "
                                        "\"id:1003,phase:1,deny\"\n")
                  .ok());
  uint16_t admin = FreePort();
  // Config b also loads CRS 3.3.4 (PL1, blocking) when it is installed, so those reloads build a
  // real rule set while the workers serve; wrk's requests carry the headers CRS expects.
  std::string rules_b_list = rules_b;
  if (platform::PathExists(
          "/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf")) {
    rules_b_list +=
        ", /etc/modsecurity/crs/crs-setup.conf, /usr/share/modsecurity-crs/rules/*.conf";
  }
  auto config = [&](const std::string& rules, const std::string& frame_options) {
    return "version: 1\naudit: {store: " + store + ", key: " + key +
           "}\ngateway:\n  listen: [127.0.0.1:0]\n  workers: 2\n  admin_listen: 127.0.0.1:" +
           std::to_string(admin) +
           "\n  sites:\n    - name: portal\n      server_names: [\"*\"]\n"
           "      upstream: {static_root: " +
           site + ", health_interval: 0s}\n      waf: {rules: [" + rules +
           "]}\n      security_headers: {frame_options: " + frame_options + "}\n";
  };
  std::string cfg = platform::JoinPath(dir.path(), "gs.yaml");
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, config(rules_a, "SAMEORIGIN")).ok());
  testing::GatewayRunProcess run(cfg, dir.path());
  int port = run.port();
  ASSERT_GT(port, 0) << run.stderr_text();
  BackgroundProcess& gw = run.process();
  ASSERT_EQ(StatusOf(Exchange(static_cast<uint16_t>(port),
                              "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")),
            200);
  long reloads0 = Metric(admin, "govshield_gateway_reloads_total");
  long failures0 = Metric(admin, "govshield_gateway_reload_failures_total");
  ASSERT_GE(reloads0, 0);
  ASSERT_GE(failures0, 0);

  // wrk runs until it is interrupted (SIGINT: it stops and prints its summary), so every
  // reload below happens under load however slow the machine is.
  std::string script = platform::JoinPath(dir.path(), "count.lua");
  ASSERT_TRUE(platform::WriteFileAtomic(script, kCountScript).ok());
  std::string wrk_dir = platform::JoinPath(dir.path(), "wrk");
  ASSERT_TRUE(platform::MakeDirs(wrk_dir).ok());
  BackgroundProcess wrk({"wrk", "-t2", "-c8", "-d120s", "--timeout", "10s", "-s", script, "-H",
                         "Host: www.example.gov.cn", "-H", "User-Agent: wrk", "-H", "Accept: */*",
                         "http://127.0.0.1:" + std::to_string(port) + "/"},
                        wrk_dir);
  long requests_at_start = Metric(admin, "govshield_gateway_requests_total");
  ASSERT_TRUE(WaitFor(
      [&] { return Metric(admin, "govshield_gateway_requests_total") > requests_at_start + 200; },
      20000))
      << "wrk is not sending requests";

  constexpr int kGoodReloads = 16;
  int good = 0, refused = 0;
  for (int i = 0; i < kGoodReloads; ++i) {
    bool odd = i % 2 == 1;
    ASSERT_TRUE(platform::WriteFileAtomic(
                    cfg, config(odd ? rules_a : rules_b_list, odd ? "SAMEORIGIN" : "DENY"))
                    .ok());
    if (i % 4 < 2) {
      auto r = RunProcess({bin, "gateway", "reload", "-c", cfg});
      ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    } else {
      gw.Signal(SIGHUP);
      ASSERT_TRUE(WaitFor(
          [&] { return Metric(admin, "govshield_gateway_reloads_total") == reloads0 + good + 1; },
          20000))
          << "SIGHUP reload " << i << " did not happen";
    }
    ++good;
    // The new config is in force: its own WAF rule answers (and CRS, when b loads it).
    std::string probe = odd ? "/?q=attack-a" : "/?q=attack-b";
    EXPECT_EQ(
        StatusOf(Exchange(static_cast<uint16_t>(port),
                          "GET " + probe + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")),
        403)
        << "reload " << i << " did not take effect";
    if (!odd && rules_b_list != rules_b) {
      EXPECT_EQ(StatusOf(Exchange(static_cast<uint16_t>(port),
                                  "GET /?id=1%27%20OR%20%271%27=%271 HTTP/1.1\r\nHost: a\r\n"
                                  "User-Agent: t\r\nAccept: */*\r\nConnection: close\r\n\r\n")),
                403)
          << "CRS is not in force after reload " << i;
    }
    // Some load between reloads: the last reload's config serves a few hundred requests.
    long served = Metric(admin, "govshield_gateway_requests_total");
    WaitFor([&] { return Metric(admin, "govshield_gateway_requests_total") > served + 300; }, 5000);
    if (i == 7) {
      // A config that validates but does not build: refused through `reload -c`, and through
      // SIGHUP; the old config stays.
      ASSERT_TRUE(platform::WriteFileAtomic(cfg, config(rules_bad, "DENY")).ok());
      auto r = RunProcess({bin, "gateway", "reload", "-c", cfg});
      EXPECT_NE(r.exit_code, 0);
      EXPECT_NE(r.err.find("reload refused"), std::string::npos) << r.err;
      ++refused;
      gw.Signal(SIGHUP);
      ASSERT_TRUE(WaitFor(
          [&] {
            return Metric(admin, "govshield_gateway_reload_failures_total") ==
                   failures0 + refused + 1;
          },
          20000))
          << "SIGHUP with a bad config was not refused";
      ++refused;
      EXPECT_EQ(StatusOf(Exchange(static_cast<uint16_t>(port),
                                  "GET /?q=attack-a HTTP/1.1\r\nHost: a\r\n"
                                  "Connection: close\r\n\r\n")),
                403)
          << "the refused config replaced the old one";
    }
  }
  wrk.Signal(SIGINT);
  ASSERT_EQ(wrk.Wait(30000), 0);
  std::string out = platform::ReadFile(wrk.StdoutPath()).value_or("");
  ASSERT_NE(out.find("RESULT"), std::string::npos) << out;
  std::printf("%s\n%d good reloads, %d refused\n", out.c_str(), good, refused);
  EXPECT_GT(Field(out, "requests"), 1000) << out;
  EXPECT_EQ(Field(out, "non2xx"), 0) << out;
  EXPECT_EQ(Field(out, "connect"), 0) << out;
  EXPECT_EQ(Field(out, "read"), 0) << out;
  EXPECT_EQ(Field(out, "write"), 0) << out;
  EXPECT_EQ(Field(out, "timeout"), 0) << out;
  EXPECT_EQ(Metric(admin, "govshield_gateway_reloads_total"), reloads0 + good);
  EXPECT_EQ(Metric(admin, "govshield_gateway_reload_failures_total"), failures0 + refused);
  // The config in force is the last good one (rules b... or a): its WAF rule answers.
  EXPECT_EQ(StatusOf(Exchange(static_cast<uint16_t>(port),
                              "GET /?q=attack-a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")),
            403);
  gw.Signal(SIGTERM);
  EXPECT_EQ(gw.Wait(), 0);
}

}  // namespace
}  // namespace gs::gateway
