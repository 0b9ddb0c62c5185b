// AuditStore implementation: init, open + crash recovery, the append hot path, checkpoints,
// sealing/rotation and purge. Format: docs/formats/audit-log.md.
//
// Hot path (Append): one simdjson validation into a reused padded buffer, one frame built in a
// reused string, one SM3 pass over prev_chain||record (chain hash = Merkle leaf), one
// hardware CRC32C, one write(2). No per-record heap allocation once the buffers have grown.
#include "audit/store.h"

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/bytes.h"

namespace gs::audit {
namespace {

constexpr size_t kMaxTornMetaTail = 512;  // manifest/checkpoint frames are < 300 bytes

std::string AbsolutePath(const std::string& p) {
  if (!p.empty() && p[0] == '/') return p;
  char buf[4096];
  if (::getcwd(buf, sizeof buf) == nullptr) return p;
  return platform::JoinPath(buf, p);
}

std::string Basename(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

}  // namespace

Result<FsyncPolicy> ParseFsyncPolicy(std::string_view s) {
  if (s == "always") return FsyncPolicy::kAlways;
  if (s == "interval") return FsyncPolicy::kInterval;
  if (s == "batch") return FsyncPolicy::kBatch;
  return InvalidArgumentError("fsync policy must be always, interval or batch, not '" +
                              std::string(s) + "'");
}

std::string_view FsyncPolicyName(FsyncPolicy p) {
  switch (p) {
    case FsyncPolicy::kAlways:
      return "always";
    case FsyncPolicy::kInterval:
      return "interval";
    case FsyncPolicy::kBatch:
      return "batch";
  }
  return "?";
}

Status ValidateOptions(const StoreOptions& o) {
  if (o.retention_days < kMinRetentionDays) {
    return InvalidArgumentError(
        "retention_days " + std::to_string(o.retention_days) +
        " is below 365: Art. 20 of the Regulation requires logs to be kept for at least one year");
  }
  if (o.segment_max_bytes < 4096) return InvalidArgumentError("segment_max_bytes must be >= 4096");
  if (o.segment_max_age_ms < 1000)
    return InvalidArgumentError("segment_max_age_ms must be >= 1000");
  if (o.checkpoint_every_records < 1) {
    return InvalidArgumentError("checkpoint_every_records must be >= 1");
  }
  if (o.checkpoint_every_ms < 1) return InvalidArgumentError("checkpoint_every_ms must be >= 1");
  if (o.fsync_interval_ms < 1) return InvalidArgumentError("fsync_interval_ms must be >= 1");
  return Status::Ok();
}

std::string SegmentsDir(const std::string& store) { return platform::JoinPath(store, "segments"); }
std::string SegmentPath(const std::string& store, uint64_t segment) {
  return platform::JoinPath(SegmentsDir(store), SegmentFileName(segment));
}
std::string CheckpointPath(const std::string& store, uint64_t segment) {
  return platform::JoinPath(SegmentsDir(store), CheckpointFileName(segment));
}
std::string ManifestPath(const std::string& store) {
  return platform::JoinPath(store, "manifest.log");
}

Status InitStore(const std::string& dir, const std::string& private_key_path,
                 const StoreOptions& options, const TimeSource& time) {
  GS_RETURN_IF_ERROR(ValidateOptions(options));
  std::string cfg_path = platform::JoinPath(dir, "config.json");
  if (platform::PathExists(cfg_path)) {
    return AlreadyExistsError(dir + " already holds an audit store (config.json exists)");
  }
  GS_ASSIGN_OR_RETURN(auto key, crypto::LoadSm2PrivateKey(private_key_path));
  GS_ASSIGN_OR_RETURN(std::string pub_pem, key.PublicKey().ToPem());
  nlohmann::json j;
  j["format"] = "govshield-audit/1";
  j["public_key_pem"] = pub_pem;
  j["key_fingerprint"] = key.PublicKey().Fingerprint();
  j["private_key_path"] = AbsolutePath(private_key_path);
  j["retention_days"] = options.retention_days;
  j["segment_max_bytes"] = options.segment_max_bytes;
  j["segment_max_age_ms"] = options.segment_max_age_ms;
  j["checkpoint_every_records"] = options.checkpoint_every_records;
  j["checkpoint_every_ms"] = options.checkpoint_every_ms;
  j["fsync"] = std::string(FsyncPolicyName(options.fsync));
  j["fsync_interval_ms"] = options.fsync_interval_ms;
  j["created"] = FormatRfc3339(time.Now());
  GS_RETURN_IF_ERROR(platform::MakeDirs(SegmentsDir(dir), 0750));
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(dir, "evidence"), 0750));
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(cfg_path, j.dump(2) + "\n", 0640));
  return platform::FsyncDir(dir);
}

