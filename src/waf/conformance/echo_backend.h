// EchoBackendServer: the go-ftw echo backend as a real HTTP/1.1 server on loopback, for running
// the CRS regression suite over the wire through the gateway (`govshield waf conformance --suite
// crs --via-gateway`). Every request is parsed with the strict request parser and answered by
// EmulateBackend (ftw.h) — the same answers the in-process runner emulates: 200 and a JSON echo
// for the echo endpoints, 405 for CONNECT, 404 otherwise. Keep-alive is honoured.
//
// Runs its own EventLoop thread. Start/destructor from one controlling thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/status.h"
#include "net/event_loop.h"
#include "net/tcp_server.h"
#include "waf/exchange.h"

namespace gs::waf::conformance {

class EchoBackendServer {
 public:
  // Listens on 127.0.0.1, port 0 (a free one).
  static Result<std::unique_ptr<EchoBackendServer>> Start();
  ~EchoBackendServer();
  uint16_t port() const { return port_; }

 private:
  EchoBackendServer() = default;
  uint16_t port_ = 0;
  std::unique_ptr<net::EventLoop> loop_;
  std::unique_ptr<net::TcpServer> server_;
  std::thread thread_;
};

// The response EmulateBackend put into `exchange`, serialised (status line, its headers, body).
std::string SerializeBackendResponse(const Exchange& exchange);

}  // namespace gs::waf::conformance
