// IngestServer implementation: one EventLoop thread with a UDP socket, a syslog TcpServer and an
// HTTP TcpServer. Records go to the sink synchronously from the loop thread: RecordSink::Append
// returns once the record reached the kernel, which is what the acknowledgement promises.
#include "logingest/ingest_server.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <thread>

#include "core/log.h"
#include "logingest/json_records.h"
#include "logingest/json_writer.h"
#include "logingest/syslog_framing.h"
#include "logingest/syslog_parser.h"
#include "net/event_loop.h"
#include "net/http_parser.h"
#include "net/http_response.h"
#include "net/socket.h"
#include "net/tcp_server.h"

namespace gs::logingest {

class IngestServer::Impl {
 public:
  Impl(const IngestOptions& o, audit::RecordSink* sink, const TimeSource& time)
      : opts(o), sink(sink), time(time) {}

  // Parses and stores one syslog message; counts the outcome.
  void StoreSyslog(std::string_view raw, std::string_view transport, std::string_view peer,
                   std::vector<std::string_view> extra) {
    received.fetch_add(1);
    UnixNanos now = time.Now();
    SyslogMessage m = ParseSyslog(raw, now);
    SyslogContext ctx{transport, peer, now, std::move(extra)};
    size_t n_anom = 0;
    std::string rec = SyslogToRecord(raw, m, ctx, &n_anom);
    Result<uint64_t> seq = sink->Append(rec);
    if (!seq.ok()) {
      errors.fetch_add(1);
      LogError("ingest", "sink refused a syslog record: " + seq.status().ToString());
      return;
    }
    stored.fetch_add(1);
    if (n_anom) anomalies.fetch_add(1);
  }

  void OnUdpReadable();

  IngestCounters Snapshot() const {
    IngestCounters c;
    c.received = received.load();
    c.stored = stored.load();
    c.anomalies = anomalies.load();
    c.errors = errors.load();
    c.http_requests = http_requests.load();
    c.http_rejected = http_rejected.load();
    return c;
  }

  IngestOptions opts;
  audit::RecordSink* sink;
  const TimeSource& time;
  std::unique_ptr<net::EventLoop> loop;
  net::UniqueFd udp;
  std::unique_ptr<net::TcpServer> syslog_tcp;
  std::unique_ptr<net::TcpServer> http;
  std::thread thread;
  std::atomic<uint64_t> received{0}, stored{0}, anomalies{0}, errors{0}, http_requests{0},
      http_rejected{0};
  std::string udp_buf;
};

namespace {

class SyslogTcpHandler : public net::StreamHandler {
 public:
  SyslogTcpHandler(IngestServer::Impl* impl, std::string peer)
      : impl_(impl),
        peer_(std::move(peer)),
        framer_(impl->opts.max_syslog_message,
                [this](std::string_view frame, const std::vector<std::string_view>& a) {
                  impl_->StoreSyslog(frame, "tcp", peer_, a);
                }) {}
  void OnData(net::TcpConnection&, std::string_view data) override { framer_.Feed(data); }
  void OnEof(net::TcpConnection& c) override {
    framer_.Finish();
    c.CloseAfterWrite();
  }
  // Reset, idle timeout or shutdown: what was received is still stored.
  void OnClose(net::TcpConnection&) override { framer_.Finish(); }

 private:
  IngestServer::Impl* impl_;
  std::string peer_;
  SyslogStreamFramer framer_;
};

std::string ErrorBody(std::string_view reason) {
  std::string b = "{\"error\":";
  AppendJsonString(&b, reason);
  b += '}';
  return b;
}

class HttpIngestHandler : public net::StreamHandler {
 public:
  explicit HttpIngestHandler(IngestServer::Impl* impl) : impl_(impl), parser_(Limits(impl)) {}

  void OnData(net::TcpConnection& c, std::string_view data) override {
    if (done_) return;
    // A request must be complete within request_timeout_ms of its first byte (slowloris).
    if (parser_.idle() && buf_.empty()) c.SetDeadline(impl_->opts.request_timeout_ms);
    buf_.append(data);
    while (!done_) {
      net::HttpStep s = parser_.Execute(buf_);
      switch (s.event) {
        case net::HttpEvent::kHead:
          OnHead(c);
          break;
        case net::HttpEvent::kBody:
          if (route_ == Route::kRecords) body_.append(s.data);
          break;
        case net::HttpEvent::kDone:
          OnMessage(c);
          break;
        case net::HttpEvent::kError: {
          net::HttpError e = parser_.error();
          Reply(c, net::HttpErrorStatus(e), ErrorBody(net::HttpErrorName(e)), false);
          return;
        }
        case net::HttpEvent::kNeedMore:
          break;
      }
      buf_.erase(0, s.consumed);
      if (s.event == net::HttpEvent::kNeedMore && s.consumed == 0) return;
    }
  }

