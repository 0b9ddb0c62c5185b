// End-to-end tests of IngestServer over real loopback sockets: the real `logger` (bsdutils)
// sending RFC 5424 / RFC 3164 over UDP and TCP, raw sockets for framing edge cases and
// malformed input, and the real `curl` against the HTTP/JSON endpoint.
#include "logingest/ingest_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "logingest/test_util.h"
#include "testlib/memory_sink.h"
#include "testlib/subprocess.h"

namespace gs::logingest {
namespace {

using gs::testing::MemorySink;
using gs::testing::RunProcess;
using gs::testing::WaitFor;
using testutil::HasAnomaly;
using testutil::ParseObject;
using testutil::RawOf;

class IngestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = IngestServer::Start(IngestOptions{}, &sink_, SystemTime());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    ASSERT_GT(server_->udp_port(), 0);
    ASSERT_GT(server_->tcp_port(), 0);
    ASSERT_GT(server_->http_port(), 0);
  }
  bool WaitRecords(size_t n) {
    return WaitFor([&] { return sink_.size() >= n; }, 10000);
  }
  int Logger(std::vector<std::string> extra) {
    std::vector<std::string> argv = {"logger", "-n", "127.0.0.1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunProcess(argv).exit_code;
  }
  std::string Port(int p) { return std::to_string(p); }

  MemorySink sink_;
  std::unique_ptr<IngestServer> server_;
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) return -1;
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

void SendAll(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    s.remove_prefix(static_cast<size_t>(n));
  }
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

void SendUdp(int port, std::string_view s) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sendto(fd, s.data(), s.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  close(fd);
}

TEST_F(IngestServerTest, LoggerRfc5424OverUdpAndTcp) {
  ASSERT_EQ(
      Logger({"-P", Port(server_->udp_port()), "-d", "--rfc5424", "-t", "udpapp", "--msgid", "M1",
              "--sd-id", "zoo@123", "--sd-param", "tiger=\"hungry\"", "hello over udp"}),
      0);
  ASSERT_TRUE(WaitRecords(1));
  ASSERT_EQ(Logger({"-P", Port(server_->tcp_port()), "-T", "--octet-count", "--rfc5424", "-t",
                    "tcpapp", "-p", "auth.warning", "hello over tcp 政盾"}),
            0);
  ASSERT_TRUE(WaitRecords(2));
  ASSERT_EQ(
      Logger({"-P", Port(server_->tcp_port()), "-T", "--rfc5424", "-t", "nlapp", "newline framed"}),
      0);
  ASSERT_TRUE(WaitRecords(3));

  auto u = sink_.At(0);
  EXPECT_EQ(u["transport"], "udp");
  EXPECT_EQ(u["format"], "rfc5424");
  EXPECT_EQ(u["app_name"], "udpapp");
  EXPECT_EQ(u["msgid"], "M1");
  EXPECT_EQ(u["sd"]["zoo@123"]["tiger"], "hungry");
  EXPECT_EQ(u["msg"], "hello over udp");
  EXPECT_FALSE(u.contains("anomaly"));
  EXPECT_EQ(u["peer"].get<std::string>().rfind("127.0.0.1:", 0), 0u);
  // logger's own timestamp (microseconds) is used, and it is close to the receive time.
  auto ts = ParseRfc3339(u["ts"].get<std::string>());
  auto recv = ParseRfc3339(u["received_at"].get<std::string>());
  ASSERT_TRUE(ts.ok() && recv.ok());
  EXPECT_LT(std::llabs(*recv - *ts), 10 * kNanosPerSecond);

  auto t = sink_.At(1);
  EXPECT_EQ(t["transport"], "tcp");
  EXPECT_EQ(t["app_name"], "tcpapp");
  EXPECT_EQ(t["facility"], 4);  // auth
  EXPECT_EQ(t["severity"], 4);  // warning
  EXPECT_EQ(t["msg"], "hello over tcp 政盾");
  EXPECT_FALSE(t.contains("anomaly"));
  auto n = sink_.At(2);
  EXPECT_EQ(n["msg"], "newline framed");
  EXPECT_FALSE(n.contains("anomaly")) << n.dump();
  EXPECT_EQ(server_->counters().stored, 3u);
  EXPECT_EQ(server_->counters().anomalies, 0u);
}

TEST_F(IngestServerTest, LoggerRfc3164OverUdpAndTcp) {
  ASSERT_EQ(
      Logger({"-P", Port(server_->udp_port()), "-d", "--rfc3164", "-t", "bsdapp", "bsd over udp"}),
      0);
  ASSERT_TRUE(WaitRecords(1));
  ASSERT_EQ(Logger({"-P", Port(server_->tcp_port()), "-T", "--rfc3164", "-t", "bsdtcp", "-i",
                    "bsd over tcp"}),
            0);
  ASSERT_TRUE(WaitRecords(2));
  for (size_t i = 0; i < 2; ++i) {
    auto r = sink_.At(i);
    EXPECT_EQ(r["format"], "rfc3164") << r.dump();
    EXPECT_FALSE(r.contains("anomaly")) << r.dump();
    EXPECT_TRUE(r.contains("hostname"));
  }
  EXPECT_EQ(sink_.At(0)["app_name"], "bsdapp");
  EXPECT_EQ(sink_.At(0)["msg"], "bsd over udp");
  EXPECT_EQ(sink_.At(1)["app_name"], "bsdtcp");
  EXPECT_FALSE(sink_.At(1)["procid"].get<std::string>().empty());
  EXPECT_EQ(sink_.At(1)["msg"], "bsd over tcp");
}

TEST_F(IngestServerTest, RawTcpOctetCountingEdgeCases) {
  int fd = Connect(server_->tcp_port());
  ASSERT_GE(fd, 0);
  std::string m1 = "<14>1 - h app - - - one";
  std::string m2 = "<14>1 - h app - - - two\nstill two";
  std::string stream = std::to_string(m1.size()) + " " + m1 + std::to_string(m2.size()) + " " + m2;
  // Byte by byte: the frame boundaries must not depend on how TCP segments the stream.
  for (char c : stream) SendAll(fd, std::string_view(&c, 1));
  ASSERT_TRUE(WaitRecords(2));
  SendAll(fd, "30 <14>1 - h app - - - cut");  // connection ends inside the frame
  shutdown(fd, SHUT_WR);
  ReadAll(fd);
  close(fd);
  ASSERT_TRUE(WaitRecords(3));
  EXPECT_EQ(sink_.At(0)["msg"], "one");
  EXPECT_EQ(sink_.At(1)["msg"], "two\nstill two");
  auto cut = sink_.At(2);
  EXPECT_TRUE(HasAnomaly(cut, "unterminated_frame"));
  EXPECT_EQ(RawOf(cut), "<14>1 - h app - - - cut");
  EXPECT_EQ(server_->counters().anomalies, 1u);
}

TEST_F(IngestServerTest, MalformedInputIsStoredWithAnomalyNeverDropped) {
  const std::vector<std::string> udp_bad = {
      "no pri at all",
      "<999>bad pri",
      "<13>1 2003-99-99T00:00:00Z h a - - - bad time",
      "<13>1 - h a - - [unclosed",
      std::string("<13>1 - h a - - - \xff\xfe\x00 binary", 27),
      "<13>7 - h a - - - version 7"};
  for (const auto& m : udp_bad) SendUdp(server_->udp_port(), m);
  ASSERT_TRUE(WaitRecords(udp_bad.size()));
  int fd = Connect(server_->tcp_port());
  SendAll(fd, "12x garbage header\n<13>Jan 99 99:99:99 x y: z\n");
  shutdown(fd, SHUT_WR);
  ReadAll(fd);
  close(fd);
  ASSERT_TRUE(WaitRecords(udp_bad.size() + 2));
  std::vector<std::string> raws;
  for (size_t i = 0; i < sink_.size(); ++i) {
    auto r = sink_.At(i);
    EXPECT_TRUE(r.contains("anomaly")) << r.dump();
    EXPECT_GT(r["anomaly"].size(), 0u);
    raws.push_back(RawOf(r));
  }
  for (const auto& m : udp_bad) EXPECT_NE(std::find(raws.begin(), raws.end(), m), raws.end()) << m;
  EXPECT_NE(std::find(raws.begin(), raws.end(), "12x garbage header"), raws.end());
  auto c = server_->counters();
  EXPECT_EQ(c.received, udp_bad.size() + 2);
  EXPECT_EQ(c.stored, udp_bad.size() + 2);
  EXPECT_EQ(c.anomalies, udp_bad.size() + 2);
  EXPECT_EQ(c.errors, 0u);
}

struct CurlResult {
  int status = 0;
  nlohmann::json body;
};

CurlResult Curl(int port, std::vector<std::string> args, const std::string& stdin_data = "") {
  std::vector<std::string> argv = {"curl", "-sS", "-o", "-", "-w", "\n%{http_code}"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = RunProcess(argv, stdin_data, 30000);
  CurlResult out;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  size_t nl = r.out.rfind('\n');
  if (nl == std::string::npos) return out;
  out.status = std::atoi(r.out.c_str() + nl + 1);
  out.body = nlohmann::json::parse(r.out.substr(0, nl), nullptr, false);
  return out;
}

TEST_F(IngestServerTest, HttpIngestWithCurl) {
  std::string url = "http://127.0.0.1:" + Port(server_->http_port());
  auto one = Curl(0, {"-H", "Content-Type: application/json", "--data-binary",
                      R"({"source":"gateway","type":"block","rule":942100})", url + "/v1/records"});
  EXPECT_EQ(one.status, 200);
  ASSERT_TRUE(one.body.is_object());
  EXPECT_EQ(one.body["count"], 1);
  EXPECT_EQ(one.body["seqs"][0], 0);

  auto arr = Curl(0, {"--data-binary", R"([{"n":1},{"n":2,"ts":"2026-11-25T00:00:00Z"}])",
                      url + "/v1/records"});
  EXPECT_EQ(arr.status, 200);
  EXPECT_EQ(arr.body["seqs"], nlohmann::json::parse("[1,2]"));

  std::string nd;
  for (int i = 0; i < 200; ++i) nd += R"({"source":"tamper","i":)" + std::to_string(i) + "}\n";
  // Over 1 KiB: curl sends "Expect: 100-continue" and waits for our interim response.
  auto ndj = Curl(
      0, {"-H", "Content-Type: application/x-ndjson", "--data-binary", "@-", url + "/v1/records"},
      nd);
  EXPECT_EQ(ndj.status, 200);
  EXPECT_EQ(ndj.body["count"], 200);
  EXPECT_EQ(ndj.body["seqs"][199], 202);
  ASSERT_EQ(sink_.size(), 203u);
  EXPECT_EQ(sink_.At(0)["rule"], 942100);
  EXPECT_TRUE(sink_.At(0).contains("ts"));
  EXPECT_EQ(sink_.At(2)["ts"], "2026-11-25T00:00:00Z");
  EXPECT_EQ(sink_.At(202)["i"], 199);

  auto bad = Curl(0, {"--data-binary", "{not json", url + "/v1/records"});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"], "invalid_json");
  auto notobj = Curl(0, {"--data-binary", "[1]", url + "/v1/records"});
  EXPECT_EQ(notobj.status, 400);
  EXPECT_EQ(notobj.body["error"], "not_an_object");

  std::string huge = "{\"x\":\"" + std::string(5 << 20, 'a') + "\"}";
  auto big = Curl(0, {"--data-binary", "@-", url + "/v1/records"}, huge);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body["error"], "body_too_large");

  auto health = Curl(0, {url + "/healthz"});
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "ok");
  EXPECT_EQ(health.body["stored"], 203);

