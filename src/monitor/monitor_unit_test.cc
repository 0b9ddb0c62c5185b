// Unit tests of the monitor's pure parts: config loading and schema checks, DNS answer
// canonicalisation (wire format built with ldns), the SQLite state store, finding records.
#include <gtest/gtest.h>
#include <ldns/ldns.h>

#include "monitor/check.h"
#include "monitor/checks/dns_hijack/dns_answer.h"
#include "monitor/config.h"
#include "monitor/finding.h"
#include "monitor/state_store.h"
#include "platform/file.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor {
namespace {

// A response to (qname, qtype) with the given answer RRs in presentation format.
std::vector<uint8_t> MakeResponse(const std::string& qname, ldns_rr_type qtype,
                                  const std::vector<std::string>& answers,
                                  ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR, bool qr = true) {
  ldns_pkt* pkt = nullptr;
  EXPECT_EQ(ldns_pkt_query_new_frm_str(&pkt, qname.c_str(), qtype, LDNS_RR_CLASS_IN, 0),
            LDNS_STATUS_OK);
  ldns_pkt_set_qr(pkt, qr);
  ldns_pkt_set_rcode(pkt, rcode);
  for (const auto& s : answers) {
    ldns_rr* rr = nullptr;
    EXPECT_EQ(ldns_rr_new_frm_str(&rr, s.c_str(), 3600, nullptr, nullptr), LDNS_STATUS_OK) << s;
    ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
  }
  uint8_t* wire = nullptr;
  size_t n = 0;
  EXPECT_EQ(ldns_pkt2wire(&wire, pkt, &n), LDNS_STATUS_OK);
  std::vector<uint8_t> out(wire, wire + n);
  free(wire);
  ldns_pkt_free(pkt);
  return out;
}

TEST(DnsAnswer, CanonicalIgnoresTtlOrderAndCase) {
  auto a = MakeResponse(
      "www.example.gov.cn.", LDNS_RR_TYPE_A,
      {"www.example.gov.cn. 300 IN A 192.0.2.1", "www.example.gov.cn. 300 IN A 192.0.2.2"});
  auto b = MakeResponse(
      "WWW.Example.gov.cn.", LDNS_RR_TYPE_A,
      {"WWW.EXAMPLE.GOV.CN. 17 IN A 192.0.2.2", "www.example.gov.cn. 17 IN A 192.0.2.1"});
  auto pa = ParseDnsAnswer(a, "www.example.gov.cn", LDNS_RR_TYPE_A);
  auto pb = ParseDnsAnswer(b, "www.example.gov.cn", LDNS_RR_TYPE_A);
  ASSERT_TRUE(pa.ok()) << pa.status().ToString();
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  EXPECT_EQ(pa->records.size(), 2u);
  EXPECT_EQ(pa->Canonical(), pb->Canonical());
  EXPECT_EQ(pa->rcode, 0);
}

TEST(DnsAnswer, DifferentAddressDiffers) {
  auto a = MakeResponse("www.example.gov.cn.", LDNS_RR_TYPE_A,
                        {"www.example.gov.cn. 300 IN A 192.0.2.1"});
  auto b = MakeResponse("www.example.gov.cn.", LDNS_RR_TYPE_A,
                        {"www.example.gov.cn. 300 IN A 203.0.113.9"});
  EXPECT_NE(ParseDnsAnswer(a, "www.example.gov.cn", LDNS_RR_TYPE_A)->Canonical(),
            ParseDnsAnswer(b, "www.example.gov.cn", LDNS_RR_TYPE_A)->Canonical());
}

TEST(DnsAnswer, NxdomainDiffersFromNodata) {
  auto nx = MakeResponse("x.example.gov.cn.", LDNS_RR_TYPE_A, {}, LDNS_RCODE_NXDOMAIN);
  auto nodata = MakeResponse("x.example.gov.cn.", LDNS_RR_TYPE_A, {});
  auto p1 = ParseDnsAnswer(nx, "x.example.gov.cn", LDNS_RR_TYPE_A);
  auto p2 = ParseDnsAnswer(nodata, "x.example.gov.cn", LDNS_RR_TYPE_A);
  ASSERT_TRUE(p1.ok() && p2.ok());
  EXPECT_EQ(p1->rcode, 3);
  EXPECT_NE(p1->Canonical(), p2->Canonical());
}

TEST(DnsAnswer, CnameChainTailFromResolverIsIgnored) {
  // The authoritative server only knows the CNAME; a recursive resolver adds the target's A.
  auto auth = MakeResponse("www.example.gov.cn.", LDNS_RR_TYPE_A,
                           {"www.example.gov.cn. 300 IN CNAME cdn.example.net."});
  auto rec = MakeResponse("www.example.gov.cn.", LDNS_RR_TYPE_A,
                          {"www.example.gov.cn. 300 IN CNAME CDN.example.net.",
                           "cdn.example.net. 60 IN A 198.51.100.7"});
  auto pa = ParseDnsAnswer(auth, "www.example.gov.cn", LDNS_RR_TYPE_A);
  auto pr = ParseDnsAnswer(rec, "www.example.gov.cn", LDNS_RR_TYPE_A);
  ASSERT_TRUE(pa.ok() && pr.ok());
  EXPECT_EQ(pa->Canonical(), pr->Canonical());
  EXPECT_EQ(pr->records.size(), 1u);
}

TEST(DnsAnswer, RejectsQueriesWrongQuestionAndGarbage) {
  auto q =
      MakeResponse("www.example.gov.cn.", LDNS_RR_TYPE_A, {}, LDNS_RCODE_NOERROR, /*qr=*/false);
  EXPECT_EQ(ParseDnsAnswer(q, "www.example.gov.cn", LDNS_RR_TYPE_A).status().code(),
            StatusCode::kInvalidArgument);
  auto other = MakeResponse("evil.example.", LDNS_RR_TYPE_A, {"evil.example. 1 IN A 192.0.2.1"});
  EXPECT_EQ(ParseDnsAnswer(other, "www.example.gov.cn", LDNS_RR_TYPE_A).status().code(),
            StatusCode::kInvalidArgument);
  auto mx = MakeResponse("www.example.gov.cn.", LDNS_RR_TYPE_MX, {});
  EXPECT_FALSE(ParseDnsAnswer(mx, "www.example.gov.cn", LDNS_RR_TYPE_A).ok());
  std::vector<uint8_t> junk = {0x12, 0x34, 0x81};
  EXPECT_FALSE(ParseDnsAnswer(junk, "www.example.gov.cn", LDNS_RR_TYPE_A).ok());
  EXPECT_FALSE(ParseDnsAnswer({}, "www.example.gov.cn", LDNS_RR_TYPE_A).ok());
  // Truncating a valid answer anywhere must give an error, never a crash.
  auto good = MakeResponse("www.example.gov.cn.", LDNS_RR_TYPE_A,
                           {"www.example.gov.cn. 300 IN A 192.0.2.1"});
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_FALSE(ParseDnsAnswer(std::span<const uint8_t>(good.data(), n), "www.example.gov.cn",
                                LDNS_RR_TYPE_A)
                     .ok())
        << n;
}

TEST(MonitorConfig, ParsesTargetsAndDefaults) {
  auto c = ParseMonitorConfig(R"(
interval: 60s
jitter: 5s
state: st.db
dns:
  resolvers: ["127.0.0.1:5300", "[::1]:53"]
  trust_anchor_file: ta.key
targets:
  - name: portal
    dns:
      names: [WWW.Example.gov.cn.]
      authoritative: [127.0.0.1:5301]
    tls:
      host: www.example.gov.cn
      connect: 127.0.0.1
      port: 8443
)",
                              "/base");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->interval_nanos, 60 * kNanosPerSecond);
  EXPECT_EQ(c->state_path, "/base/st.db");
  EXPECT_EQ(c->dns.trust_anchor_file, "/base/ta.key");
  ASSERT_EQ(c->dns.resolvers.size(), 2u);
  EXPECT_EQ(c->dns.resolvers[0].port, 5300);
  EXPECT_EQ(c->dns.resolvers[1].host, "::1");
  EXPECT_EQ(c->dns.mismatch_rounds, 1);  // default: report within one round
  const TargetConfig* t = c->FindTarget("portal");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->dns.names[0], "www.example.gov.cn");
  EXPECT_EQ(t->dns.zone, "example.gov.cn");
  EXPECT_EQ(t->dns.types.size(), 6u);
  EXPECT_EQ(t->tls.port, 8443);
  EXPECT_TRUE(t->tls.require_hsts);
}

