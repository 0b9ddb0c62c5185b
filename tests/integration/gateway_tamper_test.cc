// Serve-time check through the gateway (issue 5 acceptance 4, 核心内嵌): a site with a `tamper:`
// section is served by the gateway itself from the protected root, every body checked against
// the signed baseline (tamper::ServeChecker behind the gateway's ContentGuard hook, wired by the
// CLI's builder). The config is real YAML loaded by the config layer; the gateway listens on
// loopback and clients talk HTTP/1.1 over real sockets.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "cli/tamper_guard.h"
#include "config/govshield_config.h"
#include "gateway/service.h"
#include "tamper/baseline.h"
#include "tamper/vault.h"
#include "testlib/tamper_writer.h"
#include "tests/integration/gateway_test_util.h"

namespace gs::gateway {
namespace {

using testing::Exchange;
using testing::RecordingUpstream;
using testing::StatusOf;

void Write(const std::string& path, std::string_view data) {
  ASSERT_TRUE(platform::WriteFileAtomic(path, data).ok()) << path;
}

// Body of a complete response (after the blank line).
std::string BodyOf(const std::string& r) {
  size_t p = r.find("\r\n\r\n");
  return p == std::string::npos ? "" : r.substr(p + 4);
}

// A protected web root with its vault, signed baseline and key pair, an audit store, and a
// gateway (GatewayService, as `gateway run` starts it) in front of a recording upstream.
class GuardedSite {
 public:
  const std::string hot = std::string(10240, 'h') + "<p>热点新闻</p>";

  GuardedSite() {
    root_ = dir_.path() + "/www";
    vault_ = dir_.path() + "/vault";
    EXPECT_TRUE(platform::MakeDirs(root_ + "/news", 0755).ok());
    EXPECT_TRUE(platform::MakeDirs(root_ + "/dyn", 0755).ok());
    Write(root_ + "/index.html", "<html>首页 home</html>");
    Write(root_ + "/news/index.html", "<html>news</html>");
    Write(root_ + "/news/hot.html", hot);
    Write(root_ + "/style.css", "body{color:#333}");
    Write(root_ + "/dyn/live.txt", "changes all the time");
    key_ = *crypto::Sm2PrivateKey::Generate();
    Write(dir_.path() + "/pub.pem", *key_.PublicKey().ToPem());
    Write(dir_.path() + "/audit-key.pem", *key_.ToPem());
    auto v = tamper::Vault::Create(vault_, std::nullopt);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    vault_obj_.emplace(std::move(*v));
    tamper::BaselineOptions bo;
    bo.excludes = {"dyn/*"};
    auto t = tamper::CreateSignedBaseline(root_, *vault_obj_, key_, bo, nullptr);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    store_dir_ = dir_.path() + "/store";
    EXPECT_TRUE(audit::InitStore(store_dir_, dir_.path() + "/audit-key.pem", {}).ok());
    auto store = audit::AuditStore::Open(store_dir_);
    EXPECT_TRUE(store.ok());
    store_ = std::move(*store);
  }
  ~GuardedSite() {
    svc_.reset();
    store_.reset();
  }

  // Two sites on the same protected root: "a" (www.a.gov.cn, default) serves the vault copy on
  // a mismatch and 404 for unknown paths; "b" (www.b.gov.cn) answers a mismatch with 503,
  // guards /news/ only and sends unknown paths to the upstream.
  std::string Yaml(uint16_t upstream, bool access_log = true) const {
    std::string up =
        "      upstream: {servers: [127.0.0.1:" + std::to_string(upstream) +
        "], health_interval: 0s}\n      access_log: " + (access_log ? "true" : "false") + "\n";
    std::string guard =
        "{root: " + root_ + ", vault: " + vault_ + ", pubkey: " + dir_.path() + "/pub.pem";
    return "version: 1\naudit: {store: " + store_dir_ + ", key: " + dir_.path() +
           "/audit-key.pem}\ngateway:\n  listen: [127.0.0.1:0]\n  workers: 2\n"
           "  admin_listen: 127.0.0.1:0\n  sites:\n"
           "    - name: a\n      server_names: [www.a.gov.cn]\n      default: true\n" +
           up + "      tamper: " + guard +
           "}\n"
           "    - name: b\n      server_names: [www.b.gov.cn]\n" +
           up + "      tamper: " + guard +
           ", on_mismatch: block, paths: [/news/], unknown: upstream}\n";
  }

