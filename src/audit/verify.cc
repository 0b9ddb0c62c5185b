// Verification and read-side tools for the audit store; see verify.h and
// docs/formats/audit-log.md (section 7 lists the checks in the order they are made here).
#include "audit/verify.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "audit/store.h"
#include "core/bytes.h"
#include "platform/file.h"

namespace gs::audit {
namespace {

struct Fail {
  std::string file;
  uint64_t offset = 0;
  std::optional<uint64_t> seq;
  std::string reason;
};

struct ManifestState {
  std::vector<ManifestEntry> entries;
  std::vector<std::string> payloads;
  std::vector<uint64_t> offsets;
  std::map<uint64_t, size_t> seal_of;  // segment -> entry index
  std::set<uint64_t> purged;
  uint64_t open_segment = 1;
  uint64_t next_seq = 0;
  Digest last_chain{};
};

// Reads the manifest. With `key`, also checks chain, signatures and seal/purge consistency and
// reports the first failure; without, stops quietly at the first bad frame.
std::optional<Fail> LoadManifest(const std::string& dir, const crypto::Sm2PublicKey* key,
                                 ManifestState* m) {
  const std::string file = "manifest.log";
  auto data = platform::ReadFile(ManifestPath(dir));
  if (!data.ok()) {
    if (!platform::PathExists(ManifestPath(dir))) return std::nullopt;  // never opened yet
    return Fail{file, 0, std::nullopt, std::string(data.status().message())};
  }
  size_t off = 0;
  Digest prev{};
  while (true) {
    FrameRead fr = ReadFrame(*data, off, FrameType::kManifest);
    if (fr.outcome == FrameRead::kEnd) break;
    if (fr.outcome != FrameRead::kOk) {
      if (!key) break;
      return Fail{file, off, std::nullopt,
                  std::string(FrameOutcomeName(fr.outcome)) + " in manifest entry " +
                      std::to_string(m->entries.size())};
    }
    auto e = DecodeManifestEntry(fr.payload);
    if (!e.ok()) {
      if (!key) break;
      return Fail{file, off, std::nullopt, std::string(e.status().message())};
    }
    std::string where = "manifest entry " + std::to_string(m->entries.size()) + " (segment " +
                        std::to_string(e->segment) + ")";
    if (key) {
      if (e->index != m->entries.size()) {
        return Fail{file, off, std::nullopt,
                    where + ": index " + std::to_string(e->index) +
                        " out of order (entry removed or reordered)"};
      }
      if (e->prev_entry != prev) {
        return Fail{file, off, std::nullopt,
                    where + ": does not chain to the previous entry (entry removed or reordered)"};
      }
      if (!key->Verify(ManifestSignedBytes(*e), e->signature)) {
        return Fail{file, off, e->first_seq,
                    where +
                        ": SM2 signature does not verify with the public key (forged or "
                        "altered seal)"};
      }
      if (e->kind == ManifestEntry::kSeal) {
        if (e->segment != m->open_segment || e->first_seq != m->next_seq) {
          return Fail{file, off, e->first_seq,
                      where + ": seal out of order (expected segment " +
                          std::to_string(m->open_segment) + " from seq " +
                          std::to_string(m->next_seq) + ")"};
        }
      } else {
        auto it = m->seal_of.find(e->segment);
        if (it == m->seal_of.end() || m->purged.count(e->segment)) {
          return Fail{file, off, std::nullopt, where + ": purge of a segment that is not sealed"};
        }
        const ManifestEntry& s = m->entries[it->second];
        if (s.root != e->root || s.record_count != e->record_count || s.first_seq != e->first_seq ||
            s.file_digest != e->file_digest) {
          return Fail{file, off, std::nullopt, where + ": purge entry does not match the seal"};
        }
      }
    }
    if (e->kind == ManifestEntry::kSeal) {
      m->seal_of[e->segment] = m->entries.size();
      m->open_segment = e->segment + 1;
      m->next_seq = e->first_seq + e->record_count;
      m->last_chain = e->last_chain;
    } else {
      m->purged.insert(e->segment);
    }
    prev = crypto::Sm3(fr.payload);
    m->offsets.push_back(off);
    m->payloads.emplace_back(fr.payload);
    m->entries.push_back(std::move(*e));
    off = fr.next_offset;
  }
  return std::nullopt;
}

std::optional<Fail> LoadCheckpoints(const std::string& dir, uint64_t segment, uint64_t first_seq,
                                    const crypto::Sm2PublicKey* key, std::vector<Checkpoint>* out,
                                    std::vector<std::string>* payloads, size_t* good_bytes) {
  std::string file = "segments/" + CheckpointFileName(segment);
  auto data = platform::ReadFile(CheckpointPath(dir, segment));
  if (!data.ok()) return std::nullopt;  // no checkpoints: nothing to check
  size_t off = 0;
  while (true) {
    FrameRead fr = ReadFrame(*data, off, FrameType::kCheckpoint);
    if (fr.outcome == FrameRead::kEnd) break;
    if (fr.outcome != FrameRead::kOk) {
      if (!key) break;
      return Fail{file, off, std::nullopt,
                  std::string(FrameOutcomeName(fr.outcome)) + " in checkpoint " +
                      std::to_string(out->size())};
    }
    auto c = DecodeCheckpoint(fr.payload);
    if (!c.ok()) {
      if (!key) break;
      return Fail{file, off, std::nullopt, std::string(c.status().message())};
    }
    if (key) {
      std::string where = "checkpoint " + std::to_string(out->size());
      if (!key->Verify(CheckpointSignedBytes(*c), c->signature)) {
        return Fail{file, off, std::nullopt,
                    where + ": SM2 signature does not verify with the public key"};
      }
      if (c->segment != segment || c->first_seq != first_seq) {
        return Fail{file, off, std::nullopt, where + ": belongs to another segment"};
      }
      if (c->tree_size == 0 || (!out->empty() && c->tree_size <= out->back().tree_size)) {
        return Fail{file, off, std::nullopt, where + ": tree size does not increase"};
      }
    }
    out->push_back(std::move(*c));
    if (payloads) payloads->emplace_back(fr.payload);
    off = fr.next_offset;
  }
  if (good_bytes) *good_bytes = off;
  return std::nullopt;
}

struct ScanResult {
  uint64_t records = 0;
  Digest root{};
  Digest last_chain{};
  uint64_t end_offset = 0;
  std::vector<Digest> leaves;
};

// Checks one segment image. `ckpts` must already have verified signatures.
std::optional<Fail> ScanSegment(std::string_view data, const std::string& file, uint64_t segment,
                                uint64_t first_seq, const Digest& prev_chain,
                                const std::vector<Checkpoint>& ckpts, bool keep_leaves,
                                ScanResult* out) {
  auto h = DecodeSegmentHeader(data);
  if (!h.ok()) return Fail{file, 0, first_seq, std::string(h.status().message())};
  if (h->segment != segment) {
    return Fail{file, 8, first_seq,
                "header names segment " + std::to_string(h->segment) + ", expected " +
                    std::to_string(segment) + " (segment duplicated, renamed or reordered)"};
  }
  if (h->first_seq != first_seq) {
    return Fail{file, 16, first_seq,
                "header starts at seq " + std::to_string(h->first_seq) + ", expected " +
                    std::to_string(first_seq) + " (segment reordered or replaced)"};
  }
  if (h->prev_chain != prev_chain) {
    return Fail{file, 24, first_seq,
                "header does not chain to the previous segment (segment reordered or replaced)"};
  }
  // Pass 1 (sequential, cheap): framing, CRCs, decoding and sequence numbers.
  struct Entry {
    size_t offset;
    size_t next_offset;
    std::string_view record;
    Digest chain;
  };
  std::vector<Entry> entries;
  std::optional<Fail> frame_fail;
  uint64_t seq = first_seq;
  size_t off = kSegmentHeaderSize;
  while (true) {
    FrameRead fr = ReadFrame(data, off, FrameType::kRecord);
    if (fr.outcome == FrameRead::kEnd) break;
    if (fr.outcome != FrameRead::kOk) {
      frame_fail =
          Fail{file, off, seq, std::string(FrameOutcomeName(fr.outcome)) + " in record frame"};
      break;
    }
    auto rv = DecodeRecord(fr.payload);
    if (!rv.ok()) {
      frame_fail = Fail{file, off, seq, std::string(rv.status().message())};
      break;
    }
    if (rv->seq != seq) {
      frame_fail = Fail{file, off, seq,
                        "record has seq " + std::to_string(rv->seq) + ", expected " +
                            std::to_string(seq) + " (record deleted, inserted or reordered)"};
      break;
    }
    entries.push_back(Entry{off, fr.next_offset, rv->record, rv->chain});
    ++seq;
    off = fr.next_offset;
  }
  const size_t n = entries.size();

  // Pass 2 (parallel): record i's chain hash needs only record i-1's stored chain hash, so the
  // SM3 work (most of verification) splits into ranges; each range reports its first mismatch.
  auto check_chain = [&](size_t begin, size_t end, size_t* first_bad) {
    for (size_t i = begin; i < end; ++i) {
      const Digest& prev = i == 0 ? prev_chain : entries[i - 1].chain;
      if (ChainHash(prev, entries[i].record) != entries[i].chain) {
        *first_bad = i;
        return;
      }
    }
  };
  unsigned workers = n >= 64 ? std::max(1u, std::min(8u, std::thread::hardware_concurrency())) : 0;
  std::vector<size_t> bad(std::max(1u, workers), SIZE_MAX);
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) {
    threads.emplace_back(check_chain, n * w / workers, n * (w + 1) / workers, &bad[w]);
  }