Result<StoreConfig> LoadStoreConfig(const std::string& dir) {
  std::string cfg_path = platform::JoinPath(dir, "config.json");
  auto text = platform::ReadFile(cfg_path);
  if (!text.ok()) {
    return NotFoundError(dir +
                         " is not an audit store (cannot read config.json; run `govshield "
                         "audit init`)");
  }
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return DataLossError(cfg_path + " is not valid JSON");
  StoreConfig c;
  try {
    if (j.value("format", "") != "govshield-audit/1") {
      return DataLossError(cfg_path + ": unsupported format");
    }
    c.public_key_pem = j.at("public_key_pem").get<std::string>();
    c.key_fingerprint = j.at("key_fingerprint").get<std::string>();
    c.private_key_path = j.at("private_key_path").get<std::string>();
    c.options.retention_days = j.at("retention_days").get<int>();
    c.options.segment_max_bytes = j.at("segment_max_bytes").get<uint64_t>();
    c.options.segment_max_age_ms = j.at("segment_max_age_ms").get<int64_t>();
    c.options.checkpoint_every_records = j.at("checkpoint_every_records").get<uint64_t>();
    c.options.checkpoint_every_ms = j.at("checkpoint_every_ms").get<int64_t>();
    GS_ASSIGN_OR_RETURN(c.options.fsync, ParseFsyncPolicy(j.at("fsync").get<std::string>()));
    c.options.fsync_interval_ms = j.at("fsync_interval_ms").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return DataLossError(cfg_path + ": " + e.what());
  }
  GS_RETURN_IF_ERROR(ValidateOptions(c.options).WithContext(cfg_path));
  return c;
}

// ---- JSON validation --------------------------------------------------------------------

struct AuditStore::Json {
  simdjson::dom::parser parser;
  std::string padded;
};

