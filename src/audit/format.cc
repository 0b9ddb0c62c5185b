// Implementation of the audit store's byte formats; see format.h and
// docs/formats/audit-log.md. Hashing uses thread-local SM3 contexts so the hot path does not
// allocate an EVP context per record.
#include "audit/format.h"

#include <cstdio>
#include <cstring>

#include "core/bytes.h"

namespace gs::audit {
namespace {

crypto::Hasher& LocalSm3() {
  thread_local crypto::Hasher h(crypto::HashAlgorithm::kSm3);
  return h;
}

void PutDigest(std::string* dst, const Digest& d) {
  dst->append(reinterpret_cast<const char*>(d.data()), d.size());
}
Digest GetDigest(const char* p) {
  Digest d;
  std::memcpy(d.data(), p, d.size());
  return d;
}

}  // namespace

void EncodeFrameHeader(char* hdr, FrameType type, std::string_view payload) {
  char t = char(type);
  uint32_t crc = Crc32c(&t, 1);
  crc = Crc32c(payload.data(), payload.size(), crc);
  uint32_t masked = MaskCrc(crc);
  uint32_t len = uint32_t(payload.size());
  for (int i = 0; i < 4; ++i) hdr[i] = char(masked >> (8 * i));
  for (int i = 0; i < 4; ++i) hdr[4 + i] = char(len >> (8 * i));
  hdr[8] = t;
}

void AppendFrame(std::string* dst, FrameType type, std::string_view payload) {
  char hdr[kFrameHeaderSize];
  EncodeFrameHeader(hdr, type, payload);
  dst->append(hdr, sizeof hdr);
  dst->append(payload);
}

FrameRead ReadFrame(std::string_view data, size_t offset, FrameType expected) {
  FrameRead r;
  if (offset == data.size()) return r;
  if (offset > data.size() || data.size() - offset < kFrameHeaderSize) {
    r.outcome = FrameRead::kTruncated;
    return r;
  }
  const char* p = data.data() + offset;
  uint32_t masked = DecodeFixed32LE(p);
  uint32_t len = DecodeFixed32LE(p + 4);
  if (len == 0 || len > kMaxPayloadSize) {
    r.outcome = FrameRead::kBadLength;
    return r;
  }
  if (data.size() - offset - kFrameHeaderSize < len) {
    r.outcome = FrameRead::kTruncated;
    return r;
  }
  uint32_t crc = Crc32c(p + 8, 1 + size_t(len));
  if (MaskCrc(crc) != masked) {
    r.outcome = FrameRead::kBadCrc;
    return r;
  }
  if (uint8_t(p[8]) != uint8_t(expected)) {
    r.outcome = FrameRead::kBadType;
    return r;
  }
  r.outcome = FrameRead::kOk;
  r.payload = std::string_view(p + kFrameHeaderSize, len);
  r.next_offset = offset + kFrameHeaderSize + len;
  return r;
}

const char* FrameOutcomeName(FrameRead::Outcome o) {
  switch (o) {
    case FrameRead::kOk:
      return "ok";
    case FrameRead::kEnd:
      return "end of file";
    case FrameRead::kTruncated:
      return "truncated frame";
    case FrameRead::kBadLength:
      return "bad frame length";
    case FrameRead::kBadType:
      return "bad frame type";
    case FrameRead::kBadCrc:
      return "CRC mismatch";
  }
  return "?";
}

std::string EncodeSegmentHeader(const SegmentHeader& h) {
  std::string s(kSegmentMagic);
  PutFixed64LE(&s, h.segment);
  PutFixed64LE(&s, h.first_seq);
  PutDigest(&s, h.prev_chain);
  PutFixed64LE(&s, uint64_t(h.created));
  PutFixed32LE(&s, MaskCrc(Crc32c(s.data(), s.size())));
  return s;
}

Result<SegmentHeader> DecodeSegmentHeader(std::string_view data) {
  if (data.size() < kSegmentHeaderSize) return DataLossError("segment header truncated");
  if (data.substr(0, 8) != kSegmentMagic) return DataLossError("bad segment magic");
  if (MaskCrc(Crc32c(data.data(), 64)) != DecodeFixed32LE(data.data() + 64)) {
    return DataLossError("segment header CRC mismatch");
  }
  SegmentHeader h;
  h.segment = DecodeFixed64LE(data.data() + 8);
  h.first_seq = DecodeFixed64LE(data.data() + 16);
  h.prev_chain = GetDigest(data.data() + 24);
  h.created = int64_t(DecodeFixed64LE(data.data() + 56));
  return h;
}

Result<RecordView> DecodeRecord(std::string_view payload) {
  if (payload.size() <= kRecordFixedSize) return DataLossError("record payload too short");
  RecordView v;
  v.chain = GetDigest(payload.data());
  v.seq = DecodeFixed64LE(payload.data() + 32);
  v.ingest = int64_t(DecodeFixed64LE(payload.data() + 40));
  v.record = payload.substr(32);
  v.json = payload.substr(kRecordFixedSize);
  return v;
}

Digest LeafHash(std::string_view entry) {
  auto& h = LocalSm3();
  const char zero = 0;
  h.Update(&zero, 1);
  h.Update(entry);
  return h.Final();
}

Digest ChainHash(const Digest& prev_chain, std::string_view record) {
  auto& h = LocalSm3();
  char head[33];
  head[0] = 0;
  std::memcpy(head + 1, prev_chain.data(), 32);
  h.Update(head, sizeof head);
  h.Update(record);
  return h.Final();
}

Digest NodeHash(const Digest& l, const Digest& r) {
  char buf[65];
  buf[0] = 1;
  std::memcpy(buf + 1, l.data(), 32);
  std::memcpy(buf + 33, r.data(), 32);
  auto& h = LocalSm3();
  h.Update(buf, sizeof buf);
  return h.Final();
}

Digest EmptyTreeHash() { return crypto::Sm3(""); }

void MerkleAccumulator::Add(const Digest& leaf) {
  Entry e{leaf, 1};
  while (!stack_.empty() && stack_.back().count == e.count) {
    e.hash = NodeHash(stack_.back().hash, e.hash);
    e.count *= 2;
    stack_.pop_back();
  }
  stack_.push_back(e);
  ++size_;
}

Digest MerkleAccumulator::Root() const {
  if (stack_.empty()) return EmptyTreeHash();
  // The stack holds perfect subtrees of strictly decreasing size; RFC 6962's split at the
  // largest power of two means the root folds them from the right.
  Digest acc = stack_.back().hash;
  for (size_t i = stack_.size() - 1; i-- > 0;) acc = NodeHash(stack_[i].hash, acc);
  return acc;
}

namespace {

Digest SubtreeRoot(const std::vector<Digest>& leaves, uint64_t begin, uint64_t end) {
  MerkleAccumulator acc;
  for (uint64_t i = begin; i < end; ++i) acc.Add(leaves[i]);
  return acc.Root();
}

void PathRec(const std::vector<Digest>& leaves, uint64_t index, uint64_t begin, uint64_t end,
             std::vector<Digest>* out) {
  uint64_t n = end - begin;
  if (n <= 1) return;
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  if (index - begin < k) {
    PathRec(leaves, index, begin, begin + k, out);
    out->push_back(SubtreeRoot(leaves, begin + k, end));
  } else {
    PathRec(leaves, index, begin + k, end, out);
    out->push_back(SubtreeRoot(leaves, begin, begin + k));
  }
}

}  // namespace

std::vector<Digest> InclusionPath(const std::vector<Digest>& leaves, uint64_t index) {
  std::vector<Digest> out;
  if (index < leaves.size()) PathRec(leaves, index, 0, leaves.size(), &out);
  return out;
}

bool RootFromInclusionPath(uint64_t index, uint64_t tree_size, const Digest& leaf,
                           const std::vector<Digest>& path, Digest* root) {
  if (index >= tree_size) return false;
  uint64_t fn = index, sn = tree_size - 1;
  Digest r = leaf;
  for (const Digest& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return false;
  *root = r;
  return true;
}

std::string CheckpointSignedBytes(const Checkpoint& c) {
  std::string s(kCheckpointDomain);
  PutFixed64LE(&s, c.segment);
  PutFixed64LE(&s, c.first_seq);
  PutFixed64LE(&s, c.tree_size);
  PutFixed64LE(&s, c.end_offset);
  PutDigest(&s, c.root);
  PutDigest(&s, c.chain_head);
  PutFixed64LE(&s, uint64_t(c.time));
  return s;
}

std::string EncodeCheckpoint(const Checkpoint& c) {
  std::string s = CheckpointSignedBytes(c).substr(kCheckpointDomain.size());
  s.push_back(char(c.signature.size() & 0xff));
  s.push_back(char(c.signature.size() >> 8));
  s += c.signature;
  return s;
}

Result<Checkpoint> DecodeCheckpoint(std::string_view p) {
  if (p.size() < kCheckpointSignedSize + 2) return DataLossError("checkpoint too short");
  Checkpoint c;
  c.segment = DecodeFixed64LE(p.data());
  c.first_seq = DecodeFixed64LE(p.data() + 8);
  c.tree_size = DecodeFixed64LE(p.data() + 16);
  c.end_offset = DecodeFixed64LE(p.data() + 24);
  c.root = GetDigest(p.data() + 32);
  c.chain_head = GetDigest(p.data() + 64);
  c.time = int64_t(DecodeFixed64LE(p.data() + 96));
  size_t sig_len = uint8_t(p[104]) | size_t(uint8_t(p[105])) << 8;
  if (p.size() != kCheckpointSignedSize + 2 + sig_len) {
    return DataLossError("checkpoint signature length mismatch");
  }
  c.signature = std::string(p.substr(106));
  return c;
}

std::string ManifestSignedBytes(const ManifestEntry& e) {
  std::string s(kManifestDomain);
  s.push_back(char(e.kind));
  PutFixed64LE(&s, e.index);
  PutDigest(&s, e.prev_entry);
  PutFixed64LE(&s, e.segment);
  PutFixed64LE(&s, e.first_seq);
  PutFixed64LE(&s, e.record_count);
  PutDigest(&s, e.root);
  PutDigest(&s, e.last_chain);
  PutFixed64LE(&s, e.file_size);
  PutDigest(&s, e.file_digest);
  PutFixed64LE(&s, uint64_t(e.time));
  return s;
}

std::string EncodeManifestEntry(const ManifestEntry& e) {
  std::string s = ManifestSignedBytes(e).substr(kManifestDomain.size());
  s.push_back(char(e.signature.size() & 0xff));
  s.push_back(char(e.signature.size() >> 8));
  s += e.signature;
  return s;
}

Result<ManifestEntry> DecodeManifestEntry(std::string_view p) {
  if (p.size() < kManifestSignedSize + 2) return DataLossError("manifest entry too short");
  ManifestEntry e;
  uint8_t kind = uint8_t(p[0]);
  if (kind != ManifestEntry::kSeal && kind != ManifestEntry::kPurge) {
    return DataLossError("manifest entry has unknown kind " + std::to_string(kind));
  }
  e.kind = ManifestEntry::Kind(kind);
  e.index = DecodeFixed64LE(p.data() + 1);
  e.prev_entry = GetDigest(p.data() + 9);
  e.segment = DecodeFixed64LE(p.data() + 41);
  e.first_seq = DecodeFixed64LE(p.data() + 49);
  e.record_count = DecodeFixed64LE(p.data() + 57);
  e.root = GetDigest(p.data() + 65);
  e.last_chain = GetDigest(p.data() + 97);
  e.file_size = DecodeFixed64LE(p.data() + 129);
  e.file_digest = GetDigest(p.data() + 137);
  e.time = int64_t(DecodeFixed64LE(p.data() + 169));
  size_t sig_len = uint8_t(p[177]) | size_t(uint8_t(p[178])) << 8;
  if (p.size() != kManifestSignedSize + 2 + sig_len) {
    return DataLossError("manifest entry signature length mismatch");
  }
  e.signature = std::string(p.substr(179));
  return e;
}

std::string SegmentFileName(uint64_t segment) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "SEG-%020llu.log", static_cast<unsigned long long>(segment));
  return buf;
}
std::string CheckpointFileName(uint64_t segment) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "SEG-%020llu.ckp", static_cast<unsigned long long>(segment));
  return buf;
}

bool ParseSegmentFileName(std::string_view name, uint64_t* segment) {
  if (name.size() != 28 || name.substr(0, 4) != "SEG-" || name.substr(24) != ".log") {
    return false;
  }
  uint64_t v = 0;
  for (char c : name.substr(4, 20)) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  *segment = v;
  return true;
}

}  // namespace gs::audit