  // Pass 3 (this thread, meanwhile): Merkle tree over the stored chain hashes and the signed
  // checkpoints. Until the first chain mismatch stored and recomputed hashes are equal, so the
  // earliest failure below is the one a record-by-record scan would report.
  MerkleAccumulator acc;
  std::optional<Fail> ckpt_fail;
  size_t ci = 0;
  for (size_t i = 0; i < n && !ckpt_fail; ++i) {
    acc.Add(entries[i].chain);
    if (keep_leaves) out->leaves.push_back(entries[i].chain);
    while (ci < ckpts.size() && ckpts[ci].tree_size == acc.size()) {
      const Checkpoint& k = ckpts[ci];
      if (k.root != acc.Root() || k.chain_head != entries[i].chain ||
          k.end_offset != entries[i].next_offset) {
        ckpt_fail = Fail{file, entries[i].next_offset, first_seq + i,
                         "does not match signed checkpoint " + std::to_string(ci) + " (tree size " +
                             std::to_string(k.tree_size) + ")"};
        break;
      }
      ++ci;
    }
  }
  if (workers == 0) check_chain(0, n, &bad[0]);
  for (auto& t : threads) t.join();

  // The earliest failure by file offset; at equal offsets a checkpoint (checked after the
  // previous record) comes before the checks of the record that starts there.
  std::optional<Fail> first;
  size_t first_offset = SIZE_MAX;
  if (ckpt_fail) {
    first = ckpt_fail;
    first_offset = ckpt_fail->offset;
  }
  size_t chain_bad = *std::min_element(bad.begin(), bad.end());
  if (chain_bad != SIZE_MAX && entries[chain_bad].offset < first_offset) {
    first = Fail{file, entries[chain_bad].offset, first_seq + chain_bad,
                 "SM3 chain hash mismatch (record altered)"};
    first_offset = entries[chain_bad].offset;
  }
  if (frame_fail && frame_fail->offset < first_offset) first = frame_fail;
  if (first) return first;
  if (ci < ckpts.size()) {
    return Fail{file, off, seq,
                "segment holds " + std::to_string(acc.size()) + " records but signed checkpoint " +
                    std::to_string(ci) + " covers " + std::to_string(ckpts[ci].tree_size) +
                    " (truncated or records removed)"};
  }
  out->records = acc.size();
  out->root = acc.Root();
  out->last_chain = n == 0 ? prev_chain : entries.back().chain;
  out->end_offset = off;
  return std::nullopt;
}

Result<crypto::Sm2PublicKey> LoadKey(const std::string& dir, const VerifyOptions& o,
                                     VerifyReport* r) {
  if (!o.pubkey_path.empty()) {
    r->key_source = o.pubkey_path;
    return crypto::LoadSm2PublicKey(o.pubkey_path);
  }
  GS_ASSIGN_OR_RETURN(StoreConfig cfg, LoadStoreConfig(dir));
  r->key_source = "config.json";
  return crypto::Sm2PublicKey::FromPem(cfg.public_key_pem);
}

}  // namespace

