// An incremental HTTP/1.1 RESPONSE parser, for the gateway reading its upstreams. Same calling
// convention as HttpRequestParser (http_parser.h): the caller keeps one buffer of unconsumed
// bytes, calls Execute(buf), uses the views and drops `consumed` bytes.
//
// Body framing follows RFC 9112 §6.3: no body for responses to HEAD, for 1xx, 204 and 304;
// chunked when Transfer-Encoding is exactly "chunked"; Content-Length otherwise; and else the
// body runs until the connection closes (the caller then calls FinishEof()). Shapes a proxy must
// not relay are refused with an HttpError (CL with TE, conflicting or malformed CL, other
// transfer codings, bad chunk sizes, bare CR/LF, obs-fold, invalid field names, limits) and the
// gateway answers 502: a response it cannot frame unambiguously is never forwarded.
//
// Thread-compatible: one parser per upstream connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "net/http_parser.h"

namespace gs::net {

struct HttpResponseLimits {
  size_t max_status_line = 8192;
  size_t max_header_line = 16384;
  size_t max_header_bytes = 64 * 1024;
  size_t max_headers = 100;
  size_t max_chunk_line = 1024;
  size_t max_trailer_bytes = 8192;
};

enum class ResponseBodyKind : uint8_t { kNone, kContentLength, kChunked, kUntilClose };

struct HttpResponseHead {
  int version_minor = 1;
  int status = 0;
  std::string_view reason;
  const HttpHeader* headers = nullptr;
  size_t header_count = 0;
  ResponseBodyKind body = ResponseBodyKind::kNone;
  uint64_t content_length = 0;
  bool keep_alive = true;  // the upstream connection may be reused after this response
  // First field with this name (ASCII case-insensitive), or nullptr.
  const HttpHeader* Find(std::string_view name) const;
};

class HttpResponseParser {
 public:
  explicit HttpResponseParser(const HttpResponseLimits& limits = {});

  // Call before each response: the request method decides whether a body follows (HEAD: none).
  void ExpectResponseTo(std::string_view method);

  // Events as for the request parser: kHead, kBody (decoded piece), kDone, kNeedMore, kError.
  // 1xx responses other than 101 are reported as kHead followed by kDone, after which the parser
  // expects the final response to the same request.
  HttpStep Execute(std::string_view in);
  // The upstream closed its side. Returns kDone when that ends an until-close body, kError
  // (kind kBodyTooLarge is never used here; error() is kMissingChunkCrlf / kInvalidContentLength
  // style truncation -> HttpError::kInvalidChunkSize for chunked, kInvalidContentLength for CL)
  // when the response was cut short, kNeedMore never.
  HttpStep FinishEof();

  const HttpResponseHead& head() const { return head_; }
  HttpError error() const { return error_; }
  // True while no byte of the current response has been consumed.
  bool idle() const { return state_ == State::kHead && scan_pos_ == 0; }
  void Reset();

 private:
  enum class State : uint8_t {
    kHead,
    kContentLength,
    kUntilClose,
    kChunkSize,
    kChunkData,
    kChunkCrlf,
    kTrailer,
    kDone,
    kError
  };
  HttpStep Fail(HttpError e);
  HttpStep ScanHead(std::string_view in);
  HttpError ParseHead(std::string_view head);

  HttpResponseLimits limits_;
  State state_ = State::kHead;
  HttpError error_ = HttpError::kNone;
  bool head_request_ = false;
  HttpResponseHead head_;
  std::vector<HttpHeader> headers_;
  size_t scan_pos_ = 0;
  size_t line_start_ = 0;
  size_t lines_ = 0;
  uint64_t remaining_ = 0;
  size_t trailer_bytes_ = 0;
};

}  // namespace gs::net
