// The built-in static file upstream (static_site.h).
#include "gateway/static_site.h"

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "gateway/runtime.h"
#include "net/http_parser.h"
#include "net/http_response.h"
#include "net/http_syntax.h"
#include "platform/file.h"

namespace gs::gateway {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class StaticHandler final : public net::StreamHandler {
 public:
  explicit StaticHandler(const std::string* root) : root_(root) {}
  void OnData(net::TcpConnection& conn, std::string_view data) override {
    buf_.append(data);
    for (;;) {
      net::HttpStep s = parser_.Execute(buf_);
      if (s.event == net::HttpEvent::kError) {
        conn.Write(net::FormatHttpResponse(400, "text/plain", "bad request\n", false));
        conn.CloseAfterWrite();
        return;
      }
      if (s.event == net::HttpEvent::kHead) {
        method_.assign(parser_.head().method);
        target_.assign(parser_.head().target);
        keep_alive_ = parser_.head().keep_alive;
      }
      if (s.event == net::HttpEvent::kDone) {
        conn.Write(Respond());
        if (!keep_alive_) {
          conn.CloseAfterWrite();
          return;
        }
      }
      buf_.erase(0, s.consumed);
      if (s.event == net::HttpEvent::kNeedMore && s.consumed == 0) return;
    }
  }

 private:
  std::string Respond() {
    if (method_ != "GET" && method_ != "HEAD")
      return net::FormatHttpResponse(405, "text/plain", "method not allowed\n", keep_alive_);
    std::string path;
    std::string_view t = target_;
    t = t.substr(0, t.find_first_of("?#"));
    if (t.empty() || t[0] != '/' || !DecodeUrlPath(t, &path))
      return net::FormatHttpResponse(400, "text/plain", "bad path\n", keep_alive_);
    std::string full = *root_ + path;
    std::error_code ec;
    if (std::filesystem::is_directory(full, ec)) {
      if (!EndsWith(full, "/")) full += '/';
      full += "index.html";
    }
    // Confine to the root even through symlinks.
    char resolved[PATH_MAX];
    if (!realpath(full.c_str(), resolved)) return NotFound();
    std::string real(resolved);
    if (real.compare(0, root_->size(), *root_) != 0 ||
        (real.size() > root_->size() && real[root_->size()] != '/'))
      return NotFound();
    auto content = platform::ReadFile(real);
    if (!content.ok()) return NotFound();
    std::string out = net::FormatHttpResponse(200, ContentTypeFor(real), *content, keep_alive_);
    if (method_ == "HEAD") out.resize(out.size() - content->size());
    return out;
  }
  std::string NotFound() {
    static constexpr std::string_view kPage =
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>404 "
        "页面不存在</title></head><body><h1>404 页面不存在 / Not Found</h1></body></html>\n";
    std::string out = net::FormatHttpResponse(404, "text/html; charset=utf-8", kPage, keep_alive_);
    if (method_ == "HEAD") out.resize(out.size() - kPage.size());
    return out;
  }

  const std::string* root_;
  net::HttpRequestParser parser_;
  std::string buf_, method_, target_;
  bool keep_alive_ = true;
};

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
  GS_ASSIGN_OR_RETURN(s->loop_, net::EventLoop::Create());
  const std::string* root_ptr = &s->root_;
  GS_ASSIGN_OR_RETURN(s->server_, net::TcpServer::Start(
                                      s->loop_.get(), addr, [root_ptr](const net::TcpConnection&) {
                                        return std::make_unique<StaticHandler>(root_ptr);
                                      }));
  s->port_ = s->server_->port();
  net::EventLoop* loop = s->loop_.get();
  s->thread_ = std::thread([loop] { loop->Run(); });
  return s;
}

StaticSiteServer::~StaticSiteServer() {
  if (thread_.joinable()) {
    loop_->Post([this] { server_.reset(); });
    loop_->Post([this] { loop_->Stop(); });
    thread_.join();
  }
  server_.reset();
}

}  // namespace gs::gateway
