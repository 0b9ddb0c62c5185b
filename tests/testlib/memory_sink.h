// Test helper: the RecordSink contract kept in memory. Validates like the real audit store (one
// JSON object per record), numbers records from 0, and can be told to fail like a full disk.
// Thread-safe. For module tests that must not depend on the audit store.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "audit/sink.h"

namespace gs::testing {

class MemorySink : public audit::RecordSink {
 public:
  Result<uint64_t> Append(std::string_view json_object) override {
    auto j = nlohmann::json::parse(json_object, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return InvalidArgumentError("not a JSON object");
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_after_ >= 0 && int64_t(records_.size()) >= fail_after_) {
      return IoError("disk full (test)");
    }
    records_.push_back(std::move(j));
    return uint64_t(records_.size() - 1);
  }
  Status Sync() override { return Status::Ok(); }

  std::vector<nlohmann::json> records() {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return records_.size();
  }
  nlohmann::json At(size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    return records_.at(i);
  }
  // Appends after the first `n` records fail with IO_ERROR (n < 0: never).
  void FailAfter(int64_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_after_ = n;
  }

 private:
  std::mutex mu_;
  std::vector<nlohmann::json> records_;
  int64_t fail_after_ = -1;
};

}  // namespace gs::testing
