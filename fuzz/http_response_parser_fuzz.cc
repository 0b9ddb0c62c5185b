// Fuzz target: the HTTP/1.1 response parser (gateway upstream side). Invariant: whole-buffer and
// byte-by-byte delivery give the same requests, bodies and error (the parser is truly incremental).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/http_response_parser.h"

namespace {

std::string Run(std::string_view input, size_t step) {
  gs::net::HttpResponseLimits limits;
  limits.max_header_bytes = 2048;
  limits.max_status_line = 512;
  limits.max_header_line = 512;
  limits.max_headers = 16;
  gs::net::HttpResponseParser p(limits);
  // An input starting with "HEAD\n" is a response to HEAD (no body), so that framing is fuzzed.
  bool head_req = input.substr(0, 5) == "HEAD\n";
  if (head_req) input.remove_prefix(5);
  p.ExpectResponseTo(head_req ? "HEAD" : "GET");
  std::string trace, buf, body;  // body pieces are joined: their cut depends on delivery
  size_t fed = 0;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    gs::net::HttpStep s = p.Execute(buf);
    if (s.event != gs::net::HttpEvent::kBody && s.event != gs::net::HttpEvent::kNeedMore &&
        !body.empty()) {
      trace += "B:" + body + "\n";
      body.clear();
    }
    switch (s.event) {
      case gs::net::HttpEvent::kHead: {
        const auto& h = p.head();
        trace += "H:" + std::to_string(h.status) + " " + std::to_string(int(h.body)) + "\n";
        for (size_t i = 0; i < h.header_count; ++i)
          trace += std::string(h.headers[i].name) + "=" + std::string(h.headers[i].value) + "\n";
        break;
      }
      case gs::net::HttpEvent::kBody:
        body += s.data;
        break;
      case gs::net::HttpEvent::kDone:
        trace += "D\n";
        break;
      case gs::net::HttpEvent::kError:
        return trace + "E:" + std::string(gs::net::HttpErrorName(p.error()));
      case gs::net::HttpEvent::kNeedMore:
        break;
    }
    if (s.consumed > buf.size()) std::abort();
    buf.erase(0, s.consumed);
    if (s.event == gs::net::HttpEvent::kNeedMore && s.consumed == 0) {
      if (fed >= input.size()) {
        gs::net::HttpStep e = p.FinishEof();
        return trace + "B:" + body + "\nEOF" + std::to_string(int(e.event));
      }
      size_t n = std::min(step, input.size() - fed);
      buf.append(input.substr(fed, n));
      fed += n;
    }
  }
  std::abort();  // no progress: a parser loop bug
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string whole = Run(in, in.size() ? in.size() : 1);
  if (Run(in, 1) != whole) std::abort();
  return 0;
}
