// Gateway: the reverse proxy. N worker threads, each with its own epoll EventLoop and its own
// SO_REUSEPORT listening socket per listen address (the kernel spreads connections), its own
// upstream keep-alive pools and its own cached pointer to the active Runtime. Per request:
// strict parse (net/http_parser.h) -> site by Host -> filter chain (filter.h) -> upstream ->
// response filters -> logging. See docs/gateway.md for the request flow and
// docs/adr/0010-gateway-event-loop.md for why the gateway runs on our own loop.
//
// Threading: Start/Reload/Stop and the accessors may be called from any one controlling thread.
// Workers never block on disk: audit records go through the AuditWriter's thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/sink.h"
#include "core/status.h"
#include "core/time.h"
#include "gateway/audit_writer.h"
#include "gateway/metrics.h"
#include "gateway/runtime.h"

namespace gs::gateway {

class Worker;

struct GatewayDeps {
  audit::RecordSink* audit_sink = nullptr;  // not owned; null: audit records are discarded
  const TimeSource* time = nullptr;         // null: system clock
  size_t audit_queue = 100'000;
};

class Gateway {
 public:
  // Binds every listener (and the admin port) and starts the workers. IoError if an address
  // cannot be bound; the gateway is then not started.
  static Result<std::unique_ptr<Gateway>> Start(std::shared_ptr<const Runtime> runtime,
                                                const GatewayDeps& deps);
  ~Gateway();  // Stop()
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Atomically replaces sites, upstreams and filter chains. Requests already running finish
  // with the old Runtime. FAILED_PRECONDITION (old config kept) when listen addresses, worker
  // count or the admin address changed: those need a restart.
  Status Reload(std::shared_ptr<const Runtime> runtime);

  // What POST /-/reload on the admin port runs (on the admin thread); its status becomes the
  // response (200 "reloaded", or 400 and the reason). Without a handler the endpoint is 404.
  void SetReloadHandler(std::function<Status()> fn);
  Status RunReloadHandler();  // NOT_FOUND without a handler

  // Stops accepting, closes connections, stops workers and flushes the audit queue.
  void Stop();

  // Bound ports, one per GatewaySpec::listen entry (port 0 resolved).
  const std::vector<uint16_t>& ports() const { return ports_; }
  // Bound TLS ports, one per GatewaySpec::tls_listen entry.
  const std::vector<uint16_t>& tls_ports() const { return tls_ports_; }
  uint16_t admin_port() const { return admin_port_; }
  Metrics& metrics() { return metrics_; }
  AuditWriter& audit() { return *audit_; }
  std::shared_ptr<const Runtime> runtime() const;
  // The Prometheus text of /metrics.
  std::string RenderMetrics() const;
  const TimeSource& time() const { return *time_; }

 private:
  friend class Worker;
  friend class ClientConn;
  Gateway() = default;
  void HealthLoop();

  const TimeSource* time_ = nullptr;
  std::unique_ptr<AuditWriter> audit_;
  Metrics metrics_;
  mutable std::mutex rt_mu_;
  std::shared_ptr<const Runtime> runtime_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<uint16_t> ports_;
  std::vector<uint16_t> tls_ports_;
  uint16_t admin_port_ = 0;
  struct Admin;
  std::unique_ptr<Admin> admin_;
  std::thread health_thread_;
  std::mutex health_mu_;
  std::condition_variable health_cv_;
  bool stopping_ = false;
  bool stopped_ = false;
  uint64_t id_prefix_ = 0;  // per-process random part of request ids
  std::mutex reload_mu_;
  std::function<Status()> reload_handler_;
};

}  // namespace gs::gateway
