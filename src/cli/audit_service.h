// The audit log service shared by `govshield audit serve` and `govshield up`: the store opened
// as its single writer, syslog and HTTP ingest in front, hourly retention purge; runs until
// SIGINT or SIGTERM.
#pragma once

#include <cstdint>
#include <string>

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
};

// Blocks until a stop signal; returns the store's close status or why it could not start.
Status RunAuditService(const AuditServiceOptions& o);

}  // namespace gs::cli
