// Acceptance 1 of issue 6 with real servers: nsd serves a DNSSEC-signed zone, unbound resolves
// it (validating, trusting the zone's KSK). A resolver override raises a hijack finding in the
// same round, `monitor accept` stops it (also after a restart), a corrupted signature is bogus.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <mutex>
#include <sstream>

#include "audit/sink.h"
#include "monitor/checks/dns_hijack/dns_client.h"
#include "monitor/config.h"
#include "monitor/monitor.h"
#include "monitor/testing/declared.h"
#include "monitor/testing/dns_lab.h"
#include "platform/file.h"
#include "testlib/memory_sink.h"
#include "tests/testlib/subprocess.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor {
namespace {

using testing::DnsLab;

using gs::testing::MemorySink;

int Count(const std::vector<Finding>& fs, const std::string& check) {
  testing::ExpectDeclared(fs);
  int n = 0;
  for (const auto& f : fs) n += f.check == check;
  return n;
}

std::string Describe(const std::vector<Finding>& fs) {
  std::string s;
  for (const auto& f : fs) s += f.check + " " + f.subject + " " + f.evidence.dump() + "\n";
  return s;
}

const Finding* Find(const std::vector<Finding>& fs, const std::string& check,
                    const std::string& subject) {
  testing::ExpectDeclared(fs);
  for (const auto& f : fs)
    if (f.check == check && f.subject == subject) return &f;
  return nullptr;
}

Result<std::unique_ptr<Monitor>> OpenMonitor(const std::string& config_path,
                                             audit::RecordSink* sink) {
  GS_ASSIGN_OR_RETURN(auto cfg, LoadMonitorConfig(config_path));
  return Monitor::Create(std::move(cfg), sink, SystemTime());
}

class DnsMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err = lab_.Start();
    ASSERT_EQ(err, "");
  }
  DnsLab lab_;
};

TEST_F(DnsMonitorTest, SignedZoneValidatesSecure) {
  auto v = DnssecValidator::Create(DnsLab::kZone,
                                   {Endpoint{"127.0.0.1", static_cast<uint16_t>(lab_.nsd_port())}},
                                   lab_.trust_anchor());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto verdict = (*v)->Validate(DnsLab::kWww, 1, 5 * kNanosPerSecond);
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_EQ(verdict->state, DnssecState::kSecure) << verdict->why_bogus;
  auto mx = (*v)->Validate(DnsLab::kZone, 15, 5 * kNanosPerSecond);
  ASSERT_TRUE(mx.ok());
  EXPECT_EQ(mx->state, DnssecState::kSecure);
}