std::string VerifyReport::FailureLine() const {
  std::string s = file + " offset " + std::to_string(offset);
  if (seq) s += " (seq " + std::to_string(*seq) + ")";
  return s + ": " + reason;
}

Result<VerifyReport> VerifyStore(const std::string& dir, const VerifyOptions& o) {
  VerifyReport r;
  GS_ASSIGN_OR_RETURN(crypto::Sm2PublicKey key, LoadKey(dir, o, &r));
  r.key_fingerprint = key.Fingerprint();
  auto fail = [&](const Fail& f) {
    r.ok = false;
    r.file = f.file;
    r.offset = f.offset;
    r.seq = f.seq;
    r.reason = f.reason;
    return r;
  };
  if (!platform::IsDirectory(SegmentsDir(dir))) {
    return NotFoundError(dir + " is not an audit store (no segments/ directory)");
  }
  ManifestState m;
  if (auto f = LoadManifest(dir, &key, &m)) return fail(*f);
  r.manifest_entries = m.entries.size();

  // Which segment files exist, and are they the ones the manifest expects?
  GS_ASSIGN_OR_RETURN(auto names, platform::ListDir(SegmentsDir(dir)));
  std::set<uint64_t> present;
  for (const auto& n : names) {
    uint64_t num;
    if (!ParseSegmentFileName(n, &num)) continue;
    present.insert(num);
    bool known = (m.seal_of.count(num) && !m.purged.count(num)) || num == m.open_segment;
    if (!known) {
      return fail(Fail{"segments/" + n, 0, std::nullopt,
                       m.purged.count(num)
                           ? "segment was purged (signed purge entry) but its file is back"
                           : "segment file not in the manifest (duplicated or inserted segment)"});
    }
  }

  Digest prev_chain{};
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const ManifestEntry& e = m.entries[i];
    if (e.kind != ManifestEntry::kSeal) continue;
    std::string file = "segments/" + SegmentFileName(e.segment);
    Digest expect_prev = prev_chain;
    prev_chain = e.last_chain;
    if (m.purged.count(e.segment)) continue;
    if (!present.count(e.segment)) {
      return fail(Fail{file, 0, e.first_seq,
                       "sealed segment is missing (deleted without a signed purge entry)"});
    }
    uint64_t last_seq = e.first_seq + e.record_count - 1;
    if (last_seq < o.from_seq || e.first_seq > o.to_seq) continue;
    GS_ASSIGN_OR_RETURN(std::string data, platform::ReadFile(SegmentPath(dir, e.segment)));
    std::vector<Checkpoint> ckpts;
    if (auto f = LoadCheckpoints(dir, e.segment, e.first_seq, &key, &ckpts, nullptr, nullptr)) {
      return fail(*f);
    }
    ScanResult s;
    if (auto f = ScanSegment(data, file, e.segment, e.first_seq, expect_prev, ckpts, false, &s)) {
      return fail(*f);
    }
    std::string mwhere = " than its signed seal (manifest entry " + std::to_string(i) + ")";
    if (s.records != e.record_count) {
      return fail(Fail{file, s.end_offset, e.first_seq + s.records,
                       "holds " + std::to_string(s.records) + " records, " +
                           std::to_string(e.record_count) + " sealed: different count" + mwhere});
    }
    if (s.root != e.root || s.last_chain != e.last_chain) {
      return fail(Fail{file, 0, e.first_seq, "different Merkle root or chain head" + mwhere});
    }
    if (data.size() != e.file_size || crypto::Sm3(data) != e.file_digest) {
      return fail(Fail{file, s.end_offset, std::nullopt,
                       "different file size or SM3 digest" + mwhere + " (bytes appended?)"});
    }
    r.segments++;
    r.records += s.records;
    r.checkpoints += ckpts.size();
    r.bytes += data.size();
  }

  // The open segment.
  std::string file = "segments/" + SegmentFileName(m.open_segment);
  if (present.count(m.open_segment)) {
    GS_ASSIGN_OR_RETURN(std::string data, platform::ReadFile(SegmentPath(dir, m.open_segment)));
    std::vector<Checkpoint> ckpts;
    if (auto f = LoadCheckpoints(dir, m.open_segment, m.next_seq, &key, &ckpts, nullptr, nullptr)) {
      return fail(*f);
    }
    if (o.to_seq >= m.next_seq) {
      ScanResult s;
      if (auto f =
              ScanSegment(data, file, m.open_segment, m.next_seq, m.last_chain, ckpts, false, &s)) {
        if (!ckpts.empty() && f->offset >= ckpts.back().end_offset &&
            f->reason.find("checkpoint") == std::string::npos) {
          f->reason +=
              " beyond the last checkpoint: a torn tail not yet recovered (a writer is "
              "running or crashed; opening the store for append records it)";
        }
        return fail(*f);
      }
      r.segments++;
      r.records += s.records;
      r.checkpoints += ckpts.size();
      r.bytes += data.size();
    }
  } else if (platform::PathExists(CheckpointPath(dir, m.open_segment))) {
    return fail(Fail{file, 0, m.next_seq, "open segment is missing but its checkpoints exist"});
  }
  return r;
}

