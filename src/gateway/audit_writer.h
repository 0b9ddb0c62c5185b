// AuditWriter: takes audit records (JSON objects) from the event-loop threads and appends them
// to a RecordSink on its own thread, in batches, so the store's hashing, signing and fsync never
// run on the request path. A full queue drops records and counts them (a flood must not grow
// memory without bound); the drop count is exported as a metric and written as an anomaly record
// once the queue drains. Records reach the sink within a few milliseconds (the writer batches
// wake-ups), or at once through Flush().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/sink.h"

namespace gs::gateway {

class AuditWriter {
 public:
  // `sink` may be null (records are then counted and discarded). Not owned; must outlive this.
  explicit AuditWriter(audit::RecordSink* sink, size_t max_queue = 100'000);
  ~AuditWriter();  // writes what is queued, then stops
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Any thread. Never blocks on I/O.
  void Submit(std::string json_object);
  // Blocks until every record submitted before the call has been appended (tests, shutdown).
  void Flush();

  uint64_t written() const { return written_.load(); }
  uint64_t dropped() const { return dropped_.load(); }
  uint64_t failed() const { return failed_.load(); }  // the sink refused the record

 private:
  void Loop();

  audit::RecordSink* sink_;
  size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  // The writer collects records for up to kLinger after a wake-up, or until kWakeBatch wait.
  static constexpr size_t kWakeBatch = 256;
  static constexpr std::chrono::milliseconds kLinger{2};

  std::vector<std::string> queue_;
  uint64_t submitted_ = 0;  // under mu_
  uint64_t processed_ = 0;  // under mu_
  bool stop_ = false;
  bool idle_ = false;  // under mu_: the writer waits for the first record
  int flushing_ = 0;   // under mu_: Flush() callers waiting
  std::atomic<uint64_t> written_{0}, dropped_{0}, failed_{0};
  uint64_t dropped_reported_ = 0;
  std::thread thread_;
};

}  // namespace gs::gateway