  Result<config::GatewaySection> Load(const std::string& yaml) {
    std::string file = dir_.path() + "/gs.yaml";
    GS_RETURN_IF_ERROR(platform::WriteFileAtomic(file, yaml));
    GS_ASSIGN_OR_RETURN(auto cfg, config::LoadGovShieldConfig(file));
    if (!cfg->gateway) return InvalidArgumentError("no gateway section");
    return *cfg->gateway;
  }

  Status Start(uint16_t upstream, bool access_log = true) {
    GS_ASSIGN_OR_RETURN(config::GatewaySection g, Load(Yaml(upstream, access_log)));
    ServiceOptions o;
    o.config_file = dir_.path() + "/gs.yaml";
    o.audit_sink = store_.get();
    o.content_guard = cli::MakeTamperGuardBuilder();
    GS_ASSIGN_OR_RETURN(svc_, GatewayService::Start(g, std::move(o)));
    return Status::Ok();
  }
  Status Reload(uint16_t upstream) {
    GS_ASSIGN_OR_RETURN(config::GatewaySection g, Load(Yaml(upstream)));
    return svc_->Reload(g);
  }

  uint16_t port() { return svc_->gateway().ports()[0]; }
  Gateway& gw() { return svc_->gateway(); }
  std::string Get(const std::string& path, const std::string& host = "www.a.gov.cn",
                  const std::string& extra = "", const std::string& method = "GET") {
    return Exchange(port(), method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra +
                                "Connection: close\r\n\r\n");
  }
  std::vector<std::string> Records(const std::string& type) {
    return testing::StoreRecords(gw(), *store_, store_dir_, type);
  }
  const std::string& root() const { return root_; }
  const tamper::Vault& vault() const { return *vault_obj_; }
  const crypto::Sm2PrivateKey& key() const { return key_; }
  std::string tmp() const { return dir_.path(); }

