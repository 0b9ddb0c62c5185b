// Tamper tests (issue 2, acceptance 3): every kind of modification an attacker with write
// access to the store directory (but not the private key) can make is detected by the
// verifier, which names the file, offset and sequence number of the first damage.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "audit/store.h"
#include "audit/test_util.h"
#include "audit/verify.h"

namespace gs::audit {
namespace {

using testing::ReadAll;
using testing::Rec;
using testing::WriteAll;
using testing::WriteKey;

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = WriteKey(tmp_.path(), "k");
    store_ = platform::JoinPath(tmp_.path(), "store");
    Build(store_, key_.priv, [](uint64_t) { return false; });
    auto r = Verify();
    ASSERT_TRUE(r.ok) << r.FailureLine();
    ASSERT_EQ(r.records, kRecords);
    open_seg_ = r.segments;  // all present, last one open
    ASSERT_GE(open_seg_, 4u);
  }

  // Writes kRecords records; `alter(i)` replaces record i with a same-length variant.
  void Build(const std::string& dir, const std::string& priv,
             const std::function<bool(uint64_t)>& alter) {
    StoreOptions o;
    o.segment_max_bytes = 4096;
    o.checkpoint_every_records = 4;
    ASSERT_TRUE(InitStore(dir, priv, o).ok());
    auto s = AuditStore::Open(dir);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    for (uint64_t i = 0; i < kRecords; ++i) {
      std::string r = Rec(i);
      if (alter(i)) r.replace(r.find("GET"), 3, "PUT");
      ASSERT_TRUE((*s)->Append(r).ok());
    }
    ASSERT_TRUE((*s)->Close().ok());
  }

  VerifyReport Verify(const std::string& pub = "") {
    VerifyOptions vo;
    vo.pubkey_path = pub;
    auto r = VerifyStore(store_, vo);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }
  std::string Seg(uint64_t n) { return SegmentPath(store_, n); }
  static std::string SegName(uint64_t n) { return "segments/" + SegmentFileName(n); }

  // Byte offsets of the record frames in a segment image.
  static std::vector<size_t> FrameOffsets(const std::string& data) {
    std::vector<size_t> out;
    size_t off = kSegmentHeaderSize;
    while (true) {
      FrameRead fr = ReadFrame(data, off, FrameType::kRecord);
      if (fr.outcome != FrameRead::kOk) break;
      out.push_back(off);
      off = fr.next_offset;
    }
    return out;
  }
  static uint64_t FirstSeq(const std::string& data) { return DecodeSegmentHeader(data)->first_seq; }

  static constexpr uint64_t kRecords = 120;
  gs::testing::TempDir tmp_;
  testing::KeyFiles key_;
  std::string store_;
  uint64_t open_seg_ = 0;
};

void ExpectFlipsDetected(TamperTest* t, const std::string& path, const std::string& name,
                         const std::function<VerifyReport()>& verify, bool frames) {
  std::string orig = ReadAll(path);
  ASSERT_FALSE(orig.empty());
  std::mt19937 rng(42);
  std::vector<size_t> positions;
  for (size_t i = 0; i < std::min<size_t>(orig.size(), 80); ++i) positions.push_back(i);
  for (int k = 0; k < 120; ++k) positions.push_back(rng() % orig.size());
  positions.push_back(orig.size() - 1);
  for (size_t pos : positions) {
    std::string d = orig;
    d[pos] ^= char(1 << (rng() % 8));
    WriteAll(path, d);
    VerifyReport r = verify();
    ASSERT_FALSE(r.ok) << name << " flip at " << pos << " not detected";
    EXPECT_EQ(r.file, name) << "flip at " << pos << ": " << r.FailureLine();
    if (frames && pos >= kSegmentHeaderSize) {
      // The named offset is the start of the frame holding the flipped byte.
      EXPECT_LE(r.offset, pos) << r.FailureLine();
      EXPECT_GT(r.offset + kFrameHeaderSize + 400, pos) << r.FailureLine();
      EXPECT_TRUE(r.seq.has_value());
    }
  }
  WriteAll(path, orig);
  EXPECT_TRUE(verify().ok);
}

TEST_F(TamperTest, FlipOneByteAnywhereInASealedSegment) {
  ExpectFlipsDetected(
      this, Seg(2), SegName(2), [&] { return Verify(); }, true);
}

TEST_F(TamperTest, FlipOneByteAnywhereInTheOpenSegment) {
  ExpectFlipsDetected(
      this, Seg(open_seg_), SegName(open_seg_), [&] { return Verify(); }, true);
}

TEST_F(TamperTest, FlipOneByteAnywhereInManifestOrCheckpoints) {
  ExpectFlipsDetected(
      this, ManifestPath(store_), "manifest.log", [&] { return Verify(); }, false);
  ExpectFlipsDetected(
      this, CheckpointPath(store_, open_seg_), "segments/" + CheckpointFileName(open_seg_),
      [&] { return Verify(); }, false);
}

