// The echo backend over the wire (echo_backend.h).
#include "waf/conformance/echo_backend.h"

#include "net/http_parser.h"
#include "net/http_response.h"
#include "net/socket.h"
#include "waf/conformance/ftw.h"

namespace gs::waf::conformance {
namespace {

class EchoHandler final : public net::StreamHandler {
 public:
  EchoHandler() : parser_(Limits()) {}

  void OnData(net::TcpConnection& conn, std::string_view data) override {
    buf_.append(data);
    for (;;) {
      net::HttpStep s = parser_.Execute(buf_);
      if (s.event == net::HttpEvent::kError) {
        conn.Write(net::FormatHttpResponse(400, "text/plain", "bad request\n", false));
        conn.CloseAfterWrite();
        return;
      }
      if (s.event == net::HttpEvent::kHead) StartExchange(parser_.head());
      if (s.event == net::HttpEvent::kBody) ex_.request_body.append(s.data);
      if (s.event == net::HttpEvent::kDone) {
        EmulateBackend(&ex_);
        conn.Write(SerializeBackendResponse(ex_));
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
  static net::HttpParserLimits Limits() {
    // The gateway in front has already applied its own limits; accept whatever it forwards.
    net::HttpParserLimits l;
    l.max_request_line = 1 << 20;
    l.max_header_line = 1 << 20;
    l.max_header_bytes = 4 << 20;
    l.max_headers = 10'000;
    l.max_body = 64 << 20;
    return l;
  }

  void StartExchange(const net::HttpRequestHead& h) {
    ex_ = Exchange{};
    ex_.method.assign(h.method);
    ex_.uri.assign(h.target);
    ex_.http_version = h.version_minor == 0 ? "1.0" : "1.1";
    for (size_t i = 0; i < h.header_count; ++i) {
      ex_.request_headers.emplace_back(std::string(h.headers[i].name),
                                       std::string(h.headers[i].value));
    }
    keep_alive_ = h.keep_alive;
  }

  net::HttpRequestParser parser_;
  std::string buf_;
  Exchange ex_;
  bool keep_alive_ = true;
};

}  // namespace

std::string SerializeBackendResponse(const Exchange& ex) {
  std::string out = ex.response_protocol + " " + std::to_string(ex.response_status) + " " +
                    std::string(net::HttpReasonPhrase(ex.response_status)) + "\r\n";
  for (const auto& [k, v] : ex.response_headers) out += k + ": " + v + "\r\n";
  out += "\r\n";
  if (ex.method != "HEAD") out += ex.response_body;
  return out;
}

Result<std::unique_ptr<EchoBackendServer>> EchoBackendServer::Start() {
  std::unique_ptr<EchoBackendServer> s(new EchoBackendServer());
  GS_ASSIGN_OR_RETURN(net::SocketAddress addr, net::SocketAddress::Parse("127.0.0.1", 0));
  GS_ASSIGN_OR_RETURN(s->loop_, net::EventLoop::Create());
  GS_ASSIGN_OR_RETURN(s->server_,
                      net::TcpServer::Start(s->loop_.get(), addr, [](const net::TcpConnection&) {
                        return std::make_unique<EchoHandler>();
                      }));
  s->port_ = s->server_->port();
  net::EventLoop* loop = s->loop_.get();
  s->thread_ = std::thread([loop] { loop->Run(); });
  return s;
}

EchoBackendServer::~EchoBackendServer() {
  if (thread_.joinable()) {
    loop_->Post([this] { server_.reset(); });
    loop_->Post([this] { loop_->Stop(); });
    thread_.join();
  }
  server_.reset();
}

}  // namespace gs::waf::conformance
