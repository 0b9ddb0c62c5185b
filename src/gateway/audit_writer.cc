// AuditWriter (audit_writer.h): a mutex-guarded vector swapped out by one writer thread.
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
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= max_queue_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(std::move(json_object));
    ++submitted_;
  }
  cv_.notify_one();
}

void AuditWriter::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t target = submitted_;
  cv_.notify_one();
  done_cv_.wait(lock, [&] { return processed_ >= target; });
}

void AuditWriter::Loop() {
  std::vector<std::string> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) return;
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
