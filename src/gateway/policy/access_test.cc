// Access control decisions built from YAML through the real config path: staff CIDRs and client
// certificates, path-normalisation bypass attempts, domestic_only with country data, whitelist
// windows / daily hours / accounts / devices / expiry under an injected clock, audit records.
#include "gateway/policy/access.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "config/yaml.h"
#include "core/utf8.h"
#include "gateway/policy/config.h"
#include "testlib/memory_sink.h"

namespace gs::gateway::policy {
namespace {

constexpr char kGeo[] =
    "apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"
    "apnic|CN|ipv6|2001:250::|35|20000426|allocated\n"
    "apnic|JP|ipv4|1.0.16.0|4096|20110412|allocated\n"
    "arin|US|ipv4|8.8.8.0|256|19920101|allocated\n";

const char kFp[] =
    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:"
    "89";

constexpr char kYaml[] = R"(
access:
  policies:
    - name: admin
      prefix: /admin
      ignore_case: true
      type: staff_only
      cidrs: [10.0.0.0/8, "2001:db8::/32"]
      client_cert_cns: [ops-zhang]
    - name: ops-api
      regex: '^/api/v[0-9]+/ops(/|$)'
      type: staff_only
      cidrs: [10.1.0.0/16]
      client_cert_fingerprints: ["abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"]
      require: all
    - name: gov-services
      prefix: /services/
      type: domestic_only
      whitelist:
        - name: embassy-tokyo
          cidrs: [1.0.16.0/24]
          start: 2026-11-01T00:00:00+08:00
          end: 2026-12-01T00:00:00+08:00
          expires: 2026-11-20T00:00:00+08:00
        - name: overseas-staff
          account: {source: header, name: X-Staff-Account, values: [li.si]}
          daily: "08:00-18:00"
          expires: 2027-01-01
        - name: night-shift
          account: {source: cookie, name: gs_acct, values: [wang]}
          daily: "22:00-06:00"
          expires: 2027-01-01
        - name: laptop
          devices: ["AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"]
          account: {source: cert_cn, values: [chen]}
          expires: 2027-01-01
)";

std::shared_ptr<const CountryLookup> Geo() {
  auto t = CountryTable::FromTexts({kGeo});
  EXPECT_TRUE(t.ok());
  return *t;
}

AccessPolicy Build(std::string_view yaml = kYaml,
                   std::shared_ptr<const CountryLookup> geo = Geo()) {
  config::Diagnostics diags("site.yaml");
  auto root = config::ParseYaml(yaml, {}, &diags);
  EXPECT_NE(root, nullptr);
  auto p = ParseAccessPolicy(*root->Find("access")->value, "site.yaml", geo);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : AccessPolicy();
}

UnixNanos T(std::string_view rfc3339) { return ParseRfc3339(rfc3339).value(); }

struct Req {
  std::string path;
  std::string ip;
  ClientCert cert;
  std::vector<HeaderView> headers;
  AccessRequest Get() const {
    return AccessRequest{path, IpAddress::Parse(ip).value(), cert, headers};
  }
};

AccessDecision Decide(const AccessPolicy& p, const Req& r, const TimeSource& t) {
  return p.Decide(r.Get(), t);
}

TEST(AccessTest, StaffPathFromRefusedCidrIs403) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-11-10T12:00:00Z"));
  AccessDecision out = Decide(p, {"/admin/login", "8.8.8.8"}, clock);
  EXPECT_FALSE(out.allow);
  EXPECT_EQ(out.status, 403);
  EXPECT_EQ(out.policy, "admin");
  EXPECT_EQ(out.reason, AccessReason::kStaffRefused);
  AccessDecision in = Decide(p, {"/admin/login", "10.20.30.40"}, clock);
  EXPECT_TRUE(in.allow);
  EXPECT_EQ(in.reason, AccessReason::kStaffCidr);
  EXPECT_TRUE(Decide(p, {"/admin", "2001:db8::9"}, clock).allow);
  EXPECT_FALSE(Decide(p, {"/admin", "2001:db9::9"}, clock).allow);
  // Paths outside every policy are not touched.
  AccessDecision none = Decide(p, {"/index.html", "8.8.8.8"}, clock);
  EXPECT_TRUE(none.allow);
  EXPECT_EQ(none.reason, AccessReason::kNoPolicy);
  EXPECT_EQ(none.policy, "");
}

