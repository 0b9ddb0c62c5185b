// TcpServer: accepts connections on a listening socket and drives each one on an EventLoop with
// non-blocking reads and a write queue. Protocol logic lives in a StreamHandler, one per
// connection, created by a factory. Used by the syslog/HTTP ingest servers and (later) the gateway.
//
// Threading: everything runs on the loop thread. A TcpServer must be created, used and destroyed
// on its loop's thread (or before the loop runs / after it stopped).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "net/event_loop.h"
#include "net/socket.h"

namespace gs::net {

class TcpServer;

// One accepted connection. Owned by its TcpServer; handlers get it by reference in callbacks
// and must not keep the reference beyond the callback.
class TcpConnection {
 public:
  // Queues bytes and tries to send them now. No-op after Close().
  void Write(std::string_view data);
  // Sends what is queued, then closes (the handler then gets OnClose).
  void CloseAfterWrite();
  // Closes now, dropping unsent data.
  void Close();
  // Stop/resume reading (back-pressure): while paused, OnData is not called.
  void PauseReading(bool paused);
  // Closes the connection if it is still open `ms` from now, whatever traffic flows (unlike the
  // idle timeout). For header/request deadlines against slow clients (slowloris, slow POST).
  // Checked by the server's once-a-second sweep. ClearDeadline() cancels.
  void SetDeadline(int64_t ms);
  void ClearDeadline() { deadline_ns_ = 0; }

  const std::string& peer() const { return peer_; }
  uint64_t id() const { return id_; }
  bool closing() const { return closing_; }

 private:
  friend class TcpServer;
  TcpConnection(TcpServer* server, UniqueFd fd, uint64_t id, std::string peer)
      : server_(server), fd_(std::move(fd)), id_(id), peer_(std::move(peer)) {}
  void OnEvents(uint32_t events);
  void HandleRead();
  void FlushWrites();
  void UpdateInterest();

  TcpServer* server_;
  UniqueFd fd_;
  uint64_t id_;
  std::string peer_;
  std::string out_;
  size_t out_off_ = 0;
  bool closing_ = false;  // no more reads; close once out_ is flushed
  bool closed_ = false;
  bool paused_ = false;
  bool want_write_ = false;
  int64_t last_activity_ns_ = 0;
  int64_t deadline_ns_ = 0;  // monotonic; 0 = none
};

// Protocol logic for one connection.
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // Bytes that arrived (valid only during the call).
  virtual void OnData(TcpConnection& conn, std::string_view data) = 0;
  // The peer finished sending (read side EOF). The default closes after pending writes.
  virtual void OnEof(TcpConnection& conn) { conn.CloseAfterWrite(); }
  // The connection is gone (any reason); the handler is destroyed right after.
  virtual void OnClose(TcpConnection& conn) {}
};

struct TcpServerOptions {
  ListenOptions listen;
  size_t max_connections = 1024;      // more are accepted and closed at once
  int64_t idle_timeout_ms = 300'000;  // no bytes either way for this long: close
  size_t read_chunk = 64 * 1024;      // bytes read per readiness event
  // On destruction, accept connections still in the backlog, read what the kernel has buffered
  // for each connection (up to drain_limit bytes each) and pass it to OnData before OnClose.
  // For ingest, where every byte is a record.
  bool drain_on_shutdown = false;
  size_t drain_limit = 16 * 1024 * 1024;
};

class TcpServer {
 public:
  using HandlerFactory = std::function<std::unique_ptr<StreamHandler>(const TcpConnection&)>;

  // Binds and starts accepting on `loop`. IoError if the address cannot be bound.
  static Result<std::unique_ptr<TcpServer>> Start(EventLoop* loop, const SocketAddress& addr,
                                                  HandlerFactory factory,
                                                  const TcpServerOptions& opts = {});
  // Closes the listener and all connections (handlers get OnClose).
  ~TcpServer();

  uint16_t port() const { return port_; }
  size_t connection_count() const { return conns_.size(); }
  uint64_t accepted_total() const { return accepted_total_; }
  uint64_t refused_total() const { return refused_total_; }

 private:
  friend class TcpConnection;
  TcpServer(EventLoop* loop, UniqueFd listener, HandlerFactory f, const TcpServerOptions& o)
      : loop_(loop), listener_(std::move(listener)), factory_(std::move(f)), opts_(o) {}
  void OnAccept();
  void Destroy(uint64_t id);
  void Sweep();

  struct Entry {
    std::unique_ptr<TcpConnection> conn;
    std::unique_ptr<StreamHandler> handler;
  };
  EventLoop* loop_;
  UniqueFd listener_;
  HandlerFactory factory_;
  TcpServerOptions opts_;
  uint16_t port_ = 0;
  uint64_t next_id_ = 1;
  uint64_t accepted_total_ = 0;
  uint64_t refused_total_ = 0;
  std::unordered_map<uint64_t, Entry> conns_;
  std::string read_buf_;
  EventLoop::TimerId sweep_timer_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace gs::net
