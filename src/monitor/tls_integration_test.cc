// Acceptance 2 of issue 6: real TLS servers on loopback with certificates made at test time.
// Expired, expiring in 10 days, wrong host name, TLS 1.0 only, no HSTS, no HTTP->HTTPS
// redirect, untrusted chain, weak cipher and a changed certificate each give their finding; a
// good server gives none.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "monitor/checks/tls/tls_check.h"
#include "monitor/state_store.h"
#include "monitor/testing/declared.h"
#include "monitor/testing/tls_test_server.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor {
namespace {

using testing::CertFactory;
using testing::HttpTestServer;
using testing::TlsServerOptions;
using testing::TlsTestServer;

constexpr char kHost[] = "www.good.test";
constexpr long kDay = 86400;

std::vector<std::string> Checks(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.check);
  std::sort(out.begin(), out.end());
  return out;
}

std::string Describe(const std::vector<Finding>& fs) {
  std::string s;
  for (const auto& f : fs) s += f.check + " " + f.evidence.dump() + "\n";
  return s;
}

const Finding* Find(const std::vector<Finding>& fs, const std::string& check) {
  for (const auto& f : fs)
    if (f.check == check) return &f;
  return nullptr;
}

class TlsCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitTlsLibraries();
    ca_ = std::make_unique<CertFactory>(dir_.path(), "gov");
    auto s = StateStore::Open(dir_.path() + "/state.db");
    ASSERT_TRUE(s.ok());
    state_ = std::move(*s);
  }

  TargetConfig Target(int https_port, int http_port = 0) {
    TargetConfig t;
    t.name = "site";
    t.tls.enabled = true;
    t.tls.host = kHost;
    t.tls.connect = "127.0.0.1";
    t.tls.port = static_cast<uint16_t>(https_port);
    t.tls.http_port = static_cast<uint16_t>(http_port);
    t.tls.ca_bundle = ca_->ca_pem();
    t.tls.timeout_nanos = 3 * kNanosPerSecond;
    return t;
  }

  std::vector<Finding> RunCheck(const TargetConfig& t) {
    TlsCheck check(state_.get(), SystemTime());
    auto r = check.Run(t);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) testing::ExpectDeclared(*r);
    return r.ok() ? *r : std::vector<Finding>{};
  }

  TlsServerOptions Modern(const testing::CertFiles& cert, bool hsts = true) {
    TlsServerOptions o;
    o.cert = cert;
    o.min_version = TLS1_2_VERSION;
    o.hsts = hsts;
    return o;
  }

  gs::testing::TempDir dir_;
  std::unique_ptr<CertFactory> ca_;
  std::unique_ptr<StateStore> state_;
};

TEST_F(TlsCheckTest, GoodServerGivesNoFinding) {
  TlsTestServer srv(Modern(ca_->Issue("good", {kHost}, -kDay, 365 * kDay)));
  ASSERT_EQ(srv.error(), "");
  HttpTestServer http(/*redirect=*/true, kHost, srv.port());
  auto fs = RunCheck(Target(srv.port(), http.port()));
  EXPECT_TRUE(fs.empty()) << Describe(fs);
  // One full handshake gives protocol, certificate and (same connection) the HSTS header; the
  // TLS 1.0-1.1 and weak-cipher probes are refused.
  EXPECT_EQ(srv.handshakes(), 1);
  // Second round: the stored fingerprint matches, still nothing.
  auto again = RunCheck(Target(srv.port(), http.port()));
  EXPECT_TRUE(again.empty()) << Describe(again);
}

TEST_F(TlsCheckTest, ExpiredCertificate) {
  TlsTestServer srv(Modern(ca_->Issue("expired", {kHost}, -60 * kDay, -kDay)));
  ASSERT_EQ(srv.error(), "");
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_cert_expired"}) << Describe(fs);
  ASSERT_NE(Find(fs, "tls_cert_expired"), nullptr);
  EXPECT_EQ(Find(fs, "tls_cert_expired")->severity, Severity::kCritical);
  EXPECT_LT(Find(fs, "tls_cert_expired")->evidence["days_left"].get<double>(), 0);
}

TEST_F(TlsCheckTest, CertificateExpiringInTenDays) {
  TlsTestServer srv(Modern(ca_->Issue("soon", {kHost}, -kDay, 10 * kDay)));
  ASSERT_EQ(srv.error(), "");
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_cert_expiring"}) << Describe(fs);
  const Finding* f = Find(fs, "tls_cert_expiring");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence["warn_days"], 14);  // inside the 14-day mark, outside the 7-day one
  EXPECT_EQ(f->severity, Severity::kMedium);
}

