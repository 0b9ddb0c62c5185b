// `govshield gateway run|reload` and `govshield up` as real processes on loopback: proxying,
// reload through the admin port and SIGHUP (a bad config is refused and the old one keeps
// serving), and the demo default (bundled Chinese site behind CRS, an attack blocked and found in
// the audit log).
#include <gtest/gtest.h>
#include <signal.h>

#include <sstream>

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
using testing::MakeCert;
using testing::PortFrom;
using testing::RecordingUpstream;
using testing::StatusOf;

std::string Config(const std::string& store, const std::string& key, uint16_t admin,
                   uint16_t upstream) {
  return "version: 1\naudit: {store: " + store + ", key: " + key +
         "}\ngateway:\n  listen: [127.0.0.1:0]\n  workers: 2\n  admin_listen: 127.0.0.1:" +
         std::to_string(admin) +
         "\n  sites:\n    - name: portal\n      server_names: [\"*\"]\n      upstream: {servers: "
         "[127.0.0.1:" +
         std::to_string(upstream) + "], health_interval: 0s}\n";
}

TEST(GatewayCli, RunProxiesAndReloadsViaAdminAndSighupKeepingOldConfigOnError) {
  gs::testing::TempDir dir;
  std::string bin = GovshieldBinary();
  testing::CliStore cs = testing::MakeCliStore(dir.path());
  ASSERT_TRUE(cs.ok());
  const std::string &key = cs.key, &store = cs.store;
  RecordingUpstream a, b;
  uint16_t admin = FreePort();
  std::string cfg = platform::JoinPath(dir.path(), "gs.yaml");
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, Config(store, key, admin, a.port())).ok());
  testing::GatewayRunProcess run(cfg, dir.path());
  int port = run.port();
  ASSERT_GT(port, 0) << run.stderr_text();
  BackgroundProcess& gw = run.process();
  EXPECT_EQ(run.admin_port(), admin);
  auto get = [&] {
    return Exchange(static_cast<uint16_t>(port),
                    "GET /x HTTP/1.1\r\nHost: www.example.gov.cn\r\nConnection: close\r\n\r\n");
  };
  EXPECT_EQ(StatusOf(get()), 200);
  EXPECT_EQ(a.requests(), 1);

  // Reload through the admin port onto upstream b.
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, Config(store, key, admin, b.port())).ok());
  auto r = RunProcess({bin, "gateway", "reload", "-c", cfg});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("reloaded"), std::string::npos);
  EXPECT_EQ(StatusOf(get()), 200);
  EXPECT_EQ(b.requests(), 1);

  // A config that fails validation is refused with the reason; b keeps serving.
  std::string good = platform::ReadFile(cfg).value_or("");
  std::string bad = good + "      inspection_limit: 1GiB\n      max_body: 1KiB\n";
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, bad).ok());
  // `reload -c` validates the file itself first; the admin endpoint must refuse too, so ask it
  // directly.
  std::string resp = Exchange(admin,
                              "POST /-/reload HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n"
                              "Connection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(resp), 400) << resp;
  EXPECT_NE(resp.find("inspection_limit"), std::string::npos) << resp;
  EXPECT_NE(resp.find("old config kept"), std::string::npos) << resp;
  EXPECT_EQ(StatusOf(get()), 200);
  EXPECT_EQ(b.requests(), 2);

  // SIGHUP with the first config again: back to a.
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, Config(store, key, admin, a.port())).ok());
  gw.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        get();
        return a.requests() >= 2;
      },
      10000));

  gw.Signal(SIGTERM);
  EXPECT_EQ(gw.Wait(), 0);
  auto reloads = RunProcess({bin, "audit", "query", "--store", store, "--type", "reload"});
  EXPECT_EQ(reloads.exit_code, 0) << reloads.err;
  EXPECT_EQ(std::count(reloads.out.begin(), reloads.out.end(), '\n'), 3) << reloads.out;
  EXPECT_NE(reloads.out.find("\"ok\":false"), std::string::npos);
  auto access = RunProcess({bin, "audit", "query", "--store", store, "--type", "access"});
  EXPECT_GE(std::count(access.out.begin(), access.out.end(), '\n'), 4);
  auto verify = RunProcess({bin, "audit", "verify", "--store", store});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// `gateway run` wires the policy module: a staff-only path refuses a client outside its CIDRs