namespace {
Status ValidateWith(simdjson::dom::parser& parser, std::string& padded, std::string_view json) {
  if (json.empty()) return InvalidArgumentError("empty record (expected a JSON object)");
  if (json.size() > kMaxJsonSize) {
    return InvalidArgumentError("record of " + std::to_string(json.size()) +
                                " bytes exceeds the 1 MiB limit");
  }
  if (padded.size() < json.size() + simdjson::SIMDJSON_PADDING) {
    padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(padded.data(), json.data(), json.size());
  simdjson::dom::element doc;
  auto err = parser.parse(padded.data(), json.size(), false).get(doc);
  if (err) {
    return InvalidArgumentError(std::string("not valid JSON: ") + simdjson::error_message(err));
  }
  if (doc.type() != simdjson::dom::element_type::OBJECT) {
    return InvalidArgumentError("record is valid JSON but not an object");
  }
  for (char c : json) {
    if (c == '\n' || c == '\r') return InvalidArgumentError("record contains a raw newline");
  }
  return Status::Ok();
}
}  // namespace

Status ValidateJsonObject(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;
  return ValidateWith(parser, padded, json);
}

// ---- Open and recovery ------------------------------------------------------------------

Result<std::unique_ptr<AuditStore>> AuditStore::Open(const std::string& dir,
                                                     const OpenOptions& options) {
  std::unique_ptr<AuditStore> s(new AuditStore());
  s->dir_ = dir;
  while (s->dir_.size() > 1 && s->dir_.back() == '/') s->dir_.pop_back();
  s->open_options_ = options;
  s->time_ = options.time ? options.time : &SystemTime();
  GS_ASSIGN_OR_RETURN(s->config_, LoadStoreConfig(dir));
  if (options.override_fsync) {
    s->config_.options.fsync = options.fsync;
    s->config_.options.fsync_interval_ms = options.fsync_interval_ms;
  }
  auto key = crypto::LoadSm2PrivateKey(s->config_.private_key_path);
  if (!key.ok()) {
    return FailedPreconditionError("cannot load the store's signing key " +
                                   s->config_.private_key_path + ": " +
                                   std::string(key.status().message()));
  }
  s->key_ = *key;
  if (s->key_.PublicKey().Fingerprint() != s->config_.key_fingerprint) {
    return FailedPreconditionError("private key " + s->config_.private_key_path +
                                   " does not match the store's public key fingerprint " +
                                   s->config_.key_fingerprint);
  }
  GS_ASSIGN_OR_RETURN(s->lock_, platform::FileLock::Acquire(platform::JoinPath(dir, "LOCK")));
  s->json_ = std::make_unique<Json>();
  s->frame_buf_.reserve(4096);
  GS_RETURN_IF_ERROR(s->Recover());
  if (options.background_flush && s->config_.options.fsync == FsyncPolicy::kInterval) {
    AuditStore* raw = s.get();
    s->flusher_ = std::thread([raw] { raw->FlushLoop(); });
  }
  return s;
}

void AuditStore::FlushLoop() {
  std::unique_lock<std::mutex> l(mu_);
  const auto period = std::chrono::milliseconds(config_.options.fsync_interval_ms);
  while (!stop_flusher_) {
    flush_cv_.wait_for(l, period);
    if (stop_flusher_ || closed_ || !broken_.ok()) break;
    const int64_t mono = time_->MonotonicNanos();
    if (dirty_ && mono - last_sync_mono_ >= config_.options.fsync_interval_ms * kNanosPerMilli) {
      if (!Fail(seg_.Sync()).ok()) break;
      last_sync_mono_ = mono;
      dirty_ = false;
    }
    if (!dirty_ && CheckpointDue(mono)) {
      if (!Fail(CheckpointLocked()).ok()) break;
    }
  }
}

AuditStore::~AuditStore() { Close().IgnoreError(); }

Status AuditStore::RecoverTail(const std::string& path, platform::AppendFile* file, uint64_t offset,
                               std::string_view tail) {
  std::string evdir = platform::JoinPath(dir_, "evidence");
  GS_RETURN_IF_ERROR(platform::MakeDirs(evdir, 0750));
  std::string name = "torn-" + Basename(path) + "-" + std::to_string(offset) + "-" +
                     std::to_string(time_->Now()) + ".bin";
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(platform::JoinPath(evdir, name), tail, 0640));
  GS_RETURN_IF_ERROR(file->Truncate(offset));
  GS_RETURN_IF_ERROR(file->Sync());
  RecoveryReport::Torn t;
  t.file = path.substr(dir_.size() + 1);
  t.offset = offset;
  t.bytes = tail.size();
  t.evidence = "evidence/" + name;
  recovery_.torn.push_back(std::move(t));
  return Status::Ok();
}