  EXPECT_EQ(Curl(0, {url + "/nope"}).status, 404);
  EXPECT_EQ(Curl(0, {url + "/v1/records"}).status, 405);  // GET
  EXPECT_EQ(sink_.size(), 203u);                          // nothing from the rejected requests
  auto c = server_->counters();
  EXPECT_EQ(c.stored, 203u);
  EXPECT_EQ(c.http_rejected, 5u);
}

TEST_F(IngestServerTest, HttpSmugglingShapesGet400AndStoreNothing) {
  const char* reqs[] = {
      "POST /v1/records HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n{\"a\":1}",
      "POST /v1/records HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\nContent-Length: 8\r\n\r\n"
      "{\"a\":1}",
      "POST /v1/records HTTP/1.1\r\nHost: a\nContent-Length: 7\r\n\r\n{\"a\":1}",
      "POST /v1/records HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "7 \r\n{\"a\":1}\r\n0\r\n\r\n",
  };
  const char* reasons[] = {"content_length_with_transfer_encoding", "duplicate_content_length",
                           "bare_lf", "invalid_chunk_size"};
  for (size_t i = 0; i < 4; ++i) {
    int fd = Connect(server_->http_port());
    ASSERT_GE(fd, 0);
    SendAll(fd, reqs[i]);
    std::string resp = ReadAll(fd);  // the server closes after a 400
    close(fd);
    EXPECT_EQ(resp.rfind("HTTP/1.1 400 ", 0), 0u) << resp;
    EXPECT_NE(resp.find(reasons[i]), std::string::npos) << resp;
  }
  // A valid request delivered one byte per send() is parsed the same.
  {
    int fd = Connect(server_->http_port());
    std::string req =
        "POST /v1/records HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
        "{\"z\":0}";
    for (char ch : req) SendAll(fd, std::string_view(&ch, 1));
    std::string r = ReadAll(fd);
    close(fd);
    EXPECT_EQ(r.rfind("HTTP/1.1 200 ", 0), 0u) << r;
    ASSERT_EQ(sink_.size(), 1u);
    EXPECT_EQ(sink_.At(0)["z"], 0);
  }
  // A valid chunked, keep-alive, pipelined pair on one connection works.
  int fd = Connect(server_->http_port());
  SendAll(fd,
          "POST /v1/records HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
          "3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n"
          "POST /v1/records HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
          "{\"b\":2}");
  std::string resp = ReadAll(fd);
  close(fd);
  EXPECT_NE(resp.find("{\"seqs\":[1],\"count\":1}"), std::string::npos) << resp;
  EXPECT_NE(resp.find("{\"seqs\":[2],\"count\":1}"), std::string::npos) << resp;
  ASSERT_EQ(sink_.size(), 3u);
  EXPECT_EQ(sink_.At(1)["a"], 1);
  EXPECT_EQ(sink_.At(2)["b"], 2);
  EXPECT_EQ(server_->counters().http_rejected, 4u);
}

TEST_F(IngestServerTest, SinkFailureIsCountedAndReported) {
  sink_.FailAfter(0);
  SendUdp(server_->udp_port(), "<13>1 - h a - - - lost");
  ASSERT_TRUE(WaitFor([&] { return server_->counters().errors >= 1; }));
  std::string url = "http://127.0.0.1:" + Port(server_->http_port());
  auto r = Curl(0, {"--data-binary", "{\"a\":1}", url + "/v1/records"});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body["error"], "sink_failed");
  auto c = server_->counters();
  EXPECT_EQ(c.errors, 2u);
  EXPECT_EQ(c.stored, 0u);
}

