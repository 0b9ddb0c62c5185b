// The built-in static file upstream (static_site.h).
#include "gateway/static_site.h"

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "gateway/runtime.h"
#include "net/http_response.h"
#include "net/http_syntax.h"
#include "platform/file.h"

namespace gs::gateway {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The response to one request for a file under `root`.
std::string ServeFile(const std::string& root, const net::HttpServerRequest& req) {
  const bool keep_alive = req.keep_alive;
  auto not_found = [&] {
    static constexpr std::string_view kPage =
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>404 "
        "页面不存在</title></head><body><h1>404 页面不存在 / Not Found</h1></body></html>\n";
    std::string out = net::FormatHttpResponse(404, "text/html; charset=utf-8", kPage, keep_alive);
    if (req.method == "HEAD") out.resize(out.size() - kPage.size());
    return out;
  };
  if (req.method != "GET" && req.method != "HEAD")
    return net::FormatHttpResponse(405, "text/plain", "method not allowed\n", keep_alive);
  std::string path;
  std::string_view t = req.target;
  t = t.substr(0, t.find_first_of("?#"));
  if (t.empty() || t[0] != '/' || !DecodeUrlPath(t, &path))
    return net::FormatHttpResponse(400, "text/plain", "bad path\n", keep_alive);
  std::string full = root + path;
  std::error_code ec;
  if (std::filesystem::is_directory(full, ec)) {
    if (!EndsWith(full, "/")) full += '/';
    full += "index.html";
  }
  // Confine to the root even through symlinks.
  char resolved[PATH_MAX];
  if (!realpath(full.c_str(), resolved)) return not_found();
  std::string real(resolved);
  if (real.compare(0, root.size(), root) != 0 ||
      (real.size() > root.size() && real[root.size()] != '/'))
    return not_found();
  auto content = platform::ReadFile(real);
  if (!content.ok()) return not_found();
  std::string out = net::FormatHttpResponse(200, ContentTypeFor(real), *content, keep_alive);
  if (req.method == "HEAD") out.resize(out.size() - content->size());
  return out;
}

}  // namespace

bool DecodeUrlPath(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int h = net::syntax::HexValue(in[i + 1]), l = net::syntax::HexValue(in[i + 2]);
      if (h < 0 || l < 0) return false;
      c = static_cast<char>(h * 16 + l);
      i += 2;
    }
    if (c == '\0' || c == '\\') return false;
    *out += c;
  }
  size_t pos = 0;
  while (pos <= out->size()) {
    size_t next = out->find('/', pos);
    std::string_view seg = std::string_view(*out).substr(
        pos, next == std::string::npos ? std::string::npos : next - pos);
    if (seg == "..") return false;
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return true;
}

std::string_view ContentTypeFor(std::string_view p) {
  if (EndsWith(p, ".html") || EndsWith(p, ".htm")) return "text/html; charset=utf-8";
  if (EndsWith(p, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(p, ".js")) return "text/javascript; charset=utf-8";
  if (EndsWith(p, ".json")) return "application/json";
  if (EndsWith(p, ".txt")) return "text/plain; charset=utf-8";
  if (EndsWith(p, ".svg")) return "image/svg+xml";
  if (EndsWith(p, ".png")) return "image/png";
  if (EndsWith(p, ".jpg") || EndsWith(p, ".jpeg")) return "image/jpeg";
  if (EndsWith(p, ".ico")) return "image/x-icon";
  return "application/octet-stream";
}

Result<std::unique_ptr<StaticSiteServer>> StaticSiteServer::Start(const std::string& root,
                                                                  const std::string& bind) {
  char resolved[PATH_MAX];
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec) || !realpath(root.c_str(), resolved))
    return NotFoundError("static_root '" + root + "' is not a directory");
  std::unique_ptr<StaticSiteServer> s(new StaticSiteServer());
  s->root_ = resolved;
  GS_ASSIGN_OR_RETURN(net::SocketAddress addr, ParseHostPort(bind));
  const std::string* root_dir = &s->root_;
  GS_ASSIGN_OR_RETURN(
      s->server_, net::HttpServerThread::Start(addr, [root_dir](const net::HttpServerRequest& r) {
        return ServeFile(*root_dir, r);
      }));
  s->port_ = s->server_->port();
  return s;
}

StaticSiteServer::~StaticSiteServer() = default;

}  // namespace gs::gateway
