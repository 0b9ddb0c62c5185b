// StaticSiteServer: a tiny built-in HTTP/1.1 file server on loopback, used as the upstream of a
// site configured with `upstream.static_root` (the bundled demo government site behind
// `govshield up`). GET and HEAD only; paths are percent-decoded and confined to the root
// ("..", NUL and symlinks leaving the root are refused); "/" and directories serve index.html.
// Files are read per request (the demo site is small; edits show up without a restart).
//
// Runs on its own thread (net::HttpServerThread). Start/destructor from one controlling thread.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "net/http_server_thread.h"

namespace gs::gateway {

class StaticSiteServer {
 public:
  // Binds `bind` ("127.0.0.1:0" picks a free port). NotFound if `root` is not a directory.
  static Result<std::unique_ptr<StaticSiteServer>> Start(const std::string& root,
                                                         const std::string& bind);
  ~StaticSiteServer();
  uint16_t port() const { return port_; }
  const std::string& root() const { return root_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  StaticSiteServer() = default;
  std::string root_;
  uint16_t port_ = 0;
  std::unique_ptr<net::HttpServerThread> server_;
};

// Content-Type for a file name by extension (UTF-8 for text types).
std::string_view ContentTypeFor(std::string_view path);

// Percent-decodes a URL path into *out; false for malformed escapes, NUL, backslashes or ".."
// segments.
bool DecodeUrlPath(std::string_view in, std::string* out);

}  // namespace gs::gateway
