// Strict incremental HTTP/1.1 response parser (see http_response_parser.h). The head is scanned
// for line structure as bytes arrive and parsed once complete; the body is a small state machine
// over Content-Length, chunked or until-close framing.
#include "net/http_response_parser.h"

#include "net/http_syntax.h"

namespace gs::net {
namespace {

using syntax::IEquals;
using syntax::IsOws;
using syntax::IsTchar;
using syntax::kNeed;
using syntax::NextLine;

}  // namespace

const HttpHeader* HttpResponseHead::Find(std::string_view name) const {
  for (size_t i = 0; i < header_count; ++i)
    if (IEquals(headers[i].name, name)) return &headers[i];
  return nullptr;
}

HttpResponseParser::HttpResponseParser(const HttpResponseLimits& limits) : limits_(limits) {
  headers_.reserve(limits_.max_headers);
}

void HttpResponseParser::ExpectResponseTo(std::string_view method) {
  head_request_ = method == "HEAD";
}

void HttpResponseParser::Reset() {
  state_ = State::kHead;
  error_ = HttpError::kNone;
  head_ = HttpResponseHead{};
  headers_.clear();
  scan_pos_ = line_start_ = lines_ = 0;
  remaining_ = 0;
  trailer_bytes_ = 0;
}

HttpStep HttpResponseParser::Fail(HttpError e) {
  state_ = State::kError;
  error_ = e;
  return {HttpEvent::kError, 0, {}};
}

HttpStep HttpResponseParser::FinishEof() {
  switch (state_) {
    case State::kUntilClose:
      state_ = State::kDone;
      return {HttpEvent::kDone, 0, {}};
    case State::kDone:
      return {HttpEvent::kDone, 0, {}};
    case State::kContentLength:
      return Fail(HttpError::kInvalidContentLength);
    case State::kHead:
      return Fail(HttpError::kInvalidRequestLine);
    case State::kError:
      return {HttpEvent::kError, 0, {}};
    default:
      return Fail(HttpError::kInvalidChunkSize);
  }
}

HttpStep HttpResponseParser::Execute(std::string_view in) {
  switch (state_) {
    case State::kError:
      return {HttpEvent::kError, 0, {}};
    case State::kHead:
      return ScanHead(in);
    case State::kDone: {
      bool head_req = head_request_;
      Reset();
      head_request_ = head_req;
      return {HttpEvent::kDone, 0, {}};
    }
    case State::kUntilClose:
      if (in.empty()) return {HttpEvent::kNeedMore, 0, {}};
      return {HttpEvent::kBody, in.size(), in};
    case State::kContentLength: {
      if (remaining_ == 0) {
        state_ = State::kDone;
        return Execute(in);
      }
      if (in.empty()) return {HttpEvent::kNeedMore, 0, {}};
      size_t n = in.size() < remaining_ ? in.size() : static_cast<size_t>(remaining_);
      remaining_ -= n;
      if (remaining_ == 0) state_ = State::kDone;
      return {HttpEvent::kBody, n, in.substr(0, n)};
    }
    case State::kChunkSize: {
      HttpError err = HttpError::kNone;
      size_t len = NextLine(in, limits_.max_chunk_line, HttpError::kChunkLineTooLong, &err);
      if (err != HttpError::kNone) return Fail(err);
      if (len == kNeed) return {HttpEvent::kNeedMore, 0, {}};
      uint64_t size = 0;
      if (HttpError e = syntax::ParseChunkSizeLine(in.substr(0, len), {15, true}, &size);
          e != HttpError::kNone)
        return Fail(e);
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
        state_ = State::kDone;
        return {HttpEvent::kNeedMore, 2, {}};
      }
      trailer_bytes_ += len + 2;
      if (trailer_bytes_ > limits_.max_trailer_bytes) return Fail(HttpError::kTrailersTooLarge);
      // Trailers are dropped (not forwarded): the gateway re-frames the body itself.
      return {HttpEvent::kNeedMore, len + 2, {}};
    }
  }
  return Fail(HttpError::kInvalidRequestLine);
}

