// IngestServer: the network side of `govshield audit serve`. It receives syslog (RFC 5424 and
// RFC 3164) over UDP and TCP (octet-counting or LF/NUL framing, detected per connection) and
// JSON records over a local HTTP endpoint, turns each message into one JSON record and appends
// it to an audit::RecordSink. Malformed syslog is stored raw with "anomaly":[...], never dropped.
//
// HTTP API (for GovShield's own components; bind it to loopback):
//   POST /v1/records  body: one JSON object, an array of objects, or NDJSON.
//                     200 {"seqs":[...],"count":N}; 400 {"error":"<reason>"} on bad JSON or a
//                     malformed/smuggling-shaped request; 413 over max_http_body; 503 if the
//                     sink fails ({"error":"sink_failed","seqs":[stored so far]}).
//   GET  /healthz     200 {"status":"ok", counters...}
//
// Threading: the server runs one event-loop thread of its own. Start/Stop/counters()/ports are
// callable from any thread; the sink must be thread-safe (RecordSink is).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "audit/sink.h"
#include "core/status.h"
#include "core/time.h"

namespace gs::logingest {

struct IngestOptions {
  std::string bind_host = "127.0.0.1";  // numeric IPv4/IPv6
  // 0 = any free port (read it back from the server), -1 = listener disabled.
  int udp_port = 0;
  int tcp_port = 0;
  int http_port = 0;
  size_t max_syslog_message = 64 * 1024;  // longer TCP frames are split (flagged frame_split)
  uint64_t max_http_body = 4 << 20;
  size_t max_records_per_request = 100000;
  size_t max_tcp_connections = 1024;  // per listener
  int64_t idle_timeout_ms = 300'000;
  int64_t request_timeout_ms = 30'000;  // HTTP: whole request within this of its first byte
  int udp_rcvbuf_bytes = 4 << 20;
};

struct IngestCounters {
  uint64_t received = 0;   // syslog messages and HTTP records received
  uint64_t stored = 0;     // records the sink accepted
  uint64_t anomalies = 0;  // stored records that carry an anomaly flag
  uint64_t errors = 0;     // records the sink refused, and socket errors
  uint64_t http_requests = 0;
  uint64_t http_rejected = 0;  // requests answered 4xx
};

class IngestServer {
 public:
  // Binds every enabled listener and starts the loop thread. `sink` and `time` are not owned and
  // must outlive the server. InvalidArgument for a bad bind_host or port; IoError if a port
  // cannot be bound (nothing is left running then).
  static Result<std::unique_ptr<IngestServer>> Start(const IngestOptions& options,
                                                     audit::RecordSink* sink,
                                                     const TimeSource& time);
  // Stops (see Stop()).
  ~IngestServer();
  IngestServer(const IngestServer&) = delete;
  IngestServer& operator=(const IngestServer&) = delete;

  // Closes all listeners and connections (partial TCP frames are stored, flagged
  // unterminated_frame) and joins the loop thread. Idempotent.
  void Stop();

  // Bound ports, or -1 for a disabled listener.
  int udp_port() const { return udp_port_; }
  int tcp_port() const { return tcp_port_; }
  int http_port() const { return http_port_; }

  IngestCounters counters() const;

  class Impl;

 private:
  IngestServer() = default;
  std::unique_ptr<Impl> impl_;
  int udp_port_ = -1, tcp_port_ = -1, http_port_ = -1;
};

}  // namespace gs::logingest