 private:
  enum class Route { kNone, kRecords, kHealth };

  static net::HttpParserLimits Limits(IngestServer::Impl* impl) {
    net::HttpParserLimits l;
    l.max_body = impl->opts.max_http_body;
    l.reject_non_ascii_target = true;
    return l;
  }

  void Reply(net::TcpConnection& c, int status, std::string_view body, bool keep_alive) {
    if (status >= 400 && status < 500) impl_->http_rejected.fetch_add(1);
    c.Write(net::FormatHttpResponse(status, "application/json", body, keep_alive));
    if (!keep_alive) {
      done_ = true;
      c.CloseAfterWrite();
    }
  }

  void OnHead(net::TcpConnection& c) {
    impl_->http_requests.fetch_add(1);
    const net::HttpRequestHead& h = parser_.head();
    std::string_view path = h.target.substr(0, h.target.find('?'));
    keep_alive_ = h.keep_alive;
    body_.clear();
    route_ = Route::kNone;
    if (path == "/v1/records") {
      if (h.method != "POST") return Reply(c, 405, ErrorBody("method_not_allowed"), false);
      route_ = Route::kRecords;
      // curl and others wait for this before sending a large body.
      if (h.expect_continue && h.body != net::BodyKind::kNone)
        c.Write("HTTP/1.1 100 Continue\r\n\r\n");
    } else if (path == "/healthz") {
      if (h.method != "GET" && h.method != "HEAD")
        return Reply(c, 405, ErrorBody("method_not_allowed"), false);
      route_ = Route::kHealth;
    } else {
      Reply(c, 404, ErrorBody("not_found"), false);
    }
  }

  void OnMessage(net::TcpConnection& c) {
    c.ClearDeadline();
    if (route_ == Route::kHealth) {
      IngestCounters k = impl_->Snapshot();
      std::string b = "{\"status\":\"ok\",\"received\":" + std::to_string(k.received) +
                      ",\"stored\":" + std::to_string(k.stored) +
                      ",\"anomalies\":" + std::to_string(k.anomalies) +
                      ",\"errors\":" + std::to_string(k.errors) + "}";
      return Reply(c, 200, b, keep_alive_);
    }
    if (route_ != Route::kRecords) return;
    UnixNanos now = impl_->time.Now();
    Result<std::vector<std::string>> recs =
        JsonBodyToRecords(body_, now, impl_->opts.max_records_per_request);
    body_.clear();
    if (!recs.ok()) {
      std::string_view msg = recs.status().message();
      int status = recs.status().code() == StatusCode::kResourceExhausted ? 413 : 400;
      std::string b = "{\"error\":";
      AppendJsonString(&b, msg.substr(0, msg.find(':')));
      b += ",\"detail\":";
      AppendJsonString(&b, msg);
      b += '}';
      return Reply(c, status, b, keep_alive_);
    }
    impl_->received.fetch_add(recs->size());
    std::string seqs;
    for (const std::string& r : *recs) {
      Result<uint64_t> seq = impl_->sink->Append(r);
      if (!seq.ok()) {
        impl_->errors.fetch_add(1);
        std::string b = "{\"error\":\"sink_failed\",\"seqs\":[" + seqs + "],\"detail\":";
        AppendJsonString(&b, seq.status().ToString());
        b += '}';
        return Reply(c, 503, b, false);
      }
      impl_->stored.fetch_add(1);
      if (!seqs.empty()) seqs += ',';
      seqs += std::to_string(*seq);
    }
    Reply(c, 200, "{\"seqs\":[" + seqs + "],\"count\":" + std::to_string(recs->size()) + "}",
          keep_alive_);
  }