Status AuditStore::Recover() {
  // 1. Manifest.
  std::string mpath = ManifestPath(dir_);
  GS_ASSIGN_OR_RETURN(manifest_, platform::AppendFile::Open(mpath, 0640));
  GS_ASSIGN_OR_RETURN(std::string mdata, platform::ReadFile(mpath));
  std::vector<std::pair<size_t, std::string>> torn_tails;
  size_t off = 0;
  Digest prev{};
  while (true) {
    FrameRead fr = ReadFrame(mdata, off, FrameType::kManifest);
    if (fr.outcome == FrameRead::kEnd) break;
    if (fr.outcome != FrameRead::kOk) {
      if (mdata.size() - off > kMaxTornMetaTail) {
        return DataLossError(mpath + ": " + FrameOutcomeName(fr.outcome) + " at offset " +
                             std::to_string(off) + " (not a torn tail; run `audit verify`)");
      }
      GS_RETURN_IF_ERROR(RecoverTail(mpath, &manifest_, off, std::string_view(mdata).substr(off)));
      break;
    }
    GS_ASSIGN_OR_RETURN(ManifestEntry e, DecodeManifestEntry(fr.payload));
    if (e.index != manifest_entries_.size() || e.prev_entry != prev) {
      return DataLossError(mpath + ": manifest chain broken at entry " +
                           std::to_string(manifest_entries_.size()) + " (run `audit verify`)");
    }
    prev = crypto::Sm3(fr.payload);
    manifest_entries_.push_back(std::move(e));
    off = fr.next_offset;
  }
  last_manifest_hash_ = prev;

  uint64_t open_seg = 1, first_seq = 0;
  Digest prev_chain{};
  for (const auto& e : manifest_entries_) {
    if (e.kind == ManifestEntry::kSeal) {
      open_seg = e.segment + 1;
      first_seq = e.first_seq + e.record_count;
      prev_chain = e.last_chain;
    } else {
      // Finish a purge interrupted between its manifest entry and the unlink.
      (void)platform::RemoveFile(SegmentPath(dir_, e.segment));
      (void)platform::RemoveFile(CheckpointPath(dir_, e.segment));
    }
  }
  GS_ASSIGN_OR_RETURN(auto names, platform::ListDir(SegmentsDir(dir_)));
  for (const auto& n : names) {
    uint64_t num;
    if (ParseSegmentFileName(n, &num) && num > open_seg) {
      return DataLossError(SegmentsDir(dir_) + "/" + n + " is beyond the open segment " +
                           std::to_string(open_seg) + " (run `audit verify`)");
    }
  }

  // 2. Open segment.
  std::string spath = SegmentPath(dir_, open_seg);
  bool have_seg = platform::PathExists(spath);
  std::string sdata;
  if (have_seg) {
    GS_ASSIGN_OR_RETURN(sdata, platform::ReadFile(spath));
    if (sdata.size() < kSegmentHeaderSize) {
      // Crash while creating the segment: keep the bytes as evidence, start it again.
      // (An empty file is a crash before any byte was written: nothing to keep.)
      GS_ASSIGN_OR_RETURN(auto f, platform::AppendFile::Open(spath, 0640));
      if (!sdata.empty()) GS_RETURN_IF_ERROR(RecoverTail(spath, &f, 0, sdata));
      GS_RETURN_IF_ERROR(platform::RemoveFile(spath));
      have_seg = false;
    }
  }
  if (!have_seg) {
    GS_RETURN_IF_ERROR(StartSegment(open_seg, first_seq, prev_chain));
  } else {
    auto hdr = DecodeSegmentHeader(sdata);
    if (!hdr.ok()) {
      return DataLossError(spath + ": " + std::string(hdr.status().message()) +
                           " (run `audit verify`)");
    }
    if (hdr->segment != open_seg || hdr->first_seq != first_seq || hdr->prev_chain != prev_chain) {
      return DataLossError(spath + ": header does not continue the manifest (expected segment " +
                           std::to_string(open_seg) + " starting at seq " +
                           std::to_string(first_seq) + "; run `audit verify`)");
    }
    header_ = *hdr;
    // Checkpoints of the open segment.
    std::string cpath = CheckpointPath(dir_, open_seg);
    GS_ASSIGN_OR_RETURN(ckp_, platform::AppendFile::Open(cpath, 0640));
    GS_ASSIGN_OR_RETURN(std::string cdata, platform::ReadFile(cpath));
    uint64_t ckpt_end = kSegmentHeaderSize, ckpt_size = 0;
    size_t coff = 0;
    while (true) {
      FrameRead fr = ReadFrame(cdata, coff, FrameType::kCheckpoint);
      if (fr.outcome == FrameRead::kEnd) break;
      if (fr.outcome != FrameRead::kOk) {
        if (cdata.size() - coff > kMaxTornMetaTail) {
          return DataLossError(cpath + ": " + FrameOutcomeName(fr.outcome) + " at offset " +
                               std::to_string(coff) + " (run `audit verify`)");
        }
        GS_RETURN_IF_ERROR(RecoverTail(cpath, &ckp_, coff, std::string_view(cdata).substr(coff)));
        break;
      }
      GS_ASSIGN_OR_RETURN(Checkpoint c, DecodeCheckpoint(fr.payload));
      ckpt_end = c.end_offset;
      ckpt_size = c.tree_size;
      coff = fr.next_offset;
    }
    // Records.
    size_t roff = kSegmentHeaderSize;
    Digest chain = prev_chain;
    uint64_t seq = first_seq;
    merkle_.Reset();
    std::string bad;
    while (true) {
      FrameRead fr = ReadFrame(sdata, roff, FrameType::kRecord);
      if (fr.outcome == FrameRead::kEnd) break;
      if (fr.outcome != FrameRead::kOk) {
        bad = FrameOutcomeName(fr.outcome);
        break;
      }
      auto rv = DecodeRecord(fr.payload);
      if (!rv.ok()) {
        bad = "short record";
        break;
      }
      Digest c = ChainHash(chain, rv->record);
      const Digest& leaf = c;
      if (rv->seq != seq || c != rv->chain) {
        bad = rv->seq != seq ? "sequence gap" : "chain mismatch";
        break;
      }
      chain = c;
      if (merkle_.size() == 0) seg_first_ingest_ = rv->ingest;
      merkle_.Add(leaf);
      ++seq;
      roff = fr.next_offset;
    }
    if (roff < ckpt_end || merkle_.size() < ckpt_size) {
      return DataLossError(spath + ": " + (bad.empty() ? "ends" : bad) + " at offset " +
                           std::to_string(roff) + " inside the checkpointed range (" +
                           std::to_string(ckpt_end) +
                           " bytes); this is not a crash artefact, "
                           "run `audit verify`");
    }
    GS_ASSIGN_OR_RETURN(seg_, platform::AppendFile::Open(spath, 0640));
    if (roff < sdata.size()) {
      GS_RETURN_IF_ERROR(RecoverTail(spath, &seg_, roff, std::string_view(sdata).substr(roff)));
    }
    next_seq_ = seq;
    chain_ = chain;
    seg_records_ = merkle_.size();
    ckpt_records_ = ckpt_size;
  }
  last_ckpt_mono_ = last_sync_mono_ = time_->MonotonicNanos();

  // 3. Report every torn tail through the log itself.
  for (const auto& t : recovery_.torn) {
    std::string tail_digest;
    auto ev = platform::ReadFile(platform::JoinPath(dir_, t.evidence));
    if (ev.ok()) tail_digest = crypto::DigestHex(crypto::Sm3(*ev));
    std::string rec = "{\"type\":\"torn_tail\",\"source\":\"audit\",\"ts\":\"" +
                      FormatRfc3339(time_->Now()) + "\",\"file\":\"" + t.file +
                      "\",\"offset\":" + std::to_string(t.offset) +
                      ",\"bytes\":" + std::to_string(t.bytes) + ",\"sm3\":\"" + tail_digest +
                      "\",\"evidence\":\"" + t.evidence + "\"}";
    GS_RETURN_IF_ERROR(AppendLocked(rec).status());
  }
  if (!recovery_.torn.empty()) {
    GS_RETURN_IF_ERROR(seg_.Sync());
    GS_RETURN_IF_ERROR(CheckpointLocked());
  }
  return Status::Ok();
}

