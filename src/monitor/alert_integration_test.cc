// Acceptance of issue 6's alerting: findings reach a real webhook receiver on loopback as a
// signed JSON POST (HMAC-SM3 over timestamp and body, checked here with the crypto module),
// failed deliveries are retried with growing back-off, an unreachable receiver never fails the
// round; and findings go into a real tamper-evident audit store (deduplicated, resolved
// events), which then verifies.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>

#include "audit/query.h"
#include "audit/store.h"
#include "audit/verify.h"
#include "core/bytes.h"
#include "crypto/crypto.h"
#include "monitor/monitor.h"
#include "monitor/testing/page_server.h"
#include "platform/file.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor {
namespace {

using testing::HttpRequest;
using testing::HttpResponse;
using testing::PageServer;

struct Received {
  std::string body, timestamp, signature;
  std::chrono::steady_clock::time_point at;
};

class Receiver {
 public:
  explicit Receiver(int fail_first)
      : fail_first_(fail_first), server_([this](const HttpRequest& r) { return Handle(r); }) {}
  int port() const { return server_.port(); }
  std::vector<Received> got() {
    std::lock_guard<std::mutex> l(mu_);
    return got_;
  }

 private:
  HttpResponse Handle(const HttpRequest& r) {
    std::lock_guard<std::mutex> l(mu_);
    auto h = [&](const char* k) { return r.headers.count(k) ? r.headers.at(k) : std::string(); };
    got_.push_back({r.body, h("x-govshield-timestamp"), h("x-govshield-signature"),
                    std::chrono::steady_clock::now()});
    HttpResponse resp;
    resp.content_type = "application/json";
    resp.status = static_cast<int>(got_.size()) <= fail_first_ ? 503 : 200;
    resp.body = "{}";
    return resp;
  }
  int fail_first_;
  std::mutex mu_;
  std::vector<Received> got_;
  PageServer server_;
};

// A target whose content page 404s gives one content_unreachable (low) finding per round.
std::string Config(int page_port, const std::string& hooks) {
  return "state: a.db\n" + hooks +
         "targets:\n  - name: portal\n    content:\n      url: http://127.0.0.1:" +
         std::to_string(page_port) + "/missing\n      cloaking: false\n";
}

TEST(Webhook, SignedDeliveryRetriedWithBackoff) {
  gs::testing::TempDir dir;
  PageServer page([](const HttpRequest&) { return HttpResponse{404, "text/plain", "no", {}}; });
  Receiver rx(/*fail_first=*/2);
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/hook.key", "s3cret-key\n").ok());
  auto cfg = ParseMonitorConfig(
      Config(page.port(), "webhooks:\n  - url: http://127.0.0.1:" + std::to_string(rx.port()) +
                              "/hook\n    secret_file: hook.key\n    retries: 3\n"
                              "    backoff: 100ms\n"),
      dir.path());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto m = Monitor::Create(std::move(*cfg), nullptr, SystemTime());
  ASSERT_TRUE(m.ok());
  auto r = (*m)->RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*m)->last_round().webhooks.size(), 1u);
  const WebhookDelivery& d = (*m)->last_round().webhooks[0];
  EXPECT_TRUE(d.delivered);
  EXPECT_EQ(d.attempts, 3);  // 503, 503, 200
  auto got = rx.got();
  ASSERT_EQ(got.size(), 3u);
  // Back-off: 100 ms, then 200 ms.
  EXPECT_GE(got[1].at - got[0].at, std::chrono::milliseconds(95));
  EXPECT_GE(got[2].at - got[1].at, std::chrono::milliseconds(190));
  for (const auto& g : got) {
    std::string expect =
        "hmac-sm3=" + crypto::DigestHex(crypto::HmacSm3("s3cret-key", g.timestamp + "." + g.body));
    EXPECT_EQ(g.signature, expect);
    auto j = nlohmann::json::parse(g.body);
    ASSERT_EQ(j["events"].size(), 1u);
    EXPECT_EQ(j["events"][0]["check"], "content_unreachable");
    EXPECT_EQ(j["events"][0]["type"], "finding");
  }
  // A forged body does not match the signature.
  EXPECT_NE(got[2].signature,
            "hmac-sm3=" + crypto::DigestHex(crypto::HmacSm3(
                              "s3cret-key", got[2].timestamp + "." + got[2].body + " ")));
  // The same finding next round is deduplicated: nothing new to send.
  ASSERT_TRUE((*m)->RunOnce().ok());
  EXPECT_TRUE((*m)->last_round().webhooks.empty());
  EXPECT_EQ(rx.got().size(), 3u);
}