TEST(DnssecValidatorTest, DeadServerTimesOut) {
  // Nothing listens on this port: validation must give up at its deadline.
  int port = testing::FreeDualPort();
  gs::testing::TempDir dir;
  std::string ta = dir.path() + "/ta.key";
  ASSERT_TRUE(platform::WriteFileAtomic(
                  ta,
                  "example.gov.cn. IN DS 12345 13 2 "
                  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n")
                  .ok());
  auto v = DnssecValidator::Create(DnsLab::kZone,
                                   {Endpoint{"127.0.0.1", static_cast<uint16_t>(port)}}, ta);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto start = std::chrono::steady_clock::now();
  auto verdict = (*v)->Validate(DnsLab::kWww, 1, kNanosPerSecond);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  EXPECT_FALSE(verdict.ok() && verdict->state == DnssecState::kSecure);
  EXPECT_LT(ms, 3000);
}

TEST_F(DnsMonitorTest, HijackFoundInOneRoundAndAcceptStopsIt) {
  MemorySink sink;
  std::string conf = lab_.WriteMonitorConfig(/*mismatch_rounds=*/1);
  auto m = OpenMonitor(conf, &sink);
  ASSERT_TRUE(m.ok()) << m.status().ToString();

  // Baseline round: authoritative and recursive agree, DNSSEC secure -> nothing.
  auto r0 = (*m)->RunOnce();
  ASSERT_TRUE(r0.ok()) << r0.status().ToString();
  EXPECT_TRUE(r0->empty()) << Describe(*r0);

  // The resolver starts answering www A with another address.
  ASSERT_EQ(lab_.SetResolverOverride({"www.example.gov.cn. 300 IN A 203.0.113.66"}, "203.0.113.66"),
            "");
  auto r1 = (*m)->RunOnce();
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  const std::string res = "127.0.0.1:" + std::to_string(lab_.unbound_port());
  const Finding* hijack = Find(*r1, "dns_hijack", "www.example.gov.cn/A@" + res);
  ASSERT_NE(hijack, nullptr) << Describe(*r1);
  EXPECT_EQ(hijack->severity, Severity::kCritical);
  EXPECT_NE(hijack->evidence["resolver_answer"].get<std::string>().find("203.0.113.66"),
            std::string::npos);
  EXPECT_NE(hijack->evidence["authoritative"].dump().find(DnsLab::kWwwAddress), std::string::npos);
  EXPECT_EQ(Count(*r1, "dns_auth_changed"), 0);  // the authoritative side did not change
  // The finding reached the audit sink as a monitor finding record.
  bool in_sink = false;
  for (const auto& rec : sink.records())
    in_sink |= rec["source"] == "monitor" && rec["type"] == "finding" &&
               rec["check"] == "dns_hijack" && rec["target"] == "portal";
  EXPECT_TRUE(in_sink);
  // The audit log is deduplicated: the same hijack seen again adds no record.
  size_t records_after_first = sink.records().size();
  auto r1b = (*m)->RunOnce();
  ASSERT_TRUE(r1b.ok());
  EXPECT_NE(Find(*r1b, "dns_hijack", "www.example.gov.cn/A@" + res), nullptr);
  EXPECT_EQ(sink.records().size(), records_after_first);

  // The CLI sees the same: exit 1 and the finding as JSON.
  auto once = gs::testing::RunProcess(
      {gs::testing::GovshieldBinary(), "monitor", "once", "-c", conf, "--json"});
  EXPECT_EQ(once.exit_code, 1) << once.err;
  bool cli_hijack = false;
  std::istringstream lines(once.out);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    cli_hijack |= j["check"] == "dns_hijack" && j["evidence"]["name"] == DnsLab::kWww;
  }
  EXPECT_TRUE(cli_hijack) << once.out;

  // The change is legitimate (say, a split-horizon address): accept it.
  auto acc = gs::testing::RunProcess(
      {gs::testing::GovshieldBinary(), "monitor", "accept", "-c", conf, "--target", "portal"});
  ASSERT_EQ(acc.exit_code, 0) << acc.err;
  auto r2 = (*m)->RunOnce();
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->empty()) << Describe(*r2);
  // ... and the audit log learns that the finding was resolved.
  bool resolved = false;
  for (const auto& rec : sink.records())
    resolved |= rec["type"] == "finding_resolved" && rec["check"] == "dns_hijack" &&
                rec["subject"] == "www.example.gov.cn/A@" + res;
  EXPECT_TRUE(resolved);

  // A restarted monitor keeps the accepted baseline (SQLite state).
  m->reset();
  auto m2 = OpenMonitor(conf, nullptr);
  ASSERT_TRUE(m2.ok());
  auto r3 = (*m2)->RunOnce();
  ASSERT_TRUE(r3.ok());
  EXPECT_TRUE(r3->empty()) << Describe(*r3);

  // A further, unaccepted change is reported again.
  ASSERT_EQ(
      lab_.SetResolverOverride({"www.example.gov.cn. 300 IN A 198.51.100.99"}, "198.51.100.99"),
      "");
  auto r4 = (*m2)->RunOnce();
  ASSERT_TRUE(r4.ok());
  EXPECT_NE(Find(*r4, "dns_hijack", "www.example.gov.cn/A@" + res), nullptr) << Describe(*r4);
}