Status AuditStore::StartSegment(uint64_t segment, uint64_t first_seq, const Digest& prev_chain) {
  header_ = SegmentHeader{segment, first_seq, prev_chain, time_->Now()};
  std::string spath = SegmentPath(dir_, segment);
  std::string cpath = CheckpointPath(dir_, segment);
  // A stale checkpoint file can only come from a crash before this segment got its header.
  (void)platform::RemoveFile(cpath);
  GS_ASSIGN_OR_RETURN(seg_, platform::AppendFile::Open(spath, 0640));
  if (seg_.size() != 0) return InternalError(spath + " unexpectedly non-empty");
  GS_RETURN_IF_ERROR(seg_.Append(EncodeSegmentHeader(header_)));
  GS_RETURN_IF_ERROR(seg_.Sync());
  GS_ASSIGN_OR_RETURN(ckp_, platform::AppendFile::Open(cpath, 0640));
  GS_RETURN_IF_ERROR(platform::FsyncDir(SegmentsDir(dir_)));
  next_seq_ = first_seq;
  chain_ = prev_chain;
  seg_records_ = 0;
  ckpt_records_ = 0;
  merkle_.Reset();
  return Status::Ok();
}

// ---- Append path ------------------------------------------------------------------------

Status AuditStore::Fail(Status s) {
  if (!s.ok() && broken_.ok()) {
    broken_ = FailedPreconditionError("audit store " + dir_ + " stopped after an I/O error (" +
                                      std::string(s.message()) + "); reopen it to recover");
  }
  return s;
}