  IngestServer::Impl* impl_;
  net::HttpRequestParser parser_;
  std::string buf_;
  std::string body_;
  Route route_ = Route::kNone;
  bool keep_alive_ = true;
  bool done_ = false;
};

}  // namespace

void IngestServer::Impl::OnUdpReadable() {
  // Bounded batch per wake-up so TCP and HTTP are served too under a UDP flood.
  for (int i = 0; i < 256; ++i) {
    net::SocketAddress peer;
    peer.len = sizeof(peer.storage);
    ssize_t n = recvfrom(udp.get(), udp_buf.data(), udp_buf.size(), MSG_TRUNC,
                         reinterpret_cast<sockaddr*>(&peer.storage), &peer.len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) errors.fetch_add(1);
      return;
    }
    std::vector<std::string_view> extra;
    size_t len = static_cast<size_t>(n);
    if (len > udp_buf.size()) {
      len = udp_buf.size();
      extra.push_back("truncated_datagram");
    }
    std::string_view msg(udp_buf.data(), len);
    // Some senders end datagrams with LF or NUL; it is framing, not content.
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\0')) msg.remove_suffix(1);
    StoreSyslog(msg, "udp", peer.ToString(), std::move(extra));
  }
}

Result<std::unique_ptr<IngestServer>> IngestServer::Start(const IngestOptions& options,
                                                          audit::RecordSink* sink,
                                                          const TimeSource& time) {
  if (sink == nullptr) return InvalidArgumentError("ingest: no record sink");
  for (int p : {options.udp_port, options.tcp_port, options.http_port})
    if (p < -1 || p > 65535) return InvalidArgumentError("ingest: port out of range");
  std::unique_ptr<IngestServer> s(new IngestServer());
  s->impl_ = std::make_unique<Impl>(options, sink, time);
  Impl* impl = s->impl_.get();
  GS_ASSIGN_OR_RETURN(impl->loop, net::EventLoop::Create());
  net::TcpServerOptions tcp_opts;
  tcp_opts.max_connections = options.max_tcp_connections;
  tcp_opts.idle_timeout_ms = options.idle_timeout_ms;
  net::TcpServerOptions syslog_opts = tcp_opts;
  syslog_opts.drain_on_shutdown = true;

  if (options.udp_port >= 0) {
    GS_ASSIGN_OR_RETURN(
        net::SocketAddress a,
        net::SocketAddress::Parse(options.bind_host, static_cast<uint16_t>(options.udp_port)));
    GS_ASSIGN_OR_RETURN(impl->udp, net::BindUdp(a, options.udp_rcvbuf_bytes));
    GS_ASSIGN_OR_RETURN(net::SocketAddress local, net::LocalAddress(impl->udp.get()));
    s->udp_port_ = local.port();
    impl->udp_buf.resize(std::max<size_t>(options.max_syslog_message, 512));
    GS_RETURN_IF_ERROR(
        impl->loop->Add(impl->udp.get(), EPOLLIN, [impl](uint32_t) { impl->OnUdpReadable(); }));
  }
  if (options.tcp_port >= 0) {
    GS_ASSIGN_OR_RETURN(
        net::SocketAddress a,
        net::SocketAddress::Parse(options.bind_host, static_cast<uint16_t>(options.tcp_port)));
    GS_ASSIGN_OR_RETURN(impl->syslog_tcp, net::TcpServer::Start(
                                              impl->loop.get(), a,
                                              [impl](const net::TcpConnection& c) {
                                                return std::make_unique<SyslogTcpHandler>(impl,
                                                                                          c.peer());
                                              },
                                              syslog_opts));
    s->tcp_port_ = impl->syslog_tcp->port();
  }
  if (options.http_port >= 0) {
    GS_ASSIGN_OR_RETURN(
        net::SocketAddress a,
        net::SocketAddress::Parse(options.bind_host, static_cast<uint16_t>(options.http_port)));
    GS_ASSIGN_OR_RETURN(impl->http, net::TcpServer::Start(
                                        impl->loop.get(), a,
                                        [impl](const net::TcpConnection&) {
                                          return std::make_unique<HttpIngestHandler>(impl);
                                        },
                                        tcp_opts));
    s->http_port_ = impl->http->port();
  }
  impl->thread = std::thread([impl] { impl->loop->Run(); });
  return s;
}

IngestServer::~IngestServer() { Stop(); }

void IngestServer::Stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  Impl* impl = impl_.get();
  impl->loop->Post([impl] {
    impl->syslog_tcp.reset();
    impl->http.reset();
    if (impl->udp.valid()) {
      impl->loop->Remove(impl->udp.get());
      impl->OnUdpReadable();  // datagrams already queued in the kernel are not lost
      impl->udp.Reset();
    }
    impl->loop->Stop();
  });
  impl->thread.join();
}

IngestCounters IngestServer::counters() const {
  return impl_ ? impl_->Snapshot() : IngestCounters{};
}

}  // namespace gs::logingest
