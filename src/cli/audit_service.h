// The audit log service shared by `govshield audit serve` and `govshield up`: the store opened
// as its single writer, syslog and HTTP ingest in front, hourly retention purge; runs until
// SIGINT or SIGTERM.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "audit/sink.h"
#include "core/status.h"

namespace gs::cli {

struct AuditServiceOptions {
  std::string store;
  std::string bind = "127.0.0.1";
  int syslog_udp = 5514;  // 0 = any free port, -1 = off
  int syslog_tcp = 5514;
  int http = 8514;
  std::string ports_file;  // when set, the bound ports are written here as JSON
  std::string fsync;       // overrides the store's policy when set
  int64_t purge_every_s = 3600;
  // Hooks for `govshield up`, which runs other components writing into the same store.
  // on_started: after the store is open and the listeners run; an error stops the service.
  std::function<Status(audit::RecordSink* store)> on_started;
  // on_reload: on SIGHUP (the signal is only taken when this is set).
  std::function<void()> on_reload;
  // on_stopping: after a stop signal, before the listeners stop and the store closes.
  std::function<void()> on_stopping;
  bool print_banner = true;  // the audit part's own "try/query/verify" lines
};

// Blocks until a stop signal; returns the store's close status or why it could not start.
Status RunAuditService(const AuditServiceOptions& o);

}  // namespace gs::cli