Result<uint64_t> AuditStore::Append(std::string_view json) {
  std::lock_guard<std::mutex> l(mu_);
  if (!broken_.ok()) return broken_;
  if (closed_) return FailedPreconditionError("audit store " + dir_ + " is closed");
  GS_RETURN_IF_ERROR(ValidateWith(json_->parser, json_->padded, json));
  return AppendLocked(json);
}

Result<uint64_t> AuditStore::AppendLocked(std::string_view json) {
  const StoreOptions& o = config_.options;
  if (seg_records_ > 0 &&
      (seg_.size() >= o.segment_max_bytes ||
       time_->Now() - seg_first_ingest_ >= o.segment_max_age_ms * kNanosPerMilli)) {
    GS_RETURN_IF_ERROR(Fail(SealLocked()));
  }
  const uint64_t seq = next_seq_;
  const size_t payload_len = kRecordFixedSize + json.size();
  frame_buf_.resize(kFrameHeaderSize + payload_len);
  char* p = frame_buf_.data();
  char* payload = p + kFrameHeaderSize;
  uint64_t ingest = uint64_t(time_->Now());
  if (seg_records_ == 0) seg_first_ingest_ = int64_t(ingest);
  for (int i = 0; i < 8; ++i) payload[32 + i] = char(seq >> (8 * i));
  for (int i = 0; i < 8; ++i) payload[40 + i] = char(ingest >> (8 * i));
  std::memcpy(payload + kRecordFixedSize, json.data(), json.size());
  // One SM3 pass: the chain hash is also the Merkle leaf.
  Digest chain = ChainHash(chain_, std::string_view(payload + 32, payload_len - 32));
  const Digest& leaf = chain;
  std::memcpy(payload, chain.data(), chain.size());
  EncodeFrameHeader(p, FrameType::kRecord, std::string_view(payload, payload_len));
  GS_RETURN_IF_ERROR(Fail(seg_.Append(frame_buf_)));
  chain_ = chain;
  merkle_.Add(leaf);
  ++seg_records_;
  ++next_seq_;
  dirty_ = true;

  const int64_t mono = time_->MonotonicNanos();
  bool synced = false;
  if (o.fsync == FsyncPolicy::kAlways ||
      (o.fsync == FsyncPolicy::kInterval &&
       mono - last_sync_mono_ >= o.fsync_interval_ms * kNanosPerMilli)) {
    GS_RETURN_IF_ERROR(Fail(seg_.Sync()));
    last_sync_mono_ = mono;
    dirty_ = false;
    synced = true;
  }
  // A checkpoint must only cover durable data, so under the interval policy a due checkpoint
  // waits for the next periodic fsync instead of forcing one of its own (an fdatasync per
  // checkpoint would dominate the append cost). The window beyond the last checkpoint is
  // thus at most checkpoint_every_records records plus one fsync interval.
  if ((synced || o.fsync == FsyncPolicy::kBatch) && CheckpointDue(mono)) {
    GS_RETURN_IF_ERROR(Fail(CheckpointLocked()));
  }
  return seq;
}

