// The proxy core (gateway.h): workers, client connections, upstream connections and pools.
//
// A ClientConn handles one request at a time (pipelined requests wait in its input buffer until
// the current response is complete, which keeps responses in order without queuing state). The
// request side and the response side progress independently so a large body can stream to the
// upstream while the upstream already answers. Objects are destroyed through a posted task,
// never inside their own callback.
#include "gateway/gateway.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "core/log.h"
#include "gateway/builtin_filters.h"
#include "gateway/tls.h"
#include "net/event_loop.h"
#include "net/http_parser.h"
#include "net/http_response.h"
#include "net/http_response_parser.h"
#include "net/http_syntax.h"
#include "net/socket.h"
#include "net/tcp_server.h"

namespace gs::gateway {

using net::EventLoop;
using net::HttpEvent;
using net::HttpStep;
using net::UniqueFd;

namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxPendingWrite = 256 * 1024;  // back-pressure threshold per direction
constexpr size_t kMaxPipelined = 64 * 1024;      // unparsed client bytes kept while busy

int64_t MonoNow() { return SystemTime().MonotonicNanos(); }

using net::syntax::IEquals;

// True when the comma-separated list `v` contains token `tok` (case-insensitive).
bool HasToken(std::string_view v, std::string_view tok) {
  while (!v.empty()) {
    size_t comma = v.find(',');
    std::string_view t = v.substr(0, comma);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (IEquals(t, tok)) return true;
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  return false;
}

bool IsHopByHop(std::string_view name) {
  static constexpr std::string_view kHop[] = {"connection", "keep-alive",    "proxy-connection",
                                              "te",         "trailer",       "transfer-encoding",
                                              "upgrade",    "content-length"};
  for (std::string_view h : kHop)
    if (IEquals(name, h)) return true;
  return false;
}

void AppendHex(std::string* out, uint64_t v) {
  char buf[20];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  while (n) *out += buf[--n];
}

std::pair<std::string, int> SplitAddr(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof(buf));
    return {buf, ntohs(v4->sin_port)};
  }
  if (ss.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof(buf));
    return {buf, ntohs(v6->sin6_port)};
  }
  return {"", 0};
}

void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

// A non-blocking socket on a loop with a write queue. The owner receives every epoll event
// through `on_event` and decides what to read.
class Channel {
 public:
  Channel(EventLoop* loop, UniqueFd fd) : loop_(loop), fd_(std::move(fd)) {}
  ~Channel() {
    if (registered_) loop_->Remove(fd_.get());
    if (ssl_) {
      SendCloseNotify();
      SSL_free(ssl_);
    }
  }
  // Ends our direction of the connection: on TLS close_notify first, then the TCP FIN.
  void ShutdownWrite() {
    SendCloseNotify();
    shutdown(fd_.get(), SHUT_WR);
  }
  // close_notify (RFC 8446 6.1), once, one non-blocking attempt: the peer can tell a complete
  // close from a truncation. A full send buffer or a peer already gone only means the alert is
  // not sent (the worker threads block SIGPIPE).
  void SendCloseNotify() {
    if (!ssl_ || !handshake_done_ || failed_ || (SSL_get_shutdown(ssl_) & SSL_SENT_SHUTDOWN))
      return;
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
  // Makes this a TLS server connection (handshake on the first Read). false on failure.
  bool StartTls(SSL_CTX* ctx) {
    ssl_ = SSL_new(ctx);
    if (!ssl_ || SSL_set_fd(ssl_, fd_.get()) != 1) return false;
    SSL_set_accept_state(ssl_);
    return true;
  }
  SSL* ssl() const { return ssl_; }
  bool handshake_done() const { return !ssl_ || handshake_done_; }
  // TLS may hold decrypted bytes the socket no longer signals.
  bool HasBufferedInput() const { return ssl_ && SSL_pending(ssl_) > 0; }
  Status Register(uint32_t events, EventLoop::IoCallback cb) {
    GS_RETURN_IF_ERROR(loop_->Add(fd_.get(), events, std::move(cb)));
    registered_ = true;
    mask_ = events;
    return Status::Ok();
  }
  void Unregister() {
    if (registered_) loop_->Remove(fd_.get());
    registered_ = false;
  }
  int fd() const { return fd_.get(); }
  size_t pending() const { return out_.size() - out_off_; }
  bool failed() const { return failed_; }

  // Queues and sends what the socket takes now. false after a hard error (peer gone). While
  // corked, only queues: the pieces of one response go out in one send() at Uncork().
  bool Send(std::string_view data) {
    if (failed_) return false;
    if (corked_) {
      out_.append(data);
      return true;
    }
    if (ssl_) {
      out_.append(data);
      return Flush();
    }
    if (pending() == 0 && !connecting_) {
      while (!data.empty()) {
        ssize_t n = send(fd_.get(), data.data(), data.size(), MSG_NOSIGNAL);
        if (n > 0) {
          data.remove_prefix(static_cast<size_t>(n));
          continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        failed_ = true;
        return false;
      }
      if (data.empty()) return true;
    }
    if (out_off_ > 0 && out_off_ == out_.size()) {
      out_.clear();
      out_off_ = 0;
    }
    out_.append(data);
    SetWantWrite(true);
    return true;
  }
  void Cork() { corked_ = true; }
  // Sends what was queued while corked. false after a hard error.
  bool Uncork() {
    corked_ = false;
    if (failed_) return false;
    if (pending() == 0 || connecting_) return true;
    if (!Flush()) return false;
    if (pending() > 0) SetWantWrite(true);
    return true;
  }
  // Called on EPOLLOUT. Returns false after a hard error.
  bool Flush() {
    if (ssl_) return FlushTls();
    while (out_off_ < out_.size()) {
      ssize_t n = send(fd_.get(), out_.data() + out_off_, out_.size() - out_off_, MSG_NOSIGNAL);
      if (n > 0) {
        out_off_ += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      failed_ = true;
      return false;
    }
    out_.clear();
    out_off_ = 0;
    SetWantWrite(false);
    return true;
  }
  void SetReading(bool on) {
    uint32_t m = on ? (mask_ | EPOLLIN | EPOLLRDHUP) : (mask_ & ~(EPOLLIN | EPOLLRDHUP));
    Update(m);
  }
  bool reading() const { return mask_ & EPOLLIN; }
  void SetWantWrite(bool on) { Update(on ? (mask_ | EPOLLOUT) : (mask_ & ~EPOLLOUT)); }
  void set_connecting(bool c) { connecting_ = c; }
  bool connecting() const { return connecting_; }
  // recv into `scratch`; >0 bytes, 0 EOF, -1 would block, -2 error.
  ssize_t Read(char* scratch, size_t n) {
    if (ssl_) return ReadTls(scratch, n);
    for (;;) {
      ssize_t r = recv(fd_.get(), scratch, n, 0);
      if (r >= 0) return r;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return -1;
      return -2;
    }
  }

 private:
  bool FlushTls() {
    if (!handshake_done_) {
      SetWantWrite(pending() > 0);
      return true;  // application data waits for the handshake
    }
    while (out_off_ < out_.size()) {
      ERR_clear_error();
      int n = SSL_write(ssl_, out_.data() + out_off_, static_cast<int>(out_.size() - out_off_));
      if (n > 0) {
        out_off_ += static_cast<size_t>(n);
        continue;
      }
      int e = SSL_get_error(ssl_, n);
      if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
        SetWantWrite(true);
        return true;
      }
      failed_ = true;
      return false;
    }
    out_.clear();
    out_off_ = 0;
    SetWantWrite(false);
    return true;
  }
  ssize_t ReadTls(char* scratch, size_t n) {
    ERR_clear_error();
    if (!handshake_done_) {
      int r = SSL_do_handshake(ssl_);
      if (r != 1) {
        int e = SSL_get_error(ssl_, r);
        if (e == SSL_ERROR_WANT_READ) return -1;
        if (e == SSL_ERROR_WANT_WRITE) {
          SetWantWrite(true);
          return -1;
        }
        return -2;  // bad handshake (wrong version, no shared cipher, not TLS at all)
      }
      handshake_done_ = true;
      if (!FlushTls()) return -2;
    }
    int r = SSL_read(ssl_, scratch, static_cast<int>(n));
    if (r > 0) return r;
    int e = SSL_get_error(ssl_, r);
    if (e == SSL_ERROR_WANT_READ) return -1;
    if (e == SSL_ERROR_WANT_WRITE) {
      SetWantWrite(true);
      return -1;
    }
    if (e == SSL_ERROR_ZERO_RETURN) return 0;
    if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) return 0;  // EOF without close_notify
    return -2;
  }
  void Update(uint32_t m) {
    if (m == mask_ || !registered_) {
      mask_ = m;
      return;
    }
    mask_ = m;
    loop_->Modify(fd_.get(), m).IgnoreError();
  }
  EventLoop* loop_;
  UniqueFd fd_;
  std::string out_;
  size_t out_off_ = 0;
  uint32_t mask_ = 0;
  bool registered_ = false;
  bool failed_ = false;
  bool connecting_ = false;
  bool corked_ = false;
  SSL* ssl_ = nullptr;
  bool handshake_done_ = false;
};

}  // namespace

class ClientConn;

// One connection to an upstream server. Owned by a ClientConn while in use, by the worker's
// pool while idle.
struct UpstreamConn {
  std::unique_ptr<Channel> ch;
  std::string server;  // ServerState::name, the pool key
  ClientConn* owner = nullptr;
  std::string in;  // unparsed response bytes
  size_t in_off = 0;
  uint64_t uses = 0;
  bool dead = false;
};

class Worker {
 public:
  Worker(Gateway* gw, int index) : gw_(gw), index_(index) {}
  ~Worker();