TEST_F(TamperTest, TruncationOfSealedOrOpenSegmentIsDetected) {
  for (uint64_t seg : {uint64_t(2), open_seg_}) {
    std::string orig = ReadAll(Seg(seg));
    auto frames = FrameOffsets(orig);
    // Cut at a frame boundary (a clean-looking truncation) and in the middle of a frame.
    for (size_t cut : {frames[frames.size() / 2], frames.back(), frames.back() + 5,
                       size_t(kSegmentHeaderSize), size_t(10)}) {
      WriteAll(Seg(seg), orig.substr(0, cut));
      VerifyReport r = Verify();
      ASSERT_FALSE(r.ok) << "segment " << seg << " cut at " << cut;
      EXPECT_EQ(r.file, SegName(seg)) << r.FailureLine();
    }
    WriteAll(Seg(seg), orig);
  }
  EXPECT_TRUE(Verify().ok);
}

TEST_F(TamperTest, DeletingOneRecordIsNamedBySeq) {
  for (uint64_t seg : {uint64_t(2), open_seg_}) {
    std::string orig = ReadAll(Seg(seg));
    auto f = FrameOffsets(orig);
    size_t i = f.size() / 2;
    std::string d = orig.substr(0, f[i]) + orig.substr(f[i + 1]);
    WriteAll(Seg(seg), d);
    VerifyReport r = Verify();
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.file, SegName(seg));
    EXPECT_EQ(r.offset, f[i]);
    EXPECT_EQ(r.seq, std::optional<uint64_t>(FirstSeq(orig) + i)) << r.FailureLine();
    WriteAll(Seg(seg), orig);
  }
}

TEST_F(TamperTest, SwappingTwoRecordsIsNamedBySeq) {
  for (uint64_t seg : {uint64_t(2), open_seg_}) {
    std::string orig = ReadAll(Seg(seg));
    auto f = FrameOffsets(orig);
    size_t i = 1;
    std::string a = orig.substr(f[i], f[i + 1] - f[i]);
    std::string b = orig.substr(f[i + 1], f[i + 2] - f[i + 1]);
    std::string d = orig.substr(0, f[i]) + b + a + orig.substr(f[i + 2]);
    WriteAll(Seg(seg), d);
    VerifyReport r = Verify();
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.file, SegName(seg));
    EXPECT_EQ(r.offset, f[i]);
    EXPECT_EQ(r.seq, std::optional<uint64_t>(FirstSeq(orig) + i)) << r.FailureLine();
    WriteAll(Seg(seg), orig);
  }
}

TEST_F(TamperTest, DeletedSealedSegmentIsNamed) {
  ASSERT_TRUE(platform::RemoveFile(Seg(2)).ok());
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, SegName(2));
  EXPECT_NE(r.reason.find("missing"), std::string::npos);
}

TEST_F(TamperTest, DuplicatedSegmentIsNamed) {
  // As an extra file beyond the open segment...
  WriteAll(Seg(open_seg_ + 1), ReadAll(Seg(2)));
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, SegName(open_seg_ + 1));
  ASSERT_TRUE(platform::RemoveFile(Seg(open_seg_ + 1)).ok());
  // ...and in place of its successor.
  WriteAll(Seg(3), ReadAll(Seg(2)));
  r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, SegName(3));
  EXPECT_EQ(r.offset, 8u);  // header's segment number
}

TEST_F(TamperTest, ReorderedSegmentsAreNamed) {
  std::string s2 = ReadAll(Seg(2)), s3 = ReadAll(Seg(3));
  WriteAll(Seg(2), s3);
  WriteAll(Seg(3), s2);
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, SegName(2));
}

TEST_F(TamperTest, ReorderedManifestEntriesAreNamed) {
  std::string m = ReadAll(ManifestPath(store_));
  std::vector<std::string> frames;
  size_t off = 0;
  while (true) {
    FrameRead fr = ReadFrame(m, off, FrameType::kManifest);
    if (fr.outcome != FrameRead::kOk) break;
    frames.push_back(m.substr(off, fr.next_offset - off));
    off = fr.next_offset;
  }
  ASSERT_GE(frames.size(), 3u);
  std::swap(frames[1], frames[2]);
  std::string d;
  for (auto& f : frames) d += f;
  WriteAll(ManifestPath(store_), d);
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, "manifest.log");
  EXPECT_EQ(r.offset, frames[0].size());
}