Status ForEachRecord(const std::string& dir, uint64_t from_seq,
                     const std::function<bool(const StoredRecord&)>& fn) {
  ManifestState m;
  if (auto f = LoadManifest(dir, nullptr, &m)) return DataLossError(f->file + ": " + f->reason);
  std::vector<uint64_t> segs;
  for (const auto& e : m.entries) {
    if (e.kind != ManifestEntry::kSeal || m.purged.count(e.segment)) continue;
    if (e.first_seq + e.record_count <= from_seq) continue;
    segs.push_back(e.segment);
  }
  segs.push_back(m.open_segment);
  for (uint64_t seg : segs) {
    bool open = seg == m.open_segment;
    auto data = platform::ReadFile(SegmentPath(dir, seg));
    if (!data.ok()) {
      if (open) break;
      return DataLossError(SegmentPath(dir, seg) + " is missing");
    }
    size_t off = kSegmentHeaderSize;
    if (data->size() < off) {
      if (open) break;
      return DataLossError(SegmentPath(dir, seg) + ": truncated header");
    }
    while (true) {
      FrameRead fr = ReadFrame(*data, off, FrameType::kRecord);
      if (fr.outcome == FrameRead::kEnd) break;
      auto rv = fr.outcome == FrameRead::kOk ? DecodeRecord(fr.payload)
                                             : Result<RecordView>(DataLossError("bad frame"));
      if (!rv.ok()) {
        if (open) break;  // torn tail of a live or crashed writer
        return DataLossError(SegmentPath(dir, seg) + ": " + FrameOutcomeName(fr.outcome) +
                             " at offset " + std::to_string(off) + " (run `audit verify`)");
      }
      off = fr.next_offset;
      if (rv->seq < from_seq) continue;
      if (!fn(StoredRecord{rv->seq, rv->ingest, seg, rv->json})) return Status::Ok();
    }
  }
  return Status::Ok();
}