TEST_F(DnsMonitorTest, HysteresisWaitsForConsecutiveRounds) {
  auto m = OpenMonitor(lab_.WriteMonitorConfig(/*mismatch_rounds=*/3), nullptr);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE((*m)->RunOnce().ok());
  ASSERT_EQ(lab_.SetResolverOverride({"www.example.gov.cn. 300 IN A 203.0.113.66"}, "203.0.113.66"),
            "");
  EXPECT_EQ(Count(*(*m)->RunOnce(), "dns_hijack"), 0);
  EXPECT_EQ(Count(*(*m)->RunOnce(), "dns_hijack"), 0);
  EXPECT_GE(Count(*(*m)->RunOnce(), "dns_hijack"), 1);
  // Back to normal resets the streak: the next mismatch needs three rounds again.
  ASSERT_EQ(lab_.SetResolverOverride({}, DnsLab::kWwwAddress), "");
  EXPECT_EQ(Count(*(*m)->RunOnce(), "dns_hijack"), 0);
  ASSERT_EQ(lab_.SetResolverOverride({"www.example.gov.cn. 300 IN A 203.0.113.66"}, "203.0.113.66"),
            "");
  EXPECT_EQ(Count(*(*m)->RunOnce(), "dns_hijack"), 0);
}

TEST_F(DnsMonitorTest, BogusSignatureIsReported) {
  auto m = OpenMonitor(lab_.WriteMonitorConfig(1), nullptr);
  ASSERT_TRUE(m.ok());
  auto r0 = (*m)->RunOnce();
  ASSERT_TRUE(r0.ok());
  EXPECT_EQ(Count(*r0, "dnssec_bogus"), 0) << Describe(*r0);
  // Records altered after signing: the RRSIG no longer matches.
  ASSERT_EQ(lab_.CorruptSignedZone("192.0.2.99"), "");
  auto r1 = (*m)->RunOnce();
  ASSERT_TRUE(r1.ok());
  const Finding* bogus = Find(*r1, "dnssec_bogus", "www.example.gov.cn/A");
  ASSERT_NE(bogus, nullptr) << Describe(*r1);
  EXPECT_EQ(bogus->evidence["dnssec"], "bogus");
  EXPECT_EQ(bogus->severity, Severity::kCritical);
  // Records not touched still validate.
  EXPECT_EQ(Find(*r1, "dnssec_bogus", "example.gov.cn/MX"), nullptr);
  // The authoritative answer differs from its baseline as well.
  EXPECT_NE(Find(*r1, "dns_auth_changed", "www.example.gov.cn/A"), nullptr) << Describe(*r1);
}

TEST_F(DnsMonitorTest, ParentDsChangeIsReportedUntilAccepted) {
  std::string conf = lab_.WriteMonitorConfig(1);
  auto m = OpenMonitor(conf, nullptr);
  ASSERT_TRUE(m.ok());
  auto r0 = (*m)->RunOnce();
  ASSERT_TRUE(r0.ok());
  EXPECT_TRUE(r0->empty()) << Describe(*r0);
  // The delegation at the parent now points at a key the zone does not have.
  ASSERT_EQ(lab_.ChangeParentDs(), "");
  auto r1 = (*m)->RunOnce();
  ASSERT_TRUE(r1.ok());
  const Finding* f = Find(*r1, "dns_ds_changed", "example.gov.cn/DS");
  ASSERT_NE(f, nullptr) << Describe(*r1);
  EXPECT_EQ(f->severity, Severity::kCritical);
  EXPECT_NE(f->evidence["baseline"], f->evidence["parent"][0]["answer"]);
  // A planned key rollover is accepted; the finding stops.
  auto acc = (*m)->Accept("portal");
  ASSERT_TRUE(acc.ok()) << acc.status().ToString();
  auto r2 = (*m)->RunOnce();
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(Find(*r2, "dns_ds_changed", "example.gov.cn/DS"), nullptr) << Describe(*r2);
}