// with 403 (the bilingual block page) before the upstream sees anything, and the decision is in
// the audit log.
TEST(GatewayCli, RunEnforcesAccessPolicyFromConfig) {
  gs::testing::TempDir dir;
  std::string bin = GovshieldBinary();
  testing::CliStore cs = testing::MakeCliStore(dir.path());
  ASSERT_TRUE(cs.ok());
  const std::string &key = cs.key, &store = cs.store;
  RecordingUpstream up;
  uint16_t admin = FreePort();
  std::string cfg = platform::JoinPath(dir.path(), "gs.yaml");
  std::string text = Config(store, key, admin, up.port()) +
                     "      access:\n        policies:\n"
                     "          - {name: admin, prefix: /admin, type: staff_only, cidrs: "
                     "[10.0.0.0/8]}\n";
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, text).ok());
  testing::GatewayRunProcess run(cfg, dir.path());
  int port = run.port();
  ASSERT_GT(port, 0) << run.stderr_text();
  BackgroundProcess& gw = run.process();
  auto get = [&](const std::string& path) {
    return Exchange(static_cast<uint16_t>(port), "GET " + path +
                                                     " HTTP/1.1\r\nHost: www.example.gov.cn\r\n"
                                                     "Connection: close\r\n\r\n");
  };
  std::string refused = get("/admin/users");
  EXPECT_EQ(StatusOf(refused), 403) << refused;
  EXPECT_EQ(up.requests(), 0);
  EXPECT_EQ(StatusOf(get("/news")), 200);
  EXPECT_EQ(up.requests(), 1);
  gw.Signal(SIGTERM);
  EXPECT_EQ(gw.Wait(), 0);
  auto events = RunProcess({bin, "audit", "query", "--store", store, "--type", "access_control"});
  EXPECT_EQ(events.exit_code, 0) << events.err;
  EXPECT_NE(events.out.find("/admin/users"), std::string::npos) << events.out;
}

// Issue 4, mTLS for staff paths: the site asks TLS clients for a certificate from its
// client_ca; a staff_only policy allowing the CN ops-zhang refuses a request without a
// certificate and one whose certificate (same CN) comes from another CA, and admits the staff
// certificate. curl is the client; every decision is in the audit log.
TEST(GatewayCli, StaffPathNeedsAClientCertificateFromTheSiteCa) {
  gs::testing::TempDir dir;
  std::string d = dir.path();
  ASSERT_TRUE(MakeCert(d, "server", "www.example.gov.cn", "subjectAltName=DNS:www.example.gov.cn"));
  ASSERT_TRUE(MakeCert(d, "staff-ca", "GovShield Staff CA", "keyUsage=critical,keyCertSign"));
  ASSERT_TRUE(MakeCert(d, "rogue-ca", "Rogue CA", "keyUsage=critical,keyCertSign"));
  ASSERT_TRUE(MakeCert(d, "zhang", "ops-zhang", "extendedKeyUsage=clientAuth", "staff-ca"));
  ASSERT_TRUE(MakeCert(d, "fake", "ops-zhang", "extendedKeyUsage=clientAuth", "rogue-ca"));
  std::string bin = GovshieldBinary();
  std::string key = platform::JoinPath(d, "keys");
  ASSERT_EQ(RunProcess({bin, "keys", "gen", "--out", key}).exit_code, 0);
  key += "/sm2-private.pem";
  std::string store = platform::JoinPath(d, "store");
  ASSERT_EQ(RunProcess({bin, "audit", "init", "--store", store, "--key", key}).exit_code, 0);
  RecordingUpstream up;
  std::string cfg = platform::JoinPath(d, "gs.yaml");
  std::string text = Config(store, key, FreePort(), up.port());
  text.replace(text.find("  workers:"), 0, "  tls_listen: [127.0.0.1:0]\n");
  text += "      tls: {cert: " + d + "/server.crt, key: " + d + "/server.key, client_ca: " + d +
          "/staff-ca.crt}\n"
          "      access:\n        policies:\n"
          "          - {name: staff, prefix: /staff/, type: staff_only, client_cert_cns: "
          "[ops-zhang]}\n";
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, text).ok());
  std::string ports = platform::JoinPath(d, "ports.json");
  BackgroundProcess gw({bin, "gateway", "run", "-c", cfg, "--ports-file", ports}, d);
  ASSERT_TRUE(WaitFor([&] { return platform::PathExists(ports); }, 20000))
      << platform::ReadFile(gw.StderrPath()).value_or("");
  int port = PortFrom(platform::ReadFile(ports).value_or(""), "tls");
  ASSERT_GT(port, 0);
  auto curl = [&](const std::string& path, const std::string& cert) {
    std::vector<std::string> argv = {"curl",
                                     "-sS",
                                     "-i",
                                     "--cacert",
                                     d + "/server.crt",
                                     "--resolve",
                                     "www.example.gov.cn:" + std::to_string(port) + ":127.0.0.1"};
    if (!cert.empty()) {
      argv.insert(argv.end(),
                  {"--cert", d + "/" + cert + ".crt", "--key", d + "/" + cert + ".key"});
    }
    argv.push_back("https://www.example.gov.cn:" + std::to_string(port) + path);
    auto r = RunProcess(argv);
    return r.out + r.err;
  };
  std::string none = curl("/staff/report", "");
  EXPECT_EQ(StatusOf(none), 403) << none;
  std::string fake = curl("/staff/report", "fake");
  EXPECT_EQ(StatusOf(fake), 403) << fake;
  EXPECT_EQ(up.requests(), 0);
  std::string staff = curl("/staff/report", "zhang");
  EXPECT_EQ(StatusOf(staff), 200) << staff;
  EXPECT_EQ(up.requests(), 1);
  EXPECT_EQ(StatusOf(curl("/news", "")), 200);  // public paths need no certificate
  gw.Signal(SIGTERM);
  EXPECT_EQ(gw.Wait(), 0);
  auto events = RunProcess({bin, "audit", "query", "--store", store, "--type", "access_control"});
  EXPECT_EQ(events.exit_code, 0) << events.err;
  size_t denied = 0, allowed = 0;
  std::istringstream lines(events.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"target\":\"/staff/report\"") == std::string::npos) continue;
    if (line.find("\"decision\":\"deny\"") != std::string::npos) ++denied;
    if (line.find("\"decision\":\"allow\"") != std::string::npos &&
        line.find("\"client_cert_cn\":\"ops-zhang\"") != std::string::npos)
      ++allowed;
  }
  EXPECT_EQ(denied, 2u) << events.out;
  EXPECT_EQ(allowed, 1u) << events.out;
}

