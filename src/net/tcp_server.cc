// TcpServer/TcpConnection implementation. Connections are destroyed via a posted task, never
// inside their own callback, so a handler may call Close() from OnData safely.
#include "net/tcp_server.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "core/time.h"

namespace gs::net {

void TcpConnection::Write(std::string_view data) {
  if (closed_ || data.empty()) return;
  out_.append(data);
  FlushWrites();
}

void TcpConnection::CloseAfterWrite() {
  if (closed_) return;
  closing_ = true;
  FlushWrites();
}

void TcpConnection::Close() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  server_->loop_->Remove(fd_.get());
  server_->Destroy(id_);
}

void TcpConnection::PauseReading(bool paused) {
  if (closed_ || paused_ == paused) return;
  paused_ = paused;
  UpdateInterest();
}

void TcpConnection::SetDeadline(int64_t ms) {
  deadline_ns_ = SystemTime().MonotonicNanos() + (ms > 0 ? ms : 0) * kNanosPerMilli;
}

void TcpConnection::UpdateInterest() {
  // RDHUP only while reading: level-triggered, it would otherwise fire forever once the peer
  // has half-closed and we are still flushing or paused.
  uint32_t ev = 0;
  if (!paused_ && !closing_) ev |= EPOLLIN | EPOLLRDHUP;
  if (want_write_) ev |= EPOLLOUT;
  server_->loop_->Modify(fd_.get(), ev).IgnoreError();
}