TEST_F(TlsCheckTest, WrongHostName) {
  TlsTestServer srv(Modern(ca_->Issue("other", {"www.other.test"}, -kDay, 365 * kDay)));
  ASSERT_EQ(srv.error(), "");
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_hostname_mismatch"}) << Describe(fs);
}

TEST_F(TlsCheckTest, Tls10OnlyServer) {
  TlsServerOptions o = Modern(ca_->Issue("old", {kHost}, -kDay, 365 * kDay));
  o.min_version = TLS1_VERSION;
  o.max_version = TLS1_VERSION;
  o.ciphers = "DEFAULT:@SECLEVEL=0";
  o.seclevel0 = true;  // OpenSSL 3 refuses TLS 1.0 above security level 0
  TlsTestServer srv(o);
  ASSERT_EQ(srv.error(), "");
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), (std::vector<std::string>{"tls_legacy_protocol", "tls_no_modern_protocol"}))
      << Describe(fs);
  const Finding* f = Find(fs, "tls_legacy_protocol");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence["offered"], nlohmann::json::array({"TLSv1.0"}));
}

TEST_F(TlsCheckTest, ModernServerAlsoOfferingTls11IsLegacy) {
  TlsServerOptions o = Modern(ca_->Issue("mixed", {kHost}, -kDay, 365 * kDay));
  o.min_version = TLS1_1_VERSION;
  o.seclevel0 = true;
  o.ciphers = "DEFAULT:@SECLEVEL=0";
  TlsTestServer srv(o);
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_legacy_protocol"}) << Describe(fs);
  EXPECT_EQ(Find(fs, "tls_legacy_protocol")->evidence["offered"],
            nlohmann::json::array({"TLSv1.1", "TLSv1.2", "TLSv1.3"}));
}

TEST_F(TlsCheckTest, NoHsts) {
  TlsTestServer srv(Modern(ca_->Issue("nohsts", {kHost}, -kDay, 365 * kDay), /*hsts=*/false));
  ASSERT_EQ(srv.error(), "");
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_hsts_missing"}) << Describe(fs);
}

TEST_F(TlsCheckTest, PlainHttpWithoutRedirect) {
  TlsTestServer srv(Modern(ca_->Issue("noredir", {kHost}, -kDay, 365 * kDay)));
  HttpTestServer http(/*redirect=*/false, kHost, srv.port());
  auto fs = RunCheck(Target(srv.port(), http.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"http_no_https_redirect"}) << Describe(fs);
  EXPECT_EQ(Find(fs, "http_no_https_redirect")->evidence["status"], 200);
}

TEST_F(TlsCheckTest, UntrustedIssuer) {
  CertFactory rogue(dir_.path(), "rogue");
  TlsTestServer srv(Modern(rogue.Issue("rogue-leaf", {kHost}, -kDay, 365 * kDay)));
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_chain_invalid"}) << Describe(fs);
}

TEST_F(TlsCheckTest, WeakCipherAccepted) {
  TlsServerOptions o = Modern(ca_->Issue("weak", {kHost}, -kDay, 365 * kDay));
  o.max_version = TLS1_2_VERSION;
  o.seclevel0 = true;
  // The server prefers strong suites but would still agree to no encryption at all.
  o.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0";
  TlsTestServer srv(o);
  ASSERT_EQ(srv.error(), "");
  auto fs = RunCheck(Target(srv.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_weak_cipher"}) << Describe(fs);
  EXPECT_NE(Find(fs, "tls_weak_cipher")->evidence["cipher"].get<std::string>().find("NULL"),
            std::string::npos);
}

TEST_F(TlsCheckTest, CertificateDriftAndAccept) {
  {
    TlsTestServer first(Modern(ca_->Issue("first", {kHost}, -kDay, 365 * kDay)));
    EXPECT_TRUE(RunCheck(Target(first.port())).empty());
  }
  // Same name, same CA, new key: valid, but not the certificate we knew (restarted elsewhere;
  // the baseline belongs to the host name, not the port).
  TlsTestServer second(Modern(ca_->Issue("second", {kHost}, -kDay, 365 * kDay)));
  auto fs = RunCheck(Target(second.port()));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_cert_changed"}) << Describe(fs);
  TlsCheck check(state_.get(), SystemTime());
  auto n = check.Accept(Target(second.port()));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_TRUE(RunCheck(Target(second.port())).empty());
}

TEST_F(TlsCheckTest, NothingListening) {
  int port = 0;
  {
    TlsTestServer gone(Modern(ca_->Issue("gone", {kHost}, -kDay, 365 * kDay)));
    port = gone.port();
  }
  auto fs = RunCheck(Target(port));
  EXPECT_EQ(Checks(fs), std::vector<std::string>{"tls_handshake_failed"}) << Describe(fs);
}

}  // namespace
}  // namespace gs::monitor