 private:
  gs::testing::TempDir dir_;
  std::string root_, vault_, store_dir_;
  crypto::Sm2PrivateKey key_;
  std::optional<tamper::Vault> vault_obj_;
  std::unique_ptr<audit::AuditStore> store_;
  std::unique_ptr<GatewayService> svc_;
};

TEST(GatewayTamper, ServesVerifiedFilesWithHttpSemantics) {
  RecordingUpstream up;
  GuardedSite s;
  ASSERT_TRUE(s.Start(up.port()).ok());
  std::string r = s.Get("/news/hot.html");
  ASSERT_EQ(StatusOf(r), 200) << r;
  EXPECT_EQ(BodyOf(r), s.hot);
  EXPECT_NE(r.find("Content-Type: text/html; charset=utf-8"), std::string::npos) << r;
  EXPECT_NE(r.find("Content-Length: " + std::to_string(s.hot.size())), std::string::npos);
  EXPECT_NE(r.find("X-Content-Type-Options: nosniff"), std::string::npos);  // response filters
  size_t e = r.find("ETag: \"");
  ASSERT_NE(e, std::string::npos) << r;
  std::string etag = r.substr(e + 6, r.find("\r\n", e) - e - 6);
  EXPECT_EQ(etag.size(), 66u) << etag;  // the SM3 of the baseline content, quoted
  EXPECT_EQ(StatusOf(s.Get("/style.css")), 200);
  EXPECT_NE(s.Get("/style.css").find("Content-Type: text/css"), std::string::npos);
  // "/" and "/news/" serve index.html; "/news" redirects to "/news/".
  EXPECT_EQ(BodyOf(s.Get("/")), "<html>首页 home</html>");
  EXPECT_EQ(BodyOf(s.Get("/news/")), "<html>news</html>");
  std::string dir = s.Get("/news?x=1");
  EXPECT_EQ(StatusOf(dir), 301) << dir;
  EXPECT_NE(dir.find("Location: /news/?x=1"), std::string::npos) << dir;
  // HEAD: the headers of the GET, no body.
  std::string head = s.Get("/news/hot.html", "www.a.gov.cn", "", "HEAD");
  EXPECT_EQ(StatusOf(head), 200);
  EXPECT_NE(head.find("Content-Length: " + std::to_string(s.hot.size())), std::string::npos);
  EXPECT_EQ(BodyOf(head), "");
  // Conditional GET and ranges.
  std::string nm = s.Get("/news/hot.html", "www.a.gov.cn", "If-None-Match: " + etag + "\r\n");
  EXPECT_EQ(StatusOf(nm), 304) << nm;
  EXPECT_EQ(nm.find("Content-Length"), std::string::npos) << nm;
  EXPECT_EQ(BodyOf(nm), "");
  EXPECT_EQ(StatusOf(s.Get("/news/hot.html", "www.a.gov.cn", "If-None-Match: \"other\"\r\n")), 200);
  std::string part = s.Get("/news/hot.html", "www.a.gov.cn", "Range: bytes=10238-10241\r\n");
  EXPECT_EQ(StatusOf(part), 206) << part;
  EXPECT_EQ(BodyOf(part), s.hot.substr(10238, 4));
  EXPECT_NE(part.find("Content-Range: bytes 10238-10241/" + std::to_string(s.hot.size())),
            std::string::npos);
  EXPECT_EQ(BodyOf(s.Get("/news/hot.html", "www.a.gov.cn", "Range: bytes=-3\r\n")),
            s.hot.substr(s.hot.size() - 3));
  std::string unsat = s.Get("/news/hot.html", "www.a.gov.cn", "Range: bytes=99999-\r\n");
  EXPECT_EQ(StatusOf(unsat), 416) << unsat;
  std::string stale =
      s.Get("/news/hot.html", "www.a.gov.cn", "Range: bytes=0-3\r\nIf-Range: \"old\"\r\n");
  EXPECT_EQ(StatusOf(stale), 200);
  EXPECT_EQ(BodyOf(stale), s.hot);
  // Nothing so far reached the upstream. Unknown paths get 404 on site a; a bad path is refused.
  EXPECT_EQ(StatusOf(s.Get("/missing.html")), 404);
  EXPECT_EQ(StatusOf(s.Get("/%2e%2e/etc/passwd")), 400);
  EXPECT_EQ(StatusOf(s.Get("/news/hot.html", "www.a.gov.cn", "Content-Length: 0\r\n", "POST")),
            405);
  EXPECT_EQ(up.requests(), 0);
  // Excluded from the baseline: the upstream serves it. So do other methods on unknown paths.
  EXPECT_EQ(StatusOf(s.Get("/dyn/live.txt")), 200);
  EXPECT_EQ(StatusOf(s.Get("/api/form", "www.a.gov.cn", "Content-Length: 0\r\n", "POST")), 200);
  EXPECT_EQ(up.requests(), 2);
  // Site b guards /news/ only and passes unknown paths on; "//news/..." is still guarded.
  EXPECT_EQ(BodyOf(s.Get("//news/./hot.html", "www.b.gov.cn")), s.hot);
  EXPECT_EQ(StatusOf(s.Get("/news/none.html", "www.b.gov.cn")), 200);
  EXPECT_EQ(StatusOf(s.Get("/index.html", "www.b.gov.cn")), 200);
  EXPECT_EQ(up.requests(), 4);
  // Served content is not a block; the access record has the bytes sent.
  std::string metrics = s.gw().RenderMetrics();
  EXPECT_NE(metrics.find("gs_gateway_guarded_responses_total{site=\"a\",verdict=\"intact\"}"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("gs_gateway_guarded_not_modified_total{site=\"a\"} 1"), std::string::npos);
  bool saw = false;
  for (const std::string& rec : s.Records("access")) {
    if (rec.find("\"target\":\"/news/hot.html\"") == std::string::npos ||
        rec.find("\"status\":200") == std::string::npos)
      continue;
    EXPECT_EQ(rec.find("blocked_by"), std::string::npos) << rec;
    if (rec.find("\"bytes_out\":" + std::to_string(s.hot.size())) != std::string::npos) saw = true;
  }
  EXPECT_TRUE(saw);
}

TEST(GatewayTamper, TamperedPageIsServedFromTheVaultOrBlockedAndRecorded) {
  RecordingUpstream up;
  GuardedSite s;
  ASSERT_TRUE(s.Start(up.port()).ok());
  ASSERT_EQ(BodyOf(s.Get("/news/hot.html")), s.hot);
  Write(s.root() + "/news/hot.html", "<html>HACKED 被篡改</html>");
  std::string a = s.Get("/news/hot.html");
  EXPECT_EQ(StatusOf(a), 200);
  EXPECT_EQ(BodyOf(a), s.hot);  // the baseline from the vault
  EXPECT_EQ(a.find("HACKED"), std::string::npos);
  std::string b = s.Get("/news/hot.html", "www.b.gov.cn");
  EXPECT_EQ(StatusOf(b), 503) << b;
  EXPECT_EQ(b.find("HACKED"), std::string::npos);
  EXPECT_NE(b.find("Incident ID"), std::string::npos);
  EXPECT_NE(b.find("完整性校验"), std::string::npos);
  // Deleted: the vault copy again (site a).
  ASSERT_EQ(::unlink((s.root() + "/news/hot.html").c_str()), 0);
  EXPECT_EQ(BodyOf(s.Get("/news/hot.html")), s.hot);
  EXPECT_EQ(up.requests(), 0);
  auto recs = s.Records("serve_tamper");
  ASSERT_GE(recs.size(), 2u);
  EXPECT_NE(recs[0].find("\"action\":\"served_vault_copy\""), std::string::npos) << recs[0];
  bool blocked = false;
  for (const auto& r : recs)
    blocked = blocked || r.find("\"action\":\"blocked\"") != std::string::npos;
  EXPECT_TRUE(blocked);
  EXPECT_EQ(s.Records("block").size(), 1u);  // b's 503 is a block event
  std::string metrics = s.gw().RenderMetrics();
  EXPECT_NE(metrics.find("verdict=\"restored\"} 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("gs_gateway_guarded_responses_total{site=\"b\",verdict=\"blocked\"} 1"),
            std::string::npos);
}

TEST(GatewayTamper, ReloadPicksUpAPublishedBaseline) {
  RecordingUpstream up;
  GuardedSite s;
  ASSERT_TRUE(s.Start(up.port()).ok());
  std::string v1 = BodyOf(s.Get("/"));
  ASSERT_EQ(v1, "<html>首页 home</html>");
  // Publish v2 of the site (the authorised channel): the root changes, the vault gets manifest 2.
  std::string stage = s.tmp() + "/stage";
  ASSERT_TRUE(platform::MakeDirs(stage + "/news", 0755).ok());
  Write(stage + "/index.html", "<html>v2</html>");
  Write(stage + "/news/index.html", "<html>news</html>");
  Write(stage + "/news/hot.html", s.hot);
  Write(stage + "/style.css", "body{color:#333}");
  tamper::BaselineOptions bo;
  bo.excludes = {"dyn/*"};
  auto p = tamper::Publish(s.root(), stage, s.vault(), s.key(), bo, nullptr);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // Until told, the running gateway judges by manifest 1: it keeps serving v1 (from the vault).
  EXPECT_EQ(BodyOf(s.Get("/")), v1);
  ASSERT_TRUE(s.Reload(up.port()).ok());
  EXPECT_EQ(BodyOf(s.Get("/")), "<html>v2</html>");
  EXPECT_NE(s.gw().RenderMetrics().find("gs_gateway_serve_check_manifest_version{site=\"a\"} 2"),
            std::string::npos);
  // A vault whose current manifest does not verify refuses the reload; the old config stays.
  std::string bad_pub = s.tmp() + "/pub.pem";
  Write(bad_pub, *crypto::Sm2PrivateKey::Generate()->PublicKey().ToPem());
  Status refused = s.Reload(up.port());
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(std::string(refused.message()).find("site a: tamper:"), std::string::npos)
      << refused.ToString();
  EXPECT_EQ(BodyOf(s.Get("/")), "<html>v2</html>");
}

// A minimal keep-alive HTTP/1.1 client: GET `path`, returns status and body (Content-Length
// framing, as the gateway sends local responses).
class KeepAliveClient {
 public:
  explicit KeepAliveClient(uint16_t port) : fd_(testing::ConnectTo(port)) {}
  ~KeepAliveClient() {
    if (fd_ >= 0) close(fd_);
  }
  bool Get(const std::string& request, int* status, std::string* body) {
    if (fd_ < 0 || !testing::SendAll(fd_, request)) return false;
    size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill()) return false;
    *status = StatusOf(buf_);
    size_t cl = buf_.find("Content-Length: ");
    if (cl == std::string::npos || cl > head_end) return false;
    size_t len = std::strtoul(buf_.c_str() + cl + 16, nullptr, 10);
    while (buf_.size() < head_end + 4 + len)
      if (!Fill()) return false;
    body->assign(buf_, head_end + 4, len);
    buf_.erase(0, head_end + 4 + len);
    return true;
  }

 private:
  bool Fill() {
    char tmp[65536];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, size_t(n));
    return true;
  }
  int fd_;
  std::string buf_;
};

// Issue 5 acceptance 4: a writer rewrites a page as fast as it can (same size in place,
// truncate + write, rename over) while clients fetch it through the gateway over keep-alive
// connections: among at least 100,000 responses not one body differs from the baseline, and
// the mismatches the gateway saw are in the audit store as serve_tamper records.
TEST(GatewayTamper, WriterRaceThroughTheGatewayNeverServesATamperedBody) {
  RecordingUpstream up;
  GuardedSite s;
  ASSERT_TRUE(s.Start(up.port(), /*access_log=*/false).ok());
  const std::string path = s.root() + "/news/hot.html", tmp = s.root() + "/news/.hot.tmp";
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> writes{0};
  std::thread writer([&] {
    uint64_t i = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      gs::testing::TamperRewrite(path, tmp, s.hot, i);
      ++i;
      writes.fetch_add(1, std::memory_order_relaxed);
    }
  });
  constexpr int kClients = 4;
  constexpr uint64_t kTotal = 100'000;
  // The race must really happen: on a loaded machine the writer can be starved, so the clients
  // go on past kTotal until it has rewritten the page this often (no wall-clock assumption).
  constexpr uint64_t kMinRewrites = 1000;
  std::atomic<uint64_t> done{0}, ok{0}, tampered{0}, failed{0};
  const std::string request = "GET /news/hot.html HTTP/1.1\r\nHost: www.a.gov.cn\r\n\r\n";
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      auto client = std::make_unique<KeepAliveClient>(s.port());
      while (done.fetch_add(1) < kTotal || writes.load() < kMinRewrites) {
        int status = 0;
        std::string body;
        if (!client->Get(request, &status, &body)) {
          failed.fetch_add(1);
          client = std::make_unique<KeepAliveClient>(s.port());
          continue;
        }
        if (status == 200 && body == s.hot) {
          ok.fetch_add(1);
        } else {
          tampered.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stop = true;
  writer.join();
  EXPECT_EQ(tampered.load(), 0u);
  EXPECT_EQ(failed.load(), 0u);
  EXPECT_GE(ok.load(), kTotal);
  EXPECT_EQ(up.requests(), 0);
  // The race really happened: the writer kept rewriting and the gateway saw tampered bytes.
  EXPECT_GE(writes.load(), kMinRewrites);
  auto recs = s.Records("serve_tamper");
  EXPECT_GE(recs.size(), 1u);
  std::string metrics = s.gw().RenderMetrics();
  auto counter = [&](const std::string& name) -> uint64_t {
    size_t p = metrics.find(name);
    return p == std::string::npos ? 0
                                  : std::strtoull(metrics.c_str() + p + name.size(), nullptr, 10);
  };
  uint64_t restored =
      counter("gs_gateway_guarded_responses_total{site=\"a\",verdict=\"restored\"} ");
  uint64_t intact = counter("gs_gateway_guarded_responses_total{site=\"a\",verdict=\"intact\"} ");
  EXPECT_GT(restored, 0u);
  std::fprintf(stderr,
               "[gateway serve-time check] %llu responses in %.1f s over %d keep-alive clients: "
               "%llu intact, %llu from the vault, 0 tampered; %llu writer rewrites; %zu "
               "serve_tamper records\n",
               static_cast<unsigned long long>(ok.load()), secs, kClients,
               static_cast<unsigned long long>(intact), static_cast<unsigned long long>(restored),
               static_cast<unsigned long long>(writes.load()), recs.size());
}

}  // namespace
}  // namespace gs::gateway
