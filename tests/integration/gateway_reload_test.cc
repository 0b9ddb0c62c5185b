// Reload under load (issue 4, acceptance 5): client threads keep sending keep-alive requests
// through the gateway while the config is swapped back and forth between two upstream sets many
// times. No request may fail because of a reload, and both configs must have served traffic.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/integration/gateway_test_util.h"

namespace gs::gateway {
namespace {

using testing::ConnectTo;
using testing::GatewayFixture;
using testing::OneSiteSpec;
using testing::ReadUntil;
using testing::RecordingUpstream;
using testing::SendAll;
using testing::StatusOf;

TEST(GatewayReload, NoFailedRequestWhileReloadingUnderLoad) {
  RecordingUpstream a, b;
  GatewaySpec spec_a = OneSiteSpec(a.port(), /*workers=*/2);
  GatewaySpec spec_b = OneSiteSpec(b.port(), /*workers=*/2);
  GatewayFixture f(spec_a);
  ASSERT_TRUE(f.ok()) << f.error();
  auto rt_a = BuildRuntime(spec_a);
  auto rt_b = BuildRuntime(spec_b);
  ASSERT_TRUE(rt_a.ok() && rt_b.ok());

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&, t] {
      int fd = -1;
      int n = 0;
      while (!stop.load()) {
        if (fd < 0) fd = ConnectTo(f.port());
        // Every 20th request closes its connection: reloads meet fresh connections too.
        bool close_it = ++n % 20 == 0;
        std::string req = "GET /r" + std::to_string(t) + " HTTP/1.1\r\nHost: x\r\n" +
                          (close_it ? "Connection: close\r\n" : "") + "\r\n";
        std::string resp;
        if (SendAll(fd, req)) {
          resp = ReadUntil(fd, [](const std::string& s) {
            return s.find("upstream-ok:0") != std::string::npos;
          });
        }
        if (StatusOf(resp) == 200 && resp.find("upstream-ok:0") != std::string::npos) {
          ok++;
        } else {
          failed++;
          close_it = true;
        }
        if (close_it) {
          close(fd);
          fd = -1;
        }
      }
      if (fd >= 0) close(fd);
    });
  }
  int reloads = 0;
  for (int i = 0; i < 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(f.gw().Reload(i % 2 == 0 ? *rt_b : *rt_a).ok());
    ++reloads;
  }
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_EQ(failed.load(), 0) << "ok=" << ok.load();
  EXPECT_GT(ok.load(), 200);
  EXPECT_GT(a.requests(), 0);
  EXPECT_GT(b.requests(), 0);
  EXPECT_EQ(f.gw().metrics().reloads.load(), static_cast<uint64_t>(reloads));
  EXPECT_EQ(f.gw().metrics().responses_by_class[5].load(), 0u);
}

}  // namespace
}  // namespace gs::gateway