HttpStep HttpResponseParser::ScanHead(std::string_view in) {
  size_t i = scan_pos_;
  const size_t n = in.size();
  while (i < n) {
    char c = in[i];
    if (c == '\r') {
      if (i + 1 >= n) break;
      if (in[i + 1] != '\n') return Fail(HttpError::kBareCr);
      size_t len = i - line_start_;
      if (len == 0) {
        if (lines_ == 0) return Fail(HttpError::kInvalidRequestLine);  // empty status line
        size_t end = i + 2;
        HttpError e = ParseHead(in.substr(0, end));
        if (e != HttpError::kNone) return Fail(e);
        scan_pos_ = line_start_ = lines_ = 0;
        switch (head_.body) {
          case ResponseBodyKind::kNone:
            state_ = State::kDone;
            break;
          case ResponseBodyKind::kContentLength:
            remaining_ = head_.content_length;
            state_ = State::kContentLength;
            break;
          case ResponseBodyKind::kChunked:
            state_ = State::kChunkSize;
            break;
          case ResponseBodyKind::kUntilClose:
            state_ = State::kUntilClose;
            break;
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
    size_t j = i + 1;
    while (j < n && in[j] != '\r' && in[j] != '\n') ++j;
    size_t line_len = j - line_start_;
    if (lines_ == 0) {
      if (line_len > limits_.max_status_line) return Fail(HttpError::kRequestLineTooLong);
    } else if (line_len > limits_.max_header_line) {
      return Fail(HttpError::kHeaderLineTooLong);
    }
    if (j > limits_.max_header_bytes) return Fail(HttpError::kHeadersTooLarge);
    i = j;
  }
  scan_pos_ = i;
  return {HttpEvent::kNeedMore, 0, {}};
}

HttpError HttpResponseParser::ParseHead(std::string_view head) {
  head_ = HttpResponseHead{};
  headers_.clear();
  size_t pos = head.find("\r\n");
  std::string_view line = head.substr(0, pos);
  // "HTTP/1.x SP 3DIGIT SP reason" (reason may be empty, the SP before it is required by
  // RFC 9112 but commonly missing: accept its absence).
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') ||
      line[8] != ' ')
    return HttpError::kInvalidVersion;
  int status = 0;
  for (int k = 9; k < 12; ++k) {
    if (line[k] < '0' || line[k] > '9') return HttpError::kInvalidRequestLine;
    status = status * 10 + (line[k] - '0');
  }
  if (status < 100) return HttpError::kInvalidRequestLine;
  if (line.size() > 12 && line[12] != ' ') return HttpError::kInvalidRequestLine;
  head_.version_minor = line[7] - '0';
  head_.status = status;
  head_.reason = line.size() > 13 ? line.substr(13) : std::string_view();
  for (char ch : head_.reason) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return HttpError::kInvalidRequestLine;
  }
  pos += 2;
  bool have_cl = false, have_te = false, conn_close = false, conn_keep_alive = false;
  while (pos < head.size() - 2) {
    size_t eol = head.find("\r\n", pos);
    std::string_view f = head.substr(pos, eol - pos);
    pos = eol + 2;
    if (IsOws(f[0])) return HttpError::kObsFold;
    size_t colon = f.find(':');
    if (colon == std::string_view::npos) return HttpError::kMissingColon;
    std::string_view name = f.substr(0, colon);
    if (name.empty()) return HttpError::kInvalidHeaderName;
    if (IsOws(name.back())) return HttpError::kWhitespaceBeforeColon;
    for (char c : name)
      if (!IsTchar(c)) return HttpError::kInvalidHeaderName;
    std::string_view value = f.substr(colon + 1);
    while (!value.empty() && IsOws(value.front())) value.remove_prefix(1);
    while (!value.empty() && IsOws(value.back())) value.remove_suffix(1);
    for (char ch : value) {
      auto c = static_cast<unsigned char>(ch);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return HttpError::kInvalidHeaderValue;
    }
    if (IEquals(name, "content-length")) {
      if (value.empty() || value.size() > 18) return HttpError::kInvalidContentLength;
      uint64_t v = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return HttpError::kInvalidContentLength;
        v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      if (have_cl && v != head_.content_length) return HttpError::kDuplicateContentLength;
      have_cl = true;
      head_.content_length = v;
    } else if (IEquals(name, "transfer-encoding")) {
      if (have_te) return HttpError::kDuplicateTransferEncoding;
      have_te = true;
      if (!IEquals(value, "chunked")) return HttpError::kUnsupportedTransferEncoding;
    } else if (IEquals(name, "connection")) {
      std::string_view v = value;
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
    }
    headers_.push_back(HttpHeader{name, value});
  }
  head_.headers = headers_.data();
  head_.header_count = headers_.size();
  if (have_cl && have_te) return HttpError::kContentLengthWithTransferEncoding;
  head_.keep_alive = head_.version_minor == 1 ? !conn_close : (conn_keep_alive && !conn_close);
  if (head_request_ || (status >= 100 && status < 200) || status == 204 || status == 304) {
    head_.body = ResponseBodyKind::kNone;
  } else if (have_te) {
    head_.body = ResponseBodyKind::kChunked;
  } else if (have_cl) {
    head_.body =
        head_.content_length > 0 ? ResponseBodyKind::kContentLength : ResponseBodyKind::kNone;
  } else {
    head_.body = ResponseBodyKind::kUntilClose;
    head_.keep_alive = false;
  }
  return HttpError::kNone;
}

}  // namespace gs::net