TEST(AccessTest, ClientCertificatesOnlyCountWhenVerified) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-11-10T12:00:00Z"));
  Req r{"/admin/", "8.8.8.8", ClientCert{true, "ops-zhang", ""}};
  AccessDecision d = Decide(p, r, clock);
  EXPECT_TRUE(d.allow);
  EXPECT_EQ(d.reason, AccessReason::kStaffCert);
  r.cert.verified = false;
  EXPECT_FALSE(Decide(p, r, clock).allow);
  r.cert = ClientCert{true, "ops-wang", ""};
  EXPECT_FALSE(Decide(p, r, clock).allow);
}

TEST(AccessTest, RequireAllNeedsCidrAndFingerprint) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-11-10T12:00:00Z"));
  Req r{"/api/v2/ops/restart", "10.1.2.3", ClientCert{true, "x", kFp}};
  AccessDecision d = Decide(p, r, clock);
  EXPECT_TRUE(d.allow);
  EXPECT_EQ(d.policy, "ops-api");
  EXPECT_EQ(d.reason, AccessReason::kStaffCidrAndCert);
  r.ip = "10.2.0.1";  // right cert, wrong network
  EXPECT_FALSE(Decide(p, r, clock).allow);
  r.ip = "10.1.2.3";
  r.cert.fingerprint_sha256 = "00";  // right network, wrong cert
  EXPECT_FALSE(Decide(p, r, clock).allow);
  EXPECT_TRUE(Decide(p, {"/api/v2/opsx", "8.8.8.8"}, clock).allow);  // regex does not select it
}

TEST(AccessTest, PathTricksStillSelectTheStaffPolicy) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-11-10T12:00:00Z"));
  for (const char* path : {"/admin", "/ADMIN/x", "//admin", "/./admin", "/x/../admin", "/%61dmin/",
                           "/public/..%2fadmin", "/public%2f..%2fadmin", "/../../admin",
                           "/admin?x=1", "\\admin", "/%2e%2e/admin"}) {
    AccessDecision d = Decide(p, {path, "8.8.8.8"}, clock);
    EXPECT_FALSE(d.allow) << path;
    EXPECT_EQ(d.policy, "admin") << path;
  }
  std::string out;
  NormalisePath("/a//b/./c/../d/", &out);
  EXPECT_EQ(out, "/a/b/d/");
  NormalisePath("/a/b", &out);
  EXPECT_EQ(out, "/a/b");
  NormalisePath("", &out);
  EXPECT_EQ(out, "/");
}

TEST(AccessTest, DomesticOnlyByCountry) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-12-15T12:00:00Z"));
  AccessDecision cn = Decide(p, {"/services/apply", "1.0.1.77"}, clock);
  EXPECT_TRUE(cn.allow);
  EXPECT_EQ(cn.reason, AccessReason::kDomestic);
  EXPECT_EQ(cn.country.ToString(), "CN");
  EXPECT_TRUE(Decide(p, {"/services/apply", "2001:250::7"}, clock).allow);
  AccessDecision us = Decide(p, {"/services/apply", "8.8.8.8"}, clock);
  EXPECT_FALSE(us.allow);
  EXPECT_EQ(us.status, 403);
  EXPECT_EQ(us.reason, AccessReason::kOverseasRefused);
  EXPECT_EQ(us.country.ToString(), "US");
  AccessDecision unknown = Decide(p, {"/services/apply", "203.0.113.9"}, clock);
  EXPECT_FALSE(unknown.allow);  // not in the APNIC data = not Chinese
  AccessDecision lan = Decide(p, {"/services/apply", "192.168.3.4"}, clock);
  EXPECT_TRUE(lan.allow);
  EXPECT_EQ(lan.reason, AccessReason::kPrivateAddress);
}

