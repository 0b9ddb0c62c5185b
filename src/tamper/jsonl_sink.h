// Record sinks of the tamper commands besides the audit store itself:
//  - JsonLinesSink appends each record as one line to a file (NDJSON) or stdout
//    (`--events FILE`);
//  - TeeSink sends each record to several sinks (audit store and --events);
//  - the audit spool: while `tamper watch` holds the audit store's writer lock, `tamper publish`
//    writes its records to a spool file in the vault (SpoolPath), and the watch appends every
//    complete spool file to the store (DrainSpool). Delivery is at-least-once: a crash between
//    the append and the removal of the spool file appends its records again on the next drain.
// Thread-safe: appends are serialised.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

// Appends every record to each of `sinks` (not owned, non-null) in order; the first error wins.
class TeeSink : public audit::RecordSink {
 public:
  explicit TeeSink(std::vector<audit::RecordSink*> sinks) : sinks_(std::move(sinks)) {}
  Result<uint64_t> Append(std::string_view json_object) override;
  Status Sync() override;

 private:
  std::vector<audit::RecordSink*> sinks_;
};

// Directory of complete spool files in a vault ("<vault>/audit-spool").
std::string SpoolDir(const std::string& vault_dir);

// A spool writer: records go to "<spool>/.<name>.tmp"; Commit() fsyncs it and renames it to
// "<name>.ndjson", which makes it visible to DrainSpool.
class SpoolSink : public audit::RecordSink {
 public:
  static Result<std::unique_ptr<SpoolSink>> Create(const std::string& vault_dir);
  Result<uint64_t> Append(std::string_view json_object) override;
  Status Sync() override;
  Status Commit();

 private:
  std::unique_ptr<JsonLinesSink> lines_;
  std::string tmp_path_, final_path_;
};

// Appends the records of every complete spool file (oldest name first) to `sink`, syncs it,
// then removes the file. Returns the number of records appended. Lines that are not JSON
// objects are appended as {"source":"tamper","type":"anomaly",...} records, never dropped.
Result<uint64_t> DrainSpool(const std::string& vault_dir, audit::RecordSink* sink);

}  // namespace gs::tamper
