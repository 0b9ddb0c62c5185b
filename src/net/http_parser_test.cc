// Tests for the strict HTTP/1.1 request parser: valid requests (whole and split at every byte),
// pipelining, chunked bodies, and a table of malformed / smuggling requests, each asserting the
// exact rejection reason (the gateway's smuggling suite reuses these shapes).
#include "net/http_parser.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "net/http_response.h"

namespace gs::net {
namespace {

struct Parsed {
  std::string method, target;
  int minor = -1;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = false;
  bool expect_continue = false;
};

struct Outcome {
  std::vector<Parsed> requests;  // completed messages
  HttpError error = HttpError::kNone;
  size_t leftover = 0;  // bytes not consumed at the end
};

// Feeds `input` in pieces of `step` bytes (0 = all at once), the way a connection would.
Outcome Feed(std::string_view input, size_t step = 0, const HttpParserLimits& limits = {}) {
  HttpRequestParser p(limits);
  Outcome out;
  std::string buf;
  Parsed cur;
  size_t fed = 0;
  while (true) {
    HttpStep s = p.Execute(buf);
    switch (s.event) {
      case HttpEvent::kHead: {
        const HttpRequestHead& h = p.head();
        cur = Parsed{};
        cur.method = std::string(h.method);
        cur.target = std::string(h.target);
        cur.minor = h.version_minor;
        cur.keep_alive = h.keep_alive;
        cur.expect_continue = h.expect_continue;
        for (size_t i = 0; i < h.header_count; ++i)
          cur.headers.emplace_back(h.headers[i].name, h.headers[i].value);
        break;
      }
      case HttpEvent::kBody:
        cur.body.append(s.data);
        break;
      case HttpEvent::kDone:
        out.requests.push_back(cur);
        break;
      case HttpEvent::kError:
        out.error = p.error();
        out.leftover = buf.size();
        return out;
      case HttpEvent::kNeedMore:
        break;
    }
    buf.erase(0, s.consumed);
    if (s.event == HttpEvent::kNeedMore && s.consumed == 0) {
      if (fed >= input.size()) {
        out.leftover = buf.size();
        return out;
      }
      size_t n = step == 0 ? input.size() - fed : std::min(step, input.size() - fed);
      buf.append(input.substr(fed, n));
      fed += n;
    }
  }
}

TEST(HttpParser, SimpleGet) {
  Outcome o = Feed("GET /index.html?q=1 HTTP/1.1\r\nHost: example.gov.cn\r\nUser-Agent: t\r\n\r\n");
  ASSERT_EQ(o.error, HttpError::kNone);
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_EQ(o.requests[0].method, "GET");
  EXPECT_EQ(o.requests[0].target, "/index.html?q=1");
  EXPECT_EQ(o.requests[0].minor, 1);
  ASSERT_EQ(o.requests[0].headers.size(), 2u);
  EXPECT_EQ(o.requests[0].headers[0].first, "Host");
  EXPECT_EQ(o.requests[0].headers[0].second, "example.gov.cn");
  EXPECT_TRUE(o.requests[0].keep_alive);
  EXPECT_EQ(o.leftover, 0u);
}

TEST(HttpParser, HeadViewsPointIntoInputAndFindIsCaseInsensitive) {
  std::string req =
      "POST /a HTTP/1.1\r\nhost: h\r\nX-Y:   spaced value \t\r\nContent-Length: 3\r\n\r\nabc";
  HttpRequestParser p;
  HttpStep s = p.Execute(req);
  ASSERT_EQ(s.event, HttpEvent::kHead);
  const HttpHeader* h = p.head().Find("x-y");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->value, "spaced value");
  EXPECT_GE(h->value.data(), req.data());
  EXPECT_LT(h->value.data(), req.data() + req.size());
  EXPECT_EQ(p.head().body, BodyKind::kContentLength);
  EXPECT_EQ(p.head().content_length, 3u);
  EXPECT_EQ(p.head().Find("missing"), nullptr);
}

const char* const kValidCorpus[] = {
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Length: 11\r\n\r\nhello world",
    "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\na;ext=1\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n",
    "GET /keep HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "\r\nGET /after-empty-line HTTP/1.1\r\nHost: a\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    "CONNECT example.gov.cn:443 HTTP/1.1\r\nHost: example.gov.cn:443\r\n\r\n",
    "GET http://example.gov.cn/x HTTP/1.1\r\nHost: example.gov.cn\r\n\r\n",
    "PUT /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
    "GET /%E4%B8%AD HTTP/1.1\r\nHost: a\r\nCookie: a=b; c=\xe4\xb8\xad\r\n\r\n",
};

TEST(HttpParser, EverySplitGivesTheSameResult) {
  for (const char* c : kValidCorpus) {
    std::string_view input(c);
    Outcome whole = Feed(input);
    ASSERT_EQ(whole.error, HttpError::kNone) << input;
    ASSERT_EQ(whole.requests.size(), 1u) << input;
    for (size_t step : {1, 2, 3, 7}) {
      Outcome split = Feed(input, step);
      ASSERT_EQ(split.error, HttpError::kNone) << input << " step " << step;
      ASSERT_EQ(split.requests.size(), 1u);
      EXPECT_EQ(split.requests[0].method, whole.requests[0].method);
      EXPECT_EQ(split.requests[0].target, whole.requests[0].target);
      EXPECT_EQ(split.requests[0].headers, whole.requests[0].headers);
      EXPECT_EQ(split.requests[0].body, whole.requests[0].body);
    }
  }
}

TEST(HttpParser, ChunkedBodyDecoded) {
  Outcome o = Feed(kValidCorpus[2], 1);
  ASSERT_EQ(o.error, HttpError::kNone);
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_EQ(o.requests[0].body, "hello0123456789");
}

TEST(HttpParser, PipelinedRequestsSplitAtEveryByte) {
  std::string two =
      "POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab"
      "GET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
      "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n";
  for (size_t step : {0, 1}) {
    Outcome o = Feed(two, step);
    ASSERT_EQ(o.error, HttpError::kNone);
    ASSERT_EQ(o.requests.size(), 3u);
    EXPECT_EQ(o.requests[0].body, "ab");
    EXPECT_EQ(o.requests[1].target, "/2");
    EXPECT_FALSE(o.requests[1].keep_alive);
    EXPECT_EQ(o.requests[2].body, "z");
    EXPECT_EQ(o.leftover, 0u);
  }
}

TEST(HttpParser, KeepAliveAndExpect) {
  Outcome o = Feed("GET / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_FALSE(o.requests[0].keep_alive);
  o = Feed("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx");
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_TRUE(o.requests[0].expect_continue);
}

TEST(HttpParser, IncompleteInputWaits) {
  Outcome o = Feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_EQ(o.error, HttpError::kNone);
  EXPECT_TRUE(o.requests.empty());
  o = Feed("GET / HTTP/1.1\r\nHost: a\r");  // CR at the end: undecided yet
  EXPECT_EQ(o.error, HttpError::kNone);
  EXPECT_TRUE(o.requests.empty());
}

struct BadCase {
  const char* name;
  std::string input;
  HttpError want;
};

std::vector<BadCase> BadCases() {
  const std::string kLong(9000, 'a');
  std::string many = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  many += "\r\n";
  std::string big_head = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 20; ++i)
    big_head += "X-" + std::to_string(i) + ": " + std::string(4000, 'b') + "\r\n";
  big_head += "\r\n";
  return {
      // Content-Length / Transfer-Encoding smuggling shapes
      {"cl_te",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: "
       "chunked\r\n\r\n0\r\n\r\n",
       HttpError::kContentLengthWithTransferEncoding},
      {"te_cl",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: "
       "4\r\n\r\n0\r\n\r\n",
       HttpError::kContentLengthWithTransferEncoding},
      {"cl_cl_same",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
       HttpError::kDuplicateContentLength},
      {"cl_cl_diff",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
       HttpError::kDuplicateContentLength},
      {"cl_list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc",
       HttpError::kInvalidContentLength},
      {"cl_negative", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
       HttpError::kInvalidContentLength},
      {"cl_plus", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc",
       HttpError::kInvalidContentLength},
      {"cl_hex", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x3\r\n\r\nabc",
       HttpError::kInvalidContentLength},
      {"cl_inner_space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n",
       HttpError::kInvalidContentLength},
      {"cl_empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n",
       HttpError::kInvalidContentLength},
      {"cl_overflow",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
       HttpError::kInvalidContentLength},
      {"cl_too_large", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n",
       HttpError::kBodyTooLarge},
      {"cl_name_space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 3\r\n\r\nabc",
       HttpError::kWhitespaceBeforeColon},
      {"te_name_tab", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n",
       HttpError::kWhitespaceBeforeColon},
      {"te_dup",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
       "chunked\r\n\r\n0\r\n\r\n",
       HttpError::kDuplicateTransferEncoding},
      {"te_list", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
       HttpError::kUnsupportedTransferEncoding},
      {"te_identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n",
       HttpError::kUnsupportedTransferEncoding},
      {"te_xchunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n",
       HttpError::kUnsupportedTransferEncoding},
      {"te_chunked_comma", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked,\r\n\r\n",
       HttpError::kUnsupportedTransferEncoding},
      {"te_vertical_tab",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\x0b"
       "chunked\r\n\r\n",
       HttpError::kInvalidHeaderValue},
      {"te_http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       HttpError::kTransferEncodingInHttp10},
      {"te_obs_fold",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
       HttpError::kObsFold},
      {"obs_fold_tab", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", HttpError::kObsFold},
      {"first_header_space", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", HttpError::kObsFold},
      // Chunk framing
      {"chunk_size_hex_prefix",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkSize},
      {"chunk_size_negative",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkSize},
      {"chunk_size_empty",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkSize},
      {"chunk_size_space",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkSize},
      {"chunk_size_leading_space",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkSize},
      {"chunk_size_bws_ext",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 ;x\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkSize},
      {"chunk_size_g",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5g\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkSize},
      {"chunk_size_overflow",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
       "chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n",
       HttpError::kChunkSizeOverflow},
      {"chunk_too_large",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
       "chunked\r\n\r\nfffffff\r\nhello\r\n0\r\n\r\n",
       HttpError::kBodyTooLarge},
      {"chunk_ext_ctl",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
       "chunked\r\n\r\n5;a\x01\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkExtension},
      {"chunk_ext_empty",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n",
       HttpError::kInvalidChunkExtension},
      {"chunk_data_overrun",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
       HttpError::kMissingChunkCrlf},
      {"chunk_data_lf_only",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n",
       HttpError::kMissingChunkCrlf},
      {"chunk_line_bare_lf",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
       HttpError::kBareLf},
      {"chunk_line_bare_cr",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\rhello\r\n0\r\n\r\n",
       HttpError::kBareCr},
      {"chunk_line_too_long",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;" +
           std::string(2000, 'x') + "\r\nhello\r\n0\r\n\r\n",
       HttpError::kChunkLineTooLong},
      {"trailer_content_length",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: "
       "5\r\n\r\n",
       HttpError::kInvalidTrailer},
      {"trailer_bad_name",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Name: 5\r\n\r\n",
       HttpError::kInvalidTrailer},
      // Line endings
      {"bare_lf_request_line", "GET / HTTP/1.1\nHost: a\r\n\r\n", HttpError::kBareLf},
      {"bare_lf_header", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", HttpError::kBareLf},
      {"bare_lf_end", "GET / HTTP/1.1\r\nHost: a\r\n\n", HttpError::kBareLf},
      {"bare_cr_header", "GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", HttpError::kBareCr},
      {"bare_cr_request_line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kBareCr},
      // Request line
      {"method_lower_ok_but_bad_char", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n",
       HttpError::kInvalidMethod},
      {"method_ctl", "G\x01T / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidMethod},
      {"method_empty", " / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidMethod},
      {"method_too_long", std::string(40, 'G') + " / HTTP/1.1\r\nHost: a\r\n\r\n",
       HttpError::kInvalidMethod},
      {"method_tab", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidMethod},
      {"double_space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidRequestLine},
      {"no_version", "GET /\r\nHost: a\r\n\r\n", HttpError::kInvalidRequestLine},
      {"trailing_token", "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", HttpError::kInvalidRequestLine},
      {"target_ctl",
       "GET /a\x7f"
       "b HTTP/1.1\r\nHost: a\r\n\r\n",
       HttpError::kInvalidTarget},
      {"target_nul", std::string("GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n", 30),
       HttpError::kInvalidTarget},
      {"target_relative", "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidTarget},
      {"target_star_get", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidTarget},
      {"connect_origin_form", "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidTarget},
      {"version_lower", "GET / http/1.1\r\nHost: a\r\n\r\n", HttpError::kInvalidVersion},
      {"version_garbage", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", HttpError::kInvalidVersion},
      {"version_2", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", HttpError::kUnsupportedVersion},
      {"version_1_2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", HttpError::kUnsupportedVersion},
      {"version_09", "GET /\r\n\r\n", HttpError::kInvalidRequestLine},
      // Header names and values
      {"header_no_colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n",
       HttpError::kMissingColon},
      {"header_empty_name", "GET / HTTP/1.1\r\nHost: a\r\n: value\r\n\r\n",
       HttpError::kInvalidHeaderName},
      {"header_name_space", "GET / HTTP/1.1\r\nHost: a\r\nX Y: z\r\n\r\n",
       HttpError::kInvalidHeaderName},
      {"header_name_utf8", "GET / HTTP/1.1\r\nHost: a\r\nX-\xe4\xb8\xad: z\r\n\r\n",
       HttpError::kInvalidHeaderName},
      {"header_name_slash", "GET / HTTP/1.1\r\nHost: a\r\nX/Y: z\r\n\r\n",
       HttpError::kInvalidHeaderName},
      {"header_value_nul", std::string("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 35),
       HttpError::kInvalidHeaderValue},
      {"header_value_del", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n",
       HttpError::kInvalidHeaderValue},
      {"host_missing", "GET / HTTP/1.1\r\nX: y\r\n\r\n", HttpError::kMissingHost},
      {"host_duplicate", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", HttpError::kDuplicateHost},
      {"host_with_space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", HttpError::kInvalidHost},
      {"host_with_at", "GET / HTTP/1.1\r\nHost: evil@a\r\n\r\n", HttpError::kInvalidHost},
      // Limits
      {"request_line_too_long", "GET /" + kLong + " HTTP/1.1\r\nHost: a\r\n\r\n",
       HttpError::kRequestLineTooLong},
      {"header_line_too_long", "GET / HTTP/1.1\r\nHost: a\r\nX: " + kLong + "\r\n\r\n",
       HttpError::kHeaderLineTooLong},
      {"too_many_headers", many, HttpError::kTooManyHeaders},
      {"headers_too_large", big_head, HttpError::kHeadersTooLarge},
  };
}

TEST(HttpParser, MalformedAndSmugglingRequestsAreRefusedWithReason) {
  std::vector<BadCase> cases = BadCases();
  ASSERT_GE(cases.size(), 40u);
  for (const BadCase& c : cases) {
    for (size_t step : {0, 1}) {
      Outcome o = Feed(c.input, step);
      EXPECT_EQ(HttpErrorName(o.error), HttpErrorName(c.want)) << c.name << " step " << step;
      EXPECT_TRUE(o.requests.empty()) << c.name;  // nothing half-accepted
    }
  }
}

TEST(HttpParser, ReasonNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(HttpError::kBodyTooLarge); ++i)
    names.insert(HttpErrorName(static_cast<HttpError>(i)));
  EXPECT_EQ(names.size(), static_cast<size_t>(HttpError::kBodyTooLarge) + 1);
  EXPECT_EQ(HttpErrorStatus(HttpError::kBodyTooLarge), 413);
  EXPECT_EQ(HttpErrorStatus(HttpError::kBareLf), 400);
}

TEST(HttpParser, LimitsAreConfigurable) {
  HttpParserLimits l;
  l.max_body = 4;
  EXPECT_EQ(Feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", 0, l).error,
            HttpError::kBodyTooLarge);
  EXPECT_EQ(Feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                 1, l)
                .error,
            HttpError::kBodyTooLarge);
  l = HttpParserLimits{};
  l.reject_non_ascii_target = true;
  EXPECT_EQ(Feed("GET /\xe4\xb8\xad HTTP/1.1\r\nHost: a\r\n\r\n", 0, l).error,
            HttpError::kInvalidTarget);
  EXPECT_EQ(Feed("GET /\xe4\xb8\xad HTTP/1.1\r\nHost: a\r\n\r\n").error, HttpError::kNone);
}

TEST(HttpParser, ErrorIsDetectedBeforeTheWholeLineArrives) {
  // An endless request line must fail at the limit, not buffer forever.
  HttpRequestParser p;
  std::string buf = "GET /";
  buf += std::string(8200, 'a');
  HttpStep s = p.Execute(buf);
  EXPECT_EQ(s.event, HttpEvent::kError);
  EXPECT_EQ(p.error(), HttpError::kRequestLineTooLong);
}

TEST(HttpResponse, FormatsStatusLineAndLength) {
  std::string r = FormatHttpResponse(413, "application/json", "{}", false);
  EXPECT_EQ(r,
            "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
            "Content-Length: 2\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{}");
  // The response is itself well-formed for our own parser's line rules.
  EXPECT_EQ(r.find("\n\n"), std::string::npos);
}

}  // namespace
}  // namespace gs::net
