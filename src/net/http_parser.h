// A strict, incremental HTTP/1.1 request parser shared by the audit ingest endpoint and the
// gateway. It refuses every request-smuggling shape instead of guessing (RFC 9112 §6.3, §11.2):
// Content-Length together with Transfer-Encoding, duplicate or malformed Content-Length, any
// Transfer-Encoding other than a single "chunked", bad chunk sizes, obs-fold, bare CR or LF,
// whitespace before the colon, invalid header names/values/methods/targets/versions, overlong
// lines and too many or too large headers. Each refusal carries an HttpError reason code.
//
// Zero-copy: the head is returned as string_views into the caller's buffer, headers live in one
// vector reserved once per parser (no allocation per header or per request).
//
// Usage (the caller owns one contiguous buffer of unconsumed bytes):
//   HttpStep s = parser.Execute(buf);
//   kHead      -> parser.head() is valid; views point into `buf`.
//   kBody      -> s.data is a piece of decoded body (a view into `buf`).
//   kDone      -> the message is complete; the parser is ready for the next one (pipelining).
//   kNeedMore  -> append more bytes to `buf` and call again.
//   kError     -> parser.error() says why; respond HttpErrorStatus(error) and close.
// After every step the caller drops the first `s.consumed` bytes of `buf` — but only once it no
// longer needs the views (head/data) that point into them. Bytes not consumed must be passed
// again, unchanged, at the front of the next call (the parser remembers how far it scanned, so
// byte-by-byte delivery stays linear).
//
// Thread-compatible: one parser per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace gs::net {

enum class HttpError : uint8_t {
  kNone = 0,
  // framing of lines
  kBareLf,              // LF not preceded by CR
  kBareCr,              // CR not followed by LF
  kRequestLineTooLong,  // request line over max_request_line
  kHeaderLineTooLong,   // one field line over max_header_line
  kHeadersTooLarge,     // the whole head over max_header_bytes
  kTooManyHeaders,      // more than max_headers field lines
  // request line
  kInvalidRequestLine,  // not exactly "method SP target SP version"
  kInvalidMethod,       // empty, too long, or not a token
  kInvalidTarget,       // control chars, or a form not allowed for the method
  kInvalidVersion,      // not "HTTP/d.d"
  kUnsupportedVersion,  // HTTP/d.d other than 1.0 / 1.1
  // field lines
  kObsFold,            // a field line starting with SP/HTAB (line folding)
  kMissingColon,       // field line without ':'
  kInvalidHeaderName,  // empty or non-token field name
  kWhitespaceBeforeColon,
  kInvalidHeaderValue,  // control characters (incl. NUL) or DEL in a value
  kMissingHost,         // HTTP/1.1 without Host
  kDuplicateHost,
  kInvalidHost,
  // body framing
  kContentLengthWithTransferEncoding,
  kDuplicateContentLength,
  kInvalidContentLength,  // not 1*DIGIT (signs, spaces, lists, hex) or over 18 digits
  kDuplicateTransferEncoding,
  kUnsupportedTransferEncoding,  // anything but exactly "chunked"
  kTransferEncodingInHttp10,
  kInvalidChunkSize,   // not 1*HEXDIG, or garbage after it
  kChunkSizeOverflow,  // more than 16 hex digits
  kInvalidChunkExtension,
  kChunkLineTooLong,
  kMissingChunkCrlf,  // chunk data not followed by CRLF
  kInvalidTrailer,
  kTrailersTooLarge,
  kBodyTooLarge,  // declared or decoded body over max_body
};

// Stable snake_case reason code, e.g. "content_length_with_transfer_encoding".
std::string_view HttpErrorName(HttpError e);
// The HTTP status to answer with: 413 for kBodyTooLarge, 400 for everything else.
int HttpErrorStatus(HttpError e);

struct HttpParserLimits {
  size_t max_request_line = 8192;
  size_t max_header_line = 8192;
  size_t max_header_bytes = 64 * 1024;  // request line + fields + CRLFs
  size_t max_headers = 100;
  size_t max_method = 32;
  size_t max_chunk_line = 1024;  // chunk-size line including extensions
  size_t max_trailer_bytes = 8192;
  uint64_t max_body = 1 << 20;
  // RFC 3986 targets are ASCII; raw bytes >= 0x80 are refused only when this is set (the
  // gateway leaves it off so the WAF can see and judge such targets).
  bool reject_non_ascii_target = false;
};

struct HttpHeader {
  std::string_view name;   // as sent (case preserved)
  std::string_view value;  // leading/trailing SP/HTAB removed
};

enum class BodyKind : uint8_t { kNone, kContentLength, kChunked };

struct HttpRequestHead {
  std::string_view method;
  std::string_view target;
  int version_minor = 1;  // HTTP/1.<minor>; only 0 and 1 are accepted
  const HttpHeader* headers = nullptr;
  size_t header_count = 0;
  BodyKind body = BodyKind::kNone;
  uint64_t content_length = 0;  // for kContentLength
  bool keep_alive = true;       // after Connection: close/keep-alive and version defaults
  bool expect_continue = false;
  std::string_view host;

  // First field with this name (ASCII case-insensitive), or nullptr.
  const HttpHeader* Find(std::string_view name) const;
};

enum class HttpEvent : uint8_t { kNeedMore, kHead, kBody, kDone, kError };

struct HttpStep {
  HttpEvent event;
  size_t consumed;        // bytes of the input the caller may drop after using the views
  std::string_view data;  // kBody: decoded body bytes
};

class HttpRequestParser {
 public:
  explicit HttpRequestParser(const HttpParserLimits& limits = {});

  HttpStep Execute(std::string_view in);

  const HttpRequestHead& head() const { return head_; }
  HttpError error() const { return error_; }
  uint64_t body_bytes() const { return body_bytes_; }
  // True between kDone (or construction) and the first byte of the next request.
  bool idle() const { return state_ == State::kHead && scan_pos_ == 0; }
  // Forgets everything and waits for a new request.
  void Reset();

 private:
  enum class State : uint8_t {
    kHead,
    kContentLength,
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
  HttpError ParseRequestLine(std::string_view line);
  HttpError ParseField(std::string_view line, HttpHeader* out);
  HttpError ApplySemantics();

  HttpParserLimits limits_;
  State state_ = State::kHead;
  HttpError error_ = HttpError::kNone;
  HttpRequestHead head_;
  std::vector<HttpHeader> headers_;
  // Head scanning progress (offsets into the caller's buffer).
  size_t scan_pos_ = 0;
  size_t line_start_ = 0;
  size_t head_start_ = 0;  // after skipped leading empty lines
  size_t lines_ = 0;       // complete non-empty lines seen so far in this head
  // Body progress.
  uint64_t remaining_ = 0;
  uint64_t body_bytes_ = 0;
  size_t trailer_bytes_ = 0;
};

}  // namespace gs::net