  Status Init(const std::shared_ptr<const Runtime>& rt, std::vector<uint16_t>* ports,
              std::vector<uint16_t>* tls_ports);
  void RunThread() {
    thread_ = std::thread([this] {
      // A write to a peer that has gone (send() here uses MSG_NOSIGNAL, OpenSSL's socket BIO
      // does not) must fail with EPIPE, not kill an embedding process that keeps SIGPIPE.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
      loop_->Run();
    });
  }
  void StopAndJoin();
  void SetRuntime(std::shared_ptr<const Runtime> rt) {
    loop_->Post([this, rt = std::move(rt)] { rt_ = rt; });
  }

  EventLoop* loop() { return loop_.get(); }
  Gateway* gateway() { return gw_; }
  const std::shared_ptr<const Runtime>& runtime() const { return rt_; }
  char* scratch() { return scratch_; }
  std::string NextRequestId();

  // Upstream pool.
  std::unique_ptr<UpstreamConn> TakeIdle(const std::string& server);
  void ReturnIdle(std::unique_ptr<UpstreamConn> c, size_t max_idle);
  // Connects (non-blocking) to `addr`; the caller registers and waits for EPOLLOUT.
  Result<std::unique_ptr<UpstreamConn>> Connect(const ServerState& s);
  size_t NextRoundRobin(const Site* site) { return rr_[site]++; }

  void DestroyConn(uint64_t id);
  void DestroyUpstream(std::unique_ptr<UpstreamConn> c);

 private:
  void OnAccept(int listener, bool tls);
  void Sweep();

  Gateway* gw_;
  int index_;
  std::unique_ptr<EventLoop> loop_;
  std::vector<UniqueFd> listeners_;
  std::shared_ptr<const Runtime> rt_;
  std::unordered_map<uint64_t, std::unique_ptr<ClientConn>> conns_;
  std::unordered_map<std::string, std::deque<std::unique_ptr<UpstreamConn>>> idle_;
  std::unordered_map<const Site*, size_t> rr_;
  std::vector<std::unique_ptr<UpstreamConn>> graveyard_;  // freed after the current dispatch
  uint64_t next_conn_id_ = 1;
  uint64_t req_seq_ = 0;
  std::thread thread_;
  char scratch_[kReadChunk];
  bool stopping_ = false;
};

// ---------------------------------------------------------------------------------------------
// ClientConn

class ClientConn {
 public:
  ClientConn(Worker* w, uint64_t id, UniqueFd fd, ConnectionInfo info,
             std::shared_ptr<const Runtime> rt)
      : w_(w),
        gw_(w->gateway()),
        id_(id),
        ch_(std::make_unique<Channel>(w->loop(), std::move(fd))),
        info_(std::move(info)),
        accept_rt_(std::move(rt)),
        parser_(LimitsFrom(accept_rt_->spec())) {}
  ~ClientConn();

  Status Start(bool tls) {
    if (tls) {
      SSL_CTX* ctx = accept_rt_->default_tls_ctx();
      if (!ctx || !ch_->StartTls(ctx)) return InternalError("TLS setup failed");
      info_.tls = true;
    }
    GS_RETURN_IF_ERROR(
        ch_->Register(EPOLLIN | EPOLLRDHUP, [this](uint32_t ev) { OnClientEvents(ev); }));
    SetClientDeadline(Deadline::kIdle, accept_rt_->spec().header_timeout_ms);
    return Status::Ok();
  }
  void OnUpstreamEvents(uint32_t ev);
  // Worker sweep: enforce deadlines.
  void CheckDeadlines(int64_t now);
  const ConnectionInfo& info() const { return info_; }
  const std::shared_ptr<const Runtime>& accept_runtime() const { return accept_rt_; }
  bool closed() const { return closed_; }
  void Close();

 private:
  enum class Req : uint8_t { kIdle, kHeadOnly, kBodyInspect, kBodyStream, kDiscard, kDone };
  enum class Resp : uint8_t { kNone, kConnecting, kWaiting, kBody, kTunnel };
  enum class Deadline : uint8_t { kNone, kIdle, kHeader, kBody, kTunnel };

  static net::HttpParserLimits LimitsFrom(const GatewaySpec& s) {
    net::HttpParserLimits l;
    l.max_request_line = s.max_request_line;
    l.max_header_line = s.max_header_line;
    l.max_header_bytes = s.max_header_bytes;
    l.max_headers = s.max_headers;
    l.max_body = UINT64_MAX / 4;  // per-site limits are checked by the connection
    return l;
  }

  void OnClientEvents(uint32_t ev);
  // Everything queued for the client has been sent: close after a final response, resume the
  // upstream after back-pressure. true when the connection was closed.
  bool OnClientDrained();
  void ReadClient();
  void Process();
  void OnHead();
  void OnBodyData(std::string_view data);
  void OnRequestComplete();
  void RejectMalformed(net::HttpError e);
  void SendLocal(bool close);
  void StartUpstream();
  void ConnectNext();
  void SendToUpstream(std::string_view data);
  void ForwardBody(std::string_view data);
  void ReadUpstream();
  void ProcessUpstream();
  void OnResponseHead();
  void OnResponseBody(std::string_view data, bool end);
  void OnUpstreamFailure(std::string_view why, bool connect_failure);
  void FinishResponse();
  void FinishRequest();
  void ReleaseUpstream(bool reusable);
  void WriteClient(std::string_view data);
  void StartTunnel();
  void WriteAccessRecord();
  // A WebSocket tunnel closes after websocket_idle_timeout without a byte either way.
  void TunnelActive() {
    SetClientDeadline(Deadline::kTunnel, w_->runtime()->spec().websocket_idle_timeout_ms);
  }
  void SetClientDeadline(Deadline d, int64_t ms) {
    client_deadline_ = d;
    client_deadline_ns_ = d == Deadline::kNone ? 0 : MonoNow() + ms * kNanosPerMilli;
  }
  void SetUpstreamDeadline(int64_t ms) {
    upstream_deadline_ns_ = ms > 0 ? MonoNow() + ms * kNanosPerMilli : 0;
  }
  std::string_view Pending() const { return std::string_view(in_).substr(in_off_); }
  void Consume(size_t n) {
    in_off_ += n;
    if (in_off_ == in_.size()) {
      in_.clear();
      in_off_ = 0;
    }
  }

  Worker* w_;
  Gateway* gw_;
  uint64_t id_;
  std::unique_ptr<Channel> ch_;
  ConnectionInfo info_;
  std::shared_ptr<const Runtime> accept_rt_;  // for connection filters' OnClose
  net::HttpRequestParser parser_;
  std::string in_;
  size_t in_off_ = 0;
  bool closed_ = false;
  bool client_eof_ = false;
  bool close_after_response_ = false;

  // Per request.
  Req req_ = Req::kIdle;
  Resp resp_ = Resp::kNone;
  std::shared_ptr<const Runtime> rt_;
  const Site* site_ = nullptr;
  std::unique_ptr<RequestContext> ctx_;
  std::vector<std::unique_ptr<Filter>> filters_;
  bool keep_alive_ = true;
  bool websocket_ = false;
  bool chunked_upstream_ = false;  // the forwarded body is chunk-encoded
  bool request_sent_ = false;      // every request byte reached the upstream's socket
  std::string body_buf_;           // inspected prefix of the body
  std::string up_request_;         // head + buffered body, kept for a retry
  std::string head_buf_;           // response head being formatted (capacity reused)
  bool retryable_ = false;
  int attempts_ = 0;
  std::vector<const ServerState*> tried_;
  const ServerState* server_ = nullptr;
  bool reused_upstream_ = false;
  std::unique_ptr<UpstreamConn> up_;
  net::HttpResponseParser rparser_;
  bool response_head_sent_ = false;
  bool chunked_downstream_ = false;
  bool close_delimited_downstream_ = false;
  bool response_body_started_ = false;
  uint64_t bytes_out_ = 0;
  int64_t start_mono_ = 0;

  Deadline client_deadline_ = Deadline::kNone;
  int64_t client_deadline_ns_ = 0;
  int64_t upstream_deadline_ns_ = 0;
};

ClientConn::~ClientConn() {
  closed_ = true;
  if (ctx_) {
    // The request did not complete: still log it (filters' OnLog, access record). Done here,
    // not in Close(), because Close() may run deep inside code that still uses ctx_.
    if (ctx_->response.status == 0) ctx_->response.status = 499;
    FinishRequest();
  }
  if (up_) w_->DestroyUpstream(std::move(up_));
}

void ClientConn::Close() {
  if (closed_) return;
  closed_ = true;
  ch_->Unregister();
  if (up_) {
    up_->owner = nullptr;
    w_->DestroyUpstream(std::move(up_));
  }
  for (const auto& site : accept_rt_->sites())
    for (const auto& f : site->chain())
      if (ConnectionFilter* cf = f.factory->connection_filter()) cf->OnClose(info_);
  gw_->metrics_.connections_active.fetch_sub(1, std::memory_order_relaxed);
  w_->DestroyConn(id_);
}

void ClientConn::OnClientEvents(uint32_t ev) {
  if (closed_) return;
  if ((ev & EPOLLOUT) && !ch_->handshake_done()) {
    ReadClient();  // the handshake wanted to write
    return;
  }
  if (ev & EPOLLOUT) {
    if (!ch_->Flush()) {
      Close();
      return;
    }
    if (OnClientDrained()) return;
  }
  if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    if (ev & EPOLLERR) {
      Close();
      return;
    }
    if (ch_->reading()) ReadClient();
  }
}

bool ClientConn::OnClientDrained() {
  if (ch_->pending() != 0) return false;
  if (close_after_response_ && !ctx_) {
    ch_->ShutdownWrite();
    Close();
    return true;
  }
  // Response back-pressure released: read the upstream again.
  if (up_ && !up_->ch->reading() && (resp_ == Resp::kBody || resp_ == Resp::kTunnel))
    up_->ch->SetReading(true);
  return false;
}

