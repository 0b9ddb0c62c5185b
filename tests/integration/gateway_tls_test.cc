// TLS on the gateway's client side, with real certificates (made by the openssl CLI) and curl as
// the client: SNI picks each site's certificate, TLS 1.1 is refused, HSTS is sent over TLS only,
// plain HTTP is redirected to HTTPS, and a reload picks up a new certificate without a restart.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cctype>

#include "testlib/subprocess.h"
#include "tests/integration/gateway_test_util.h"

namespace gs::gateway {
namespace {

using gs::testing::RunProcess;
using testing::Exchange;
using testing::GatewayFixture;
using testing::OneSiteSpec;
using testing::RecordingUpstream;
using testing::StatusOf;

// DIR/NAME.crt and DIR/NAME.key, a self-signed server certificate for `cn`.
bool MakeCert(const std::string& dir, const std::string& name, const std::string& cn) {
  return testing::MakeCert(dir, name, cn, "subjectAltName=DNS:" + cn);
}

class GatewayTls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(MakeCert(dir_.path(), "a", "www.a.gov.cn"));
    ASSERT_TRUE(MakeCert(dir_.path(), "b", "www.b.gov.cn"));
  }
  GatewaySpec Spec(uint16_t upstream) {
    GatewaySpec spec = OneSiteSpec(upstream);
    spec.tls_listen = {"127.0.0.1:0"};
    spec.sites[0].name = "a";
    spec.sites[0].server_names = {"www.a.gov.cn"};
    spec.sites[0].default_site = true;
    spec.sites[0].tls_cert = dir_.path() + "/a.crt";
    spec.sites[0].tls_key = dir_.path() + "/a.key";
    SiteSpec b = spec.sites[0];
    b.name = "b";
    b.server_names = {"www.b.gov.cn"};
    b.default_site = false;
    b.tls_cert = dir_.path() + "/b.crt";
    b.tls_key = dir_.path() + "/b.key";
    b.https_redirect = true;
    spec.sites.push_back(b);
    return spec;
  }
  // curl over TLS with SNI `host` (to `path`); returns stdout (headers + body) and, in *err,
  // curl's stderr.
  std::string Curl(uint16_t port, const std::string& host, const std::vector<std::string>& extra,
                   std::string* err = nullptr, int* code = nullptr,
                   const std::string& path = "/x?y=1") {
    std::vector<std::string> argv = {
        "curl",      "-sS",
        "-i",        "-v",
        "--cacert",  dir_.path() + "/" + (host[4] == 'a' ? "a" : "b") + ".crt",
        "--resolve", host + ":" + std::to_string(port) + ":127.0.0.1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("https://" + host + ":" + std::to_string(port) + path);
    auto r = RunProcess(argv);
    if (err) *err = r.err;
    if (code) *code = r.exit_code;
    return r.out;
  }
  gs::testing::TempDir dir_;
};

TEST_F(GatewayTls, SniPicksTheSiteCertificateAndHstsIsSentOverTls) {
  RecordingUpstream up;
  GatewayFixture f(Spec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  uint16_t tls = f.gw().tls_ports()[0];
  std::string err;
  int code = -1;
  std::string a = Curl(tls, "www.a.gov.cn", {}, &err, &code);
  EXPECT_EQ(code, 0) << err;
  EXPECT_EQ(StatusOf(a), 200) << a << err;
  EXPECT_NE(a.find("Strict-Transport-Security: max-age=31536000"), std::string::npos) << a;
  EXPECT_NE(err.find("CN=www.a.gov.cn"), std::string::npos);
  std::string b = Curl(tls, "www.b.gov.cn", {}, &err, &code);
  EXPECT_EQ(code, 0) << err;  // verified against b's certificate only
  EXPECT_EQ(StatusOf(b), 200);
  EXPECT_NE(err.find("CN=www.b.gov.cn"), std::string::npos) << err;
  EXPECT_EQ(up.requests(), 2);
  // TLS 1.3 is offered; TLS 1.1 is refused.
  Curl(tls, "www.a.gov.cn", {"--tlsv1.3"}, &err, &code);
  EXPECT_EQ(code, 0) << err;
  Curl(tls, "www.a.gov.cn", {"--tlsv1.1", "--tls-max", "1.1"}, &err, &code);
  EXPECT_NE(code, 0);
  EXPECT_EQ(up.requests(), 3);
  // Plain HTTP: no HSTS; site b redirects to HTTPS on the TLS port.
  std::string plain =
      Exchange(f.port(), "GET /x HTTP/1.1\r\nHost: www.a.gov.cn\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(plain), 200);
  EXPECT_EQ(plain.find("Strict-Transport-Security"), std::string::npos);
  std::string redirect =
      Exchange(f.port(), "GET /p?q=1 HTTP/1.1\r\nHost: www.b.gov.cn\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(redirect), 301) << redirect;
  EXPECT_NE(redirect.find("Location: https://www.b.gov.cn:" + std::to_string(tls) + "/p?q=1"),
            std::string::npos)
      << redirect;
}

// The gateway ends a TLS connection with close_notify: a client reading to the end sees a clean
// TLS close (SSL_ERROR_ZERO_RETURN), not a bare TCP FIN that could be a truncation.
TEST_F(GatewayTls, ConnectionsEndWithCloseNotify) {
  RecordingUpstream up;
  GatewayFixture f(Spec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  int fd = testing::ConnectTo(f.gw().tls_ports()[0]);
  ASSERT_GE(fd, 0);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ASSERT_NE(ctx, nullptr);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "www.a.gov.cn");
  ASSERT_EQ(SSL_connect(ssl), 1);
  const std::string req = "GET /x HTTP/1.1\r\nHost: www.a.gov.cn\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(SSL_write(ssl, req.data(), static_cast<int>(req.size())), static_cast<int>(req.size()));
  std::string got;
  char buf[4096];
  int n = 0;
  while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(StatusOf(got), 200) << got;
  EXPECT_EQ(SSL_get_error(ssl, n), SSL_ERROR_ZERO_RETURN) << "no close_notify";
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
}

TEST_F(GatewayTls, NotTlsOnTheTlsPortIsDroppedAndCertificatesReloadWithoutRestart) {
  RecordingUpstream up;
  GatewayFixture f(Spec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  uint16_t tls = f.gw().tls_ports()[0];
  std::string r = Exchange(tls, "GET / HTTP/1.1\r\nHost: www.a.gov.cn\r\n\r\n", 500);
  EXPECT_EQ(r.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_EQ(up.requests(), 0);
  // New certificate for a, same files, then reload.
  ASSERT_TRUE(MakeCert(dir_.path(), "a2", "www.a.gov.cn"));
  ASSERT_EQ(std::rename((dir_.path() + "/a2.crt").c_str(), (dir_.path() + "/a.crt").c_str()), 0);
  ASSERT_EQ(std::rename((dir_.path() + "/a2.key").c_str(), (dir_.path() + "/a.key").c_str()), 0);
  auto rt = BuildRuntime(Spec(up.port()));
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  ASSERT_TRUE(f.gw().Reload(*rt).ok());
  // curl trusts only the new certificate: success means the new one is served.
  std::string err;
  int code = -1;
  bool ok = gs::testing::WaitFor(
      [&] {
        Curl(tls, "www.a.gov.cn", {}, &err, &code);
        return code == 0;
      },
      5000);
  EXPECT_TRUE(ok) << err;
  // A key that does not match its certificate is refused at build time.
  GatewaySpec bad = Spec(up.port());
  bad.sites[0].tls_key = dir_.path() + "/b.key";
  auto refused = BuildRuntime(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(std::string(refused.status().message()).find("tls.key " + dir_.path() + "/b.key"),
            std::string::npos)
      << refused.status().message();
}

// Shows what the TLS layer told the filters about the client: a response header
// "X-Client-Cert: <cn>/<sha256>/<tls_site>" ("none/..." without a verified certificate).
class CertEchoFactory final : public FilterFactory {
 public:
  std::string_view name() const override { return "cert_echo"; }
  std::unique_ptr<Filter> Create() const override {
    class Echo final : public Filter {
      FilterStatus OnResponseHeaders(RequestContext& ctx) override {
        const ConnectionInfo& c = *ctx.connection;
        ctx.response.headers.Set("X-Client-Cert", (c.client_cert ? c.client_cert_cn : "none") +
                                                      "/" + c.client_cert_sha256 + "/" +
                                                      c.tls_site);
        return FilterStatus::kContinue;
      }
    };
    return std::make_unique<Echo>();
  }
};

// mTLS: site a asks for a client certificate from the staff CA (client_cert: request), site b
// requires one. A verified certificate fills client_cert, its CN and SHA-256 fingerprint; one
// from another CA counts as none (a) or fails the handshake (b); SNI picks each site's verify
// mode; a request for b over a connection made for a gets 421.
TEST_F(GatewayTls, ClientCertificatesAreVerifiedPerSiteAndFillTheConnection) {
  const std::string d = dir_.path();
  ASSERT_TRUE(testing::MakeCert(d, "staff-ca", "Staff CA", "keyUsage=critical,keyCertSign"));
  ASSERT_TRUE(testing::MakeCert(d, "rogue-ca", "Rogue CA", "keyUsage=critical,keyCertSign"));
  ASSERT_TRUE(
      testing::MakeCert(d, "zhang", "ops-zhang", "extendedKeyUsage=clientAuth", "staff-ca"));
  ASSERT_TRUE(testing::MakeCert(d, "fake", "ops-zhang", "extendedKeyUsage=clientAuth", "rogue-ca"));
  auto fp =
      RunProcess({"openssl", "x509", "-in", d + "/zhang.crt", "-noout", "-fingerprint", "-sha256"});
  ASSERT_EQ(fp.exit_code, 0);
  std::string want_fp;  // "sha256 Fingerprint=AB:CD:..." -> "abcd..."
  for (char c : fp.out.substr(fp.out.find('=') + 1))
    if (std::isxdigit(static_cast<unsigned char>(c))) want_fp += static_cast<char>(std::tolower(c));
  ASSERT_EQ(want_fp.size(), 64u) << fp.out;

  RecordingUpstream up;
  GatewaySpec spec = Spec(up.port());
  for (SiteSpec& s : spec.sites) {
    s.tls_client_ca = d + "/staff-ca.crt";
    s.https_redirect = false;
    s.extra_filters.push_back({FilterStage::kResponse, std::make_shared<CertEchoFactory>()});
  }
  spec.sites[1].client_cert_required = true;
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  uint16_t tls = f.gw().tls_ports()[0];
  auto with = [&](const std::string& name) -> std::vector<std::string> {
    return {"--cert", d + "/" + name + ".crt", "--key", d + "/" + name + ".key"};
  };
  std::string err;
  int code = -1;
  std::string none = Curl(tls, "www.a.gov.cn", {}, &err, &code);
  EXPECT_EQ(StatusOf(none), 200) << none << err;
  EXPECT_NE(none.find("X-Client-Cert: none//a"), std::string::npos) << none;
  std::string fake = Curl(tls, "www.a.gov.cn", with("fake"), &err, &code);
  EXPECT_EQ(StatusOf(fake), 200) << err;
  EXPECT_NE(fake.find("X-Client-Cert: none//a"), std::string::npos) << fake;
  std::string staff = Curl(tls, "www.a.gov.cn", with("zhang"), &err, &code);
  EXPECT_EQ(StatusOf(staff), 200) << err;
  EXPECT_NE(staff.find("X-Client-Cert: ops-zhang/" + want_fp + "/a"), std::string::npos) << staff;
  // Site b requires a certificate from its CA: no handshake without one.
  Curl(tls, "www.b.gov.cn", {}, &err, &code);
  EXPECT_NE(code, 0);
  Curl(tls, "www.b.gov.cn", with("fake"), &err, &code);
  EXPECT_NE(code, 0);
  std::string b = Curl(tls, "www.b.gov.cn", with("zhang"), &err, &code);
  EXPECT_EQ(StatusOf(b), 200) << err;
  EXPECT_NE(b.find("X-Client-Cert: ops-zhang/" + want_fp + "/b"), std::string::npos) << b;
  EXPECT_EQ(up.requests(), 4);
  // a's connection (its certificate check) cannot be used for b.
  std::string misdirected = Curl(tls, "www.a.gov.cn", {"-H", "Host: www.b.gov.cn"}, &err, &code);
  EXPECT_EQ(StatusOf(misdirected), 421) << misdirected << err;
  EXPECT_EQ(up.requests(), 4);
}

}  // namespace
}  // namespace gs::gateway
