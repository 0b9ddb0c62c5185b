// HttpServerThread: a small HTTP/1.1 server with its own EventLoop thread, for the built-in
// upstreams GovShield runs itself (the gateway's static demo site, the conformance echo
// backend). Requests are parsed with the strict request parser (a malformed one gets 400 and the
// connection closes); for each complete request the handler returns the whole response, and the
// connection stays open when the request asked for keep-alive.
//
// Start/destructor from one controlling thread; the handler runs on the server's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.h"
#include "net/event_loop.h"
#include "net/http_parser.h"
#include "net/socket.h"
#include "net/tcp_server.h"

namespace gs::net {

struct HttpServerRequest {
  std::string method;
  std::string target;
  int version_minor = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, in order
  std::string body;                                          // decoded (dechunked)
  bool keep_alive = true;
};

// Returns the complete response bytes (status line, headers, body).
using HttpServerHandler = std::function<std::string(const HttpServerRequest&)>;

class HttpServerThread {
 public:
  static Result<std::unique_ptr<HttpServerThread>> Start(const SocketAddress& addr,
                                                         HttpServerHandler handler,
                                                         const HttpParserLimits& limits = {});
  ~HttpServerThread();
  uint16_t port() const { return port_; }

 private:
  HttpServerThread() = default;
  HttpServerHandler handler_;
  HttpParserLimits limits_;
  uint16_t port_ = 0;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<TcpServer> server_;
  std::thread thread_;
};

}  // namespace gs::net