Status AuditStore::Sync() {
  std::lock_guard<std::mutex> l(mu_);
  if (!broken_.ok()) return broken_;
  if (closed_) return Status::Ok();
  GS_RETURN_IF_ERROR(Fail(seg_.Sync()));
  last_sync_mono_ = time_->MonotonicNanos();
  dirty_ = false;
  if (CheckpointDue(last_sync_mono_)) GS_RETURN_IF_ERROR(Fail(CheckpointLocked()));
  return Status::Ok();
}

bool AuditStore::CheckpointDue(int64_t mono) const {
  const StoreOptions& o = config_.options;
  return seg_records_ > ckpt_records_ &&
         (seg_records_ - ckpt_records_ >= o.checkpoint_every_records ||
          mono - last_ckpt_mono_ >= o.checkpoint_every_ms * kNanosPerMilli);
}

Status AuditStore::CheckpointLocked() {
  last_ckpt_mono_ = time_->MonotonicNanos();
  if (seg_records_ == ckpt_records_) return Status::Ok();
  // The checkpoint must never claim data that a power loss could still take away.
  if (dirty_) {
    GS_RETURN_IF_ERROR(seg_.Sync());
    last_sync_mono_ = last_ckpt_mono_;
    dirty_ = false;
  }
  Checkpoint c;
  c.segment = header_.segment;
  c.first_seq = header_.first_seq;
  c.tree_size = seg_records_;
  c.end_offset = seg_.size();
  c.root = merkle_.Root();
  c.chain_head = chain_;
  c.time = time_->Now();
  GS_ASSIGN_OR_RETURN(c.signature, key_.Sign(CheckpointSignedBytes(c)));
  std::string frame;
  AppendFrame(&frame, FrameType::kCheckpoint, EncodeCheckpoint(c));
  GS_RETURN_IF_ERROR(ckp_.Append(frame));
  ckpt_records_ = seg_records_;
  return Status::Ok();
}

Status AuditStore::WriteCheckpoint() {
  std::lock_guard<std::mutex> l(mu_);
  if (!broken_.ok()) return broken_;
  if (closed_) return Status::Ok();
  return Fail(CheckpointLocked());
}

Status AuditStore::AppendManifestLocked(ManifestEntry e) {
  e.index = manifest_entries_.size();
  e.prev_entry = last_manifest_hash_;
  GS_ASSIGN_OR_RETURN(e.signature, key_.Sign(ManifestSignedBytes(e)));
  std::string payload = EncodeManifestEntry(e);
  std::string frame;
  AppendFrame(&frame, FrameType::kManifest, payload);
  GS_RETURN_IF_ERROR(manifest_.Append(frame));
  GS_RETURN_IF_ERROR(manifest_.Sync());
  last_manifest_hash_ = crypto::Sm3(payload);
  manifest_entries_.push_back(std::move(e));
  return Status::Ok();
}