// Issue 5 with the real commands: `tamper baseline`, `gateway run` guarding the root (a tamper:
// section), a defaced page answered from the vault, `tamper publish` of a new version, and
// SIGHUP: the gateway then serves the published version. serve_tamper is in the audit log.
TEST(GatewayCli, GuardedSiteServesThePublishedVersionAfterSighup) {
  gs::testing::TempDir dir;
  const std::string d = dir.path(), bin = GovshieldBinary();
  ASSERT_EQ(RunProcess({bin, "keys", "gen", "--out", d + "/keys"}).exit_code, 0);
  const std::string priv = d + "/keys/sm2-private.pem", pub = d + "/keys/sm2-public.pem";
  const std::string store = d + "/store", root = d + "/www", vault = d + "/vault";
  ASSERT_EQ(RunProcess({bin, "audit", "init", "--store", store, "--key", priv}).exit_code, 0);
  ASSERT_TRUE(platform::MakeDirs(root, 0755).ok());
  ASSERT_TRUE(platform::MakeDirs(d + "/stage", 0755).ok());
  ASSERT_TRUE(platform::WriteFileAtomic(root + "/index.html", "<html>v1 首页</html>").ok());
  ASSERT_TRUE(platform::WriteFileAtomic(d + "/stage/index.html", "<html>v2 首页</html>").ok());
  auto base =
      RunProcess({bin, "tamper", "baseline", "--root", root, "--vault", vault, "--key", priv});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  RecordingUpstream up;
  std::string cfg = d + "/gs.yaml";
  std::string text = Config(store, priv, FreePort(), up.port()) + "      tamper: {root: " + root +
                     ", vault: " + vault + ", pubkey: " + pub + "}\n";
  ASSERT_TRUE(platform::WriteFileAtomic(cfg, text).ok());
  std::string ports = d + "/ports.json";
  BackgroundProcess gw({bin, "gateway", "run", "-c", cfg, "--ports-file", ports}, d);
  ASSERT_TRUE(WaitFor([&] { return platform::PathExists(ports); }, 20000))
      << platform::ReadFile(gw.StderrPath()).value_or("");
  auto port = static_cast<uint16_t>(PortFrom(platform::ReadFile(ports).value_or(""), "gateway"));
  ASSERT_GT(port, 0);
  auto home = [&] {
    std::string r = Exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    size_t p = r.find("\r\n\r\n");
    return StatusOf(r) == 200 && p != std::string::npos ? r.substr(p + 4) : r;
  };
  EXPECT_EQ(home(), "<html>v1 首页</html>");
  ASSERT_TRUE(platform::WriteFileAtomic(root + "/index.html", "<html>HACKED</html>").ok());
  EXPECT_EQ(home(), "<html>v1 首页</html>");  // the vault copy, never the defacement
  auto pubd = RunProcess({bin, "tamper", "publish", "--root", root, "--vault", vault, "--key", priv,
                          "--from", d + "/stage"});
  ASSERT_EQ(pubd.exit_code, 0) << pubd.err;
  EXPECT_EQ(home(), "<html>v1 首页</html>");  // judged by manifest 1 until reloaded
  gw.Signal(SIGHUP);
  EXPECT_TRUE(WaitFor([&] { return home() == "<html>v2 首页</html>"; }, 10000))
      << home() << platform::ReadFile(gw.StderrPath()).value_or("");
  EXPECT_EQ(up.requests(), 0);
  gw.Signal(SIGTERM);
  EXPECT_EQ(gw.Wait(), 0);
  auto q = RunProcess({bin, "audit", "query", "--store", store, "--type", "serve_tamper"});
  EXPECT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("\"action\":\"served_vault_copy\""), std::string::npos) << q.out;
}