TEST(MonitorConfig, RejectsUnknownKeysAndBadValues) {
  auto unknown = ParseMonitorConfig(
      "targets:\n  - name: a\n    dns: {names: [a.b], authoritative: [127.0.0.1], nmaes: 1}\n",
      "/");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("nmaes"), std::string_view::npos);
  EXPECT_FALSE(
      ParseMonitorConfig(
          "targets:\n  - name: a\n    dns: {names: [a.b], authoritative: [dns.example]}\n", "/")
          .ok());
  EXPECT_FALSE(ParseMonitorConfig("targets:\n  - name: a\n    dns: {names: [a.b], authoritative: "
                                  "[127.0.0.1], types: [BOGUS]}\n",
                                  "/")
                   .ok());
  EXPECT_FALSE(ParseMonitorConfig("targets:\n  - name: a\n  - name: a\n", "/").ok());
  EXPECT_FALSE(ParseMonitorConfig("interval: 10s\njitter: 20s\ntargets: []\n", "/").ok());
  EXPECT_FALSE(ParseMonitorConfig("targets: [\n", "/").ok());  // YAML syntax error, no throw
  EXPECT_FALSE(ParseMonitorConfig("dns: {mismatch_rounds: 0}\ntargets: []\n", "/").ok());
}

TEST(MonitorConfig, ExampleFileIsValid) {
  // The example names a webhook secret file beside it; give it one in a copy.
  testing::TempDir dir;
  auto text = platform::ReadFile(std::string(GS_SOURCE_DIR) + "/src/monitor/monitor.example.yaml");
  ASSERT_TRUE(text.ok());
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/m.yaml", *text).ok());
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/webhook.key", "k3y\n").ok());
  auto c = LoadMonitorConfig(dir.path() + "/m.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->targets.size(), 1u);
  EXPECT_EQ(c->dns.resolvers.size(), 3u);
  EXPECT_EQ(c->dns.resolvers[0].port, 53);
  EXPECT_EQ(c->targets[0].dns.parent.size(), 1u);
  EXPECT_TRUE(c->targets[0].tls.enabled);
  EXPECT_EQ(c->targets[0].availability.timeout_nanos, 15 * kNanosPerSecond);
  EXPECT_EQ(c->fail_on, Severity::kMedium);
  EXPECT_TRUE(c->targets[0].content.enabled);
  EXPECT_EQ(c->targets[0].content.freshness_days, 14);
  ASSERT_EQ(c->webhooks.size(), 1u);
  EXPECT_EQ(c->webhooks[0].secret, "k3y");
  EXPECT_EQ(c->webhooks[0].min_severity, Severity::kHigh);
  EXPECT_EQ(c->webhooks[0].backoff_nanos, 2 * kNanosPerSecond);
  // A missing secret file is an error naming the key.
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/webhook.key", "").ok());
  auto empty = LoadMonitorConfig(dir.path() + "/m.yaml");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("secret_file"), std::string::npos);
}

