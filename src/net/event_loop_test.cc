// Tests for EventLoop, TcpServer and the socket helpers over real loopback sockets (port 0).
#include "net/event_loop.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "net/http_server_thread.h"
#include "net/socket.h"
#include "net/tcp_server.h"

namespace gs::net {
namespace {

int ConnectTcp(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

std::string ReadUntilClose(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Upper-cases what it receives and echoes it; closes on EOF.
class UpperEcho : public StreamHandler {
 public:
  void OnData(TcpConnection& c, std::string_view d) override {
    std::string s(d);
    for (char& ch : s) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
    c.Write(s);
  }
};

TEST(SocketAddress, ParsesAndFormats) {
  auto a = SocketAddress::Parse("127.0.0.1", 514);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->ToString(), "127.0.0.1:514");
  auto b = SocketAddress::Parse("::1", 80);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->ToString(), "[::1]:80");
  EXPECT_FALSE(SocketAddress::Parse("localhost", 1).ok());
  EXPECT_FALSE(SocketAddress::Parse("1.2.3.999", 1).ok());
}

TEST(EventLoop, PostAndStopFromAnotherThread) {
  auto loop = EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  std::atomic<int> ran{0};
  std::thread t([&] { (*loop)->Run(); });
  for (int i = 0; i < 100; ++i) (*loop)->Post([&] { ran.fetch_add(1); });
  (*loop)->Post([&] { (*loop)->Stop(); });
  t.join();
  EXPECT_EQ(ran.load(), 100);
}

TEST(EventLoop, TimersFireInOrderAndCancelWorks) {
  auto loop = EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  std::string order;
  EventLoop* l = loop->get();
  l->RunAfter(30, [&] { order += "b"; });
  l->RunAfter(10, [&] { order += "a"; });
  auto id = l->RunAfter(20, [&] { order += "x"; });
  l->CancelTimer(id);
  l->RunAfter(50, [&] { l->Stop(); });
  l->Run();
  EXPECT_EQ(order, "ab");
}

TEST(TcpServer, EchoesOverLoopbackAndCountsConnections) {
  auto loop = EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  EventLoop* l = loop->get();
  auto addr = SocketAddress::Parse("127.0.0.1", 0);
  auto server = TcpServer::Start(
      l, *addr, [](const TcpConnection&) { return std::make_unique<UpperEcho>(); });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  uint16_t port = (*server)->port();
  ASSERT_NE(port, 0);
  std::thread t([&] { l->Run(); });

  std::string big(300000, 'q');  // larger than socket buffers: exercises the write queue
  std::string got;
  std::thread client([&] {
    int fd = ConnectTcp(port);
    ASSERT_GE(fd, 0);
    std::thread reader([&] { got = ReadUntilClose(fd); });
    size_t off = 0;
    while (off < big.size()) {
      ssize_t n = send(fd, big.data() + off, big.size() - off, 0);
      ASSERT_GT(n, 0);
      off += static_cast<size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    reader.join();
    close(fd);
  });
  client.join();
  std::atomic<uint64_t> accepted{0};
  l->Post([&] {
    accepted = (*server)->accepted_total();
    server->reset();  // destroy on the loop thread
    l->Stop();
  });
  t.join();
  EXPECT_EQ(got, std::string(300000, 'Q'));
  EXPECT_EQ(accepted.load(), 1u);
}

TEST(TcpServer, IdleConnectionsAreClosedAndCapIsEnforced) {
  auto loop = EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  EventLoop* l = loop->get();
  TcpServerOptions opts;
  opts.idle_timeout_ms = 200;
  opts.max_connections = 1;
  auto server = TcpServer::Start(
      l, *SocketAddress::Parse("127.0.0.1", 0),
      [](const TcpConnection&) { return std::make_unique<UpperEcho>(); }, opts);
  ASSERT_TRUE(server.ok());
  uint16_t port = (*server)->port();
  std::thread t([&] { l->Run(); });
  int a = ConnectTcp(port);
  ASSERT_GE(a, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int b = ConnectTcp(port);  // over the cap: accepted by the kernel, closed by us
  ASSERT_GE(b, 0);
  EXPECT_EQ(ReadUntilClose(b), "");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ReadUntilClose(a), "");  // returns when the idle sweep closes it
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_LT(waited, std::chrono::seconds(4));
  std::atomic<uint64_t> refused{0};
  l->Post([&] {
    refused = (*server)->refused_total();
    server->reset();
    l->Stop();
  });
  t.join();
  close(a);
  close(b);
  EXPECT_EQ(refused.load(), 1u);
}

TEST(Udp, BindsPortZeroAndReceives) {
  auto fd = BindUdp(*SocketAddress::Parse("127.0.0.1", 0));
  ASSERT_TRUE(fd.ok());
  auto local = LocalAddress(fd->get());
  ASSERT_TRUE(local.ok());
  ASSERT_NE(local->port(), 0);
  int c = socket(AF_INET, SOCK_DGRAM, 0);
  sendto(c, "ping", 4, 0, local->sa(), local->len);
  close(c);
  char buf[16];
  ssize_t n = -1;
  for (int i = 0; i < 200 && n < 0; ++i) {
    n = recv(fd->get(), buf, sizeof(buf), 0);
    if (n < 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(n, 4);
  EXPECT_EQ(std::string(buf, 4), "ping");
}

// The built-in upstreams' server: pipelined keep-alive requests are answered in order with the
// handler's bytes (bodies dechunked, headers as sent), Connection: close ends the connection, and
// a malformed request gets 400 and a close.
TEST(HttpServerThread, AnswersPipelinedRequestsInOrderAndRefusesMalformedOnes) {
  auto addr = SocketAddress::Parse("127.0.0.1", 0);
  ASSERT_TRUE(addr.ok());
  auto srv = HttpServerThread::Start(*addr, [](const HttpServerRequest& r) {
    std::string body = r.method + " " + r.target + " [" + r.body + "] " +
                       (r.headers.empty() ? "" : r.headers.back().first) + "\n";
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  });
  ASSERT_TRUE(srv.ok()) << srv.status().ToString();
  int fd = ConnectTcp((*srv)->port());
  ASSERT_GE(fd, 0);
  std::string reqs =
      "GET /a HTTP/1.1\r\nHost: x\r\nX-One: 1\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(send(fd, reqs.data(), reqs.size(), 0), static_cast<ssize_t>(reqs.size()));
  std::string out = ReadUntilClose(fd);
  close(fd);
  size_t a = out.find("GET /a [] X-One"), b = out.find("POST /b [abc] Transfer-Encoding"),
         c = out.find("GET /c [] Connection");
  ASSERT_NE(a, std::string::npos) << out;
  ASSERT_NE(b, std::string::npos) << out;
  ASSERT_NE(c, std::string::npos) << out;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);

  fd = ConnectTcp((*srv)->port());
  ASSERT_GE(fd, 0);
  std::string bad = "GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
  ASSERT_EQ(send(fd, bad.data(), bad.size(), 0), static_cast<ssize_t>(bad.size()));
  out = ReadUntilClose(fd);
  close(fd);
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
}

}  // namespace
}  // namespace gs::net