void ClientConn::ReadClient() {
  for (int round = 0; round < 4 && !closed_ && ch_->reading(); ++round) {
    bool was_handshaking = !ch_->handshake_done();
    ssize_t n = ch_->Read(w_->scratch(), kReadChunk);
    if (was_handshaking && ch_->handshake_done() && ch_->ssl()) {
      if (const char* sni = SSL_get_servername(ch_->ssl(), TLSEXT_NAMETYPE_host_name))
        info_.sni = sni;
      FillClientCert(ch_->ssl(), &info_);
    }
    if (n > 0) {
      if (resp_ == Resp::kTunnel) {
        TunnelActive();
        if (up_) SendToUpstream(std::string_view(w_->scratch(), static_cast<size_t>(n)));
        if (up_ && up_->ch->pending() > kMaxPendingWrite) ch_->SetReading(false);
        continue;
      }
      in_.append(w_->scratch(), static_cast<size_t>(n));
      Process();
      if (static_cast<size_t>(n) < kReadChunk && !ch_->HasBufferedInput()) return;
      continue;
    }
    if (n == 0) {
      client_eof_ = true;
      ch_->SetReading(false);
      if (resp_ == Resp::kTunnel) {
        if (up_) up_->ch->ShutdownWrite();
        return;
      }
      // A request still being received is cut short; a complete one still gets its response
      // (the client may have half-closed after sending).
      if (req_ == Req::kDone && ctx_) {
        close_after_response_ = true;
        return;
      }
      if (ctx_ && req_ != Req::kIdle) {
        Close();
        return;
      }
      if (ch_->pending() == 0) {
        Close();
      } else {
        close_after_response_ = true;
      }
      return;
    }
    if (n == -1) return;
    Close();
    return;
  }
}

void ClientConn::Process() {
  while (!closed_) {
    if (req_ == Req::kDone || req_ == Req::kDiscard || close_after_response_ ||
        resp_ == Resp::kTunnel)
      break;
    if (req_ == Req::kBodyStream && up_ && up_->ch->pending() > kMaxPendingWrite) {
      ch_->SetReading(false);  // resumed by the upstream's EPOLLOUT
      break;
    }
    std::string_view pending = Pending();
    if (req_ == Req::kIdle && pending.empty()) break;
    HttpStep s = parser_.Execute(pending);
    switch (s.event) {
      case HttpEvent::kNeedMore:
        if (s.consumed == 0) {
          if (req_ == Req::kIdle && client_deadline_ != Deadline::kHeader)
            SetClientDeadline(Deadline::kHeader, w_->runtime()->spec().header_timeout_ms);
          goto out;
        }
        Consume(s.consumed);
        break;
      case HttpEvent::kError:
        RejectMalformed(parser_.error());
        return;
      case HttpEvent::kHead:
        OnHead();
        Consume(s.consumed);
        break;
      case HttpEvent::kBody:
        OnBodyData(s.data);
        Consume(s.consumed);
        break;
      case HttpEvent::kDone:
        Consume(s.consumed);
        OnRequestComplete();
        break;
    }
  }
out:
  if (closed_) return;
  if (in_off_ > 0 && in_off_ >= in_.size() / 2) {
    in_.erase(0, in_off_);
    in_off_ = 0;
  }
  // While a response is pending, keep at most kMaxPipelined unparsed bytes.
  if (req_ == Req::kDone && resp_ != Resp::kTunnel && in_.size() - in_off_ > kMaxPipelined)
    ch_->SetReading(false);
}

