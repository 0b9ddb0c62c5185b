// The built-in upstreams' HTTP server (http_server_thread.h).
#include "net/http_server_thread.h"

#include "net/http_response.h"

namespace gs::net {
namespace {

class RequestHandler final : public StreamHandler {
 public:
  RequestHandler(const HttpServerHandler* handler, const HttpParserLimits& limits)
      : handler_(handler), parser_(limits) {}

  void OnData(TcpConnection& conn, std::string_view data) override {
    buf_.append(data);
    for (;;) {
      HttpStep s = parser_.Execute(buf_);
      if (s.event == HttpEvent::kError) {
        conn.Write(FormatHttpResponse(400, "text/plain", "bad request\n", false));
        conn.CloseAfterWrite();
        return;
      }
      if (s.event == HttpEvent::kHead) Start(parser_.head());
      if (s.event == HttpEvent::kBody) req_.body.append(s.data);
      if (s.event == HttpEvent::kDone) {
        conn.Write((*handler_)(req_));
        if (!req_.keep_alive) {
          conn.CloseAfterWrite();
          return;
        }
      }
      buf_.erase(0, s.consumed);
      if (s.event == HttpEvent::kNeedMore && s.consumed == 0) return;
    }
  }

 private:
  void Start(const HttpRequestHead& h) {
    req_ = HttpServerRequest{};
    req_.method.assign(h.method);
    req_.target.assign(h.target);
    req_.version_minor = h.version_minor;
    for (size_t i = 0; i < h.header_count; ++i) {
      req_.headers.emplace_back(std::string(h.headers[i].name), std::string(h.headers[i].value));
    }
    req_.keep_alive = h.keep_alive;
  }

  const HttpServerHandler* handler_;
  HttpRequestParser parser_;
  std::string buf_;
  HttpServerRequest req_;
};

}  // namespace

Result<std::unique_ptr<HttpServerThread>> HttpServerThread::Start(const SocketAddress& addr,
                                                                  HttpServerHandler handler,
                                                                  const HttpParserLimits& limits) {
  std::unique_ptr<HttpServerThread> s(new HttpServerThread());
  s->handler_ = std::move(handler);
  s->limits_ = limits;
  GS_ASSIGN_OR_RETURN(s->loop_, EventLoop::Create());
  const HttpServerHandler* h = &s->handler_;
  const HttpParserLimits* l = &s->limits_;
  GS_ASSIGN_OR_RETURN(s->server_,
                      TcpServer::Start(s->loop_.get(), addr, [h, l](const TcpConnection&) {
                        return std::make_unique<RequestHandler>(h, *l);
                      }));
  s->port_ = s->server_->port();
  EventLoop* loop = s->loop_.get();
  s->thread_ = std::thread([loop] { loop->Run(); });
  return s;
}

HttpServerThread::~HttpServerThread() {
  if (thread_.joinable()) {
    loop_->Post([this] { server_.reset(); });
    loop_->Post([this] { loop_->Stop(); });
    thread_.join();
  }
  server_.reset();
}

}  // namespace gs::net