void TcpConnection::FlushWrites() {
  while (out_off_ < out_.size()) {
    ssize_t n = send(fd_.get(), out_.data() + out_off_, out_.size() - out_off_, MSG_NOSIGNAL);
    if (n > 0) {
      out_off_ += static_cast<size_t>(n);
      last_activity_ns_ = SystemTime().MonotonicNanos();
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    Close();  // peer reset or other hard error: nothing more can be sent
    return;
  }
  if (out_off_ == out_.size()) {
    out_.clear();
    out_off_ = 0;
    if (closing_) {
      // Half-close first so the peer sees every byte before the FIN.
      shutdown(fd_.get(), SHUT_WR);
      Close();
      return;
    }
  }
  bool want = out_off_ < out_.size();
  if (want != want_write_ || closing_) {
    want_write_ = want;
    UpdateInterest();
  }
}

void TcpConnection::HandleRead() {
  StreamHandler* handler = server_->conns_[id_].handler.get();
  // One buffer per server (all its connections run on one thread); OnData gets a view of it.
  std::string& buf = server_->read_buf_;
  if (buf.size() != server_->opts_.read_chunk) buf.resize(server_->opts_.read_chunk);
  // Bounded reads per event keep one busy peer from starving the others (level-triggered).
  for (int round = 0; round < 4 && !closing_ && !paused_; ++round) {
    ssize_t n = recv(fd_.get(), buf.data(), buf.size(), 0);
    if (n > 0) {
      last_activity_ns_ = SystemTime().MonotonicNanos();
      handler->OnData(*this, std::string_view(buf.data(), static_cast<size_t>(n)));
      if (closed_) return;
      if (static_cast<size_t>(n) < buf.size()) return;
      continue;
    }
    if (n == 0) {
      handler->OnEof(*this);
      if (!closed_ && !closing_) CloseAfterWrite();
      return;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    Close();
    return;
  }
}

void TcpConnection::OnEvents(uint32_t events) {
  if (closed_) return;
  if (events & EPOLLOUT) {
    FlushWrites();
    if (closed_) return;
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    if (!closing_ && !paused_) {
      HandleRead();
    } else if (events & (EPOLLHUP | EPOLLERR)) {
      Close();
    } else if (closing_ && (events & EPOLLRDHUP) && out_off_ == out_.size()) {
      Close();
    }
  }
}

Result<std::unique_ptr<TcpServer>> TcpServer::Start(EventLoop* loop, const SocketAddress& addr,
                                                    HandlerFactory factory,
                                                    const TcpServerOptions& opts) {
  GS_ASSIGN_OR_RETURN(UniqueFd fd, ListenTcp(addr, opts.listen));
  GS_ASSIGN_OR_RETURN(SocketAddress local, LocalAddress(fd.get()));
  std::unique_ptr<TcpServer> s(new TcpServer(loop, std::move(fd), std::move(factory), opts));
  s->port_ = local.port();
  TcpServer* raw = s.get();
  GS_RETURN_IF_ERROR(
      loop->Add(raw->listener_.get(), EPOLLIN, [raw](uint32_t) { raw->OnAccept(); }));
  raw->sweep_timer_ = loop->RunAfter(1000, [raw] { raw->Sweep(); });
  return s;
}

TcpServer::~TcpServer() {
  *alive_ = false;
  loop_->CancelTimer(sweep_timer_);
  // Connections the kernel completed but we have not accepted yet also carry acknowledged bytes.
  if (opts_.drain_on_shutdown) OnAccept();
  loop_->Remove(listener_.get());
  for (auto& [id, e] : conns_) {
    TcpConnection& c = *e.conn;
    if (opts_.drain_on_shutdown && !c.closed_ && !c.closing_ && !c.paused_) {
      // Bytes the kernel already acknowledged to the peer are handed to the handler before the
      // close, so a graceful stop loses nothing the sender considers delivered.
      if (read_buf_.size() != opts_.read_chunk) read_buf_.resize(opts_.read_chunk);
      for (size_t total = 0; total < opts_.drain_limit && !c.closed_ && !c.closing_;) {
        ssize_t n = recv(c.fd_.get(), read_buf_.data(), read_buf_.size(), MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        total += static_cast<size_t>(n);
        e.handler->OnData(c, std::string_view(read_buf_.data(), static_cast<size_t>(n)));
      }
    }
    loop_->Remove(c.fd_.get());
    c.closed_ = true;
    e.handler->OnClose(c);
  }
  conns_.clear();
}

void TcpServer::OnAccept() {
  for (int i = 0; i < 64; ++i) {
    SocketAddress peer;
    peer.len = sizeof(peer.storage);
    int fd = accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer.storage), &peer.len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or transient errors (EMFILE, ECONNABORTED): retry next event
    UniqueFd ufd(fd);
    if (conns_.size() >= opts_.max_connections) {
      ++refused_total_;
      continue;  // closed by UniqueFd
    }
    ++accepted_total_;
    uint64_t id = next_id_++;
    std::unique_ptr<TcpConnection> conn(
        new TcpConnection(this, std::move(ufd), id, peer.ToString()));
    conn->last_activity_ns_ = SystemTime().MonotonicNanos();
    std::unique_ptr<StreamHandler> handler = factory_(*conn);
    TcpConnection* raw = conn.get();
    if (!loop_->Add(raw->fd_.get(), EPOLLIN | EPOLLRDHUP, [raw](uint32_t ev) { raw->OnEvents(ev); })
             .ok())
      continue;
    conns_[id] = Entry{std::move(conn), std::move(handler)};
  }
}

void TcpServer::Destroy(uint64_t id) {
  std::weak_ptr<bool> alive = alive_;
  loop_->Post([this, id, alive] {
    if (alive.expired()) return;
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    it->second.handler->OnClose(*it->second.conn);
    conns_.erase(it);
  });
}

void TcpServer::Sweep() {
  int64_t now = SystemTime().MonotonicNanos();
  int64_t limit = opts_.idle_timeout_ms * kNanosPerMilli;
  std::vector<TcpConnection*> idle;
  for (auto& [id, e] : conns_)
    if (!e.conn->closed_ && (now - e.conn->last_activity_ns_ > limit ||
                             (e.conn->deadline_ns_ != 0 && now >= e.conn->deadline_ns_)))
      idle.push_back(e.conn.get());
  for (TcpConnection* c : idle) c->Close();
  sweep_timer_ = loop_->RunAfter(1000, [this] { Sweep(); });
}

}  // namespace gs::net
