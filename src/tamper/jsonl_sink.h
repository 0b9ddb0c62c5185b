// A RecordSink that appends each record as one line to a file (NDJSON), or to stdout. Used by
// `govshield tamper watch --events FILE` when records are not sent to an audit store.
// Thread-safe: appends are serialised.
#pragma once

#include <mutex>
#include <string>

#include "audit/sink.h"
#include "platform/file.h"

namespace gs::tamper {

class JsonLinesSink : public audit::RecordSink {
 public:
  // path "-" writes to stdout.
  static Result<std::unique_ptr<JsonLinesSink>> Open(const std::string& path);
  Result<uint64_t> Append(std::string_view json_object) override;
  Status Sync() override;

 private:
  std::mutex mu_;
  bool stdout_ = false;
  platform::AppendFile file_;
  uint64_t seq_ = 0;
};

}  // namespace gs::tamper
