// The audit store's on-disk vocabulary (docs/formats/audit-log.md): frame coding, segment
// headers, record payloads, leaf/chain/Merkle hashing, checkpoint and manifest entries.
// Pure functions over byte strings, no I/O; shared by the writer, verifier, query and tools.
// Decoders never trust their input: every length is checked and errors are DATA_LOSS with
// a reason, so they are safe on attacker-controlled bytes (fuzzed by fuzz/audit_segment).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/crypto.h"

namespace gs::audit {

using crypto::Digest;

inline constexpr std::string_view kSegmentMagic = "GSAUDSEG";
inline constexpr size_t kSegmentHeaderSize = 68;
inline constexpr size_t kFrameHeaderSize = 9;
inline constexpr size_t kMaxJsonSize = 1 << 20;
inline constexpr size_t kRecordFixedSize = 48;  // chain(32) seq(8) ingest(8)
inline constexpr size_t kMaxPayloadSize = kMaxJsonSize + kRecordFixedSize;
inline constexpr std::string_view kCheckpointDomain = "GSAUDCKP";
inline constexpr std::string_view kManifestDomain = "GSAUDMAN";

enum class FrameType : uint8_t { kRecord = 1, kCheckpoint = 2, kManifest = 3 };

// Appends a whole frame (header + payload) to `dst`.
void AppendFrame(std::string* dst, FrameType type, std::string_view payload);

// Writes the 9-byte frame header for `payload` into `hdr` (payload must already be final).
void EncodeFrameHeader(char* hdr, FrameType type, std::string_view payload);

// Result of reading one frame at an offset of a buffer.
struct FrameRead {
  enum Outcome { kOk, kEnd, kTruncated, kBadLength, kBadType, kBadCrc } outcome = kEnd;
  std::string_view payload;
  size_t next_offset = 0;  // offset after the frame when kOk
};
// Reads the frame at `offset` of `data`. kEnd when offset == data.size().
FrameRead ReadFrame(std::string_view data, size_t offset, FrameType expected);
const char* FrameOutcomeName(FrameRead::Outcome o);

struct SegmentHeader {
  uint64_t segment = 0;
  uint64_t first_seq = 0;
  Digest prev_chain{};
  int64_t created = 0;
};
std::string EncodeSegmentHeader(const SegmentHeader& h);
Result<SegmentHeader> DecodeSegmentHeader(std::string_view data);

// A decoded record frame payload; views point into the payload.
struct RecordView {
  Digest chain{};
  uint64_t seq = 0;
  int64_t ingest = 0;
  std::string_view record;  // seq||ingest||json (the leaf covers prev_chain||record)
  std::string_view json;
};
Result<RecordView> DecodeRecord(std::string_view payload);

// RFC 6962 leaf hash SM3(0x00 || entry).
Digest LeafHash(std::string_view entry);
// The chain hash of a record, which is also its Merkle leaf: LeafHash(prev_chain || record),
// computed in one pass without building the concatenation.
Digest ChainHash(const Digest& prev_chain, std::string_view record);
Digest NodeHash(const Digest& l, const Digest& r);
Digest EmptyTreeHash();

// Incremental RFC 6962 Merkle Tree Hash: O(log n) state, no allocation after construction.
class MerkleAccumulator {
 public:
  MerkleAccumulator() { stack_.reserve(64); }
  void Add(const Digest& leaf);
  uint64_t size() const { return size_; }
  Digest Root() const;  // MTH of the leaves added so far
  void Reset() {
    stack_.clear();
    size_ = 0;
  }

 private:
  struct Entry {
    Digest hash;
    uint64_t count;
  };
  std::vector<Entry> stack_;
  uint64_t size_ = 0;
};

// RFC 6962 audit path for leaf `index` in the tree over `leaves`.
std::vector<Digest> InclusionPath(const std::vector<Digest>& leaves, uint64_t index);
// Recomputes the root from a leaf and its audit path (RFC 9162 2.1.3.2); false if the path
// has the wrong length for (index, tree_size).
bool RootFromInclusionPath(uint64_t index, uint64_t tree_size, const Digest& leaf,
                           const std::vector<Digest>& path, Digest* root);

struct Checkpoint {
  uint64_t segment = 0;
  uint64_t first_seq = 0;
  uint64_t tree_size = 0;
  uint64_t end_offset = 0;
  Digest root{};
  Digest chain_head{};
  int64_t time = 0;
  std::string signature;
};
inline constexpr size_t kCheckpointSignedSize = 104;
std::string CheckpointSignedBytes(const Checkpoint& c);  // domain || bytes 0..103
std::string EncodeCheckpoint(const Checkpoint& c);
Result<Checkpoint> DecodeCheckpoint(std::string_view payload);

struct ManifestEntry {
  enum Kind : uint8_t { kSeal = 1, kPurge = 2 };
  Kind kind = kSeal;
  uint64_t index = 0;
  Digest prev_entry{};
  uint64_t segment = 0;
  uint64_t first_seq = 0;
  uint64_t record_count = 0;
  Digest root{};
  Digest last_chain{};
  uint64_t file_size = 0;
  Digest file_digest{};
  int64_t time = 0;
  std::string signature;
};
inline constexpr size_t kManifestSignedSize = 177;
std::string ManifestSignedBytes(const ManifestEntry& e);  // domain || bytes 0..176
std::string EncodeManifestEntry(const ManifestEntry& e);
Result<ManifestEntry> DecodeManifestEntry(std::string_view payload);

// "SEG-00000000000000000001.log" / ".ckp".
std::string SegmentFileName(uint64_t segment);
std::string CheckpointFileName(uint64_t segment);
// Parses "SEG-<20 digits>.log"; false for anything else.
bool ParseSegmentFileName(std::string_view name, uint64_t* segment);

}  // namespace gs::audit