Result<uint64_t> ScanSegmentImage(std::string_view data) {
  auto h = DecodeSegmentHeader(data);
  if (!h.ok()) return h.status();
  ScanResult s;
  if (auto f =
          ScanSegment(data, "segment", h->segment, h->first_seq, h->prev_chain, {}, false, &s)) {
    return DataLossError("offset " + std::to_string(f->offset) + ": " + f->reason);
  }
  return s.records;
}

// ---- Inclusion proofs -------------------------------------------------------------------

Result<InclusionProof> ProveRecord(const std::string& dir, uint64_t seq) {
  GS_ASSIGN_OR_RETURN(StoreConfig cfg, LoadStoreConfig(dir));
  ManifestState m;
  if (auto f = LoadManifest(dir, nullptr, &m)) return DataLossError(f->file + ": " + f->reason);
  InclusionProof p;
  p.seq = seq;
  p.key_fingerprint = cfg.key_fingerprint;
  uint64_t first_seq = m.next_seq, tree_size = 0;
  Digest prev_chain = m.last_chain;
  p.segment = m.open_segment;
  Digest pc{};
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const auto& e = m.entries[i];
    if (e.kind != ManifestEntry::kSeal) continue;
    if (seq >= e.first_seq && seq < e.first_seq + e.record_count) {
      if (m.purged.count(e.segment)) {
        return NotFoundError("record " + std::to_string(seq) + " was in segment " +
                             std::to_string(e.segment) + ", which has been purged");
      }
      p.segment = e.segment;
      first_seq = e.first_seq;
      tree_size = e.record_count;
      prev_chain = pc;
      p.anchor_kind = InclusionProof::kSeal;
      p.anchor_payload = m.payloads[i];
      break;
    }
    pc = e.last_chain;
  }
  if (tree_size == 0) {
    std::vector<Checkpoint> ckpts;
    std::vector<std::string> payloads;
    LoadCheckpoints(dir, m.open_segment, m.next_seq, nullptr, &ckpts, &payloads, nullptr);
    if (seq < m.next_seq) return OutOfRangeError("no record with seq " + std::to_string(seq));
    if (ckpts.empty() || seq >= m.next_seq + ckpts.back().tree_size) {
      return FailedPreconditionError(
          "record " + std::to_string(seq) +
          " is not covered by a signed checkpoint yet (it may not exist; retry after the next "
          "checkpoint)");
    }
    tree_size = ckpts.back().tree_size;
    p.anchor_kind = InclusionProof::kCheckpoint;
    p.anchor_payload = payloads.back();
  }
  GS_ASSIGN_OR_RETURN(std::string data, platform::ReadFile(SegmentPath(dir, p.segment)));
  ScanResult s;
  // Only the prefix the anchor covers matters; a torn tail beyond it is irrelevant here.
  std::vector<Checkpoint> none;
  std::string_view image(data);
  {
    size_t off = kSegmentHeaderSize;
    for (uint64_t i = 0; i < tree_size; ++i) {
      FrameRead fr = ReadFrame(image, off, FrameType::kRecord);
      if (fr.outcome != FrameRead::kOk) {
        return DataLossError(SegmentPath(dir, p.segment) + " is damaged at offset " +
                             std::to_string(off) + " (run `audit verify`)");
      }
      off = fr.next_offset;
    }
    image = image.substr(0, off);
  }
  if (auto f = ScanSegment(image, SegmentFileName(p.segment), p.segment, first_seq, prev_chain,
                           none, true, &s)) {
    return DataLossError(f->file + " offset " + std::to_string(f->offset) + ": " + f->reason);
  }
  p.leaf_index = seq - first_seq;
  p.path = InclusionPath(s.leaves, p.leaf_index);
  // Re-read the entry the leaf covers: the previous chain hash and the record.
  size_t off = kSegmentHeaderSize;
  std::string_view prev(reinterpret_cast<const char*>(prev_chain.data()), prev_chain.size());
  for (uint64_t i = 0; i <= p.leaf_index; ++i) {
    FrameRead fr = ReadFrame(image, off, FrameType::kRecord);
    if (i == p.leaf_index) p.record = std::string(prev) + std::string(fr.payload.substr(32));
    prev = fr.payload.substr(0, 32);
    off = fr.next_offset;
  }
  return p;
}

