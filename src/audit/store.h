// AuditStore: the tamper-evident, append-only audit log store (docs/formats/audit-log.md).
//
// One writer process owns a store at a time (flock on STORE/LOCK). Records are framed,
// SM3 hash-chained, grouped into segments that are sealed with an RFC 6962 Merkle root and an
// SM2-signed manifest entry, and checkpointed (SM2-signed) while open. Open() recovers from a
// crash: a torn tail of the open segment is moved to STORE/evidence and reported by an anomaly
// record, never dropped or accepted silently.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/format.h"
#include "audit/sink.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/crypto.h"
#include "platform/file.h"

namespace gs::audit {

enum class FsyncPolicy { kAlways, kInterval, kBatch };
Result<FsyncPolicy> ParseFsyncPolicy(std::string_view s);  // "always" | "interval" | "batch"
std::string_view FsyncPolicyName(FsyncPolicy p);

inline constexpr int kMinRetentionDays = 365;

// Store parameters, persisted in STORE/config.json at init.
struct StoreOptions {
  int retention_days = 400;
  uint64_t segment_max_bytes = 64ull << 20;
  int64_t segment_max_age_ms = 86'400'000;
  uint64_t checkpoint_every_records = 1000;
  int64_t checkpoint_every_ms = 1000;
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  int64_t fsync_interval_ms = 100;
};

struct StoreConfig {
  StoreOptions options;
  std::string public_key_pem;
  std::string key_fingerprint;
  std::string private_key_path;  // absolute
};

// INVALID_ARGUMENT when retention_days < 365 (Art. 20: logs kept at least one year) or other
// options are out of range.
Status ValidateOptions(const StoreOptions& o);

// Creates a new store in `dir` (created if missing; must not already hold a store). Reads the
// private key to record its public key and fingerprint and its absolute path.
Status InitStore(const std::string& dir, const std::string& private_key_path,
                 const StoreOptions& options, const TimeSource& time = SystemTime());

Result<StoreConfig> LoadStoreConfig(const std::string& dir);

// Store layout helpers.
std::string SegmentsDir(const std::string& store);
std::string SegmentPath(const std::string& store, uint64_t segment);
std::string CheckpointPath(const std::string& store, uint64_t segment);
std::string ManifestPath(const std::string& store);

// What Open() found and repaired.
struct RecoveryReport {
  struct Torn {
    std::string file;
    uint64_t offset = 0;
    uint64_t bytes = 0;
    std::string evidence;  // relative to the store
  };
  std::vector<Torn> torn;
};

class AuditStore final : public RecordSink {
 public:
  struct OpenOptions {
    const TimeSource* time = nullptr;  // default SystemTime()
    // Overrides of the stored policy for this process (e.g. the CLI's --fsync).
    bool override_fsync = false;
    FsyncPolicy fsync = FsyncPolicy::kInterval;
    int64_t fsync_interval_ms = 100;
    // Under the interval policy, a background thread fsyncs (and writes a due checkpoint)
    // when appends stop, so the last records of an idle writer do not wait for the next append.
    bool background_flush = true;
  };

  // Opens for writing: takes the lock (UNAVAILABLE if another writer holds it), loads the
  // private key named in config.json, recovers the open segment. DATA_LOSS if the store is
  // damaged in a way that is not a crash artefact (run `audit verify`).
  static Result<std::unique_ptr<AuditStore>> Open(const std::string& dir,
                                                  const OpenOptions& options);
  static Result<std::unique_ptr<AuditStore>> Open(const std::string& dir) {
    return Open(dir, OpenOptions{});
  }
  ~AuditStore() override;

  // RecordSink. INVALID_ARGUMENT for anything but one JSON object of at most 1 MiB;
  // FAILED_PRECONDITION after an I/O failure left the store in an unknown state.
  Result<uint64_t> Append(std::string_view json_object) override;
  Status Sync() override;

  // Writes a checkpoint if records were added since the last one.
  Status WriteCheckpoint();
  // Seals the open segment now (if it has records) and starts the next one.
  Status Rotate();
  // Final checkpoint and fsync. The destructor calls it if not called.
  Status Close();

  // Removes whole sealed segments whose seal time is older than retention at `now`, leaving a
  // signed purge entry per segment in the manifest. Returns the purged segment numbers.
  Result<std::vector<uint64_t>> Purge(UnixNanos now);

  uint64_t next_seq() const;
  uint64_t open_segment() const;
  const RecoveryReport& recovery() const { return recovery_; }
  const StoreConfig& config() const { return config_; }

 private:
  AuditStore() = default;
  Status Recover();
  Status RecoverTail(const std::string& path, platform::AppendFile* file, uint64_t offset,
                     std::string_view tail);
  Status StartSegment(uint64_t segment, uint64_t first_seq, const Digest& prev_chain);
  Status SealLocked();
  Status CheckpointLocked();
  bool CheckpointDue(int64_t mono) const;
  Status AppendManifestLocked(ManifestEntry e);
  Result<uint64_t> AppendLocked(std::string_view json);
  Status Fail(Status s);
  void FlushLoop();

  std::string dir_;
  StoreConfig config_;
  OpenOptions open_options_;
  const TimeSource* time_ = nullptr;
  crypto::Sm2PrivateKey key_;
  platform::FileLock lock_;

  mutable std::mutex mu_;
  Status broken_;  // non-OK after an I/O failure
  bool closed_ = false;
  platform::AppendFile seg_;
  platform::AppendFile ckp_;
  platform::AppendFile manifest_;
  std::vector<ManifestEntry> manifest_entries_;
  Digest last_manifest_hash_{};

  SegmentHeader header_;
  uint64_t next_seq_ = 0;
  uint64_t seg_records_ = 0;
  int64_t seg_first_ingest_ = 0;  // rotation age counts from the first record
  Digest chain_{};
  MerkleAccumulator merkle_;
  uint64_t ckpt_records_ = 0;
  int64_t last_ckpt_mono_ = 0;
  int64_t last_sync_mono_ = 0;
  bool dirty_ = false;

  std::condition_variable flush_cv_;
  bool stop_flusher_ = false;
  std::thread flusher_;

  std::string frame_buf_;  // reused per append
  struct Json;
  std::unique_ptr<Json> json_;  // simdjson parser + padded buffer
  RecoveryReport recovery_;
};

// Validates `json` as exactly one JSON object (simdjson). Used by Append and the CLI.
Status ValidateJsonObject(std::string_view json);

}  // namespace gs::audit