TEST(IngestServer, DisabledListenersAndStopStoresPartialFrames) {
  MemorySink sink;
  IngestOptions o;
  o.udp_port = -1;
  o.http_port = -1;
  auto s = IngestServer::Start(o, &sink, SystemTime());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->udp_port(), -1);
  EXPECT_EQ((*s)->http_port(), -1);
  ASSERT_GT((*s)->tcp_port(), 0);
  int fd = Connect((*s)->tcp_port());
  // Complete messages and a partial one, then an immediate Stop(): whatever the kernel accepted
  // is stored, whether or not the loop had read it yet.
  SendAll(fd, "<13>1 - h a - - - first\n<13>1 - h a - - - partial without newline");
  (*s)->Stop();
  close(fd);
  ASSERT_EQ(sink.size(), 2u);
  EXPECT_EQ(sink.At(0)["msg"], "first");
  EXPECT_FALSE(sink.At(0).contains("anomaly"));
  auto r = sink.At(1);
  EXPECT_EQ(r["msg"], "partial without newline");
  EXPECT_TRUE(HasAnomaly(r, "unterminated_frame"));
  (*s)->Stop();  // idempotent
}

TEST(IngestServer, SlowHttpClientsAreCutOffAtTheRequestDeadline) {
  MemorySink sink;
  IngestOptions o;
  o.udp_port = o.tcp_port = -1;
  o.request_timeout_ms = 300;
  auto s = IngestServer::Start(o, &sink, SystemTime());
  ASSERT_TRUE(s.ok());
  int fd = Connect((*s)->http_port());
  ASSERT_GE(fd, 0);
  auto start = std::chrono::steady_clock::now();
  // Keep trickling header bytes (so the idle timeout never fires) but never finish the head.
  SendAll(fd, "POST /v1/records HTTP/1.1\r\n");
  std::string got;
  for (int i = 0; i < 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (send(fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) < 0) break;
  }
  got = ReadAll(fd);
  close(fd);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got, "");  // closed without a response
  EXPECT_LT(took, std::chrono::milliseconds(3500));
  EXPECT_EQ(sink.size(), 0u);
}