std::string ProofToJson(const InclusionProof& p) {
  nlohmann::json j;
  j["format"] = "govshield-audit-proof/1";
  j["seq"] = p.seq;
  j["segment"] = p.segment;
  j["leaf_index"] = p.leaf_index;
  j["record_hex"] = HexEncode(p.record);
  if (p.record.size() > 48) j["record_json"] = p.record.substr(48);
  nlohmann::json path = nlohmann::json::array();
  for (const auto& d : p.path) path.push_back(crypto::DigestHex(d));
  j["path"] = path;
  j["anchor"] = {{"kind", p.anchor_kind == InclusionProof::kSeal ? "seal" : "checkpoint"},
                 {"payload_hex", HexEncode(p.anchor_payload)}};
  j["key_fingerprint"] = p.key_fingerprint;
  return j.dump(2);
}

Result<InclusionProof> ProofFromJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgumentError("proof is not valid JSON");
  InclusionProof p;
  try {
    if (j.value("format", "") != "govshield-audit-proof/1") {
      return InvalidArgumentError("not a govshield audit proof (format field)");
    }
    p.seq = j.at("seq").get<uint64_t>();
    p.segment = j.at("segment").get<uint64_t>();
    p.leaf_index = j.at("leaf_index").get<uint64_t>();
    auto rec = HexDecode(j.at("record_hex").get<std::string>());
    if (!rec) return InvalidArgumentError("proof record_hex is not hex");
    p.record = std::string(AsStringView(*rec));
    for (const auto& h : j.at("path")) {
      auto d = crypto::DigestFromHex(h.get<std::string>());
      if (!d) return InvalidArgumentError("proof path element is not a 32-byte hex digest");
      p.path.push_back(*d);
    }
    std::string kind = j.at("anchor").at("kind").get<std::string>();
    if (kind != "seal" && kind != "checkpoint") {
      return InvalidArgumentError("proof anchor kind must be seal or checkpoint");
    }
    p.anchor_kind = kind == "seal" ? InclusionProof::kSeal : InclusionProof::kCheckpoint;
    auto ap = HexDecode(j.at("anchor").at("payload_hex").get<std::string>());
    if (!ap) return InvalidArgumentError("proof anchor payload_hex is not hex");
    p.anchor_payload = std::string(AsStringView(*ap));
    p.key_fingerprint = j.value("key_fingerprint", "");
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(std::string("proof is malformed: ") + e.what());
  }
  return p;
}

