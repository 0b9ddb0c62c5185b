// Strict HTTP/1.1 request parser. The head is scanned incrementally for line structure (bare CR/LF,
// line and size limits are caught as soon as the offending byte arrives) and parsed once it is
// complete; the body is decoded as a small state machine over Content-Length or chunked framing.
#include "net/http_parser.h"

#include <cstring>

#include "net/http_syntax.h"

namespace gs::net {
namespace {

using syntax::IEquals;
using syntax::IsOws;
using syntax::IsTchar;
using syntax::kNeed;
using syntax::NextLine;

// Field value: HTAB, SP, VCHAR, obs-text. Everything else (NUL, CTLs, DEL) is refused.
bool ValidFieldValue(std::string_view v) {
  for (char ch : v) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\t') continue;
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool ValidHost(std::string_view h) {
  for (char c : h) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == ':' || c == '[' || c == ']' || c == '_' || c == '%';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view HttpErrorName(HttpError e) {
  switch (e) {
    case HttpError::kNone:
      return "none";
    case HttpError::kBareLf:
      return "bare_lf";
    case HttpError::kBareCr:
      return "bare_cr";
    case HttpError::kRequestLineTooLong:
      return "request_line_too_long";
    case HttpError::kHeaderLineTooLong:
      return "header_line_too_long";
    case HttpError::kHeadersTooLarge:
      return "headers_too_large";
    case HttpError::kTooManyHeaders:
      return "too_many_headers";
    case HttpError::kInvalidRequestLine:
      return "invalid_request_line";
    case HttpError::kInvalidMethod:
      return "invalid_method";
    case HttpError::kInvalidTarget:
      return "invalid_target";
    case HttpError::kInvalidVersion:
      return "invalid_version";
    case HttpError::kUnsupportedVersion:
      return "unsupported_version";
    case HttpError::kObsFold:
      return "obs_fold";
    case HttpError::kMissingColon:
      return "missing_colon";
    case HttpError::kInvalidHeaderName:
      return "invalid_header_name";
    case HttpError::kWhitespaceBeforeColon:
      return "whitespace_before_colon";
    case HttpError::kInvalidHeaderValue:
      return "invalid_header_value";
    case HttpError::kMissingHost:
      return "missing_host";
    case HttpError::kDuplicateHost:
      return "duplicate_host";
    case HttpError::kInvalidHost:
      return "invalid_host";
    case HttpError::kContentLengthWithTransferEncoding:
      return "content_length_with_transfer_encoding";
    case HttpError::kDuplicateContentLength:
      return "duplicate_content_length";
    case HttpError::kInvalidContentLength:
      return "invalid_content_length";
    case HttpError::kDuplicateTransferEncoding:
      return "duplicate_transfer_encoding";
    case HttpError::kUnsupportedTransferEncoding:
      return "unsupported_transfer_encoding";
    case HttpError::kTransferEncodingInHttp10:
      return "transfer_encoding_in_http10";
    case HttpError::kInvalidChunkSize:
      return "invalid_chunk_size";
    case HttpError::kChunkSizeOverflow:
      return "chunk_size_overflow";
    case HttpError::kInvalidChunkExtension:
      return "invalid_chunk_extension";
    case HttpError::kChunkLineTooLong:
      return "chunk_line_too_long";
    case HttpError::kMissingChunkCrlf:
      return "missing_chunk_crlf";
    case HttpError::kInvalidTrailer:
      return "invalid_trailer";
    case HttpError::kTrailersTooLarge:
      return "trailers_too_large";
    case HttpError::kBodyTooLarge:
      return "body_too_large";
  }
  return "unknown";
}

int HttpErrorStatus(HttpError e) { return e == HttpError::kBodyTooLarge ? 413 : 400; }

const HttpHeader* HttpRequestHead::Find(std::string_view name) const {
  for (size_t i = 0; i < header_count; ++i)
    if (IEquals(headers[i].name, name)) return &headers[i];
  return nullptr;
}

HttpRequestParser::HttpRequestParser(const HttpParserLimits& limits) : limits_(limits) {
  headers_.reserve(limits_.max_headers);
}

void HttpRequestParser::Reset() {
  state_ = State::kHead;
  error_ = HttpError::kNone;
  head_ = HttpRequestHead{};
  headers_.clear();
  scan_pos_ = line_start_ = head_start_ = lines_ = 0;
  remaining_ = body_bytes_ = 0;
  trailer_bytes_ = 0;
}

HttpStep HttpRequestParser::Fail(HttpError e) {
  state_ = State::kError;
  error_ = e;
  return {HttpEvent::kError, 0, {}};
}

HttpStep HttpRequestParser::Execute(std::string_view in) {
  switch (state_) {
    case State::kError:
      return {HttpEvent::kError, 0, {}};
    case State::kHead:
      return ScanHead(in);
    case State::kDone: {
      // The step after kHead (no body) or after the last body piece.
      Reset();
      return {HttpEvent::kDone, 0, {}};
    }
    case State::kContentLength: {
      if (remaining_ == 0) {
        state_ = State::kDone;
        return Execute(in);
      }
      if (in.empty()) return {HttpEvent::kNeedMore, 0, {}};
      size_t n = in.size() < remaining_ ? in.size() : static_cast<size_t>(remaining_);
      remaining_ -= n;
      body_bytes_ += n;
      if (remaining_ == 0) state_ = State::kDone;
      return {HttpEvent::kBody, n, in.substr(0, n)};
    }
    case State::kChunkSize: {
      HttpError err = HttpError::kNone;
      size_t len = NextLine(in, limits_.max_chunk_line, HttpError::kChunkLineTooLong, &err);
      if (err != HttpError::kNone) return Fail(err);
      if (len == kNeed) return {HttpEvent::kNeedMore, 0, {}};
      uint64_t size = 0;
      if (HttpError e = syntax::ParseChunkSizeLine(in.substr(0, len), {16, false}, &size);
          e != HttpError::kNone)
        return Fail(e);
      if (size > limits_.max_body || body_bytes_ + size > limits_.max_body)
        return Fail(HttpError::kBodyTooLarge);
      if (size == 0) {
        state_ = State::kTrailer;
      } else {
        remaining_ = size;
        state_ = State::kChunkData;
      }
      return {HttpEvent::kNeedMore, len + 2, {}};
    }
    case State::kChunkData: {
      if (in.empty()) return {HttpEvent::kNeedMore, 0, {}};
      size_t n = in.size() < remaining_ ? in.size() : static_cast<size_t>(remaining_);
      remaining_ -= n;
      body_bytes_ += n;
      if (remaining_ == 0) state_ = State::kChunkCrlf;
      return {HttpEvent::kBody, n, in.substr(0, n)};
    }
    case State::kChunkCrlf: {
      if (in.empty()) return {HttpEvent::kNeedMore, 0, {}};
      if (in[0] != '\r') return Fail(HttpError::kMissingChunkCrlf);
      if (in.size() < 2) return {HttpEvent::kNeedMore, 0, {}};
      if (in[1] != '\n') return Fail(HttpError::kMissingChunkCrlf);
      state_ = State::kChunkSize;
      return {HttpEvent::kNeedMore, 2, {}};
    }
    case State::kTrailer: {
      HttpError err = HttpError::kNone;
      size_t len = NextLine(in, limits_.max_header_line, HttpError::kTrailersTooLarge, &err);
      if (err != HttpError::kNone) return Fail(err);
      if (len == kNeed) return {HttpEvent::kNeedMore, 0, {}};
      if (len == 0) {
        Reset();
        return {HttpEvent::kDone, 2, {}};
      }
      trailer_bytes_ += len + 2;
      if (trailer_bytes_ > limits_.max_trailer_bytes) return Fail(HttpError::kTrailersTooLarge);
      HttpHeader h;
      if (ParseField(in.substr(0, len), &h) != HttpError::kNone)
        return Fail(HttpError::kInvalidTrailer);
      // Framing fields in trailers would be applied by some recipients: refuse them.
      if (IEquals(h.name, "content-length") || IEquals(h.name, "transfer-encoding") ||
          IEquals(h.name, "host"))
        return Fail(HttpError::kInvalidTrailer);
      return {HttpEvent::kNeedMore, len + 2, {}};
    }
  }
  return Fail(HttpError::kInvalidRequestLine);
}

HttpStep HttpRequestParser::ScanHead(std::string_view in) {
  size_t i = scan_pos_;
  const size_t n = in.size();
  while (i < n) {
    char c = in[i];
    if (c == '\r') {
      if (i + 1 >= n) break;  // decide when the next byte arrives
      if (in[i + 1] != '\n') return Fail(HttpError::kBareCr);
      size_t len = i - line_start_;
      if (len == 0) {
        if (lines_ == 0) {
          // RFC 9112 §2.2: ignore empty lines before the request line (bounded by the limit).
          if (i + 2 > limits_.max_request_line) return Fail(HttpError::kRequestLineTooLong);
          line_start_ = head_start_ = i + 2;
          i += 2;
          continue;
        }
        // End of head.
        size_t end = i + 2;
        HttpError e = ParseHead(in.substr(head_start_, end - head_start_));
        if (e != HttpError::kNone) return Fail(e);
        scan_pos_ = 0;
        line_start_ = head_start_ = 0;
        lines_ = 0;
        if (head_.body == BodyKind::kChunked) {
          state_ = State::kChunkSize;
        } else if (head_.body == BodyKind::kContentLength) {
          remaining_ = head_.content_length;
          state_ = State::kContentLength;
        } else {
          state_ = State::kDone;
        }
        return {HttpEvent::kHead, end, {}};
      }
      ++lines_;
      if (lines_ > limits_.max_headers + 1) return Fail(HttpError::kTooManyHeaders);
      line_start_ = i + 2;
      i += 2;
      continue;
    }
    if (c == '\n') return Fail(HttpError::kBareLf);
    // Run to the next CR/LF (or the end of what has arrived) and check the limits once per run:
    // an overlong line still fails as soon as its bytes are seen.
    size_t j = i + 1;
    while (j < n && in[j] != '\r' && in[j] != '\n') ++j;
    size_t line_len = j - line_start_;
    if (lines_ == 0) {
      if (line_len > limits_.max_request_line) return Fail(HttpError::kRequestLineTooLong);
    } else if (line_len > limits_.max_header_line) {
      return Fail(HttpError::kHeaderLineTooLong);
    }
    if (j - head_start_ > limits_.max_header_bytes) return Fail(HttpError::kHeadersTooLarge);
    i = j;
  }
  scan_pos_ = i;
  return {HttpEvent::kNeedMore, 0, {}};
}

HttpError HttpRequestParser::ParseHead(std::string_view head) {
  head_ = HttpRequestHead{};
  headers_.clear();
  size_t pos = head.find("\r\n");
  if (HttpError e = ParseRequestLine(head.substr(0, pos)); e != HttpError::kNone) return e;
  pos += 2;
  // `head` ends with the empty line, so every line before it is non-empty.
  while (pos < head.size() - 2) {
    size_t eol = head.find("\r\n", pos);
    HttpHeader h;
    if (HttpError e = ParseField(head.substr(pos, eol - pos), &h); e != HttpError::kNone) return e;
    headers_.push_back(h);  // capacity reserved: max_headers is enforced while scanning
    pos = eol + 2;
  }
  head_.headers = headers_.data();
  head_.header_count = headers_.size();
  return ApplySemantics();
}

HttpError HttpRequestParser::ParseRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  std::string_view method = line.substr(0, sp1);
  if (method.empty() || method.size() > limits_.max_method) return HttpError::kInvalidMethod;
  for (char c : method)
    if (!IsTchar(c)) return HttpError::kInvalidMethod;
  if (sp1 == std::string_view::npos) return HttpError::kInvalidRequestLine;
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return HttpError::kInvalidRequestLine;
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (target.empty() || version.find(' ') != std::string_view::npos)
    return HttpError::kInvalidRequestLine;
  for (char ch : target) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return HttpError::kInvalidTarget;
    if (c >= 0x80 && limits_.reject_non_ascii_target) return HttpError::kInvalidTarget;
  }
  if (method == "CONNECT") {
    // authority-form only: host:port
    if (target[0] == '/' || target.find(':') == std::string_view::npos)
      return HttpError::kInvalidTarget;
  } else if (target == "*") {
    if (method != "OPTIONS") return HttpError::kInvalidTarget;
  } else if (target[0] != '/') {
    // absolute-form: scheme "://" ...
    size_t colon = target.find("://");
    if (colon == std::string_view::npos || colon == 0) return HttpError::kInvalidTarget;
    for (size_t i = 0; i < colon; ++i) {
      char c = target[i];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
      if (!ok) return HttpError::kInvalidTarget;
    }
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
    return HttpError::kInvalidVersion;
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
    return HttpError::kUnsupportedVersion;
  head_.method = method;
  head_.target = target;
  head_.version_minor = version[7] - '0';
  return HttpError::kNone;
}

HttpError HttpRequestParser::ParseField(std::string_view line, HttpHeader* out) {
  if (line.empty()) return HttpError::kInvalidHeaderName;
  if (IsOws(line[0])) return HttpError::kObsFold;
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return HttpError::kMissingColon;
  std::string_view name = line.substr(0, colon);
  if (name.empty()) return HttpError::kInvalidHeaderName;
  if (IsOws(name.back())) return HttpError::kWhitespaceBeforeColon;
  for (char c : name)
    if (!IsTchar(c)) return HttpError::kInvalidHeaderName;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && IsOws(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsOws(value.back())) value.remove_suffix(1);
  if (!ValidFieldValue(value)) return HttpError::kInvalidHeaderValue;
  out->name = name;
  out->value = value;
  return HttpError::kNone;
}

HttpError HttpRequestParser::ApplySemantics() {
  bool have_cl = false, have_te = false, have_host = false;
  bool conn_close = false, conn_keep_alive = false;
  for (const HttpHeader& h : headers_) {
    if (IEquals(h.name, "content-length")) {
      if (have_cl) return HttpError::kDuplicateContentLength;
      have_cl = true;
      if (h.value.empty() || h.value.size() > 18) return HttpError::kInvalidContentLength;
      uint64_t v = 0;
      for (char c : h.value) {
        if (c < '0' || c > '9') return HttpError::kInvalidContentLength;
        v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      head_.content_length = v;
    } else if (IEquals(h.name, "transfer-encoding")) {
      if (have_te) return HttpError::kDuplicateTransferEncoding;
      have_te = true;
      if (!IEquals(h.value, "chunked")) return HttpError::kUnsupportedTransferEncoding;
    } else if (IEquals(h.name, "host")) {
      if (have_host) return HttpError::kDuplicateHost;
      have_host = true;
      if (!ValidHost(h.value)) return HttpError::kInvalidHost;
      head_.host = h.value;
    } else if (IEquals(h.name, "connection")) {
      // Comma-separated tokens.
      std::string_view v = h.value;
      while (!v.empty()) {
        size_t comma = v.find(',');
        std::string_view tok = v.substr(0, comma);
        while (!tok.empty() && IsOws(tok.front())) tok.remove_prefix(1);
        while (!tok.empty() && IsOws(tok.back())) tok.remove_suffix(1);
        if (IEquals(tok, "close")) conn_close = true;
        if (IEquals(tok, "keep-alive")) conn_keep_alive = true;
        if (comma == std::string_view::npos) break;
        v.remove_prefix(comma + 1);
      }
    } else if (IEquals(h.name, "expect")) {
      if (IEquals(h.value, "100-continue")) head_.expect_continue = true;
    }
  }
  if (have_cl && have_te) return HttpError::kContentLengthWithTransferEncoding;
  if (have_te && head_.version_minor == 0) return HttpError::kTransferEncodingInHttp10;
  if (head_.version_minor == 1 && !have_host) return HttpError::kMissingHost;
  if (have_te) {
    head_.body = BodyKind::kChunked;
  } else if (have_cl) {
    if (head_.content_length > limits_.max_body) return HttpError::kBodyTooLarge;
    head_.body = head_.content_length > 0 ? BodyKind::kContentLength : BodyKind::kNone;
  }
  head_.keep_alive = head_.version_minor == 1 ? !conn_close : (conn_keep_alive && !conn_close);
  return HttpError::kNone;
}

}  // namespace gs::net
