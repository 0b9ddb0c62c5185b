// Audit store verification (docs/formats/audit-log.md section 7) and the read-side tools:
// record iteration for query, inclusion proofs, export and segment scanning for the fuzzer.
//
// Everything here only reads the store (no lock), so it can run beside a live writer; the
// open segment is then checked up to what is on disk.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/format.h"
#include "core/status.h"
#include "crypto/crypto.h"

namespace gs::audit {

struct VerifyOptions {
  std::string pubkey_path;  // empty: the public key in config.json
  uint64_t from_seq = 0;
  uint64_t to_seq = UINT64_MAX;  // inclusive
};

struct VerifyReport {
  bool ok = true;
  std::string key_source;  // "config.json" or the --pubkey path
  std::string key_fingerprint;
  uint64_t manifest_entries = 0;
  uint64_t segments = 0;
  uint64_t records = 0;
  uint64_t checkpoints = 0;
  uint64_t bytes = 0;
  // The first failure when !ok.
  std::string file;  // relative to the store
  uint64_t offset = 0;
  std::optional<uint64_t> seq;
  std::string reason;

  std::string FailureLine() const;  // "FILE offset N (seq S): reason"
};

// Checks framing, CRCs, sequence, chain, Merkle roots, manifest chain and every signature.
// Returns a report (ok or the first failure); an error Status only when verification cannot
// start (not a store, unreadable public key).
Result<VerifyReport> VerifyStore(const std::string& dir, const VerifyOptions& options);

// One record as read back.
struct StoredRecord {
  uint64_t seq = 0;
  int64_t ingest = 0;
  uint64_t segment = 0;
  std::string_view json;
};

// Streams every readable record of the store in sequence order (sealed segments, then the
// open one up to its first bad frame). `fn` returns false to stop. Structural damage is
// reported as DATA_LOSS after the records before it were delivered.
Status ForEachRecord(const std::string& dir, uint64_t from_seq,
                     const std::function<bool(const StoredRecord&)>& fn);

// Scans a segment image (header + frames) and checks its internal consistency (header, frame
// CRCs, contiguous seq, chain). Returns the number of good records; DATA_LOSS naming the
// offset otherwise. Used by the fuzz target; safe on arbitrary bytes.
Result<uint64_t> ScanSegmentImage(std::string_view data);

// An inclusion proof of one record against a signed seal (sealed segment) or checkpoint.
// JSON form (`audit prove`): see ProofToJson.
struct InclusionProof {
  uint64_t seq = 0;
  uint64_t segment = 0;
  uint64_t leaf_index = 0;
  std::string record;  // prev_chain||seq||ingest||json: the entry the leaf covers
  std::vector<Digest> path;
  enum AnchorKind { kSeal, kCheckpoint } anchor_kind = kSeal;
  std::string anchor_payload;  // the manifest entry or checkpoint payload, as stored (signed)
  std::string key_fingerprint;
};

Result<InclusionProof> ProveRecord(const std::string& dir, uint64_t seq);
std::string ProofToJson(const InclusionProof& p);
Result<InclusionProof> ProofFromJson(std::string_view json);
// Offline check with only the public key. OK or DATA_LOSS naming what failed.
Status VerifyInclusionProof(const InclusionProof& p, const crypto::Sm2PublicKey& key);

// Copies config.json, the manifest, every present sealed segment with its checkpoints, and the
// open segment up to its last checkpoint (with those checkpoints) into `to` (created; must
// not already hold a store). The copy verifies on its own.
struct ExportReport {
  uint64_t segments = 0;
  uint64_t bytes = 0;
  uint64_t records = 0;  // records covered by seals + the copied checkpoint
};
Result<ExportReport> ExportStore(const std::string& dir, const std::string& to);

}  // namespace gs::audit