TEST(MonitorConfig, ContentSectionValidation) {
  auto ok = ParseMonitorConfig(
      "targets:\n  - name: a\n    content: {url: 'http://x/', freshness_days: 0, cloaking: "
      "false}\n",
      "/");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->targets[0].content.cloaking);
  EXPECT_FALSE(
      ParseMonitorConfig("targets:\n  - name: a\n    content: {url: 'ftp://x/'}\n", "/").ok());
  EXPECT_FALSE(
      ParseMonitorConfig("targets:\n  - name: a\n    content: {url: 'http://x/', colour: 1}\n", "/")
          .ok());
  EXPECT_FALSE(ParseMonitorConfig(
                   "targets:\n  - name: a\n    content: {url: 'http://x/', text_similarity: 0.9}\n",
                   "/")
                   .ok());  // must stay below roll_similarity
  EXPECT_FALSE(ParseMonitorConfig("webhooks: [{url: 'x'}]\ntargets: []\n", "/").ok());
}

TEST(MonitorConfig, EveryCheckHasDescriptorAndSchema) {
  for (const CheckDescriptor* d : AllChecks()) {
    EXPECT_FALSE(d->name.empty());
    EXPECT_FALSE(d->findings.empty()) << d->name;
    EXPECT_FALSE(d->target_schema.empty()) << d->name;
  }
}

TEST(StateStore, BaselinesAndStreaksSurviveReopen) {
  testing::TempDir dir;
  std::string path = dir.path() + "/state.db";
  {
    auto s = StateStore::Open(path);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE((*s)->PutBaseline("dns", "portal", "auth|a/A", "NOERROR: x", 1).ok());
    ASSERT_TRUE((*s)->PutBaseline("dns", "portal", "res|r|a/A", "NOERROR: y", 1).ok());
    EXPECT_EQ(*(*s)->IncrementStreak("portal", "k"), 1);
    EXPECT_EQ(*(*s)->IncrementStreak("portal", "k"), 2);
  }
  auto s = StateStore::Open(path);
  ASSERT_TRUE(s.ok());
  auto b = (*s)->GetBaseline("dns", "portal", "auth|a/A");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ(**b, "NOERROR: x");
  EXPECT_EQ(*(*s)->IncrementStreak("portal", "k"), 3);
  ASSERT_TRUE((*s)->ResetStreak("portal", "k").ok());
  EXPECT_EQ(*(*s)->IncrementStreak("portal", "k"), 1);
  ASSERT_TRUE((*s)->DeleteBaselines("dns", "portal", "res|").ok());
  EXPECT_FALSE((*s)->GetBaseline("dns", "portal", "res|r|a/A")->has_value());
  EXPECT_TRUE((*s)->GetBaseline("dns", "portal", "auth|a/A")->has_value());
}

TEST(StateStore, UnwritablePathIsAnError) {
  auto s = StateStore::Open("/nonexistent-dir/x/state.db");
  EXPECT_FALSE(s.ok());
}

TEST(Finding, JsonRecordHasAuditFields) {
  Finding f{"dns_hijack",        "portal", "www/A@r",
            Severity::kCritical, "s",      {{"resolver_answer", "x"}}};
  auto j = FindingToJson(f, 0);
  EXPECT_EQ(j["source"], "monitor");
  EXPECT_EQ(j["type"], "finding");
  EXPECT_EQ(j["check"], "dns_hijack");
  EXPECT_EQ(j["severity"], "critical");
  EXPECT_EQ(j["evidence"]["resolver_answer"], "x");
  EXPECT_EQ(MaxSeverity({f}), static_cast<int>(Severity::kCritical));
  EXPECT_EQ(*ParseSeverity("medium"), Severity::kMedium);
  EXPECT_FALSE(ParseSeverity("urgent").ok());
}

}  // namespace
}  // namespace gs::monitor
