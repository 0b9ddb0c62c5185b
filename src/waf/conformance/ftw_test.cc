// Unit tests of the CRS runner pieces: go-ftw YAML parsing, the request bytes go-ftw would
// send, the front-server and backend emulations, and stage judging.
#include "waf/conformance/ftw.h"

#include <gtest/gtest.h>

namespace gs::waf::conformance {
namespace {

TEST(FtwParse, StagesInputsAndOutputs) {
  auto tests = ParseFtwYaml(R"(---
meta:
  enabled: true
tests:
  - test_title: 1-1
    stages:
      - stage:
          input:
            dest_addr: 127.0.0.1
            port: 8080
            method: POST
            uri: /x?a=1
            version: HTTP/1.0
            headers:
              Host: localhost
              Content-Length: 7
            data:
              - "a=b"
              - "c=d"
          output:
            status: [403, 400]
            log_contains: id "920100"
  - test_title: 1-2
    stages:
      - stage:
          input:
            encoded_request: R0VUIC8gSFRUUC8xLjANCg0K
          output:
            status: 200
            no_log_contains: id "1"
            expect_error: false
)",
                            "t.yaml");
  ASSERT_TRUE(tests.ok()) << tests.status().ToString();
  ASSERT_EQ(tests->size(), 2u);
  const FtwInput& in = (*tests)[0].stages[0].input;
  EXPECT_EQ(in.port, 8080);
  EXPECT_EQ(in.method, "POST");
  EXPECT_EQ(in.version, "HTTP/1.0");
  EXPECT_EQ(in.data, "a=b\r\nc=d");
  ASSERT_EQ(in.headers.size(), 2u);
  EXPECT_EQ(in.headers[1].second, "7");
  const FtwOutput& out = (*tests)[0].stages[0].output;
  EXPECT_EQ(out.status, (std::vector<int>{403, 400}));
  EXPECT_EQ(out.log_contains.value_or(""), "id \"920100\"");
  const FtwStage& s2 = (*tests)[1].stages[0];
  EXPECT_TRUE(s2.input.raw);
  EXPECT_EQ(s2.input.raw_bytes, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(s2.output.status, (std::vector<int>{200}));
  EXPECT_FALSE(s2.output.expect_error.value_or(true));
}

TEST(FtwParse, BadDocumentsAreErrorsNotCrashes) {
  EXPECT_FALSE(ParseFtwYaml("tests: 3", "a.yaml").ok());
  EXPECT_FALSE(ParseFtwYaml("[", "b.yaml").ok());
  EXPECT_FALSE(
      ParseFtwYaml("tests:\n  - stages: [ {stage: {output: {status: x}}} ]\n", "c.yaml").ok());
}

TEST(FtwRequest, AutocompletesLikeGoFtw) {
  FtwInput in;
  in.method = "POST";
  in.headers = {{"Host", "localhost"}};
  in.has_data = true;
  in.data = "b=2&a=1&a=3";
  std::string wire = BuildFtwRequest(in);
  // Repeated keys: go-ftw re-encodes through url.Values (keys sorted).
  EXPECT_EQ(wire,
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
            "application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: 11\r\n\r\n"
            "a=1&a=3&b=2");
  in.data = "x=<script>";
  wire = BuildFtwRequest(in);
  EXPECT_NE(wire.find("\r\n\r\nx=<script>"), std::string::npos);  // single keys stay as sent
  in.stop_magic = true;
  wire = BuildFtwRequest(in);
  EXPECT_EQ(wire, "POST / HTTP/1.1\r\nHost: localhost\r\n\r\nx=<script>");
}

TEST(FtwRequest, MultipartGetsCrlf) {
  FtwInput in;
  in.method = "POST";
  in.headers = {{"Content-Type", "multipart/form-data; boundary=--b"}};
  in.data = "----b\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\n----b--";
  std::string wire = BuildFtwRequest(in);
  std::string body = wire.substr(wire.find("\r\n\r\n") + 4);
  EXPECT_EQ(body, "----b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n----b--");
  EXPECT_NE(wire.find("Content-Length: " + std::to_string(body.size()) + "\r\n"),
            std::string::npos);
}

TEST(FrontServer, ForwardsAParsedRequest) {
  FrontResult r = EmulateFrontServer(
      "POST /a?b=c HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nX:  y \r\n\r\nabcEXTRA", "10.0.0.1",
      8080);
  ASSERT_EQ(r.kind, FrontResult::Kind::kForwarded) << r.reason;
  EXPECT_EQ(r.exchange.method, "POST");
  EXPECT_EQ(r.exchange.uri, "/a?b=c");
  EXPECT_EQ(r.exchange.http_version, "1.1");
  EXPECT_EQ(r.exchange.server_ip, "10.0.0.1");
  EXPECT_EQ(r.exchange.server_port, 8080);
  ASSERT_EQ(r.exchange.request_headers.size(), 3u);
  EXPECT_EQ(r.exchange.request_headers[2].second, "y");
  EXPECT_EQ(r.exchange.request_body, "abc");
}

TEST(FrontServer, DechunksAndDropsContentLength) {
  FrontResult r = EmulateFrontServer(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nfoo\r\n4\r\n=bar\r\n0\r\n\r\n",
      "127.0.0.1", 80);
  ASSERT_EQ(r.kind, FrontResult::Kind::kForwarded) << r.reason;
  EXPECT_EQ(r.exchange.request_body, "foo=bar");
  for (const auto& h : r.exchange.request_headers) EXPECT_NE(h.first, "Content-Length");
}

TEST(FrontServer, RefusalsAndWaits) {
  auto kind = [](std::string_view wire) { return EmulateFrontServer(wire, "127.0.0.1", 80); };
  EXPECT_EQ(kind("\tGET / HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(kind("GET / JUNK/1.0\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(kind("GET / HTTP/0.9\r\n\r\n").status, 400);
  EXPECT_EQ(kind("GET / HTTP/1.1\r\nHost:\r\n\r\n").status, 400);
  EXPECT_EQ(kind("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: NotDigits\r\n\r\n").status, 400);
  EXPECT_EQ(kind("CONNECT www.example.com HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(kind("CONNECT 1.2.3.4:80 HTTP/1.1\r\nHost: x\r\n\r\n").kind,
            FrontResult::Kind::kForwarded);
  EXPECT_EQ(kind("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(kind("GET \\\\x HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(kind("GET / HTTP/1.1\r\nHost: x\r\nA: b\rc\r\n\r\n").status, 400);
  EXPECT_EQ(kind("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nshort").kind,
            FrontResult::Kind::kNoResponse);
  EXPECT_EQ(kind("GET / \r\nHost: x\r\n\r\n").kind, FrontResult::Kind::kNoResponse);
  EXPECT_EQ(kind("GET / HTTP/1.1\r\nHost: x\r\n").kind, FrontResult::Kind::kNoResponse);
  // HTTP/1.0 needs no Host; bare LF line ends are accepted.
  EXPECT_EQ(kind("GET / HTTP/1.0\n\n").kind, FrontResult::Kind::kForwarded);
}

TEST(Backend, EchoesKnownEndpointsAnd404sTheRest) {
  Exchange ex;
  ex.uri = "/post?x=1";
  ex.request_body = "hello";
  EmulateBackend(&ex);
  EXPECT_EQ(ex.response_status, 200);
  EXPECT_NE(ex.response_body.find("hello"), std::string::npos);
  ex.uri = "/i%FFndex.html";
  EmulateBackend(&ex);
  EXPECT_EQ(ex.response_status, 404);
}

TEST(Judge, IdsStatusAndErrors) {
  FrontResult fwd;
  Evaluation ev;
  ev.outcome.status = 200;
  ev.logged_ids = {920100, 949110};
  FtwOutput want;
  want.log_contains = "id \"920100\"";
  EXPECT_TRUE(JudgeFtwStage(want, fwd, &ev).pass);
  want.log_contains = "id \"920101\"";
  EXPECT_FALSE(JudgeFtwStage(want, fwd, &ev).pass);
  want.log_contains.reset();
  want.no_log_contains = "id \"949110\"";
  EXPECT_FALSE(JudgeFtwStage(want, fwd, &ev).pass);
  want.no_log_contains = "id:949110";  // a regex that never matches the log format
  EXPECT_TRUE(JudgeFtwStage(want, fwd, &ev).pass);
  want = {};
  want.status = {403, 400};
  EXPECT_FALSE(JudgeFtwStage(want, fwd, &ev).pass);
  FrontResult refused;
  refused.kind = FrontResult::Kind::kRefused;
  refused.status = 400;
  EXPECT_TRUE(JudgeFtwStage(want, refused, nullptr).pass);
  want = {};
  want.expect_error = true;
  FrontResult waits;
  waits.kind = FrontResult::Kind::kNoResponse;
  EXPECT_TRUE(JudgeFtwStage(want, waits, nullptr).pass);
  EXPECT_FALSE(JudgeFtwStage(want, fwd, &ev).pass);
  EXPECT_EQ(FtwPatternIds("id \"942100\""), (std::vector<int64_t>{942100}));
  EXPECT_EQ(FtwPatternIds("930120"), (std::vector<int64_t>{930120}));
  EXPECT_TRUE(FtwPatternIds("id:1").empty());
}

}  // namespace
}  // namespace gs::waf::conformance