TEST(AccessTest, WhitelistWindowWorksThenExpiresByItself) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-10-31T15:59:59Z"));  // 1 s before the window (Beijing midnight)
  Req tokyo{"/services/visa", "1.0.16.5"};
  AccessDecision before = Decide(p, tokyo, clock);
  EXPECT_FALSE(before.allow);
  EXPECT_EQ(before.reason, AccessReason::kOutsideWindow);
  EXPECT_EQ(before.rule, "embassy-tokyo");
  clock.Advance(kNanosPerSecond);
  AccessDecision in = Decide(p, tokyo, clock);
  EXPECT_TRUE(in.allow);
  EXPECT_EQ(in.reason, AccessReason::kWhitelisted);
  EXPECT_EQ(in.rule, "embassy-tokyo");
  EXPECT_EQ(in.country.ToString(), "JP");
  clock.Set(T("2026-11-19T15:59:59.999Z"));  // last millisecond before expiry
  EXPECT_TRUE(Decide(p, tokyo, clock).allow);
  clock.Set(T("2026-11-19T16:00:00Z"));  // expiry; the window itself would run to 12-01
  AccessDecision expired = Decide(p, tokyo, clock);
  EXPECT_FALSE(expired.allow);
  EXPECT_EQ(expired.reason, AccessReason::kWhitelistExpired);
  // Another Japanese address never matched the entry's CIDR.
  clock.Set(T("2026-11-10T00:00:00Z"));
  EXPECT_EQ(Decide(p, {"/services/visa", "1.0.17.5"}, clock).reason,
            AccessReason::kOverseasRefused);
}

TEST(AccessTest, AccountEntriesWithDailyHoursInBeijingTime) {
  AccessPolicy p = Build();
  Req r{"/services/x", "8.8.8.8", {}, {{"x-staff-account", "li.si"}}};
  ManualTimeSource clock(T("2026-12-02T00:30:00Z"));  // 08:30 Beijing
  AccessDecision d = Decide(p, r, clock);
  EXPECT_TRUE(d.allow);
  EXPECT_EQ(d.rule, "overseas-staff");
  clock.Set(T("2026-12-02T10:00:00Z"));  // 18:00 Beijing: end is exclusive
  EXPECT_EQ(Decide(p, r, clock).reason, AccessReason::kOutsideWindow);
  clock.Set(T("2026-12-01T23:59:00Z"));  // 07:59 Beijing
  EXPECT_FALSE(Decide(p, r, clock).allow);
  r.headers = {{"X-Staff-Account", "li.si.evil"}};
  clock.Set(T("2026-12-02T02:00:00Z"));
  EXPECT_EQ(Decide(p, r, clock).reason, AccessReason::kOverseasRefused);

  // Cookie account, overnight window 22:00-06:00 Beijing.
  Req c{"/services/x", "8.8.8.8", {}, {{"Cookie", "lang=zh; gs_acct=wang ; other=1"}}};
  clock.Set(T("2026-12-02T15:00:00Z"));  // 23:00 Beijing
  EXPECT_TRUE(Decide(p, c, clock).allow);
  clock.Set(T("2026-12-02T21:59:00Z"));  // 05:59 Beijing
  EXPECT_TRUE(Decide(p, c, clock).allow);
  clock.Set(T("2026-12-02T22:00:00Z"));  // 06:00 Beijing
  EXPECT_FALSE(Decide(p, c, clock).allow);
  clock.Set(T("2027-01-01T00:00:00Z"));  // past expiry even at night
  clock.Set(T("2027-01-01T15:00:00Z"));
  EXPECT_EQ(Decide(p, c, clock).reason, AccessReason::kWhitelistExpired);
}

TEST(AccessTest, DeviceEntryNeedsVerifiedCertWithFingerprintAndCn) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-12-02T12:00:00Z"));
  std::string lower = NormaliseFingerprint(kFp);
  Req r{"/services/x", "8.8.8.8", ClientCert{true, "chen", lower}};
  AccessDecision d = Decide(p, r, clock);
  EXPECT_TRUE(d.allow);
  EXPECT_EQ(d.rule, "laptop");
  r.cert.cn = "zhao";  // right device, wrong person
  EXPECT_FALSE(Decide(p, r, clock).allow);
  r.cert = ClientCert{false, "chen", lower};  // not verified by TLS
  EXPECT_FALSE(Decide(p, r, clock).allow);
}