TEST(Webhook, UnreachableReceiverDoesNotFailTheRound) {
  gs::testing::TempDir dir;
  PageServer page([](const HttpRequest&) { return HttpResponse{404, "text/plain", "no", {}}; });
  int dead_port;
  {
    PageServer gone([](const HttpRequest&) { return HttpResponse{}; });
    dead_port = gone.port();
  }
  auto cfg = ParseMonitorConfig(
      Config(page.port(), "webhooks:\n  - url: http://127.0.0.1:" + std::to_string(dead_port) +
                              "/\n    retries: 2\n    backoff: 10ms\n    timeout: 1s\n"),
      dir.path());
  ASSERT_TRUE(cfg.ok());
  auto m = Monitor::Create(std::move(*cfg), nullptr, SystemTime());
  ASSERT_TRUE(m.ok());
  auto r = (*m)->RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
  ASSERT_EQ((*m)->last_round().webhooks.size(), 1u);
  EXPECT_FALSE((*m)->last_round().webhooks[0].delivered);
  EXPECT_EQ((*m)->last_round().webhooks[0].attempts, 3);
  EXPECT_FALSE((*m)->last_round().webhooks[0].last_error.empty());
}

TEST(Webhook, MinSeverityFiltersEvents) {
  gs::testing::TempDir dir;
  PageServer page([](const HttpRequest&) { return HttpResponse{404, "text/plain", "no", {}}; });
  Receiver rx(0);
  auto cfg = ParseMonitorConfig(
      Config(page.port(), "webhooks:\n  - url: http://127.0.0.1:" + std::to_string(rx.port()) +
                              "/\n    min_severity: high\n"),
      dir.path());
  ASSERT_TRUE(cfg.ok());
  auto m = Monitor::Create(std::move(*cfg), nullptr, SystemTime());
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE((*m)->RunOnce().ok());
  EXPECT_TRUE(rx.got().empty());  // content_unreachable is low
}

TEST(AuditSink, FindingsGoIntoTheTamperEvidentStore) {
  gs::testing::TempDir dir;
  auto key = crypto::Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  const std::string key_path = dir.path() + "/k.pem";
  ASSERT_TRUE(platform::WriteFileAtomic(key_path, *key->ToPem(), 0600).ok());
  const std::string store_dir = dir.path() + "/audit";
  ASSERT_TRUE(audit::InitStore(store_dir, key_path, audit::StoreOptions{}).ok());
  std::atomic<bool> missing{true};
  PageServer page([&](const HttpRequest&) {
    return missing ? HttpResponse{404, "text/plain", "no", {}}
                   : HttpResponse{200, "text/html", "<html><body>ok</body></html>", {}};
  });
  {
    auto store = audit::AuditStore::Open(store_dir);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto cfg = ParseMonitorConfig(
        "state: s.db\ntargets:\n  - name: portal\n    content:\n      url: http://127.0.0.1:" +
            std::to_string(page.port()) + "/\n      cloaking: false\n",
        dir.path());
    ASSERT_TRUE(cfg.ok());
    auto m = Monitor::Create(std::move(*cfg), store->get(), SystemTime());
    ASSERT_TRUE(m.ok());
    ASSERT_TRUE((*m)->RunOnce().ok());  // finding
    ASSERT_TRUE((*m)->RunOnce().ok());  // same finding: deduplicated
    missing = false;
    ASSERT_TRUE((*m)->RunOnce().ok());  // resolved
    ASSERT_TRUE((*store)->Close().ok());
  }
  std::vector<nlohmann::json> recs;
  audit::QueryFilter filter;
  filter.source = "monitor";
  ASSERT_TRUE(audit::QueryStore(store_dir, filter, [&](const audit::StoredRecord& r) {
                recs.push_back(nlohmann::json::parse(r.json));
                return true;
              }).ok());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]["type"], "finding");
  EXPECT_EQ(recs[0]["check"], "content_unreachable");
  EXPECT_EQ(recs[0]["severity"], "low");
  EXPECT_EQ(recs[1]["type"], "finding_resolved");
  auto v = audit::VerifyStore(store_dir, audit::VerifyOptions{});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok);
}

}  // namespace
}  // namespace gs::monitor
