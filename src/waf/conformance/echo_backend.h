// The go-ftw echo backend as a real HTTP/1.1 server on loopback, for running the CRS regression
// suite over the wire through the gateway (`govshield waf conformance --suite crs
// --via-gateway`). Every request is answered by EmulateBackend (ftw.h) — the same answers the
// in-process runner emulates: 200 and a JSON echo for the echo endpoints, 405 for CONNECT, 404
// otherwise. Keep-alive is honoured.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "net/http_server_thread.h"
#include "waf/exchange.h"

namespace gs::waf::conformance {

// Listens on 127.0.0.1, port 0 (a free one); port() says which.
Result<std::unique_ptr<net::HttpServerThread>> StartEchoBackend();

// The response EmulateBackend put into `exchange`, serialised (status line, its headers, body).
std::string SerializeBackendResponse(const Exchange& exchange);

}  // namespace gs::waf::conformance
