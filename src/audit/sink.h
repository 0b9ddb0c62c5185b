// RecordSink: where audit records go. The audit store implements it; ingest servers (syslog,
// HTTP/JSON) and GovShield components (gateway, tamper agent, monitor) write through it.
//
// A record is one JSON object (the text of one NDJSON line, without the newline). Conventional
// fields: "ts" (RFC 3339 event time), "source" (who produced it: "syslog", "gateway", ...),
// "type" (what it is: "access", "block", "tamper", ...). Anything else is free-form.
// The store adds nothing to the caller's bytes; it wraps them in its own framing.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace gs::audit {

class RecordSink {
 public:
  virtual ~RecordSink() = default;

  // Appends one record and returns its sequence number (0-based, store-wide). When this returns
  // OK the record has reached the kernel (it survives kill -9 of the process); durability
  // against power loss follows the store's fsync policy. Thread-safe.
  // INVALID_ARGUMENT if `json_object` is not a single valid JSON object.
  virtual Result<uint64_t> Append(std::string_view json_object) = 0;

  // Forces everything appended so far to stable storage (fsync).
  virtual Status Sync() = 0;
};

}  // namespace gs::audit
