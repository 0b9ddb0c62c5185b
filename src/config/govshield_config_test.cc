// Tests of the top-level GovShield config: defaults, the example, the audit retention rule,
// unsupported sections, ports, and loading real files (relative paths, unreadable, too big).
#include "config/govshield_config.h"

#include <gtest/gtest.h>

#include "platform/file.h"
#include "testlib/temp_dir.h"

namespace gs::config {
namespace {

using namespace std::chrono_literals;

struct Outcome {
  std::shared_ptr<const GovShieldConfig> config;
  LoadReport report;
};

Outcome Parse(std::string_view text) {
  Outcome o;
  auto r = ParseConfig<GovShieldConfig>(text, "gs.yaml", {}, &o.report, "/srv/gs");
  if (r.ok()) o.config = *r;
  return o;
}

constexpr std::string_view kMinimal = "version: 1\naudit:\n  store: store\n  key: k.pem\n";

TEST(GovShieldConfigTest, MinimalFileGetsDocumentedDefaults) {
  Outcome o = Parse(kMinimal);
  ASSERT_NE(o.config, nullptr) << (o.report.errors.empty() ? "" : o.report.errors[0].ToString());
  const AuditSection& a = o.config->audit;
  EXPECT_EQ(a.store, "/srv/gs/store");
  EXPECT_EQ(a.key, "/srv/gs/k.pem");
  EXPECT_FALSE(a.pubkey.has_value());
  EXPECT_EQ(a.retention_days, 400);
  EXPECT_EQ(a.fsync, FsyncPolicy::kInterval);
  EXPECT_EQ(a.fsync_interval, 100ms);
  EXPECT_EQ(a.segment_max_bytes, MiB(64));
  EXPECT_EQ(a.segment_max_age, 24h);
  EXPECT_EQ(a.checkpoint_every, 1000);
  EXPECT_EQ(a.checkpoint_interval, 1s);
  EXPECT_EQ(o.config->serve.bind, "127.0.0.1");
  EXPECT_EQ(o.config->serve.syslog_udp_port, 0);
  EXPECT_EQ(o.config->serve.http_port, 0);
}

TEST(GovShieldConfigTest, ExampleConfigPassesAndSetsEveryKey) {
  Outcome o = Parse(ExampleConfigYaml());
  ASSERT_NE(o.config, nullptr) << (o.report.errors.empty() ? "" : o.report.errors[0].ToString());
  EXPECT_EQ(o.config->audit.key, "/srv/gs/keys/sm2-private.pem");
  EXPECT_FALSE(Summarize(*o.config).empty());
}

TEST(GovShieldConfigTest, EveryAuditKeyIsRead) {
  Outcome o = Parse(R"(version: 1
audit:
  store: /var/lib/gs/audit
  key: /etc/gs/priv.pem
  pubkey: /etc/gs/pub.pem
  retention_days: 3650
  fsync: batch
  fsync_interval: 5ms
  segment_max_bytes: 1GiB
  segment_max_age: 12h
  checkpoint_every: 50
  checkpoint_interval: 250ms
serve:
  bind: "::1"
  syslog_udp_port: 5514
  syslog_tcp_port: 5514
  http_port: -1
)");
  ASSERT_NE(o.config, nullptr) << (o.report.errors.empty() ? "" : o.report.errors[0].ToString());
  const AuditSection& a = o.config->audit;
  EXPECT_EQ(a.store, "/var/lib/gs/audit");
  EXPECT_EQ(*a.pubkey, "/etc/gs/pub.pem");
  EXPECT_EQ(a.retention_days, 3650);
  EXPECT_EQ(a.fsync, FsyncPolicy::kBatch);
  EXPECT_EQ(a.fsync_interval, 5ms);
  EXPECT_EQ(a.segment_max_bytes, GiB(1));
  EXPECT_EQ(a.segment_max_age, 12h);
  EXPECT_EQ(a.checkpoint_every, 50);
  EXPECT_EQ(a.checkpoint_interval, 250ms);
  EXPECT_EQ(o.config->serve.bind, "::1");
  EXPECT_EQ(o.config->serve.syslog_tcp_port, 5514);
  EXPECT_EQ(o.config->serve.http_port, -1);
}

TEST(GovShieldConfigTest, RetentionBelowOneYearIsRefusedCitingArticle20) {
  Outcome o = Parse(std::string(kMinimal) + "  retention_days: 30\n");
  ASSERT_EQ(o.report.total_errors, 1u);
  EXPECT_EQ(o.report.errors[0].mark.line, 5);
  EXPECT_EQ(o.report.errors[0].mark.column, 19);
  // The refusal must say why: the regulation's one-year rule.
  EXPECT_NE(o.report.errors[0].message.find("Art. 20"), std::string::npos);
  EXPECT_TRUE(Parse(std::string(kMinimal) + "  retention_days: 365\n").config != nullptr);
}

TEST(GovShieldConfigTest, UnsupportedSectionsAndVersions) {
  Outcome o = Parse(std::string("version: 2\nconsole:\n  listen: 8080\n") + "audit:\n" +
                    "  store: s\n  key: k\nmonitr: {}\n");
  ASSERT_EQ(o.report.total_errors, 3u);
  EXPECT_EQ(o.report.errors[0].mark.line, 1);  // version 2
  EXPECT_EQ(o.report.errors[1].mark.line, 2);  // console: not in this build
  EXPECT_NE(o.report.errors[1].hint.find("not supported by this build"), std::string::npos);
  EXPECT_EQ(o.report.errors[2].mark.line, 7);  // monitr: a typo of nothing supported
}

TEST(GovShieldConfigTest, AuditAndServeErrorsAllAtOnce) {
  Outcome o = Parse(R"(audit:
  retention_days: 100
  fsync: sometimes
  fsync_interval: 100
  segment_max_bytes: 64 MB!
  segment_max_age: 1y
  checkpoint_every: 0
  checkpoint_interval: 1ms
  retension_days: 400
serve:
  bind: localhost
  syslog_udp_port: 70000
  syslog_tcp_port: 6000
  http_port: 6000
)");
  // version, store and key missing (3) + 7 bad values + 1 typo key + 2 serve values + 1 clash.
  EXPECT_EQ(o.report.total_errors, 14u);
  for (const Diagnostic& d : o.report.errors) {
    EXPECT_EQ(d.file, "gs.yaml");
    EXPECT_GE(d.mark.line, 1) << d.ToString();
  }
}

TEST(GovShieldConfigTest, AnchorBlocksAndMergeKeys) {
  Outcome o = Parse(R"(version: 1
x-durable: &durable
  fsync: always
  retention_days: 1000
audit:
  <<: *durable
  store: s
  key: k
  retention_days: 500
)");
  ASSERT_NE(o.config, nullptr) << (o.report.errors.empty() ? "" : o.report.errors[0].ToString());
  EXPECT_EQ(o.config->audit.fsync, FsyncPolicy::kAlways);
  EXPECT_EQ(o.config->audit.retention_days, 500);
  // A bad value that arrives by merge is reported where it is written (line 3).
  Outcome bad = Parse(
      "version: 1\nx-base: &b\n  fsync: never\naudit:\n  <<: *b\n  store: s\n"
      "  key: k\n");
  ASSERT_EQ(bad.report.total_errors, 1u);
  EXPECT_EQ(bad.report.errors[0].mark.line, 3);
}

TEST(GovShieldConfigTest, PubkeySameAsKeyIsAnError) {
  Outcome o = Parse(std::string(kMinimal) + "  pubkey: ./k.pem\n");
  ASSERT_EQ(o.report.total_errors, 1u);
  EXPECT_EQ(o.report.errors[0].mark.line, 5);
}

TEST(GovShieldConfigTest, LoadsFilesAndResolvesPathsAgainstTheirDirectory) {
  testing::TempDir dir;
  std::string path = dir.path() + "/gs.yaml";
  ASSERT_TRUE(platform::WriteFileAtomic(path, kMinimal).ok());
  LoadReport report;
  auto r = LoadGovShieldConfig(path, &report);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->audit.store, std::filesystem::path(dir.path()) / "store");
  EXPECT_TRUE((*r)->audit.store.is_absolute());
}

TEST(GovShieldConfigTest, UnreadableEmptyAndOversizedFiles) {
  testing::TempDir dir;
  LoadReport missing;
  EXPECT_FALSE(LoadGovShieldConfig(dir.path() + "/nope.yaml", &missing).ok());
  ASSERT_EQ(missing.total_errors, 1u);
  EXPECT_EQ(missing.errors[0].mark.line, 0);

  std::string empty = dir.path() + "/empty.yaml";
  ASSERT_TRUE(platform::WriteFileAtomic(empty, "").ok());
  LoadReport e;
  EXPECT_FALSE(LoadGovShieldConfig(empty, &e).ok());
  EXPECT_EQ(e.total_errors, 1u);

  std::string big = dir.path() + "/big.yaml";
  ASSERT_TRUE(
      platform::WriteFileAtomic(big, std::string(kMinimal) + std::string(5 << 20, '#')).ok());
  LoadReport b;
  auto r = LoadGovShieldConfig(big, &b);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(b.total_errors, 1u);
  EXPECT_EQ(b.errors[0].mark.line, 0);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gs::config

namespace gs::config {
namespace {

TEST(GovShieldConfigGatewayTest, SiteDefaultsPathsAndPolicyNodes) {
  Outcome o = Parse(std::string(kMinimal) + R"(gateway:
  listen: [127.0.0.1:0, "[::1]:8443"]
  sites:
    - name: portal
      server_names: [www.example.gov.cn]
      upstream: {servers: [127.0.0.1:9000, 127.0.0.1:9001]}
      waf: {rules: [crs/setup.conf, crs/rules/*.conf]}
      access: {policies: []}
      cc: {enabled: true}
    - name: demo
      server_names: ["*"]
      default: true
      upstream: {static_root: site}
)");
  ASSERT_NE(o.config, nullptr) << (o.report.errors.empty() ? "" : o.report.errors[0].ToString());
  ASSERT_TRUE(o.config->gateway.has_value());
  const GatewaySection& g = *o.config->gateway;
  EXPECT_EQ(g.listen.size(), 2u);
  EXPECT_EQ(g.admin_listen, "127.0.0.1:9180");
  EXPECT_EQ(g.header_timeout, 10s);
  ASSERT_EQ(g.sites.size(), 2u);
  EXPECT_EQ(g.sites[0].upstream.servers.size(), 2u);
  ASSERT_EQ(g.sites[0].waf.rules.size(), 2u);
  EXPECT_EQ(g.sites[0].waf.rules[1], "/srv/gs/crs/rules/*.conf");
  EXPECT_EQ(g.sites[0].inspection_limit, KiB(128));
  ASSERT_NE(g.sites[0].access, nullptr);
  EXPECT_TRUE(g.sites[0].access->is_mapping());
  ASSERT_NE(g.sites[0].cc, nullptr);
  EXPECT_EQ(g.sites[1].access, nullptr);
  EXPECT_TRUE(g.sites[1].default_site);
  EXPECT_EQ(*g.sites[1].upstream.static_root, "/srv/gs/site");
}

TEST(GovShieldConfigGatewayTest, EveryGatewayErrorHasItsLine) {
  Outcome o = Parse(std::string(kMinimal) + R"(gateway:
  listen: [localhost:80]
  admin_listen: 0.0.0.0:9180
  header_timeout: 10
  sites:
    - name: a
      server_names: [x]
      upstream: {servers: [127.0.0.1:99999]}
      inspection_limit: 2MiB
      max_body: 1MiB
    - name: a
      server_names: []
      upstream: {}
      wafs: {}
)");
  EXPECT_EQ(o.config, nullptr);
  std::vector<int> lines;
  for (const auto& e : o.report.errors) lines.push_back(e.mark.line);
  // listen, admin_listen, header_timeout, bad port, inspection_limit > max_body, empty
  // server_names, upstream without servers, unknown key wafs.
  EXPECT_EQ(o.report.total_errors, 8u);
  for (int want : {6, 7, 8, 12, 13, 16, 17, 18})
    EXPECT_NE(std::find(lines.begin(), lines.end(), want), lines.end()) << want;
}

TEST(GovShieldConfigGatewayTest, TamperAndClientCaSections) {
  Outcome o = Parse(std::string(kMinimal) + R"(gateway:
  tls_listen: [127.0.0.1:0]
  sites:
    - name: portal
      server_names: [www.example.gov.cn]
      upstream: {servers: [127.0.0.1:9000]}
      tls: {cert: c.pem, key: k.pem, client_ca: staff-ca.pem, client_cert: require}
      tamper: {root: /var/www/portal, vault: vault, pubkey: pub.pem, on_mismatch: block,
               paths: [/news/, /static/], unknown: upstream, cache: 16MiB}
)");
  ASSERT_NE(o.config, nullptr) << (o.report.errors.empty() ? "" : o.report.errors[0].ToString());
  const GatewaySiteSection& s = o.config->gateway->sites[0];
  EXPECT_EQ(*s.tls->client_ca, "/srv/gs/staff-ca.pem");
  EXPECT_EQ(s.tls->client_cert, ClientCertMode::kRequire);
  ASSERT_TRUE(s.tamper.has_value());
  EXPECT_EQ(s.tamper->vault, "/srv/gs/vault");
  EXPECT_EQ(s.tamper->on_mismatch, TamperMismatchAction::kBlock);
  EXPECT_EQ(s.tamper->unknown, TamperUnknownAction::kUpstream);
  EXPECT_EQ(s.tamper->paths.size(), 2u);
  EXPECT_EQ(s.tamper->cache, MiB(16));
  EXPECT_EQ(s.tamper->max_file, MiB(64));

  Outcome bad = Parse(std::string(kMinimal) + R"(gateway:
  sites:
    - name: portal
      server_names: [www.example.gov.cn]
      upstream: {servers: [127.0.0.1:9000]}
      tls: {cert: c.pem, key: k.pem, client_cert: require}
      tamper:
        root: /var/www/portal
        on_mismatch: serve
        paths: [news/]
        unknown: pass
)");
  EXPECT_EQ(bad.config, nullptr);
  std::vector<int> lines;
  std::string all;
  for (const auto& e : bad.report.errors) {
    lines.push_back(e.mark.line);
    all += e.ToString() + "\n";
  }
  // client_cert without client_ca; vault and pubkey missing (at the tamper section); on_mismatch,
  // paths and unknown invalid.
  EXPECT_EQ(bad.report.total_errors, 6u) << all;
  for (int want : {10, 12, 13, 14, 15})
    EXPECT_NE(std::find(lines.begin(), lines.end(), want), lines.end()) << want << "\n" << all;
}

}  // namespace
}  // namespace gs::config