// NS and SOA drift at the zone's own (real nsd) servers: the zone is re-signed with a new NS
// set, then with another SOA primary; each raises its finding until accepted. A normal zone
// update (higher serial, same primary) is followed silently; a serial going back is reported.
TEST_F(DnsMonitorTest, ZoneNsAndSoaDriftAgainstBaseline) {
  std::string conf = lab_.WriteMonitorConfig(1);
  auto m = OpenMonitor(conf, nullptr);
  ASSERT_TRUE(m.ok());
  auto r0 = (*m)->RunOnce();
  ASSERT_TRUE(r0.ok());
  EXPECT_TRUE(r0->empty()) << Describe(*r0);
  // Routine update: serial up, nothing else.
  ASSERT_EQ(lab_.ResignApex({"ns1"}, "ns1", 2026112502), "");
  auto r1 = (*m)->RunOnce();
  ASSERT_TRUE(r1.ok());
  EXPECT_TRUE(r1->empty()) << Describe(*r1);
  // A second name server appears in the NS set.
  ASSERT_EQ(lab_.ResignApex({"ns1", "ns2"}, "ns1", 2026112503), "");
  auto r2 = (*m)->RunOnce();
  ASSERT_TRUE(r2.ok());
  const Finding* ns = Find(*r2, "dns_ns_changed", "example.gov.cn/NS");
  ASSERT_NE(ns, nullptr) << Describe(*r2);
  EXPECT_EQ(ns->severity, Severity::kCritical);
  EXPECT_NE(
      ns->evidence["authoritative"][0]["answer"].get<std::string>().find("NS ns2.example.gov.cn."),
      std::string::npos);
  EXPECT_EQ(ns->evidence["baseline"].get<std::string>().find("ns2"), std::string::npos);
  EXPECT_EQ(Find(*r2, "dns_soa_changed", "example.gov.cn/SOA"), nullptr) << Describe(*r2);
  ASSERT_TRUE((*m)->Accept("portal").ok());
  auto r3 = (*m)->RunOnce();
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(Find(*r3, "dns_ns_changed", "example.gov.cn/NS"), nullptr) << Describe(*r3);
  // Another primary in the SOA.
  ASSERT_EQ(lab_.ResignApex({"ns1", "ns2"}, "ns2", 2026112504), "");
  auto r4 = (*m)->RunOnce();
  ASSERT_TRUE(r4.ok());
  const Finding* soa = Find(*r4, "dns_soa_changed", "example.gov.cn/SOA");
  ASSERT_NE(soa, nullptr) << Describe(*r4);
  EXPECT_NE(soa->evidence["now"].get<std::string>().find("ns2.example.gov.cn."), std::string::npos);
  ASSERT_TRUE((*m)->Accept("portal").ok());
  // Old data republished: serial goes backwards.
  ASSERT_EQ(lab_.ResignApex({"ns1", "ns2"}, "ns2", 2026112401), "");
  auto r5 = (*m)->RunOnce();
  ASSERT_TRUE(r5.ok());
  const Finding* back = Find(*r5, "dns_soa_changed", "example.gov.cn/SOA");
  ASSERT_NE(back, nullptr) << Describe(*r5);
  EXPECT_EQ(back->evidence["now"], "ns2.example.gov.cn. hostmaster.example.gov.cn. 2026112401");
  EXPECT_EQ(back->evidence["baseline"],
            "ns2.example.gov.cn. hostmaster.example.gov.cn. 2026112504");
}