Status VerifyInclusionProof(const InclusionProof& p, const crypto::Sm2PublicKey& key) {
  uint64_t segment, first_seq, tree_size;
  Digest root;
  if (p.anchor_kind == InclusionProof::kSeal) {
    GS_ASSIGN_OR_RETURN(ManifestEntry e, DecodeManifestEntry(p.anchor_payload));
    if (e.kind != ManifestEntry::kSeal) return DataLossError("proof anchor is not a seal entry");
    if (!key.Verify(ManifestSignedBytes(e), e.signature)) {
      return DataLossError("seal signature does not verify with public key " + key.Fingerprint());
    }
    segment = e.segment, first_seq = e.first_seq, tree_size = e.record_count, root = e.root;
  } else {
    GS_ASSIGN_OR_RETURN(Checkpoint c, DecodeCheckpoint(p.anchor_payload));
    if (!key.Verify(CheckpointSignedBytes(c), c.signature)) {
      return DataLossError("checkpoint signature does not verify with public key " +
                           key.Fingerprint());
    }
    segment = c.segment, first_seq = c.first_seq, tree_size = c.tree_size, root = c.root;
  }
  if (p.record.size() <= 48) return DataLossError("proof record is too short");
  uint64_t rec_seq = DecodeFixed64LE(p.record.data() + 32);
  if (rec_seq != p.seq || segment != p.segment || p.seq < first_seq ||
      p.seq - first_seq != p.leaf_index) {
    return DataLossError("proof's seq, segment and leaf index are inconsistent with its anchor");
  }
  Digest computed;
  if (!RootFromInclusionPath(p.leaf_index, tree_size, LeafHash(p.record), p.path, &computed)) {
    return DataLossError("inclusion path has the wrong shape for tree size " +
                         std::to_string(tree_size));
  }
  if (computed != root) {
    return DataLossError(
        "record is not included: recomputed Merkle root differs from the "
        "signed one");
  }
  return Status::Ok();
}

