// The gateway's proxy behaviour over real sockets on 127.0.0.1: forwarding, keep-alive to both
// sides, pipelining, chunked both ways, streaming beyond the inspection limit, failover, 502/504,
// timeouts, security headers, WebSocket pass-through, access records in a real audit store and
// the admin port.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "gateway/builtin_filters.h"
#include "tests/integration/gateway_test_util.h"

namespace gs::gateway {
namespace {

using testing::ConnectTo;
using testing::Exchange;
using testing::GatewayFixture;
using testing::OneSiteSpec;
using testing::ReadUntil;
using testing::ReadUntilClose;
using testing::RecordingUpstream;
using testing::SendAll;
using testing::StatusOf;

size_t Count(const std::string& s, std::string_view what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(GatewayProxy, ForwardsGetWithForwardingHeadersAndSecurityHeaders) {
  RecordingUpstream up;
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  std::string r = Exchange(f.port(),
                           "GET /index.html?id=42 HTTP/1.1\r\nHost: www.example.gov.cn\r\n"
                           "X-Forwarded-For: 198.51.100.7\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_NE(r.find("upstream-ok:0"), std::string::npos);
  EXPECT_NE(r.find("X-Content-Type-Options: nosniff"), std::string::npos) << r;
  EXPECT_NE(r.find("X-Frame-Options: SAMEORIGIN"), std::string::npos);
  EXPECT_NE(r.find("Content-Security-Policy: "), std::string::npos);
  EXPECT_NE(r.find("Referrer-Policy: "), std::string::npos);
  // No HSTS on plain HTTP.
  EXPECT_EQ(r.find("Strict-Transport-Security"), std::string::npos);
  ASSERT_EQ(up.heads().size(), 1u);
  std::string h = up.heads()[0];
  EXPECT_EQ(h.rfind("GET /index.html?id=42 HTTP/1.1\r\n", 0), 0u) << h;
  EXPECT_NE(h.find("Host: www.example.gov.cn\r\n"), std::string::npos);
  EXPECT_NE(h.find("X-Forwarded-For: 198.51.100.7, 127.0.0.1\r\n"), std::string::npos) << h;
  EXPECT_NE(h.find("X-Request-ID: "), std::string::npos);
  // The client's hop-by-hop Connection: close is not forwarded.
  EXPECT_EQ(h.find("Connection: close"), std::string::npos) << h;
}

TEST(GatewayProxy, KeepAliveBothSidesAndPipelining) {
  RecordingUpstream up;
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  int fd = ConnectTo(f.port());
  ASSERT_GE(fd, 0);
  // Three sequential requests on one connection.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(SendAll(fd, "GET /a" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string r = ReadUntil(
        fd, [](const std::string& s) { return s.find("upstream-ok:0") != std::string::npos; });
    EXPECT_EQ(StatusOf(r), 200) << r;
  }
  // Three pipelined in one write: answered in order.
  ASSERT_TRUE(SendAll(fd,
                      "GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /p2 HTTP/1.1\r\nHost: x\r\n"
                      "Content-Length: 5\r\n\r\nhelloGET /p3 HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = ReadUntil(fd, [](const std::string& s) { return Count(s, "HTTP/1.1 200") >= 3; });
  EXPECT_EQ(Count(r, "HTTP/1.1 200"), 3u) << r;
  size_t a = r.find("upstream-ok:0"), b = r.find("upstream-ok:5");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_LT(a, b);
  close(fd);
  // Six requests over ONE upstream connection (upstream keep-alive pool).
  EXPECT_EQ(up.requests(), 6);
  EXPECT_EQ(up.connections(), 1);
  auto heads = up.heads();
  ASSERT_EQ(heads.size(), 6u);
  EXPECT_EQ(heads[3].rfind("GET /p1 ", 0), 0u);
  EXPECT_EQ(heads[4].rfind("POST /p2 ", 0), 0u);
  EXPECT_EQ(heads[5].rfind("GET /p3 ", 0), 0u);
}

TEST(GatewayProxy, ChunkedRequestIsDechunkedAndChunkedResponseIsRelayed) {
  RecordingUpstream up([](const std::string&, const std::string& body) {
    return "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
           "chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n";
  });
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  std::string r = Exchange(f.port(),
                           "POST /form HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                           "Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_NE(r.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_NE(r.find("4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n"), std::string::npos) << r;
  ASSERT_EQ(up.bodies().size(), 1u);
  EXPECT_EQ(up.bodies()[0], "hello world");
  // Fully buffered within the inspection limit: forwarded with a Content-Length.
  EXPECT_NE(up.heads()[0].find("Content-Length: 11\r\n"), std::string::npos) << up.heads()[0];
  EXPECT_EQ(up.heads()[0].find("Transfer-Encoding"), std::string::npos);
}

TEST(GatewayProxy, BodyBeyondInspectionLimitIsStreamed) {
  RecordingUpstream up;
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.sites[0].inspection_limit = 1024;
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  std::string body(300 * 1024, 'x');
  for (size_t i = 0; i < body.size(); i += 997) body[i] = static_cast<char>('a' + i % 26);
  std::string chunked;
  for (size_t off = 0; off < body.size(); off += 7000) {
    size_t n = std::min<size_t>(7000, body.size() - off);
    char hex[16];
    snprintf(hex, sizeof(hex), "%zx", n);
    chunked += std::string(hex) + "\r\n" + body.substr(off, n) + "\r\n";
  }
  chunked += "0\r\n\r\n";
  std::string r = Exchange(f.port(),
                           "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                           "Connection: close\r\n\r\n" +
                               chunked);
  EXPECT_EQ(StatusOf(r), 200) << r.substr(0, 200);
  ASSERT_EQ(up.bodies().size(), 1u);
  EXPECT_EQ(up.bodies()[0], body);
  // Streamed: the gateway could not know the length, so it re-chunked.
  EXPECT_NE(up.heads()[0].find("Transfer-Encoding: chunked"), std::string::npos);
  auto recs = f.Records("access");
  ASSERT_FALSE(recs.empty());
  EXPECT_NE(recs.back().find("\"body_truncated\":true"), std::string::npos) << recs.back();
}

TEST(GatewayProxy, AccessRecordPerRequestInTheAuditStore) {
  RecordingUpstream up;
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(StatusOf(Exchange(f.port(), "GET /n" + std::to_string(i) +
                                              " HTTP/1.1\r\nHost: portal.gov.cn\r\nUser-Agent: "
                                              "测试\r\nConnection: close\r\n\r\n")),
              200);
  auto recs = f.Records("access");
  ASSERT_EQ(recs.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NE(recs[i].find("\"target\":\"/n" + std::to_string(i) + "\""), std::string::npos)
        << recs[i];
    EXPECT_NE(recs[i].find("\"status\":200"), std::string::npos);
    EXPECT_NE(recs[i].find("\"host\":\"portal.gov.cn\""), std::string::npos);
    EXPECT_NE(recs[i].find("\"user_agent\":\"测试\""), std::string::npos) << recs[i];
  }
}

TEST(GatewayProxy, UpstreamDownGives502AndFailoverUsesTheOtherServer) {
  RecordingUpstream live;
  // A port with nothing listening: bind, learn, close.
  int tmp = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(tmp, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(tmp, reinterpret_cast<sockaddr*>(&a), &len);
  uint16_t dead_port = ntohs(a.sin_port);
  close(tmp);
  {
    GatewayFixture f(OneSiteSpec(dead_port));
    ASSERT_TRUE(f.ok()) << f.error();
    std::string r = Exchange(f.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(StatusOf(r), 502) << r;
    EXPECT_GE(f.gw().metrics().upstream_errors.load(), 1u);
  }
  GatewaySpec spec = OneSiteSpec(dead_port);
  spec.sites[0].upstream.servers.push_back("127.0.0.1:" + std::to_string(live.port()));
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  for (int i = 0; i < 4; ++i) {
    std::string r = Exchange(f.port(), "GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(StatusOf(r), 200) << r;
  }
  EXPECT_EQ(live.requests(), 4);
}

TEST(GatewayProxy, SlowUpstreamGives504) {
  RecordingUpstream up([](const std::string&, const std::string&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    return std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  });
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.sites[0].upstream.response_timeout_ms = 300;
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  std::string r = Exchange(f.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 504) << r;
}

TEST(GatewayProxy, SlowlorisHeadGets408AndIsClosed) {
  RecordingUpstream up;
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.header_timeout_ms = 400;
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  int fd = ConnectTo(f.port());
  ASSERT_TRUE(SendAll(fd, "GET / HTTP/1.1\r\nHost: x\r\nX-a: 1\r\n"));
  std::string r = testing::ReadUntilClose(fd, 3000);
  close(fd);
  EXPECT_EQ(StatusOf(r), 408) << r;
  EXPECT_EQ(up.requests(), 0);
  EXPECT_GE(f.gw().metrics().timeouts.load(), 1u);
}

TEST(GatewayProxy, UnknownHostGets404WhenNoDefaultSite) {
  RecordingUpstream up;
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.sites[0].server_names = {"www.example.gov.cn", "*.example.gov.cn"};
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(StatusOf(Exchange(f.port(),
                              "GET / HTTP/1.1\r\nHost: evil.test\r\nConnection: close\r\n\r\n")),
            404);
  EXPECT_EQ(StatusOf(Exchange(
                f.port(),
                "GET / HTTP/1.1\r\nHost: WWW.Example.gov.cn:8080\r\nConnection: close\r\n\r\n")),
            200);
  EXPECT_EQ(
      StatusOf(Exchange(f.port(),
                        "GET / HTTP/1.1\r\nHost: ban.example.gov.cn\r\nConnection: close\r\n\r\n")),
      200);
  EXPECT_EQ(up.requests(), 2);
}

// A WebSocket upstream's answer to the upgrade, with a first server frame ("SERVER-HELLO").
std::string SwitchingProtocols(const std::string&, const std::string&) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\nSERVER-HELLO";
}

// Sends a WebSocket upgrade on `fd` and reads the answer up to the server's first frame.
std::string UpgradeToWebSocket(int fd) {
  if (!SendAll(
          fd,
          "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
    return "<send failed>";
  }
  return ReadUntil(
      fd, [](const std::string& s) { return s.find("SERVER-HELLO") != std::string::npos; });
}

TEST(GatewayProxy, WebSocketUpgradeIsTunnelled) {
  RecordingUpstream up(SwitchingProtocols);
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  int fd = ConnectTo(f.port());
  std::string r = UpgradeToWebSocket(fd);
  EXPECT_EQ(StatusOf(r), 101) << r;
  EXPECT_NE(r.find("SERVER-HELLO"), std::string::npos);
  ASSERT_TRUE(SendAll(fd, "\x81\x05hello-frame"));
  ASSERT_TRUE(gs::testing::WaitFor(
      [&] { return up.received().find("hello-frame") != std::string::npos; }, 3000));
  close(fd);
  EXPECT_EQ(f.gw().metrics().websocket_tunnels.load(), 1u);
  EXPECT_NE(up.heads()[0].find("Upgrade: websocket"), std::string::npos);
}

// websocket_idle_timeout: a tunnel that keeps carrying bytes stays open past the timeout; one
// that carries nothing is closed on both sides, and counted.
TEST(GatewayProxy, IdleWebSocketTunnelIsClosedActiveOneIsNot) {
  RecordingUpstream up(SwitchingProtocols);
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.websocket_idle_timeout_ms = 800;
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  int fd = ConnectTo(f.port());
  ASSERT_GE(fd, 0);
  std::string r = UpgradeToWebSocket(fd);
  ASSERT_EQ(StatusOf(r), 101) << r;
  // Active: a frame every 200 ms for 2 s (2.5 timeouts); every one gets through.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(SendAll(fd, std::string("\x81\x06") + "frame" + std::to_string(i))) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(
      gs::testing::WaitFor([&] { return up.received().find("frame9") != std::string::npos; }, 3000))
      << ::testing::PrintToString(up.received()) << " closed "
      << f.gw().metrics().websocket_idle_closed.load();
  EXPECT_EQ(f.gw().metrics().websocket_idle_closed.load(), 0u);
  // Idle: the gateway closes the tunnel (the client reads EOF) within the timeout plus a sweep.
  auto t0 = std::chrono::steady_clock::now();
  std::string rest = ReadUntilClose(fd, /*quiet_ms=*/3000, /*total_ms=*/5000);
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(rest, "");
  EXPECT_LT(waited, std::chrono::milliseconds(2500));
  EXPECT_GE(waited, std::chrono::milliseconds(500));
  EXPECT_EQ(f.gw().metrics().websocket_idle_closed.load(), 1u);
  close(fd);
}

TEST(GatewayProxy, AdminPortServesHealthzAndMetrics) {
  RecordingUpstream up;
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  Exchange(f.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  Exchange(f.port(), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
  std::string h = Exchange(f.gw().admin_port(),
                           "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(h), 200);
  std::string m = Exchange(f.gw().admin_port(),
                           "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(m), 200);
  EXPECT_NE(m.find("govshield_gateway_requests_total 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("govshield_gateway_rejected_malformed_total 1\n"), std::string::npos);
  EXPECT_NE(m.find("govshield_gateway_responses_total{class=\"2xx\"} 1\n"), std::string::npos);
  EXPECT_NE(m.find("govshield_gateway_request_duration_seconds_count 1\n"), std::string::npos);
}

TEST(GatewayProxy, ReloadSwapsSitesAndRefusesListenChanges) {
  RecordingUpstream a, b;
  GatewayFixture f(OneSiteSpec(a.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(StatusOf(Exchange(f.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            200);
  GatewaySpec next = OneSiteSpec(b.port());
  auto rt = BuildRuntime(next);
  ASSERT_TRUE(rt.ok());
  ASSERT_TRUE(f.gw().Reload(*rt).ok());
  ASSERT_TRUE(gs::testing::WaitFor(
      [&] {
        Exchange(f.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        return b.requests() > 0;
      },
      3000));
  GatewaySpec moved = next;
  moved.listen = {"127.0.0.1:1"};
  auto rt2 = BuildRuntime(moved);
  ASSERT_TRUE(rt2.ok());
  EXPECT_FALSE(f.gw().Reload(*rt2).ok());
  EXPECT_EQ(f.gw().metrics().reload_failures.load(), 1u);
}

TEST(GatewayProxy, BuildRuntimeNamesEveryProblem) {
  GatewaySpec spec;
  spec.listen = {"nonsense"};
  spec.admin_listen = "0.0.0.0:9";
  SiteSpec s;
  s.name = "a";
  s.upstream.servers = {"host.example:80"};
  spec.sites = {s, s};
  auto rt = BuildRuntime(spec);
  ASSERT_FALSE(rt.ok());
  std::string m(rt.status().message());
  EXPECT_NE(m.find("gateway.listen"), std::string::npos) << m;
  EXPECT_NE(m.find("admin_listen: must be a loopback"), std::string::npos) << m;
  EXPECT_NE(m.find("duplicate site name"), std::string::npos) << m;
  EXPECT_NE(m.find("server_names"), std::string::npos) << m;
  EXPECT_NE(m.find("upstream.servers"), std::string::npos) << m;
}

TEST(GatewayProxy, BlockPageIsBilingualAndEscaped) {
  std::string p = BlockPageHtml(403, "id-<1>", "被拒绝", "Denied");
  EXPECT_NE(p.find("访问被拒绝"), std::string::npos);
  EXPECT_NE(p.find("Access denied"), std::string::npos);
  EXPECT_NE(p.find("id-&lt;1&gt;"), std::string::npos);
  EXPECT_EQ(p.find("id-<1>"), std::string::npos);
}

}  // namespace
}  // namespace gs::gateway