TEST_F(TamperTest, ReChainedForgeryWithAnotherKeyIsDetected) {
  // The attacker rebuilds the whole store from the same records with record 50 altered,
  // re-chaining, re-Merkling and re-signing everything with a key of their own.
  auto forger = WriteKey(tmp_.path(), "forger");
  std::string forged = platform::JoinPath(tmp_.path(), "forged");
  Build(forged, forger.priv, [](uint64_t i) { return i == 50; });
  auto seg_of_50 = [&](const std::string& dir) {
    for (uint64_t s = 1;; ++s) {
      std::string d = ReadAll(SegmentPath(dir, s));
      auto f = FrameOffsets(d);
      if (FirstSeq(d) + f.size() > 50) return s;
    }
  };
  uint64_t seg = seg_of_50(store_);
  ASSERT_EQ(seg, seg_of_50(forged));

  // (a) Only the segment is replaced: the signed seal no longer matches.
  std::string orig = ReadAll(Seg(seg));
  WriteAll(Seg(seg), ReadAll(SegmentPath(forged, seg)));
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, SegName(seg)) << r.FailureLine();

  // (b) Segments, checkpoints and manifest all replaced: signatures fail with the store key.
  for (uint64_t s = 1; s <= open_seg_; ++s) {
    WriteAll(SegmentPath(store_, s), ReadAll(SegmentPath(forged, s)));
    WriteAll(CheckpointPath(store_, s), ReadAll(CheckpointPath(forged, s)));
  }
  WriteAll(ManifestPath(store_), ReadAll(ManifestPath(forged)));
  r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, "manifest.log");
  EXPECT_NE(r.reason.find("signature"), std::string::npos);

  // (c) Even config.json replaced: the out-of-band key (--pubkey) still catches it, and the
  // report says which key was used.
  WriteAll(platform::JoinPath(store_, "config.json"),
           ReadAll(platform::JoinPath(forged, "config.json")));
  r = Verify(key_.pub);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.key_source, key_.pub);
  EXPECT_EQ(r.key_fingerprint, crypto::LoadSm2PublicKey(key_.pub)->Fingerprint());
  EXPECT_NE(r.reason.find("signature"), std::string::npos);
}

TEST_F(TamperTest, AppendedBytesAfterASealAreDetected) {
  std::string d = ReadAll(Seg(2));
  std::string extra;
  AppendFrame(&extra, FrameType::kRecord, std::string(48, 'x') + "{}");
  WriteAll(Seg(2), d + extra);
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.file, SegName(2));
  EXPECT_EQ(r.offset, d.size());
}

// A large segment is verified by several threads (chain ranges in parallel, Merkle and
// checkpoints on the caller); the report must still name the frame of the first damage.
TEST(ParallelVerifyTest, LargeSegmentNamesTheFirstBadFrame) {
  gs::testing::TempDir tmp;
  auto key = testing::WriteKey(tmp.path(), "k");
  std::string store = platform::JoinPath(tmp.path(), "store");
  StoreOptions o;
  o.checkpoint_every_records = 256;
  ASSERT_TRUE(InitStore(store, key.priv, o).ok());
  {
    auto s = AuditStore::Open(store);
    ASSERT_TRUE(s.ok());
    for (uint64_t i = 0; i < 3000; ++i) ASSERT_TRUE((*s)->Append(Rec(i)).ok());
    ASSERT_TRUE((*s)->Close().ok());
  }
  auto clean = VerifyStore(store, {});
  ASSERT_TRUE(clean.ok() && clean->ok) << (clean.ok() ? clean->FailureLine() : "");
  ASSERT_EQ(clean->records, 3000u);
  std::string seg = SegmentPath(store, 1);
  std::string orig = ReadAll(seg);
  std::vector<size_t> frames;
  for (size_t off = kSegmentHeaderSize;;) {
    FrameRead fr = ReadFrame(orig, off, FrameType::kRecord);
    if (fr.outcome != FrameRead::kOk) break;
    frames.push_back(off);
    off = fr.next_offset;
  }
  ASSERT_EQ(frames.size(), 3000u);
  std::mt19937 rng(7);
  for (int k = 0; k < 60; ++k) {
    size_t pos = kSegmentHeaderSize + rng() % (orig.size() - kSegmentHeaderSize);
    std::string d = orig;
    d[pos] ^= char(1 << (rng() % 8));
    WriteAll(seg, d);
    auto r = VerifyStore(store, {});
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->ok) << "flip at " << pos << " not detected";
    size_t frame = std::upper_bound(frames.begin(), frames.end(), pos) - frames.begin() - 1;
    EXPECT_EQ(r->offset, frames[frame]) << "flip at " << pos << ": " << r->FailureLine();
    EXPECT_EQ(r->seq, std::optional<uint64_t>(frame)) << r->FailureLine();
  }
  // Two damaged records far apart: the earlier one is named.
  std::string d = orig;
  d[frames[2500] + kFrameHeaderSize + 40] ^= 1;
  d[frames[700] + kFrameHeaderSize + 40] ^= 1;
  WriteAll(seg, d);
  auto r = VerifyStore(store, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->seq, std::optional<uint64_t>(700)) << r->FailureLine();
  WriteAll(seg, orig);
  auto again = VerifyStore(store, {});
  EXPECT_TRUE(again.ok() && again->ok);
}

}  // namespace
}  // namespace gs::audit