TEST(IngestServer, BadOptionsAreRefused) {
  MemorySink sink;
  IngestOptions o;
  o.bind_host = "not-an-ip";
  EXPECT_FALSE(IngestServer::Start(o, &sink, SystemTime()).ok());
  o = IngestOptions{};
  o.tcp_port = 70000;
  EXPECT_FALSE(IngestServer::Start(o, &sink, SystemTime()).ok());
  EXPECT_FALSE(IngestServer::Start(IngestOptions{}, nullptr, SystemTime()).ok());
}

TEST(IngestServer, InjectedClockStampsRecordsWithoutTimestamp) {
  MemorySink sink;
  ManualTimeSource clock(*ParseRfc3339("2030-01-02T03:04:05Z"));
  IngestOptions o;
  o.tcp_port = o.http_port = -1;
  auto s = IngestServer::Start(o, &sink, clock);
  ASSERT_TRUE(s.ok());
  SendUdp((*s)->udp_port(), "<13>1 - h a - - - no time");
  ASSERT_TRUE(WaitFor([&] { return sink.size() == 1; }));
  EXPECT_EQ(sink.At(0)["ts"], "2030-01-02T03:04:05Z");
  EXPECT_EQ(sink.At(0)["received_at"], "2030-01-02T03:04:05Z");
}

}  // namespace
}  // namespace gs::logingest