TEST(GatewayCli, UpDemoServesTheChineseSiteBlocksAnAttackAndLogsIt) {
  gs::testing::TempDir dir;
  std::string bin = GovshieldBinary();
  std::string data = platform::JoinPath(dir.path(), "data");
  std::string ports = platform::JoinPath(dir.path(), "ports.json");
  BackgroundProcess up(
      {bin, "up", "--data-dir", data, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
       "--syslog-port", "0", "--http-port", "0", "--ports-file", ports},
      dir.path());
  ASSERT_TRUE(WaitFor([&] { return platform::PathExists(ports); }, 60000))
      << platform::ReadFile(up.StderrPath()).value_or("");
  uint16_t port =
      static_cast<uint16_t>(PortFrom(platform::ReadFile(ports).value_or(""), "gateway"));
  ASSERT_GT(port, 0);
  std::string out = platform::ReadFile(up.StdoutPath()).value_or("");
  EXPECT_NE(out.find("curl -i"), std::string::npos) << out;
  EXPECT_NE(out.find("audit query"), std::string::npos);
  auto fetch = [&](const std::string& path) {
    return Exchange(port, "GET " + path +
                              " HTTP/1.1\r\nHost: www.example.gov.cn\r\nUser-Agent: Mozilla/5.0\r\n"
                              "Accept: text/html\r\nConnection: close\r\n\r\n");
  };
  std::string home = fetch("/");
  EXPECT_EQ(StatusOf(home), 200) << home;
  EXPECT_NE(home.find("charset=utf-8"), std::string::npos);
  EXPECT_NE(home.find("首页"), std::string::npos);
  for (const char* p : {"/zwgk/", "/bsfw/", "/hdjl/"}) EXPECT_EQ(StatusOf(fetch(p)), 200) << p;
  std::string traversal = fetch("/../../etc/passwd");
  EXPECT_NE(StatusOf(traversal), 200);  // the WAF (930xxx) or the static server refuses it
  EXPECT_EQ(traversal.find("root:"), std::string::npos);
  std::string blocked = fetch("/zwgk/?id=1%27%20OR%20%271%27=%271");
  EXPECT_EQ(StatusOf(blocked), 403) << blocked;
  size_t p = blocked.find("<code>"), e = blocked.find("</code>");
  ASSERT_NE(p, std::string::npos);
  std::string incident = blocked.substr(p + 6, e - p - 6);
  std::string store = platform::JoinPath(data, "audit");
  gs::testing::ProcessResult q;
  ASSERT_TRUE(WaitFor(
      [&] {
        q = RunProcess(
            {bin, "audit", "query", "--store", store, "--source", "gateway", "--type", "block"});
        return q.out.find(incident) != std::string::npos;
      },
      10000))
      << q.out << q.err;
  EXPECT_NE(q.out.find("942100"), std::string::npos);
  up.Signal(SIGTERM);
  EXPECT_EQ(up.Wait(), 0);
}

}  // namespace
}  // namespace gs::gateway