void ClientConn::OnHead() {
  const net::HttpRequestHead& h = parser_.head();
  gw_->metrics_.requests.fetch_add(1, std::memory_order_relaxed);
  rt_ = w_->runtime();
  start_mono_ = MonoNow();
  ctx_ = std::make_unique<RequestContext>();
  RequestContext& c = *ctx_;
  c.connection = &info_;
  c.request_id = w_->NextRequestId();
  c.time = gw_->time_;
  c.start_time = gw_->time_->Now();
  c.request.method.assign(h.method);
  c.request.target.assign(h.target);
  size_t q = h.target.find('?');
  c.request.path.assign(h.target.substr(0, q));
  if (q != std::string_view::npos) c.request.query.assign(h.target.substr(q + 1));
  c.request.version_minor = h.version_minor;
  std::string_view host = h.host;
  if (!host.empty() && host.front() == '[') {
    size_t rb = host.find(']');
    host = host.substr(0, rb == std::string_view::npos ? host.size() : rb + 1);
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  c.request.host.assign(host);
  for (char& ch : c.request.host)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
  auto& fields = c.request.headers.mutable_fields();
  fields.reserve(h.header_count + 3);
  for (size_t i = 0; i < h.header_count; ++i)
    fields.emplace_back(std::string(h.headers[i].name), std::string(h.headers[i].value));
  c.request.has_body = h.body != net::BodyKind::kNone;
  c.request.content_length = h.body == net::BodyKind::kContentLength
                                 ? static_cast<int64_t>(h.content_length)
                                 : (h.body == net::BodyKind::kNone ? 0 : -1);
  keep_alive_ = h.keep_alive;
  const net::HttpHeader* upgrade = h.Find("upgrade");
  const net::HttpHeader* conn_hdr = h.Find("connection");
  websocket_ = upgrade && conn_hdr && HasToken(conn_hdr->value, "upgrade") &&
               IEquals(upgrade->value, "websocket");
  bool expect_continue = h.expect_continue;
  req_ = c.request.has_body ? Req::kBodyInspect : Req::kHeadOnly;
  SetClientDeadline(c.request.has_body ? Deadline::kBody : Deadline::kNone,
                    rt_->spec().body_timeout_ms);

  site_ = rt_->FindSite(c.request.host);
  if (!site_) {
    c.blocked_by = "routing";
    c.block_reason = "no site for host";
    c.local_response.status = 404;
    c.local_response.body = BlockPageHtml(404, c.request_id, "没有与该域名对应的网站。",
                                          "No site is configured for this host name.");
    SendLocal(c.request.has_body);
    return;
  }
  c.site = site_->spec().name;
  if (info_.tls && info_.tls_site != c.site &&
      (info_.client_cert || !site_->spec().tls_client_ca.empty())) {
    // The client certificate was asked for (and verified) by another site's TLS context (SNI
    // named another host): it says nothing for this site.
    SetBlockResponse(c, 421, "tls", "misdirected", "请使用与该网站域名一致的连接访问。",
                     "This connection was set up for another host name; connect to this host.");
    SendLocal(c.request.has_body);
    return;
  }
  if (site_->spec().https_redirect && !info_.tls) {
    c.local_response.status = 301;
    c.local_response.body.clear();
    std::string loc = "https://" + c.request.host;
    uint16_t tls_port = gw_->tls_ports_.empty() ? 443 : gw_->tls_ports_[0];
    if (tls_port != 443) loc += ":" + std::to_string(tls_port);
    c.local_response.headers.Set("Location", loc + c.request.target);
    c.blocked_by = "https_redirect";
    SendLocal(c.request.has_body);
    return;
  }
  if (c.request.content_length > 0 &&
      static_cast<uint64_t>(c.request.content_length) > site_->spec().max_body) {
    SetBlockResponse(c, 413, "limits", "body_too_large", "请求体过大。",
                     "The request body is too large.");
    SendLocal(true);
    return;
  }
  filters_.reserve(site_->chain().size());
  for (const auto& f : site_->chain()) filters_.push_back(f.factory->Create());
  for (size_t i = 0; i < filters_.size(); ++i) {
    if (filters_[i]->OnRequestHeaders(c) == FilterStatus::kStopWithResponse) {
      if (c.blocked_by.empty() && !c.local_response.content)
        c.blocked_by = std::string(site_->chain()[i].factory->name());
      SendLocal(c.request.has_body);
      return;
    }
  }
  if (!c.request.has_body) {
    StartUpstream();
    return;
  }
  if (expect_continue) WriteClient("HTTP/1.1 100 Continue\r\n\r\n");
  if (site_->spec().inspection_limit == 0) {
    c.body_truncated = true;
    for (auto& f : filters_)
      if (f->OnRequestBody(c, {}, true) == FilterStatus::kStopWithResponse) {
        SendLocal(true);
        return;
      }
    req_ = Req::kBodyStream;
    StartUpstream();
  }
}

void ClientConn::OnBodyData(std::string_view data) {
  if (req_ == Req::kDiscard || !ctx_) return;
  RequestContext& c = *ctx_;
  c.request_body_bytes += data.size();
  SetClientDeadline(Deadline::kBody, rt_->spec().body_timeout_ms);
  if (site_ && c.request_body_bytes > site_->spec().max_body) {
    SetBlockResponse(c, 413, "limits", "body_too_large", "请求体过大。",
                     "The request body is too large.");
    if (resp_ == Resp::kNone) {
      SendLocal(true);
    } else {
      Close();  // the upstream already has part of it: nothing sane to answer
    }
    return;
  }
  if (req_ == Req::kBodyInspect) {
    uint64_t limit = site_->spec().inspection_limit;
    size_t room = body_buf_.size() < limit ? static_cast<size_t>(limit - body_buf_.size()) : 0;
    std::string_view part = data.substr(0, std::min(room, data.size()));
    if (!part.empty()) {
      body_buf_.append(part);
      for (size_t i = 0; i < filters_.size(); ++i) {
        if (filters_[i]->OnRequestBody(c, part, false) == FilterStatus::kStopWithResponse) {
          if (c.blocked_by.empty()) c.blocked_by = std::string(site_->chain()[i].factory->name());
          SendLocal(true);
          return;
        }
      }
    }
    if (data.size() > part.size()) {
      c.body_truncated = true;
      for (size_t i = 0; i < filters_.size(); ++i) {
        if (filters_[i]->OnRequestBody(c, {}, true) == FilterStatus::kStopWithResponse) {
          if (c.blocked_by.empty()) c.blocked_by = std::string(site_->chain()[i].factory->name());
          SendLocal(true);
          return;
        }
      }
      req_ = Req::kBodyStream;
      StartUpstream();
      if (closed_ || !ctx_) return;
      ForwardBody(data.substr(part.size()));
    }
    return;
  }
  if (req_ == Req::kBodyStream) ForwardBody(data);
}

void ClientConn::OnRequestComplete() {
  if (!ctx_) {
    // A locally answered request whose body we drained: nothing more to do.
    req_ = Req::kIdle;
    return;
  }
  Req was = req_;
  req_ = Req::kDone;
  SetClientDeadline(Deadline::kNone, 0);
  if (was == Req::kBodyInspect) {
    RequestContext& c = *ctx_;
    for (size_t i = 0; i < filters_.size(); ++i) {
      if (filters_[i]->OnRequestBody(c, {}, true) == FilterStatus::kStopWithResponse) {
        if (c.blocked_by.empty()) c.blocked_by = std::string(site_->chain()[i].factory->name());
        SendLocal(false);
        return;
      }
    }
    StartUpstream();
  } else if (was == Req::kBodyStream) {
    if (chunked_upstream_) SendToUpstream("0\r\n\r\n");
    if (up_ && up_->ch->pending() == 0 && !up_->ch->connecting()) request_sent_ = true;
  }
}

void ClientConn::RejectMalformed(net::HttpError e) {
  // 400 for every malformed shape (413 only for an oversized body): one answer, so a probe
  // learns nothing about which check fired; the audit record has the reason.
  int status = net::HttpErrorStatus(e);
  gw_->metrics_.rejected_malformed.fetch_add(1, std::memory_order_relaxed);
  gw_->metrics_.responses_by_class[4].fetch_add(1, std::memory_order_relaxed);
  std::string id = ctx_ ? ctx_->request_id : w_->NextRequestId();
  std::string_view excerpt = Pending().substr(0, 256);
  std::string rec = "{\"ts\":\"" + FormatRfc3339(gw_->time_->Now()) +
                    "\",\"source\":\"gateway\",\"type\":\"http_reject\",\"request_id\":\"" + id +
                    "\",\"reason\":\"" + std::string(net::HttpErrorName(e)) +
                    "\",\"status\":" + std::to_string(status) +
                    ",\"client_ip\":" + JsonString(info_.client_ip) +
                    ",\"client_port\":" + std::to_string(info_.client_port) +
                    ",\"excerpt\":" + JsonString(excerpt) + "}";
  gw_->audit_->Submit(std::move(rec));
  if (ctx_) {
    // The body of an accepted head was malformed (bad chunk): the upstream may already have
    // the head; never reuse that upstream connection.
    ctx_->blocked_by = "parser";
    ctx_->block_reason = std::string(net::HttpErrorName(e));
    if (response_head_sent_) {
      Close();
      return;
    }
    if (up_) ReleaseUpstream(false);
    resp_ = Resp::kNone;
  }
  std::string body = BlockPageHtml(status, id, "请求格式不符合 HTTP 规范，已被拒绝。",
                                   "The request is not well-formed HTTP and was refused.");
  close_after_response_ = true;
  WriteClient(net::FormatHttpResponse(status, "text/html; charset=utf-8", body, false));
  if (closed_) return;
  if (ctx_) {
    ctx_->response.status = status;
    ctx_->response.local = true;
    FinishRequest();  // closes once the response is flushed
    return;
  }
  req_ = Req::kDone;
  ch_->SetReading(false);
  if (ch_->pending() == 0) {
    ch_->ShutdownWrite();
    Close();
  }
}

void ClientConn::SendLocal(bool close) {
  RequestContext& c = *ctx_;
  if (close || c.local_response.close_connection) close_after_response_ = true;
  if (up_) ReleaseUpstream(false);
  resp_ = Resp::kNone;
  c.response.status = c.local_response.status;
  c.response.local = true;
  c.response.headers = c.local_response.headers;
  if (!c.local_response.content_type.empty())
    c.response.headers.Set("Content-Type", c.local_response.content_type);
  if (!c.local_response.content) c.response.headers.Set("Cache-Control", "no-store");
  for (auto& f : filters_) f->OnResponseHeaders(c);
  std::string& out = head_buf_;
  out.clear();
  out += "HTTP/1.1 ";
  out += std::to_string(c.response.status);
  out += ' ';
  out += net::HttpReasonPhrase(c.response.status);
  out += "\r\n";
  for (const auto& [n, v] : c.response.headers.fields()) {
    out += n;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  if (c.response.status != 304) {  // a 304 has no body and must not claim one
    out += "Content-Length: ";
    out += std::to_string(c.local_response.body.size());
    out += "\r\n";
  }
  if (close_after_response_ || !keep_alive_) out += "Connection: close\r\n";
  out += "\r\n";
  if (c.request.method != "HEAD") {
    out += c.local_response.body;
    c.response_body_bytes += c.local_response.body.size();
  }
  response_head_sent_ = true;
  WriteClient(out);
  for (auto& f : filters_) f->OnResponseBody(c, c.local_response.body, true);
  if (req_ != Req::kDone && req_ != Req::kHeadOnly) {
    // The body was not read: the connection cannot carry another request.
    close_after_response_ = true;
    req_ = Req::kDiscard;
  }
  FinishRequest();
}

void ClientConn::StartUpstream() {
  RequestContext& c = *ctx_;
  // Forwarded head: hop-by-hop fields dropped, framing and forwarding fields set by us.
  std::string& r = up_request_;
  r.clear();
  r.reserve(512 + body_buf_.size());
  r += c.request.method;
  r += ' ';
  r += c.request.target;
  r += " HTTP/1.1\r\n";
  std::string_view conn_tokens;
  if (const std::string* ch = c.request.headers.Get("connection")) conn_tokens = *ch;
  const std::string* xff = nullptr;
  for (const auto& [n, v] : c.request.headers.fields()) {
    if (IsHopByHop(n) || IEquals(n, "expect")) continue;
    if (IEquals(n, "x-forwarded-for")) {
      xff = &v;
      continue;
    }
    if (!conn_tokens.empty() && HasToken(conn_tokens, n)) continue;
    r += n;
    r += ": ";
    r += v;
    r += "\r\n";
  }
  if (c.request.version_minor == 0 && !c.request.headers.Has("host")) {
    r += "Host: ";
    r += site_->servers().empty() ? std::string("localhost") : site_->servers()[0]->name;
    r += "\r\n";
  }
  r += "X-Forwarded-For: ";
  if (xff) {
    r += *xff;
    r += ", ";
  }
  r += info_.client_ip;
  r += "\r\nX-Forwarded-Proto: ";
  r += info_.tls ? "https" : "http";
  r += "\r\nX-Request-ID: ";
  r += c.request_id;
  r += "\r\n";
  if (websocket_) r += "Connection: Upgrade\r\nUpgrade: websocket\r\n";
  bool complete = req_ == Req::kDone || req_ == Req::kHeadOnly;
  chunked_upstream_ = false;
  if (c.request.has_body) {
    if (complete) {
      r += "Content-Length: ";
      r += std::to_string(body_buf_.size());
      r += "\r\n\r\n";
      r += body_buf_;
    } else if (c.request.content_length >= 0) {
      r += "Content-Length: ";
      r += std::to_string(c.request.content_length);
      r += "\r\n\r\n";
      r += body_buf_;
    } else {
      chunked_upstream_ = true;
      r += "Transfer-Encoding: chunked\r\n\r\n";
      if (!body_buf_.empty()) {
        AppendHex(&r, body_buf_.size());
        r += "\r\n";
        r += body_buf_;
        r += "\r\n";
      }
    }
  } else {
    r += "\r\n";
  }
  retryable_ = complete;
  attempts_ = 0;
  tried_.clear();
  ConnectNext();
}

void ClientConn::ConnectNext() {
  if (closed_ || !ctx_) return;
  const auto& servers = site_->servers();
  int64_t now = MonoNow();
  const ServerState* pick = nullptr;
  size_t n = servers.size();
  size_t start = w_->NextRoundRobin(site_);
  auto tried = [&](const ServerState* s) {
    return std::find(tried_.begin(), tried_.end(), s) != tried_.end();
  };
  for (size_t k = 0; k < n && !pick; ++k) {
    const ServerState* s = servers[(start + k) % n].get();
    if (!tried(s) && s->Healthy(now)) pick = s;
  }
  // Everything marked down: try one anyway rather than fail without trying (first request
  // after an outage).
  if (!pick && tried_.empty()) pick = servers[start % n].get();
  if (!pick) {
    OnUpstreamFailure("no healthy upstream server", false);
    return;
  }
  tried_.push_back(pick);
  server_ = pick;
  ++attempts_;
  const UpstreamSpec& us = site_->spec().upstream;
  reused_upstream_ = false;
  up_ = w_->TakeIdle(pick->name);
  if (up_) {
    reused_upstream_ = true;
  } else {
    auto c = w_->Connect(*pick);
    if (!c.ok()) {
      ServerState* s = const_cast<ServerState*>(pick);
      if (s->consecutive_fails.fetch_add(1) + 1 >= us.max_fails)
        s->down_until_ns.store(now + us.fail_timeout_ms * kNanosPerMilli);
      ConnectNext();
      return;
    }
    up_ = std::move(*c);
  }
  up_->owner = this;
  up_->in.clear();
  up_->in_off = 0;
  rparser_.Reset();
  rparser_.ExpectResponseTo(ctx_->request.method);
  if (up_->ch->connecting()) {
    resp_ = Resp::kConnecting;
    SetUpstreamDeadline(us.connect_timeout_ms);
    // The request waits in the channel's queue until the connect completes.
    up_->ch->Send(up_request_);
    return;
  }
  resp_ = Resp::kWaiting;
  SetUpstreamDeadline(us.response_timeout_ms);
  SendToUpstream(up_request_);
  if (up_ && up_->ch->pending() == 0 && (req_ == Req::kDone || req_ == Req::kHeadOnly))
    request_sent_ = true;
}

void ClientConn::SendToUpstream(std::string_view data) {
  if (!up_) return;
  if (!up_->ch->Send(data)) {
    if (reused_upstream_ && retryable_ && resp_ == Resp::kWaiting && !response_head_sent_ &&
        up_->in.empty()) {
      // A kept-alive connection the server had already closed: the request never reached it,
      // so send it again on another (or a fresh) connection to the same server.
      gw_->metrics_.upstream_retries.fetch_add(1, std::memory_order_relaxed);
      ReleaseUpstream(false);
      tried_.pop_back();
      ConnectNext();
      return;
    }
    OnUpstreamFailure("send to upstream failed", false);
  }
}

void ClientConn::ForwardBody(std::string_view data) {
  if (data.empty() || !up_) {
    if (!up_ && !data.empty()) Close();
    return;
  }
  retryable_ = false;  // part of the body is gone: no retry possible any more
  if (chunked_upstream_) {
    std::string head;
    AppendHex(&head, data.size());
    head += "\r\n";
    SendToUpstream(head);
    SendToUpstream(data);
    SendToUpstream("\r\n");
  } else {
    SendToUpstream(data);
  }
}

void ClientConn::OnUpstreamEvents(uint32_t ev) {
  if (closed_ || !up_) return;
  if (up_->ch->connecting()) {
    if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(up_->ch->fd(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      OnUpstreamFailure(std::string("connect: ") + std::strerror(err), true);
      return;
    }
    up_->ch->set_connecting(false);
    ServerState* s = const_cast<ServerState*>(server_);
    s->consecutive_fails.store(0, std::memory_order_relaxed);
    resp_ = Resp::kWaiting;
    SetUpstreamDeadline(site_->spec().upstream.response_timeout_ms);
    up_->ch->SetReading(true);
  }
  if (ev & EPOLLOUT) {
    if (!up_->ch->Flush()) {
      OnUpstreamFailure("send to upstream failed", false);
      return;
    }
    if (up_->ch->pending() == 0) {
      if (req_ == Req::kDone || req_ == Req::kHeadOnly) request_sent_ = true;
      if (req_ == Req::kBodyStream && !ch_->reading() && !client_eof_) {
        ch_->SetReading(true);
        Process();
        if (closed_ || !up_) return;
      }
      if (resp_ == Resp::kTunnel && !ch_->reading() && !client_eof_) ch_->SetReading(true);
    }
  }
  if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) ReadUpstream();
}

void ClientConn::ReadUpstream() {
  for (int round = 0; round < 4 && up_ && !closed_; ++round) {
    if (!up_->ch->reading()) return;
    ssize_t n = up_->ch->Read(w_->scratch(), kReadChunk);
    if (n > 0) {
      if (resp_ == Resp::kTunnel) {
        TunnelActive();
        WriteClient(std::string_view(w_->scratch(), static_cast<size_t>(n)));
        if (ch_->pending() > kMaxPendingWrite && up_) up_->ch->SetReading(false);
        continue;
      }
      up_->in.append(w_->scratch(), static_cast<size_t>(n));
      // Head, body and chunk framing of what this read completes leave in one send().
      ch_->Cork();
      ProcessUpstream();
      if (closed_) return;
      if (!ch_->Uncork()) {
        Close();
        return;
      }
      if (OnClientDrained()) return;
      if (static_cast<size_t>(n) < kReadChunk) return;
      continue;
    }
    if (n == -1) return;
    // EOF or error.
    if (resp_ == Resp::kTunnel) {
      if (ch_->pending() == 0) {
        Close();
      } else {
        close_after_response_ = true;
        ReleaseUpstream(false);
      }
      return;
    }
    if (n == 0 && resp_ == Resp::kBody) {
      HttpStep s = rparser_.FinishEof();
      if (s.event == HttpEvent::kDone) {
        up_->dead = true;
        OnResponseBody({}, true);
        FinishResponse();
        return;
      }
    }
    bool nothing_received = resp_ == Resp::kWaiting && up_->in.empty() && !response_head_sent_;
    if (nothing_received && reused_upstream_ && retryable_) {
      // A kept-alive connection the server closed while idle: retry on a fresh one.
      gw_->metrics_.upstream_retries.fetch_add(1, std::memory_order_relaxed);
      ReleaseUpstream(false);
      tried_.pop_back();
      ConnectNext();
      return;
    }
    OnUpstreamFailure(n == 0 ? "upstream closed the connection early" : "upstream read error",
                      false);
    return;
  }
}

void ClientConn::ProcessUpstream() {
  while (up_ && !closed_ && resp_ != Resp::kTunnel) {
    std::string_view in = std::string_view(up_->in).substr(up_->in_off);
    HttpStep s = rparser_.Execute(in);
    switch (s.event) {
      case HttpEvent::kNeedMore:
        if (s.consumed == 0) goto out;
        up_->in_off += s.consumed;
        break;
      case HttpEvent::kError:
        OnUpstreamFailure(std::string("bad upstream response: ") +
                              std::string(net::HttpErrorName(rparser_.error())),
                          false);
        return;
      case HttpEvent::kHead: {
        int status = rparser_.head().status;
        if (status >= 100 && status < 200 && status != 101) {
          up_->in_off += s.consumed;  // interim response: the gateway sent its own 100
          break;
        }
        OnResponseHead();
        if (up_) up_->in_off += s.consumed;
        if (resp_ == Resp::kTunnel) {
          StartTunnel();
          return;
        }
        break;
      }
      case HttpEvent::kBody:
        OnResponseBody(s.data, false);
        if (up_) up_->in_off += s.consumed;
        break;
      case HttpEvent::kDone:
        if (up_) up_->in_off += s.consumed;
        if (resp_ != Resp::kBody) break;  // end of an interim response
        OnResponseBody({}, true);
        FinishResponse();
        return;
    }
  }
out:
  if (up_ && up_->in_off > 0 && up_->in_off >= up_->in.size() / 2) {
    up_->in.erase(0, up_->in_off);
    up_->in_off = 0;
  }
}

void ClientConn::OnResponseHead() {
  RequestContext& c = *ctx_;
  const net::HttpResponseHead& h = rparser_.head();
  if (h.status == 101) {
    if (!websocket_) {
      OnUpstreamFailure("upstream switched protocols without an upgrade request", false);
      return;
    }
    resp_ = Resp::kTunnel;
  } else {
    resp_ = Resp::kBody;
  }
  SetUpstreamDeadline(site_->spec().upstream.read_timeout_ms);
  c.response.status = h.status;
  c.response.local = false;
  auto& fields = c.response.headers.mutable_fields();
  fields.clear();
  fields.reserve(h.header_count + 8);  // room for the response filters' headers
  std::string_view conn_tokens;
  if (const net::HttpHeader* ch = h.Find("connection")) conn_tokens = ch->value;
  const net::HttpHeader* cl_header = nullptr;
  for (size_t i = 0; i < h.header_count; ++i) {
    std::string_view n = h.headers[i].name;
    if (IEquals(n, "content-length")) cl_header = &h.headers[i];
    if (IsHopByHop(n)) continue;
    if (!conn_tokens.empty() && HasToken(conn_tokens, n)) continue;
    fields.emplace_back(std::string(n), std::string(h.headers[i].value));
  }
  for (size_t i = 0; i < filters_.size(); ++i) {
    if (filters_[i]->OnResponseHeaders(c) == FilterStatus::kStopWithResponse) {
      if (c.blocked_by.empty()) c.blocked_by = std::string(site_->chain()[i].factory->name());
      SendLocal(false);
      return;
    }
  }
  std::string& out = head_buf_;
  out.clear();
  out += "HTTP/1.1 ";
  out += std::to_string(h.status);
  out += ' ';
  if (h.reason.empty()) {
    out += net::HttpReasonPhrase(h.status);
  } else {
    out += h.reason;
  }
  out += "\r\n";
  for (const auto& [n, v] : c.response.headers.fields()) {
    out += n;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  chunked_downstream_ = false;
  close_delimited_downstream_ = false;
  switch (h.body) {
    case net::ResponseBodyKind::kNone:
      if (cl_header && (c.request.method == "HEAD" || h.status == 304)) {
        out += "Content-Length: ";
        out += cl_header->value;
        out += "\r\n";
      } else if (h.status >= 200 && h.status != 204 && h.status != 304) {
        out += "Content-Length: 0\r\n";
      }
      break;
    case net::ResponseBodyKind::kContentLength:
      out += "Content-Length: ";
      out += std::to_string(h.content_length);
      out += "\r\n";
      break;
    case net::ResponseBodyKind::kChunked:
    case net::ResponseBodyKind::kUntilClose:
      if (c.request.version_minor == 1) {
        chunked_downstream_ = true;
        out += "Transfer-Encoding: chunked\r\n";
      } else {
        close_delimited_downstream_ = true;
        close_after_response_ = true;
      }
      break;
  }
  if (resp_ == Resp::kTunnel) {
    out += "Connection: Upgrade\r\nUpgrade: websocket\r\n";
  } else if (close_after_response_ || !keep_alive_ || client_eof_) {
    out += "Connection: close\r\n";
  }
  out += "\r\n";
  response_head_sent_ = true;
  WriteClient(out);
}

void ClientConn::OnResponseBody(std::string_view data, bool end) {
  RequestContext& c = *ctx_;
  SetUpstreamDeadline(site_->spec().upstream.read_timeout_ms);
  c.response_body_bytes += data.size();
  for (auto& f : filters_) {
    if (f->OnResponseBody(c, data, end) == FilterStatus::kStopWithResponse) {
      // The head is on the wire: the only honest signal left is to cut the connection.
      close_after_response_ = true;
      if (up_) up_->dead = true;
      if (c.blocked_by.empty()) c.blocked_by = "response";
      Close();
      return;
    }
  }
  if (chunked_downstream_) {
    if (!data.empty()) {
      std::string head;
      AppendHex(&head, data.size());
      head += "\r\n";
      WriteClient(head);
      WriteClient(data);
      WriteClient("\r\n");
    }
    if (end) WriteClient("0\r\n\r\n");
  } else if (!data.empty()) {
    WriteClient(data);
  }
  if (!closed_ && up_ && ch_->pending() > kMaxPendingWrite) up_->ch->SetReading(false);
}

void ClientConn::OnUpstreamFailure(std::string_view why, bool connect_failure) {
  if (closed_ || !ctx_) return;
  gw_->metrics_.upstream_errors.fetch_add(1, std::memory_order_relaxed);
  RequestContext& c = *ctx_;
  c.upstream_error = std::string(why);
  if (connect_failure && server_) {
    ServerState* s = const_cast<ServerState*>(server_);
    const UpstreamSpec& us = site_->spec().upstream;
    if (s->consecutive_fails.fetch_add(1) + 1 >= us.max_fails)
      s->down_until_ns.store(MonoNow() + us.fail_timeout_ms * kNanosPerMilli);
  }
  bool no_response_yet =
      !response_head_sent_ && (resp_ == Resp::kConnecting || resp_ == Resp::kWaiting);
  ReleaseUpstream(false);
  if (connect_failure && retryable_ && no_response_yet) {
    // Failover: the request has not left the gateway, so another server can take it.
    gw_->metrics_.upstream_retries.fetch_add(1, std::memory_order_relaxed);
    ConnectNext();
    return;
  }
  if (response_head_sent_) {
    Close();
    return;
  }
  bool timeout = why.find("timeout") != std::string_view::npos;
  c.local_response.status = timeout ? 504 : 502;
  c.local_response.body =
      BlockPageHtml(c.local_response.status, c.request_id, "上游服务器暂时无法响应，请稍后再试。",
                    "The upstream server could not answer; try again later.");
  SendLocal(req_ != Req::kDone && req_ != Req::kHeadOnly);
}

void ClientConn::ReleaseUpstream(bool reusable) {
  if (!up_) return;
  up_->owner = nullptr;
  if (reusable && !up_->dead && !up_->ch->failed() && up_->ch->pending() == 0 &&
      up_->in_off == up_->in.size() && site_) {
    ++up_->uses;
    w_->ReturnIdle(std::move(up_), site_->spec().upstream.max_idle_per_worker);
  } else {
    w_->DestroyUpstream(std::move(up_));
  }
  upstream_deadline_ns_ = 0;
}

void ClientConn::FinishResponse() {
  bool reusable = rparser_.head().keep_alive && request_sent_ &&
                  rparser_.head().body != net::ResponseBodyKind::kUntilClose;
  if (req_ != Req::kDone && req_ != Req::kHeadOnly) {
    // The upstream answered before the whole body arrived (e.g. an early 413): the rest of the
    // body must not be parsed as a new request, and the upstream connection is mid-request.
    reusable = false;
    close_after_response_ = true;
  }
  ReleaseUpstream(reusable);
  resp_ = Resp::kNone;
  FinishRequest();
}

void ClientConn::FinishRequest() {
  if (!ctx_) return;
  RequestContext& c = *ctx_;
  Metrics& m = gw_->metrics_;
  int cls = c.response.status / 100;
  if (cls >= 1 && cls <= 5) m.responses_by_class[cls].fetch_add(1, std::memory_order_relaxed);
  if (!c.blocked_by.empty() && c.response.local && c.response.status >= 400)
    m.CountBlock(c.blocked_by);
  m.ObserveLatency(MonoNow() - start_mono_);
  for (auto& f : filters_) f->OnLog(c);
  WriteAccessRecord();
  ctx_.reset();
  filters_.clear();
  body_buf_.clear();
  if (body_buf_.capacity() > 1 << 20) body_buf_.shrink_to_fit();
  up_request_.clear();
  if (up_request_.capacity() > 1 << 20) up_request_.shrink_to_fit();
  if (head_buf_.capacity() > 1 << 16) head_buf_.shrink_to_fit();
  response_head_sent_ = false;
  request_sent_ = false;
  chunked_downstream_ = close_delimited_downstream_ = false;
  websocket_ = false;
  server_ = nullptr;
  site_ = nullptr;
  rt_.reset();
  if (closed_) return;
  if (resp_ == Resp::kTunnel) return;  // the connection now carries the tunnel
  if (close_after_response_ || !keep_alive_) {
    close_after_response_ = true;
    ch_->SetReading(false);
    if (ch_->pending() == 0) {
      ch_->ShutdownWrite();
      Close();
    }
    return;
  }
  if (req_ == Req::kDiscard) return;
  req_ = Req::kIdle;
  SetClientDeadline(Deadline::kIdle, w_->runtime()->spec().idle_timeout_ms);
  if (!ch_->reading() && !client_eof_) ch_->SetReading(true);
  // Pipelined requests already buffered: parse them from a fresh stack frame (this may run
  // inside Process() or a filter callback). The connection is freed by a task posted later.
  if (!Pending().empty()) {
    w_->loop()->Post([this] {
      if (!closed_ && req_ == Req::kIdle && !Pending().empty()) Process();
    });
  }
}

void ClientConn::WriteClient(std::string_view data) {
  if (closed_) return;
  bytes_out_ += data.size();
  if (!ch_->Send(data)) Close();
}

void ClientConn::StartTunnel() {
  gw_->metrics_.websocket_tunnels.fetch_add(1, std::memory_order_relaxed);
  std::string_view rest = std::string_view(up_->in).substr(up_->in_off);
  if (!rest.empty()) WriteClient(rest);
  up_->in.clear();
  up_->in_off = 0;
  std::string pending(Pending());
  in_.clear();
  in_off_ = 0;
  upstream_deadline_ns_ = 0;
  FinishRequest();  // logs the upgrade request; the connection stays as a tunnel
  TunnelActive();
  resp_ = Resp::kTunnel;
  req_ = Req::kDone;
  if (!pending.empty()) SendToUpstream(pending);
  if (!ch_->reading() && !client_eof_) ch_->SetReading(true);
}

void ClientConn::WriteAccessRecord() {
  RequestContext& c = *ctx_;
  std::string prefix;
  bool access = !site_ || site_->spec().access_log;
  if (!access && c.events.empty()) return;
  std::string ts = FormatRfc3339(c.start_time);
  std::string common;
  common.reserve(256);
  common += ",\"site\":";
  common += JsonString(c.site);
  common += ",\"request_id\":\"";
  common += c.request_id;
  common += "\",\"client_ip\":";
  common += JsonString(info_.client_ip);
  common += ",\"method\":";
  common += JsonString(c.request.method);
  common += ",\"target\":";
  common += JsonString(c.request.target);
  common += ",\"host\":";
  common += JsonString(c.request.host);
  for (const FilterEvent& e : c.events) {
    std::string rec =
        "{\"ts\":\"" + ts + "\",\"source\":\"gateway\",\"type\":" + JsonString(e.type) + common;
    if (!e.fields_json.empty()) {
      rec += ',';
      rec += e.fields_json;
    }
    rec += '}';
    gw_->audit_->Submit(std::move(rec));
  }
  if (!access) return;
  std::string rec;
  rec.reserve(512);
  rec += "{\"ts\":\"";
  rec += ts;
  rec += "\",\"source\":\"gateway\",\"type\":\"access\"";
  rec += common;
  rec += ",\"status\":";
  rec += std::to_string(c.response.status);
  rec += ",\"bytes_in\":";
  rec += std::to_string(c.request_body_bytes);
  rec += ",\"bytes_out\":";
  rec += std::to_string(c.response_body_bytes);
  rec += ",\"duration_us\":";
  rec += std::to_string((MonoNow() - start_mono_) / 1000);
  if (server_) {
    rec += ",\"upstream\":";
    rec += JsonString(server_->name);
  }
  if (!c.blocked_by.empty()) {
    rec += ",\"blocked_by\":";
    rec += JsonString(c.blocked_by);
    rec += ",\"reason\":";
    rec += JsonString(c.block_reason);
  }
  if (!c.upstream_error.empty()) {
    rec += ",\"upstream_error\":";
    rec += JsonString(c.upstream_error);
  }
  if (c.body_truncated) rec += ",\"body_truncated\":true";
  if (const std::string* ua = c.request.headers.Get("user-agent")) {
    rec += ",\"user_agent\":";
    rec += JsonString(std::string_view(*ua).substr(0, 256));
  }
  rec += '}';
  gw_->audit_->Submit(std::move(rec));
}

void ClientConn::CheckDeadlines(int64_t now) {
  if (closed_) return;
  if (upstream_deadline_ns_ != 0 && now >= upstream_deadline_ns_ && up_ && ctx_) {
    bool connecting = resp_ == Resp::kConnecting;
    OnUpstreamFailure(connecting ? "upstream connect timeout" : "upstream timeout", connecting);
    return;
  }
  if (client_deadline_ns_ == 0 || now < client_deadline_ns_) return;
  Deadline d = client_deadline_;
  client_deadline_ns_ = 0;
  client_deadline_ = Deadline::kNone;
  if (d == Deadline::kIdle && Pending().empty() && !ctx_) {
    Close();  // keep-alive idle: nothing to say
    return;
  }
  if (d == Deadline::kTunnel) {
    gw_->metrics_.websocket_idle_closed.fetch_add(1, std::memory_order_relaxed);
    Close();  // both sides: the tunnel has carried nothing for websocket_idle_timeout
    return;
  }
  gw_->metrics_.timeouts.fetch_add(1, std::memory_order_relaxed);
  if (resp_ != Resp::kNone || response_head_sent_) {
    Close();
    return;
  }
  // Slow client (slowloris head, slow body): 408 and close.
  std::string id = ctx_ ? ctx_->request_id : w_->NextRequestId();
  std::string body = BlockPageHtml(408, id, "请求超时。", "The request took too long to arrive.");
  if (ctx_) {
    ctx_->local_response.status = 408;
    ctx_->local_response.body = std::move(body);
    ctx_->blocked_by = "timeout";
    ctx_->block_reason = d == Deadline::kBody ? "body_timeout" : "header_timeout";
    SendLocal(true);
    return;
  }
  WriteClient(net::FormatHttpResponse(408, "text/html; charset=utf-8", body, false));
  close_after_response_ = true;
  req_ = Req::kDone;
  ch_->SetReading(false);
  if (ch_->pending() == 0) {
    ch_->ShutdownWrite();
    Close();
  }
}

// ---------------------------------------------------------------------------------------------
// Worker

Worker::~Worker() { StopAndJoin(); }

Status Worker::Init(const std::shared_ptr<const Runtime>& rt, std::vector<uint16_t>* plain_ports,
                    std::vector<uint16_t>* tls_ports) {
  GS_ASSIGN_OR_RETURN(loop_, EventLoop::Create());
  rt_ = rt;
  const GatewaySpec& spec = rt->spec();
  bool first = plain_ports->empty() && tls_ports->empty();
  size_t total = spec.listen.size() + spec.tls_listen.size();
  for (size_t k = 0; k < total; ++k) {
    bool tls = k >= spec.listen.size();
    size_t i = tls ? k - spec.listen.size() : k;
    const std::string& where = tls ? spec.tls_listen[i] : spec.listen[i];
    std::vector<uint16_t>* ports = tls ? tls_ports : plain_ports;
    GS_ASSIGN_OR_RETURN(net::SocketAddress addr, ParseHostPort(where));
    if (!first) {
      // Same port as worker 0 (which resolved port 0) so SO_REUSEPORT groups the sockets.
      if (addr.storage.ss_family == AF_INET) {
        reinterpret_cast<sockaddr_in*>(&addr.storage)->sin_port = htons((*ports)[i]);
      } else {
        reinterpret_cast<sockaddr_in6*>(&addr.storage)->sin6_port = htons((*ports)[i]);
      }
    }
    net::ListenOptions lo;
    lo.backlog = 4096;
    lo.reuse_port = true;
    auto fd = net::ListenTcp(addr, lo);
    if (!fd.ok()) return fd.status().WithContext("gateway listen " + where);
    if (first) {
      GS_ASSIGN_OR_RETURN(net::SocketAddress local, net::LocalAddress(fd->get()));
      ports->push_back(local.port());
    }
    int lfd = fd->get();
    GS_RETURN_IF_ERROR(
        loop_->Add(lfd, EPOLLIN, [this, lfd, tls](uint32_t) { OnAccept(lfd, tls); }));
    listeners_.push_back(std::move(*fd));
  }
  loop_->RunAfter(200, [this] { Sweep(); });
  return Status::Ok();
}

void Worker::StopAndJoin() {
  if (!loop_) return;
  if (thread_.joinable()) {
    loop_->Post([this] {
      stopping_ = true;
      for (auto& l : listeners_) loop_->Remove(l.get());
      std::vector<ClientConn*> all;
      for (auto& [id, c] : conns_) all.push_back(c.get());
      for (ClientConn* c : all) c->Close();
      idle_.clear();
    });
    // Let the posted closes (and their posted destroys) run, then stop.
    loop_->Post([this] { loop_->Post([this] { loop_->Stop(); }); });
    thread_.join();
  }
  conns_.clear();
  idle_.clear();
  graveyard_.clear();
  listeners_.clear();
}

std::string Worker::NextRequestId() {
  std::string id;
  id.reserve(24);
  AppendHex(&id, gw_->id_prefix_);
  id += '-';
  AppendHex(&id, static_cast<uint64_t>(index_));
  id += '-';
  AppendHex(&id, ++req_seq_);
  return id;
}

void Worker::OnAccept(int listener, bool tls) {
  if (stopping_) return;
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof(peer);
    int fd =
        accept4(listener, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    UniqueFd ufd(fd);
    Metrics& m = gw_->metrics_;
    if (conns_.size() >= rt_->spec().max_connections_per_worker) {
      m.connections_refused.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    SetNoDelay(fd);
    ConnectionInfo info;
    std::tie(info.client_ip, info.client_port) = SplitAddr(peer);
    sockaddr_storage local{};
    socklen_t llen = sizeof(local);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) == 0)
      std::tie(info.server_ip, info.server_port) = SplitAddr(local);
    uint64_t id = next_conn_id_++;
    info.connection_id = (static_cast<uint64_t>(index_) << 48) | id;
    bool refused = false;
    std::vector<ConnectionFilter*> accepted;
    for (const auto& site : rt_->sites()) {
      for (const auto& f : site->chain()) {
        ConnectionFilter* cf = f.factory->connection_filter();
        if (!cf) continue;
        if (!cf->OnAccept(info)) {
          refused = true;
          break;
        }
        accepted.push_back(cf);
      }
      if (refused) break;
    }
    if (refused) {
      for (ConnectionFilter* cf : accepted) cf->OnClose(info);
      m.connections_refused.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    m.connections_accepted.fetch_add(1, std::memory_order_relaxed);
    m.connections_active.fetch_add(1, std::memory_order_relaxed);
    auto conn = std::make_unique<ClientConn>(this, id, std::move(ufd), std::move(info), rt_);
    if (!conn->Start(tls).ok()) {
      m.connections_active.fetch_sub(1, std::memory_order_relaxed);
      continue;
    }
    conns_.emplace(id, std::move(conn));
  }
}

void Worker::DestroyConn(uint64_t id) {
  loop_->Post([this, id] { conns_.erase(id); });
}

void Worker::DestroyUpstream(std::unique_ptr<UpstreamConn> c) {
  if (!c) return;
  c->owner = nullptr;
  c->dead = true;
  // Unregister now (no more callbacks), free after the current dispatch: the connection may be
  // destroyed from inside its own callback.
  c->ch->Unregister();
  if (graveyard_.empty()) loop_->Post([this] { graveyard_.clear(); });
  graveyard_.push_back(std::move(c));
}

std::unique_ptr<UpstreamConn> Worker::TakeIdle(const std::string& server) {
  auto it = idle_.find(server);
  if (it == idle_.end()) return nullptr;
  while (!it->second.empty()) {
    std::unique_ptr<UpstreamConn> c = std::move(it->second.back());
    it->second.pop_back();
    if (!c->dead) return c;
  }
  return nullptr;
}

void Worker::ReturnIdle(std::unique_ptr<UpstreamConn> c, size_t max_idle) {
  if (stopping_) {
    DestroyUpstream(std::move(c));
    return;
  }
  auto& q = idle_[c->server];
  if (q.size() >= max_idle) {
    DestroyUpstream(std::move(c));
    return;
  }
  c->owner = nullptr;
  c->ch->SetReading(true);
  q.push_back(std::move(c));
}

Result<std::unique_ptr<UpstreamConn>> Worker::Connect(const ServerState& s) {
  UniqueFd fd(socket(s.addr.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return ErrnoError("socket", errno);
  SetNoDelay(fd.get());
  bool in_progress = false;
  if (connect(fd.get(), s.addr.sa(), s.addr.len) != 0) {
    if (errno != EINPROGRESS) return ErrnoError("connect " + s.name, errno);
    in_progress = true;
  }
  auto c = std::make_unique<UpstreamConn>();
  c->server = s.name;
  c->ch = std::make_unique<Channel>(loop_.get(), std::move(fd));
  c->ch->set_connecting(in_progress);
  UpstreamConn* raw = c.get();
  uint32_t mask = in_progress ? EPOLLOUT : (EPOLLIN | EPOLLRDHUP);
  GS_RETURN_IF_ERROR(c->ch->Register(mask, [this, raw](uint32_t ev) {
    if (raw->dead) return;
    if (raw->owner) {
      raw->owner->OnUpstreamEvents(ev);
      return;
    }
    // Idle in the pool: any readable event means the server closed it (or sent garbage).
    auto it = idle_.find(raw->server);
    if (it == idle_.end()) return;
    for (auto qi = it->second.begin(); qi != it->second.end(); ++qi) {
      if (qi->get() == raw) {
        std::unique_ptr<UpstreamConn> mine = std::move(*qi);
        it->second.erase(qi);
        DestroyUpstream(std::move(mine));
        return;
      }
    }
  }));
  return c;
}

void Worker::Sweep() {
  if (stopping_) return;
  int64_t now = MonoNow();
  std::vector<ClientConn*> all;
  all.reserve(conns_.size());
  for (auto& [id, c] : conns_) all.push_back(c.get());
  for (ClientConn* c : all)
    if (!c->closed()) c->CheckDeadlines(now);
  loop_->RunAfter(200, [this] { Sweep(); });
}

// ---------------------------------------------------------------------------------------------
// Admin port

namespace {

class AdminHandler final : public net::StreamHandler {
 public:
  explicit AdminHandler(Gateway* gw) : gw_(gw) {}
  void OnData(net::TcpConnection& conn, std::string_view data) override {
    buf_.append(data);
    for (;;) {
      HttpStep s = parser_.Execute(buf_);
      if (s.event == HttpEvent::kError) {
        conn.Write(net::FormatHttpResponse(400, "text/plain", "bad request\n", false));
        conn.CloseAfterWrite();
        return;
      }
      if (s.event == HttpEvent::kHead) {
        std::string_view target = parser_.head().target;
        std::string path(target.substr(0, target.find('?')));
        bool ka = parser_.head().keep_alive;
        if (path == "/-/reload" && parser_.head().method == "POST") {
          Status st = gw_->RunReloadHandler();
          if (st.code() == StatusCode::kNotFound) {
            response_ = net::FormatHttpResponse(404, "text/plain", "no reload handler\n", ka);
          } else if (st.ok()) {
            response_ = net::FormatHttpResponse(200, "text/plain", "reloaded\n", ka);
          } else {
            response_ = net::FormatHttpResponse(400, "text/plain; charset=utf-8",
                                                std::string(st.message()) + "\n", ka);
          }
        } else if (path == "/healthz") {
          response_ = net::FormatHttpResponse(200, "text/plain", "ok\n", ka);
        } else if (path == "/metrics") {
          response_ =
              net::FormatHttpResponse(200, "text/plain; version=0.0.4", gw_->RenderMetrics(), ka);
        } else {
          response_ = net::FormatHttpResponse(404, "text/plain", "not found\n", ka);
        }
        keep_alive_ = ka;
      }
      if (s.event == HttpEvent::kDone) {
        conn.Write(response_);
        if (!keep_alive_) {
          conn.CloseAfterWrite();
          return;
        }
      }
      buf_.erase(0, s.consumed);
      if (s.event == HttpEvent::kNeedMore && s.consumed == 0) return;
    }
  }

 private:
  Gateway* gw_;
  net::HttpRequestParser parser_;
  std::string buf_;
  std::string response_;
  bool keep_alive_ = true;
};

}  // namespace

struct Gateway::Admin {
  std::unique_ptr<EventLoop> loop;
  std::unique_ptr<net::TcpServer> server;
  std::thread thread;
};

// ---------------------------------------------------------------------------------------------
// Gateway

Result<std::unique_ptr<Gateway>> Gateway::Start(std::shared_ptr<const Runtime> runtime,
                                                const GatewayDeps& deps) {
  std::unique_ptr<Gateway> gw(new Gateway());
  gw->time_ = deps.time ? deps.time : &SystemTime();
  gw->audit_ = std::make_unique<AuditWriter>(deps.audit_sink, deps.audit_queue);
  gw->runtime_ = runtime;
  uint64_t seed =
      static_cast<uint64_t>(SystemTime().Now()) ^ (static_cast<uint64_t>(getpid()) << 32);
  // A process-unique prefix so request ids do not repeat across restarts.
  gw->id_prefix_ = (seed * 0x9E3779B97F4A7C15ull) >> 24;
  int workers = runtime->spec().workers;
  if (workers <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    workers = n > 0 ? static_cast<int>(n) : 1;
  }
  for (int i = 0; i < workers; ++i) {
    auto w = std::make_unique<Worker>(gw.get(), i);
    GS_RETURN_IF_ERROR(w->Init(runtime, &gw->ports_, &gw->tls_ports_));
    gw->workers_.push_back(std::move(w));
  }
  if (!runtime->spec().admin_listen.empty()) {
    GS_ASSIGN_OR_RETURN(net::SocketAddress addr, ParseHostPort(runtime->spec().admin_listen));
    auto admin = std::make_unique<Admin>();
    GS_ASSIGN_OR_RETURN(admin->loop, EventLoop::Create());
    Gateway* raw = gw.get();
    auto server = net::TcpServer::Start(admin->loop.get(), addr, [raw](const net::TcpConnection&) {
      return std::make_unique<AdminHandler>(raw);
    });
    if (!server.ok()) return server.status().WithContext("gateway admin listen");
    admin->server = std::move(*server);
    gw->admin_port_ = admin->server->port();
    EventLoop* loop = admin->loop.get();
    admin->thread = std::thread([loop] { loop->Run(); });
    gw->admin_ = std::move(admin);
  }
  for (auto& w : gw->workers_) w->RunThread();
  gw->health_thread_ = std::thread([raw = gw.get()] { raw->HealthLoop(); });
  return gw;
}

Gateway::~Gateway() { Stop(); }

void Gateway::Stop() {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> lock(health_mu_);
    stopping_ = true;
  }
  health_cv_.notify_all();
  if (health_thread_.joinable()) health_thread_.join();
  for (auto& w : workers_) w->StopAndJoin();
  workers_.clear();
  if (admin_) {
    EventLoop* loop = admin_->loop.get();
    loop->Post([this] { admin_->server.reset(); });
    loop->Post([loop] { loop->Stop(); });
    if (admin_->thread.joinable()) admin_->thread.join();
    admin_->server.reset();
    admin_.reset();
  }
  audit_->Flush();
}

Status Gateway::Reload(std::shared_ptr<const Runtime> runtime) {
  std::shared_ptr<const Runtime> old = this->runtime();
  const GatewaySpec& a = old->spec();
  const GatewaySpec& b = runtime->spec();
  if (a.listen != b.listen || a.tls_listen != b.tls_listen || a.workers != b.workers ||
      a.admin_listen != b.admin_listen) {
    metrics_.reload_failures.fetch_add(1);
    return FailedPreconditionError(
        "listen addresses, worker count and admin_listen cannot change on reload; restart the "
        "gateway to apply them (the old config stays active)");
  }
  {
    std::lock_guard<std::mutex> lock(rt_mu_);
    runtime_ = runtime;
  }
  for (auto& w : workers_) w->SetRuntime(runtime);
  metrics_.reloads.fetch_add(1);
  return Status::Ok();
}

void Gateway::SetReloadHandler(std::function<Status()> fn) {
  std::lock_guard<std::mutex> lock(reload_mu_);
  reload_handler_ = std::move(fn);
}

Status Gateway::RunReloadHandler() {
  std::function<Status()> fn;
  {
    std::lock_guard<std::mutex> lock(reload_mu_);
    fn = reload_handler_;
  }
  if (!fn) return NotFoundError("no reload handler");
  return fn();
}

std::shared_ptr<const Runtime> Gateway::runtime() const {
  std::lock_guard<std::mutex> lock(rt_mu_);
  return runtime_;
}

std::string Gateway::RenderMetrics() const {
  std::string out = metrics_.Render(audit_->written(), audit_->dropped(), audit_->failed());
  std::shared_ptr<const Runtime> rt = runtime();
  for (const auto& site : rt->sites())
    for (const auto& f : site->chain()) f.factory->AppendMetrics(site->spec().name, &out);
  return out;
}

namespace {

// One blocking HTTP check with a deadline: connect, GET path, read the status line.
bool CheckServer(const ServerState& s, const std::string& path, int timeout_ms) {
  UniqueFd fd(socket(s.addr.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return false;
  int64_t deadline = MonoNow() + int64_t(timeout_ms) * kNanosPerMilli;
  auto wait = [&](short ev) {
    for (;;) {
      int64_t left = (deadline - MonoNow()) / kNanosPerMilli;
      if (left <= 0) return false;
      pollfd p{fd.get(), ev, 0};
      int r = poll(&p, 1, static_cast<int>(left));
      if (r > 0) return true;
      if (r == 0) return false;
      if (errno != EINTR) return false;
    }
  };
  if (connect(fd.get(), s.addr.sa(), s.addr.len) != 0) {
    if (errno != EINPROGRESS || !wait(POLLOUT)) return false;
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return false;
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + s.name +
                    "\r\nUser-Agent: GovShield-health-check\r\nConnection: close\r\n\r\n";
  size_t off = 0;
  while (off < req.size()) {
    ssize_t n = send(fd.get(), req.data() + off, req.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += size_t(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait(POLLOUT)) return false;
    } else {
      return false;
    }
  }
  std::string resp;
  char buf[512];
  while (resp.size() < 12) {
    if (!wait(POLLIN)) return false;
    ssize_t n = recv(fd.get(), buf, sizeof(buf), 0);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      return false;
    }
    resp.append(buf, size_t(n));
  }
  if (resp.compare(0, 7, "HTTP/1.") != 0) return false;
  int status = std::atoi(resp.substr(9, 3).c_str());
  return status >= 100 && status < 500;
}

}  // namespace

void Gateway::HealthLoop() {
  std::unordered_map<const ServerState*, int64_t> next_check;
  std::shared_ptr<const Runtime> checked;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(health_mu_);
      health_cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stopping_; });
      if (stopping_) return;
    }
    std::shared_ptr<const Runtime> rt = runtime();
    if (rt != checked) {
      next_check.clear();
      checked = rt;
    }
    int64_t now = MonoNow();
    for (const auto& site : rt->sites()) {
      const UpstreamSpec& us = site->spec().upstream;
      if (us.health_interval_ms <= 0) continue;
      for (const auto& s : site->servers()) {
        int64_t& due = next_check[s.get()];
        if (now < due) continue;
        due = now + us.health_interval_ms * kNanosPerMilli;
        bool ok = CheckServer(*s, us.health_path,
                              static_cast<int>(std::min<int64_t>(us.connect_timeout_ms, 2000)));
        ServerState* st = s.get();
        bool was_down = st->active_down.load();
        st->active_down.store(!ok);
        if (ok) {
          st->consecutive_fails.store(0);
          st->down_until_ns.store(0);
        }
        if (ok == was_down) {
          audit_->Submit("{\"ts\":\"" + FormatRfc3339(time_->Now()) +
                         "\",\"source\":\"gateway\",\"type\":\"upstream_health\",\"site\":" +
                         JsonString(site->spec().name) + ",\"server\":" + JsonString(st->name) +
                         ",\"healthy\":" + (ok ? "true" : "false") + "}");
        }
      }
    }
  }
}

}  // namespace gs::gateway