Status AuditStore::SealLocked() {
  if (seg_records_ == 0) return Status::Ok();
  GS_RETURN_IF_ERROR(CheckpointLocked());
  GS_RETURN_IF_ERROR(seg_.Sync());
  GS_RETURN_IF_ERROR(ckp_.Sync());
  std::string spath = SegmentPath(dir_, header_.segment);
  GS_ASSIGN_OR_RETURN(std::string data, platform::ReadFile(spath));
  if (data.size() != seg_.size()) return DataLossError(spath + " changed size while open");
  ManifestEntry e;
  e.kind = ManifestEntry::kSeal;
  e.segment = header_.segment;
  e.first_seq = header_.first_seq;
  e.record_count = seg_records_;
  e.root = merkle_.Root();
  e.last_chain = chain_;
  e.file_size = data.size();
  e.file_digest = crypto::Sm3(data);
  e.time = time_->Now();
  GS_RETURN_IF_ERROR(AppendManifestLocked(std::move(e)));
  GS_RETURN_IF_ERROR(seg_.Close());
  GS_RETURN_IF_ERROR(ckp_.Close());
  return StartSegment(header_.segment + 1, next_seq_, chain_);
}

Status AuditStore::Rotate() {
  std::lock_guard<std::mutex> l(mu_);
  if (!broken_.ok()) return broken_;
  if (closed_) return FailedPreconditionError("audit store " + dir_ + " is closed");
  return Fail(SealLocked());
}

Status AuditStore::Close() {
  if (flusher_.joinable()) {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_flusher_ = true;
    }
    flush_cv_.notify_all();
    flusher_.join();
  }
  std::lock_guard<std::mutex> l(mu_);
  if (closed_) return Status::Ok();
  closed_ = true;
  if (!broken_.ok()) return broken_;
  GS_RETURN_IF_ERROR(CheckpointLocked());
  GS_RETURN_IF_ERROR(seg_.Sync());
  GS_RETURN_IF_ERROR(ckp_.Sync());
  GS_RETURN_IF_ERROR(seg_.Close());
  GS_RETURN_IF_ERROR(ckp_.Close());
  return manifest_.Close();
}

Result<std::vector<uint64_t>> AuditStore::Purge(UnixNanos now) {
  std::lock_guard<std::mutex> l(mu_);
  if (!broken_.ok()) return broken_;
  if (closed_) return FailedPreconditionError("audit store " + dir_ + " is closed");
  const int64_t cutoff = now - int64_t(config_.options.retention_days) * kNanosPerDay;
  std::vector<ManifestEntry> victims;
  for (const auto& e : manifest_entries_) {
    if (e.kind == ManifestEntry::kSeal && e.time < cutoff) victims.push_back(e);
    if (e.kind == ManifestEntry::kPurge) {
      std::erase_if(victims, [&](const ManifestEntry& v) { return v.segment == e.segment; });
    }
  }
  std::vector<uint64_t> purged;
  for (ManifestEntry e : victims) {
    e.kind = ManifestEntry::kPurge;
    e.time = now;
    GS_RETURN_IF_ERROR(Fail(AppendManifestLocked(std::move(e))));
    uint64_t seg = manifest_entries_.back().segment;
    GS_RETURN_IF_ERROR(platform::RemoveFile(SegmentPath(dir_, seg)));
    (void)platform::RemoveFile(CheckpointPath(dir_, seg));
    purged.push_back(seg);
  }
  if (!purged.empty()) GS_RETURN_IF_ERROR(platform::FsyncDir(SegmentsDir(dir_)));
  return purged;
}

uint64_t AuditStore::next_seq() const {
  std::lock_guard<std::mutex> l(mu_);
  return next_seq_;
}
uint64_t AuditStore::open_segment() const {
  std::lock_guard<std::mutex> l(mu_);
  return header_.segment;
}

}  // namespace gs::audit
