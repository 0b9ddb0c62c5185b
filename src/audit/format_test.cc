// Tests of the audit byte formats: frames, headers, Merkle trees against the RFC 6962
// recursive definition, inclusion paths, checkpoint/manifest coding.
#include "audit/format.h"

#include <gtest/gtest.h>

#include "core/bytes.h"

namespace gs::audit {
namespace {

// RFC 6962 section 2.1, written as the RFC states it (independent of MerkleAccumulator).
Digest ReferenceMth(const std::vector<Digest>& d, size_t b, size_t e) {
  size_t n = e - b;
  if (n == 0) return crypto::Sm3("");
  if (n == 1) return d[b];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::string m(1, '\x01');
  Digest l = ReferenceMth(d, b, b + k), r = ReferenceMth(d, b + k, e);
  m.append(reinterpret_cast<const char*>(l.data()), 32);
  m.append(reinterpret_cast<const char*>(r.data()), 32);
  return crypto::Sm3(m);
}

TEST(AuditFormat, LeafHashIsSm3OfZeroPrefixedEntryAndChainIsTheLeafOfPrevAndRecord) {
  EXPECT_EQ(LeafHash("abc"), crypto::Sm3(std::string("\0abc", 4)));
  Digest prev = LeafHash("x");
  std::string rec = "0123456789abcdef{\"a\":1}";
  std::string m = std::string(1, '\0') + std::string(crypto::AsView(prev)) + rec;
  EXPECT_EQ(ChainHash(prev, rec), crypto::Sm3(m));
  EXPECT_EQ(ChainHash(prev, rec), LeafHash(std::string(crypto::AsView(prev)) + rec));
  Digest other = prev;
  other[0] ^= 1;
  EXPECT_NE(ChainHash(other, rec), ChainHash(prev, rec));
}

TEST(AuditFormat, MerkleAccumulatorMatchesRfc6962Definition) {
  std::vector<Digest> leaves;
  MerkleAccumulator acc;
  EXPECT_EQ(acc.Root(), crypto::Sm3(""));
  for (int i = 0; i < 70; ++i) {
    leaves.push_back(LeafHash("leaf" + std::to_string(i)));
    acc.Add(leaves.back());
    ASSERT_EQ(acc.Root(), ReferenceMth(leaves, 0, leaves.size())) << "size " << leaves.size();
  }
}

TEST(AuditFormat, InclusionPathsVerifyForEveryLeafAndFailWhenAltered) {
  std::vector<Digest> leaves;
  for (int n = 1; n <= 33; ++n) {
    leaves.push_back(LeafHash("r" + std::to_string(n)));
    Digest root = ReferenceMth(leaves, 0, leaves.size());
    for (uint64_t i = 0; i < leaves.size(); ++i) {
      auto path = InclusionPath(leaves, i);
      Digest got;
      ASSERT_TRUE(RootFromInclusionPath(i, leaves.size(), leaves[i], path, &got));
      ASSERT_EQ(got, root) << "n=" << n << " i=" << i;
      if (!path.empty()) {
        path[0][3] ^= 1;
        ASSERT_TRUE(!RootFromInclusionPath(i, leaves.size(), leaves[i], path, &got) || got != root);
      }
      Digest other = LeafHash("other");
      ASSERT_TRUE(!RootFromInclusionPath(i, leaves.size(), other, InclusionPath(leaves, i), &got) ||
                  got != root);
    }
  }
}

TEST(AuditFormat, FrameRoundTripAndEveryCorruptionIsRejected) {
  std::string f;
  AppendFrame(&f, FrameType::kRecord, "hello world payload");
  FrameRead r = ReadFrame(f, 0, FrameType::kRecord);
  ASSERT_EQ(r.outcome, FrameRead::kOk);
  EXPECT_EQ(r.payload, "hello world payload");
  EXPECT_EQ(r.next_offset, f.size());
  EXPECT_EQ(ReadFrame(f, f.size(), FrameType::kRecord).outcome, FrameRead::kEnd);
  EXPECT_EQ(ReadFrame(f, 0, FrameType::kManifest).outcome, FrameRead::kBadType);
  for (size_t i = 0; i < f.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string g = f;
      g[i] ^= char(1 << bit);
      ASSERT_NE(ReadFrame(g, 0, FrameType::kRecord).outcome, FrameRead::kOk) << i << "/" << bit;
    }
  }
  for (size_t n = 1; n < f.size(); ++n) {
    ASSERT_EQ(ReadFrame(f.substr(0, n), 0, FrameType::kRecord).outcome, FrameRead::kTruncated);
  }
  // CRC is stored masked (LevelDB): the raw CRC32C must not appear.
  char t = 1;
  uint32_t raw = Crc32c(&t, 1);
  raw = Crc32c("hello world payload", 19, raw);
  EXPECT_EQ(DecodeFixed32LE(f.data()), MaskCrc(raw));
  EXPECT_EQ(DecodeFixed32LE(f.data() + 4), 19u);
}

TEST(AuditFormat, SegmentHeaderRoundTripAndCrc) {
  SegmentHeader h{7, 1234, LeafHash("p"), 99};
  std::string s = EncodeSegmentHeader(h);
  ASSERT_EQ(s.size(), kSegmentHeaderSize);
  EXPECT_EQ(s.substr(0, 8), "GSAUDSEG");
  auto d = DecodeSegmentHeader(s);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->segment, 7u);
  EXPECT_EQ(d->first_seq, 1234u);
  EXPECT_EQ(d->prev_chain, h.prev_chain);
  EXPECT_EQ(d->created, 99);
  for (size_t i = 0; i < s.size(); ++i) {
    std::string g = s;
    g[i] ^= 0x10;
    EXPECT_FALSE(DecodeSegmentHeader(g).ok()) << i;
  }
}

