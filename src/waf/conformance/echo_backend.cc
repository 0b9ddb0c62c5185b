// The echo backend over the wire (echo_backend.h).
#include "waf/conformance/echo_backend.h"

#include "net/http_response.h"
#include "net/socket.h"
#include "waf/conformance/ftw.h"

namespace gs::waf::conformance {

std::string SerializeBackendResponse(const Exchange& ex) {
  std::string out = ex.response_protocol + " " + std::to_string(ex.response_status) + " " +
                    std::string(net::HttpReasonPhrase(ex.response_status)) + "\r\n";
  for (const auto& [k, v] : ex.response_headers) out += k + ": " + v + "\r\n";
  out += "\r\n";
  if (ex.method != "HEAD") out += ex.response_body;
  return out;
}

Result<std::unique_ptr<net::HttpServerThread>> StartEchoBackend() {
  GS_ASSIGN_OR_RETURN(net::SocketAddress addr, net::SocketAddress::Parse("127.0.0.1", 0));
  // The gateway in front has applied its own limits; accept whatever it forwards.
  net::HttpParserLimits limits;
  limits.max_request_line = 1 << 20;
  limits.max_header_line = 1 << 20;
  limits.max_header_bytes = 4 << 20;
  limits.max_headers = 10'000;
  limits.max_body = 64 << 20;
  return net::HttpServerThread::Start(
      addr,
      [](const net::HttpServerRequest& r) {
        Exchange ex;
        ex.method = r.method;
        ex.uri = r.target;
        ex.http_version = r.version_minor == 0 ? "1.0" : "1.1";
        ex.request_headers = r.headers;
        ex.request_body = r.body;
        EmulateBackend(&ex);
        return SerializeBackendResponse(ex);
      },
      limits);
}

}  // namespace gs::waf::conformance
