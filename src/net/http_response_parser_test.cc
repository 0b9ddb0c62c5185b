// Tests of the upstream response parser: framing choices and the shapes it refuses.
#include "net/http_response_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace gs::net {
namespace {

struct Parsed {
  std::vector<int> statuses;
  std::string body;
  bool done = false;
  HttpError error = HttpError::kNone;
  bool keep_alive = false;
  ResponseBodyKind kind = ResponseBodyKind::kNone;
};

// Feeds `in` in pieces of `step` bytes; at the end signals EOF when `eof`.
Parsed Parse(std::string_view in, size_t step, std::string_view method = "GET", bool eof = false) {
  HttpResponseParser p;
  p.ExpectResponseTo(method);
  Parsed out;
  std::string buf;
  size_t fed = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    HttpStep s = p.Execute(buf);
    if (s.event == HttpEvent::kHead) {
      out.statuses.push_back(p.head().status);
      out.keep_alive = p.head().keep_alive;
      out.kind = p.head().body;
    } else if (s.event == HttpEvent::kBody) {
      out.body.append(s.data);
    } else if (s.event == HttpEvent::kDone) {
      if (out.statuses.back() >= 200) {
        out.done = true;
        return out;
      }
    } else if (s.event == HttpEvent::kError) {
      out.error = p.error();
      return out;
    }
    buf.erase(0, s.consumed);
    if (s.event == HttpEvent::kNeedMore && s.consumed == 0) {
      if (fed >= in.size()) {
        if (eof) {
          HttpStep e = p.FinishEof();
          if (e.event == HttpEvent::kDone) out.done = true;
          if (e.event == HttpEvent::kError) out.error = p.error();
        }
        return out;
      }
      size_t n = std::min(step, in.size() - fed);
      buf.append(in.substr(fed, n));
      fed += n;
    }
  }
  ADD_FAILURE() << "no progress";
  return out;
}

TEST(HttpResponseParser, ContentLengthAndChunkedAreDecodedAtAnyCut) {
  std::string cl = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  std::string ch =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\n"
      "T: v\r\n\r\n";
  for (size_t step : {1, 2, 7, 1000}) {
    Parsed a = Parse(cl, step);
    EXPECT_TRUE(a.done);
    EXPECT_EQ(a.body, "hello");
    EXPECT_EQ(a.kind, ResponseBodyKind::kContentLength);
    Parsed b = Parse(ch, step);
    EXPECT_TRUE(b.done) << step;
    EXPECT_EQ(b.body, "hello");
    EXPECT_EQ(b.kind, ResponseBodyKind::kChunked);
    EXPECT_TRUE(b.keep_alive);
  }
}

TEST(HttpResponseParser, NoBodyForHeadAnd204And304) {
  Parsed h = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 3, "HEAD");
  EXPECT_TRUE(h.done);
  EXPECT_EQ(h.body, "");
  EXPECT_TRUE(Parse("HTTP/1.1 204 No Content\r\n\r\n", 100).done);
  EXPECT_TRUE(Parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", 100).done);
}

TEST(HttpResponseParser, InterimResponseThenFinal) {
  Parsed p =
      Parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx", 4);
  ASSERT_EQ(p.statuses.size(), 2u);
  EXPECT_EQ(p.statuses[0], 100);
  EXPECT_EQ(p.statuses[1], 201);
  EXPECT_EQ(p.body, "x");
}

TEST(HttpResponseParser, UntilCloseBodyEndsAtEofAndIsNotReusable) {
  Parsed p = Parse("HTTP/1.0 200 OK\r\n\r\nabc def", 2, "GET", true);
  EXPECT_TRUE(p.done);
  EXPECT_EQ(p.body, "abc def");
  EXPECT_FALSE(p.keep_alive);
  EXPECT_EQ(p.kind, ResponseBodyKind::kUntilClose);
}

TEST(HttpResponseParser, TruncatedBodiesAreErrors) {
  EXPECT_NE(Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", 100, "GET", true).error,
            HttpError::kNone);
  EXPECT_NE(
      Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 100, "GET", true).error,
      HttpError::kNone);
}

TEST(HttpResponseParser, RefusesAmbiguousFraming) {
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 100)
                .error,
            HttpError::kContentLengthWithTransferEncoding);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 100).error,
            HttpError::kDuplicateContentLength);
  // Identical duplicates are tolerated (RFC 9110 §8.6).
  EXPECT_TRUE(
      Parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 100).done);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\n", 100).error,
            HttpError::kInvalidContentLength);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 100).error,
            HttpError::kUnsupportedTransferEncoding);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100).error,
            HttpError::kInvalidChunkSize);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", 100).error, HttpError::kObsFold);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\nContent-Length: 0\n\n", 100).error, HttpError::kBareLf);
  EXPECT_EQ(Parse("HTTP/2 200 OK\r\n\r\n", 100).error, HttpError::kInvalidVersion);
  EXPECT_EQ(Parse("HTTP/1.1 2x0 OK\r\n\r\n", 100).error, HttpError::kInvalidRequestLine);
}

TEST(HttpResponseParser, ConnectionCloseIsNotReusable) {
  Parsed p = Parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 100);
  EXPECT_TRUE(p.done);
  EXPECT_FALSE(p.keep_alive);
}

}  // namespace
}  // namespace gs::net