TEST(AuditFormat, CheckpointAndManifestRoundTrip) {
  Checkpoint c{3, 100, 17, 4096, LeafHash("r"), LeafHash("c"), 5, std::string(71, 's')};
  auto c2 = DecodeCheckpoint(EncodeCheckpoint(c));
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(CheckpointSignedBytes(*c2), CheckpointSignedBytes(c));
  EXPECT_EQ(c2->signature, c.signature);
  EXPECT_EQ(CheckpointSignedBytes(c).size(), kCheckpointDomain.size() + kCheckpointSignedSize);
  EXPECT_FALSE(DecodeCheckpoint(EncodeCheckpoint(c) + "x").ok());

  ManifestEntry e;
  e.kind = ManifestEntry::kPurge;
  e.index = 4;
  e.segment = 2;
  e.first_seq = 10;
  e.record_count = 20;
  e.file_size = 999;
  e.time = -3;
  e.signature = "sig";
  auto e2 = DecodeManifestEntry(EncodeManifestEntry(e));
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(ManifestSignedBytes(*e2), ManifestSignedBytes(e));
  EXPECT_EQ(ManifestSignedBytes(e).size(), kManifestDomain.size() + kManifestSignedSize);
  std::string bad = EncodeManifestEntry(e);
  bad[0] = 9;
  EXPECT_FALSE(DecodeManifestEntry(bad).ok());
}

TEST(AuditFormat, SegmentFileNames) {
  EXPECT_EQ(SegmentFileName(12), "SEG-00000000000000000012.log");
  uint64_t n = 0;
  EXPECT_TRUE(ParseSegmentFileName("SEG-00000000000000000012.log", &n));
  EXPECT_EQ(n, 12u);
  EXPECT_FALSE(ParseSegmentFileName("SEG-00000000000000000012.ckp", &n));
  EXPECT_FALSE(ParseSegmentFileName("SEG-0000000000000000001x.log", &n));
}

}  // namespace
}  // namespace gs::audit