// ---- Export -----------------------------------------------------------------------------

Result<ExportReport> ExportStore(const std::string& dir, const std::string& to) {
  if (platform::PathExists(platform::JoinPath(to, "config.json"))) {
    return AlreadyExistsError(to + " already holds an audit store; export into a new directory");
  }
  GS_ASSIGN_OR_RETURN(std::string cfg, platform::ReadFile(platform::JoinPath(dir, "config.json")));
  ManifestState m;
  if (auto f = LoadManifest(dir, nullptr, &m)) return DataLossError(f->file + ": " + f->reason);
  GS_RETURN_IF_ERROR(platform::MakeDirs(SegmentsDir(to), 0750));
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(to, "evidence"), 0750));
  ExportReport r;
  std::string manifest;
  for (const auto& pl : m.payloads) AppendFrame(&manifest, FrameType::kManifest, pl);
  for (const auto& e : m.entries) {
    if (e.kind != ManifestEntry::kSeal || m.purged.count(e.segment)) continue;
    GS_ASSIGN_OR_RETURN(std::string seg, platform::ReadFile(SegmentPath(dir, e.segment)));
    GS_RETURN_IF_ERROR(platform::WriteFileAtomic(SegmentPath(to, e.segment), seg, 0640));
    auto ck = platform::ReadFile(CheckpointPath(dir, e.segment));
    if (ck.ok()) {
      GS_RETURN_IF_ERROR(platform::WriteFileAtomic(CheckpointPath(to, e.segment), *ck, 0640));
    }
    r.segments++;
    r.bytes += seg.size();
    r.records += e.record_count;
  }
  // The open segment: only what its last checkpoint covers, read checkpoints first so the
  // copy is a consistent signed prefix even while a writer appends.
  std::vector<Checkpoint> ckpts;
  size_t ck_bytes = 0;
  LoadCheckpoints(dir, m.open_segment, m.next_seq, nullptr, &ckpts, nullptr, &ck_bytes);
  if (!ckpts.empty()) {
    GS_ASSIGN_OR_RETURN(std::string ck, platform::ReadFile(CheckpointPath(dir, m.open_segment)));
    GS_ASSIGN_OR_RETURN(std::string seg, platform::ReadFile(SegmentPath(dir, m.open_segment)));
    if (seg.size() < ckpts.back().end_offset) {
      return DataLossError(SegmentPath(dir, m.open_segment) +
                           " is shorter than its last checkpoint (run `audit verify`)");
    }
    seg.resize(ckpts.back().end_offset);
    ck.resize(ck_bytes);
    GS_RETURN_IF_ERROR(platform::WriteFileAtomic(SegmentPath(to, m.open_segment), seg, 0640));
    GS_RETURN_IF_ERROR(platform::WriteFileAtomic(CheckpointPath(to, m.open_segment), ck, 0640));
    r.segments++;
    r.bytes += seg.size();
    r.records += ckpts.back().tree_size;
  }
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(ManifestPath(to), manifest, 0640));
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(platform::JoinPath(to, "config.json"), cfg, 0640));
  GS_RETURN_IF_ERROR(platform::FsyncDir(SegmentsDir(to)));
  return r;
}

}  // namespace gs::audit
