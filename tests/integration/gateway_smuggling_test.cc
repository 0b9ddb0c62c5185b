// Request smuggling and malformed-request suite (issue 4, acceptance 2). A real gateway on
// 127.0.0.1 (port 0) in front of a real upstream socket that records every byte it receives,
// writing into a real AuditStore. For each case: the client gets 400, the upstream received
// nothing, and exactly one new "http_reject" audit record names the expected reason.
#include <gtest/gtest.h>

#include "tests/integration/gateway_test_util.h"

namespace gs::gateway {
namespace {

using testing::Exchange;
using testing::GatewayFixture;
using testing::OneSiteSpec;
using testing::RecordingUpstream;
using testing::StatusOf;

struct Case {
  const char* name;
  std::string raw;
  const char* reason;  // expected HttpErrorName
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<Case> Cases() {
  const std::string h = "POST /s HTTP/1.1\r\nHost: www.example.gov.cn\r\n";
  const std::string g = "GET /s HTTP/1.1\r\nHost: www.example.gov.cn\r\n";
  const std::string te = h + "Transfer-Encoding: chunked\r\n\r\n";
  return {
      // Content-Length together with Transfer-Encoding (CL.TE / TE.CL).
      {"ClThenTe", h + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
       "content_length_with_transfer_encoding"},
      {"TeThenCl",
       h + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
       "content_length_with_transfer_encoding"},
      {"ClWithTeIdentity", h + "Content-Length: 4\r\nTransfer-Encoding: identity\r\n\r\nabcd",
       "unsupported_transfer_encoding"},
      // Content-Length shapes.
      {"DuplicateClSame", h + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
       "duplicate_content_length"},
      {"DuplicateClDifferent", h + "Content-Length: 5\r\nContent-Length: 11\r\n\r\nhello world",
       "duplicate_content_length"},
      {"ClList", h + "Content-Length: 5, 5\r\n\r\nhello", "invalid_content_length"},
      {"ClNegative", h + "Content-Length: -1\r\n\r\n", "invalid_content_length"},
      {"ClPlus", h + "Content-Length: +5\r\n\r\nhello", "invalid_content_length"},
      {"ClHex", h + "Content-Length: 0x5\r\n\r\nhello", "invalid_content_length"},
      {"ClInnerSpace", h + "Content-Length: 1 2\r\n\r\nhello world!", "invalid_content_length"},
      {"ClEmpty", h + "Content-Length: \r\n\r\n", "invalid_content_length"},
      {"ClTooManyDigits", h + "Content-Length: 1234567890123456789\r\n\r\n",
       "invalid_content_length"},
      {"ClSpaceBeforeColon", h + "Content-Length : 5\r\n\r\nhello", "whitespace_before_colon"},
      // Transfer-Encoding shapes.
      {"TeDuplicate",
       h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       "duplicate_transfer_encoding"},
      {"TeChunkedIdentity", h + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
       "unsupported_transfer_encoding"},
      {"TeGzipChunked", h + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
       "unsupported_transfer_encoding"},
      {"TeXchunked", h + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
       "unsupported_transfer_encoding"},
      {"TeTruncated", h + "Transfer-Encoding: chunk\r\n\r\n0\r\n\r\n",
       "unsupported_transfer_encoding"},
      {"TeInHttp10", "POST /s HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       "transfer_encoding_in_http10"},
      {"TeObsFold", h + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", "obs_fold"},
      {"TeSpaceBeforeColon", h + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
       "whitespace_before_colon"},
      {"TeTabBeforeColon", h + "Transfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n",
       "whitespace_before_colon"},
      // Chunk framing.
      {"ChunkSizeNotHex", te + "zz\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size"},
      {"ChunkSizeLeadingSpace", te + " 5\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size"},
      {"ChunkSizeBwsBeforeExt", te + "5 ;x=1\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size"},
      {"ChunkSizeOverflow", te + "10000000000000005\r\nhello\r\n0\r\n\r\n", "chunk_size_overflow"},
      {"ChunkSizeNegative", te + "-5\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size"},
      {"ChunkDataNoCrlf", te + "5\r\nhelloXX0\r\n\r\n", "missing_chunk_crlf"},
      {"ChunkLineBareLf", te + "5\nhello\r\n0\r\n\r\n", "bare_lf"},
      {"ChunkExtControlChar",
       te + "5;a\x01"
            "b\r\nhello\r\n0\r\n\r\n",
       "invalid_chunk_extension"},
      {"TrailerContentLength", te + "5\r\nhello\r\n0\r\nContent-Length: 9\r\n\r\n",
       "invalid_trailer"},
      {"TrailerTransferEncoding", te + "0\r\nTransfer-Encoding: chunked\r\n\r\n",
       "invalid_trailer"},
      // Line structure.
      {"ObsFoldOrdinaryHeader", g + "X-Test: a\r\n  folded\r\n\r\n", "obs_fold"},
      {"BareLfHeaders", "GET /s HTTP/1.1\nHost: a\n\n", "bare_lf"},
      {"BareLfInHeader", g + "X-A: 1\nX-B: 2\r\n\r\n", "bare_lf"},
      {"BareCrInHeader", g + "X-A: 1\rX-B: 2\r\n\r\n", "bare_cr"},
      {"BareCrInRequestLine", "GET /s\r HTTP/1.1\r\nHost: a\r\n\r\n", "bare_cr"},
      // Field names and values.
      {"NulInHeaderValue", g + std::string("X-A: a\0b\r\n\r\n", 12), "invalid_header_value"},
      {"ControlCharInValue",
       g + "X-A: a\x0b"
           "b\r\n\r\n",
       "invalid_header_value"},
      {"InvalidHeaderName", g + "X(A): 1\r\n\r\n", "invalid_header_name"},
      {"SpaceInHeaderName", g + "X A: 1\r\n\r\n", "invalid_header_name"},
      {"EmptyHeaderName", g + ": 1\r\n\r\n", "invalid_header_name"},
      {"MissingColon", g + "X-A 1\r\n\r\n", "missing_colon"},
      // Request line.
      {"InvalidMethod", "G@T /s HTTP/1.1\r\nHost: a\r\n\r\n", "invalid_method"},
      {"MethodTooLong", Repeat("A", 40) + " /s HTTP/1.1\r\nHost: a\r\n\r\n", "invalid_method"},
      {"DoubleSpaceRequestLine", "GET  /s HTTP/1.1\r\nHost: a\r\n\r\n", "invalid_request_line"},
      {"MissingVersion", "GET /s\r\nHost: a\r\n\r\n", "invalid_request_line"},
      {"Http12", "GET /s HTTP/1.2\r\nHost: a\r\n\r\n", "unsupported_version"},
      {"Http20", "GET /s HTTP/2.0\r\nHost: a\r\n\r\n", "unsupported_version"},
      {"VersionGarbage", "GET /s HTTP/1.1x\r\nHost: a\r\n\r\n", "invalid_version"},
      {"TargetControlChar", "GET /s\x01x HTTP/1.1\r\nHost: a\r\n\r\n", "invalid_target"},
      {"AsteriskWithGet", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", "invalid_target"},
      {"BadAbsoluteScheme", "GET 1http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", "invalid_target"},
      // Host.
      {"MissingHost", "GET /s HTTP/1.1\r\nX-A: 1\r\n\r\n", "missing_host"},
      {"DuplicateHost", "GET /s HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "duplicate_host"},
      {"InvalidHost", "GET /s HTTP/1.1\r\nHost: a/b@c\r\n\r\n", "invalid_host"},
      // Limits.
      {"RequestLineTooLong", "GET /" + Repeat("a", 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n",
       "request_line_too_long"},
      {"HeaderLineTooLong", g + "X-A: " + Repeat("b", 9000) + "\r\n\r\n", "header_line_too_long"},
      {"TooManyHeaders", g + Repeat("X-A: 1\r\n", 120) + "\r\n", "too_many_headers"},
      {"HeadersTooLarge", g + Repeat("X-Big: " + Repeat("c", 7000) + "\r\n", 10) + "\r\n",
       "headers_too_large"},
  };
}

class SmugglingTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    upstream_ = new RecordingUpstream();
    fixture_ = new GatewayFixture(OneSiteSpec(upstream_->port()));
  }
  static void TearDownTestSuite() {
    delete fixture_;
    delete upstream_;
    fixture_ = nullptr;
    upstream_ = nullptr;
  }
  static RecordingUpstream* upstream_;
  static GatewayFixture* fixture_;
};
RecordingUpstream* SmugglingTest::upstream_ = nullptr;
GatewayFixture* SmugglingTest::fixture_ = nullptr;

TEST_P(SmugglingTest, Gets400NothingReachesUpstreamAndAuditRecordExists) {
  ASSERT_TRUE(fixture_->ok()) << fixture_->error();
  const Case& c = GetParam();
  size_t upstream_before = upstream_->received().size();
  size_t rejects_before = fixture_->Records("http_reject").size();
  std::string r = Exchange(fixture_->port(), c.raw);
  EXPECT_EQ(StatusOf(r), 400) << r.substr(0, 300);
  // The connection is closed after the refusal: nothing after the 400 status page.
  EXPECT_EQ(r.find("HTTP/1.1", 1), std::string::npos) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos);
  EXPECT_EQ(upstream_->received().size(), upstream_before) << upstream_->received();
  auto rejects = fixture_->Records("http_reject");
  ASSERT_EQ(rejects.size(), rejects_before + 1);
  EXPECT_NE(rejects.back().find(std::string("\"reason\":\"") + c.reason + "\""), std::string::npos)
      << rejects.back();
  EXPECT_NE(rejects.back().find("\"status\":400"), std::string::npos);
  EXPECT_NE(rejects.back().find("\"client_ip\":\"127.0.0.1\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Cases, SmugglingTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

// The suite is only meaningful if the same gateway forwards well-formed requests.
TEST(SmugglingControl, WellFormedRequestsStillReachTheUpstream) {
  RecordingUpstream up;
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  std::string r = Exchange(f.port(),
                           "POST /s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                           "Connection: close\r\n\r\n5;x=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_EQ(up.bodies().size(), 1u);
  EXPECT_TRUE(f.Records("http_reject").empty());
}

// A valid request followed by a smuggled one in the same packet: the first is forwarded, the
// second refused, and the upstream never sees the second's bytes.
TEST(SmugglingControl, PipelinedSmuggledRequestNeverReachesUpstream) {
  RecordingUpstream up;
  GatewayFixture f(OneSiteSpec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  std::string r = Exchange(f.port(),
                           "GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
                           "POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_NE(r.find("HTTP/1.1 400"), std::string::npos) << r;
  EXPECT_EQ(up.requests(), 1);
  EXPECT_EQ(up.received().find("/second"), std::string::npos);
  EXPECT_EQ(f.Records("http_reject").size(), 1u);
}

}  // namespace
}  // namespace gs::gateway
