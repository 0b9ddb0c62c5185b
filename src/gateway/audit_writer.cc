// AuditWriter (audit_writer.h): a mutex-guarded vector swapped out by one writer thread, which
// lingers briefly after a wake-up so that workers do not pay a futex wake per record.
#include "gateway/audit_writer.h"

#include "core/time.h"

namespace gs::gateway {

AuditWriter::AuditWriter(audit::RecordSink* sink, size_t max_queue)
    : sink_(sink), max_queue_(max_queue) {
  thread_ = std::thread([this] { Loop(); });
}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void AuditWriter::Submit(std::string json_object) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= max_queue_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(std::move(json_object));
    ++submitted_;
    // Wake the writer for the first record after it went idle, or when a full batch is
    // waiting; otherwise it collects records for up to kLinger on its own (no futex per record).
    wake = (idle_ && queue_.size() == 1) || queue_.size() == kWakeBatch;
  }
  if (wake) cv_.notify_one();
}

void AuditWriter::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t target = submitted_;
  ++flushing_;
  cv_.notify_one();
  done_cv_.wait(lock, [&] { return processed_ >= target; });
  --flushing_;
}

void AuditWriter::Loop() {
  std::vector<std::string> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      idle_ = true;
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      idle_ = false;
      if (queue_.empty() && stop_) return;
      // Linger so that one wake-up appends a burst of records (group commit).
      if (!stop_ && flushing_ == 0 && queue_.size() < kWakeBatch) {
        cv_.wait_for(lock, kLinger,
                     [&] { return stop_ || flushing_ > 0 || queue_.size() >= kWakeBatch; });
      }
      batch.swap(queue_);
    }
    for (const std::string& rec : batch) {
      if (!sink_) continue;
      if (sink_->Append(rec).ok()) {
        written_.fetch_add(1, std::memory_order_relaxed);
      } else {
        failed_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    uint64_t dropped = dropped_.load();
    if (sink_ && dropped > dropped_reported_) {
      std::string rec = "{\"ts\":\"" + FormatRfc3339(SystemTime().Now()) +
                        "\",\"source\":\"gateway\",\"type\":\"anomaly\",\"anomaly\":"
                        "\"audit_queue_full\",\"dropped_records\":" +
                        std::to_string(dropped - dropped_reported_) + "}";
      if (sink_->Append(rec).ok()) dropped_reported_ = dropped;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      processed_ += batch.size();
    }
    done_cv_.notify_all();
    batch.clear();
  }
}

}  // namespace gs::gateway