TEST_F(DnsMonitorTest, NxdomainRewritingIsDetected) {
  auto m = OpenMonitor(lab_.WriteMonitorConfig(1), nullptr);
  ASSERT_TRUE(m.ok());
  auto r0 = (*m)->RunOnce();
  ASSERT_TRUE(r0.ok());
  EXPECT_EQ(Count(*r0, "dns_nxdomain_rewrite"), 0) << Describe(*r0);
  EXPECT_EQ(Count(*r0, "dns_wildcard"), 0);
  // The resolver now answers every name in the zone, existing or not, with its own address.
  ASSERT_EQ(lab_.SetResolverOverride({"example.gov.cn. 300 IN A 198.51.100.1"}, "198.51.100.1",
                                     {"\"example.gov.cn.\" redirect"}),
            "");
  auto r1 = (*m)->RunOnce();
  ASSERT_TRUE(r1.ok());
  const Finding* f = Find(*r1, "dns_nxdomain_rewrite",
                          "*.example.gov.cn@127.0.0.1:" + std::to_string(lab_.unbound_port()));
  ASSERT_NE(f, nullptr) << Describe(*r1);
  EXPECT_NE(f->evidence["resolver_answer"].get<std::string>().find("198.51.100.1"),
            std::string::npos);
  EXPECT_EQ(Count(*r1, "dns_wildcard"), 0);  // the zone itself still has no wildcard
}

TEST_F(DnsMonitorTest, NonAuthoritativeServerIsNotUsedAsReference) {
  // Misconfiguration: the "authoritative" server is the recursive resolver. Its answers lack AA,
  // so they are not taken as the zone's data (no false hijack against them).
  std::string conf = lab_.WriteMonitorConfig(1);
  auto text = platform::ReadFile(conf);
  ASSERT_TRUE(text.ok());
  std::string t = *text;
  const std::string from = "127.0.0.1:" + std::to_string(lab_.nsd_port());
  t.replace(t.find(from), from.size(), "127.0.0.1:" + std::to_string(lab_.unbound_port()));
  ASSERT_TRUE(platform::WriteFileAtomic(conf, t, 0644).ok());
  auto m = OpenMonitor(conf, nullptr);
  ASSERT_TRUE(m.ok());
  auto r = (*m)->RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_GE(Count(*r, "dns_unreachable"), 6) << Describe(*r);
  EXPECT_EQ(Count(*r, "dns_hijack"), 0) << Describe(*r);
}

TEST(DnsWildcard, WildcardZoneIsReportedAndNotAsHijack) {
  DnsLab lab;
  ASSERT_EQ(lab.Start("* IN A 192.0.2.200\n"), "");
  auto m = OpenMonitor(lab.WriteMonitorConfig(1), nullptr);
  ASSERT_TRUE(m.ok());
  auto r = (*m)->RunOnce();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u) << Describe(*r);
  EXPECT_EQ((*r)[0].check, "dns_wildcard");
  EXPECT_NE((*r)[0].evidence["authoritative"].dump().find("192.0.2.200"), std::string::npos);
}

TEST_F(DnsMonitorTest, RunDaemonReportsAndStopsOnSigterm) {
  std::string conf = lab_.WriteMonitorConfig(1, "daemon.db");
  ASSERT_EQ(lab_.SetResolverOverride({"www.example.gov.cn. 300 IN A 203.0.113.66"}, "203.0.113.66"),
            "");
  gs::testing::BackgroundProcess run(
      {gs::testing::GovshieldBinary(), "monitor", "run", "-c", conf, "--json"}, lab_.dir());
  // interval 1s: wait for two rounds' worth of hijack lines.
  auto hijack_lines = [&] {
    auto out = platform::ReadFile(run.StdoutPath());
    if (!out.ok()) return 0;
    int n = 0;
    std::istringstream in(*out);
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      n += j.is_object() && j["check"] == "dns_hijack" && j["evidence"]["type"] == "A";
    }
    return n;
  };
  EXPECT_TRUE(gs::testing::WaitFor([&] { return hijack_lines() >= 2; }, 20000)) << hijack_lines();
  run.Signal(SIGTERM);
  EXPECT_EQ(run.Wait(10000), 0);
}

}  // namespace
}  // namespace gs::monitor