TEST(AccessTest, EveryDecisionBecomesAnAuditRecord) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-11-10T12:00:00Z"));
  gs::testing::MemorySink sink;
  std::vector<Req> reqs = {{"/admin/x", "8.8.8.8"},
                           {"/admin/x", "10.0.0.1"},
                           {"/services/a", "1.0.16.9"},
                           {"/services/a\"<script>", "8.8.8.8"}};
  for (const Req& r : reqs) {
    AccessDecision d = Decide(p, r, clock);
    std::string incident = d.allow ? "" : "20261110T120000000Z-000000000001";
    ASSERT_TRUE(
        sink.Append(AccessRecordJson(d, r.Get(), clock.Now(), "www.example.gov.cn", incident))
            .ok());
  }
  ASSERT_EQ(sink.size(), reqs.size());
  auto r0 = sink.At(0);
  EXPECT_EQ(r0["type"], "access_control");
  EXPECT_EQ(r0["source"], "gateway");
  EXPECT_EQ(r0["decision"], "deny");
  EXPECT_EQ(r0["status"], 403);
  EXPECT_EQ(r0["policy"], "admin");
  EXPECT_EQ(r0["policy_type"], "staff_only");
  EXPECT_EQ(r0["reason"], "staff_refused");
  EXPECT_EQ(r0["client"], "8.8.8.8");
  EXPECT_EQ(r0["site"], "www.example.gov.cn");
  EXPECT_EQ(r0["incident"], "20261110T120000000Z-000000000001");
  EXPECT_EQ(r0["ts"], "2026-11-10T12:00:00Z");
  EXPECT_EQ(sink.At(1)["decision"], "allow");
  EXPECT_FALSE(sink.At(1).contains("incident"));
  EXPECT_EQ(sink.At(2)["rule"], "embassy-tokyo");
  EXPECT_EQ(sink.At(2)["country"], "JP");
  EXPECT_EQ(sink.At(3)["path"], "/services/a\"<script>");
  EXPECT_EQ(sink.At(3)["country"], "US");
}

TEST(AccessTest, EventMembersMatchTheRecordAndSurviveHostileBytes) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-11-10T12:00:00Z"));
  std::string long_path = "/admin/" + std::string(600, 'x');
  for (std::string path : {std::string("/admin/\"q\"\n\x01"), std::string("/admin/\xff\xfe"),
                           std::string("/admin/服务"), long_path + "服务"}) {
    Req r{path, "8.8.8.8", ClientCert{true, "ops\"x", ""}};
    AccessDecision d = Decide(p, r, clock);
    auto members =
        nlohmann::json::parse("{" + AccessEventMembers(d, r.Get(), "id-1") + "}", nullptr, false);
    ASSERT_FALSE(members.is_discarded()) << path;
    auto record = nlohmann::json::parse(AccessRecordJson(d, r.Get(), clock.Now(), "s", "id-1"));
    for (const char* k : {"decision", "status", "policy", "policy_type", "rule", "reason",
                          "country", "client_cert_cn", "incident"}) {
      EXPECT_EQ(members[k], record[k]) << k;
    }
    if (IsValidUtf8(path) && path.size() < 512) EXPECT_EQ(members["path"], path);
  }
}

TEST(AccessTest, ConcurrentDecisionsAgree) {
  AccessPolicy p = Build();
  ManualTimeSource clock(T("2026-11-10T12:00:00Z"));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        bool staff = (i + t) % 2 == 0;
        Req r{staff ? "/api/v1/ops" : "/admin/", staff ? "10.1.0.1" : "8.8.8.8",
              ClientCert{true, "n", kFp}};
        if (Decide(p, r, clock).allow != staff) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace gs::gateway::policy
