// Tests of AuditStore on real files: init rules, append/reopen, validation, locking,
// rotation by size and age, crash-tail recovery, purge, proofs, export.
#include "audit/store.h"

#include <gtest/gtest.h>

#include "audit/test_util.h"
#include "audit/verify.h"
#include "testlib/subprocess.h"

namespace gs::audit {
namespace {

using testing::ReadAll;
using testing::Rec;
using testing::WriteAll;
using testing::WriteKey;

constexpr UnixNanos kT0 = 1'764'000'000LL * kNanosPerSecond;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = WriteKey(tmp_.path(), "k");
    store_ = platform::JoinPath(tmp_.path(), "store");
  }
  void Init(StoreOptions o = {}) { ASSERT_TRUE(InitStore(store_, key_.priv, o).ok()); }
  std::unique_ptr<AuditStore> Open() {
    AuditStore::OpenOptions oo;
    oo.time = &clock_;
    auto s = AuditStore::Open(store_, oo);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  VerifyReport Verify(const std::string& dir = "", const std::string& pub = "") {
    VerifyOptions vo;
    vo.pubkey_path = pub;
    auto r = VerifyStore(dir.empty() ? store_ : dir, vo);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }
  std::vector<std::pair<uint64_t, std::string>> All(uint64_t from = 0) {
    std::vector<std::pair<uint64_t, std::string>> out;
    EXPECT_TRUE(ForEachRecord(store_, from, [&](const StoredRecord& r) {
                  out.emplace_back(r.seq, std::string(r.json));
                  return true;
                }).ok());
    return out;
  }

  gs::testing::TempDir tmp_;
  testing::KeyFiles key_;
  std::string store_;
  ManualTimeSource clock_{kT0};
};

TEST_F(StoreTest, InitRefusesRetentionBelowOneYearCitingArt20) {
  StoreOptions o;
  o.retention_days = 364;
  Status s = InitStore(store_, key_.priv, o);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Art. 20"), std::string_view::npos);
  EXPECT_FALSE(platform::PathExists(platform::JoinPath(store_, "config.json")));
  o.retention_days = 365;
  EXPECT_TRUE(InitStore(store_, key_.priv, o).ok());
  EXPECT_EQ(InitStore(store_, key_.priv, o).code(), StatusCode::kAlreadyExists);
  auto cfg = LoadStoreConfig(store_);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->options.retention_days, 365);
  EXPECT_EQ(cfg->private_key_path[0], '/');
  auto pub = crypto::LoadSm2PublicKey(key_.pub);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(cfg->key_fingerprint, pub->Fingerprint());
}

TEST_F(StoreTest, DefaultRetentionIs400Days) {
  Init();
  EXPECT_EQ(LoadStoreConfig(store_)->options.retention_days, 400);
}

TEST_F(StoreTest, AppendReopenContinuesSequenceAndChain) {
  Init();
  {
    auto s = Open();
    for (uint64_t i = 0; i < 10; ++i) EXPECT_EQ(*s->Append(Rec(i)), i);
    ASSERT_TRUE(s->Close().ok());
  }
  {
    auto s = Open();
    EXPECT_TRUE(s->recovery().torn.empty());
    for (uint64_t i = 10; i < 15; ++i) EXPECT_EQ(*s->Append(Rec(i)), i);
  }
  auto all = All();
  ASSERT_EQ(all.size(), 15u);
  for (uint64_t i = 0; i < 15; ++i) {
    EXPECT_EQ(all[i].first, i);
    EXPECT_EQ(all[i].second, Rec(i));
  }
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.FailureLine();
  EXPECT_EQ(r.records, 15u);
  EXPECT_EQ(r.key_source, "config.json");
  EXPECT_EQ(All(12).front().first, 12u);
}

TEST_F(StoreTest, RejectsAnythingButOneJsonObjectWithoutConsumingASeq) {
  Init();
  auto s = Open();
  for (std::string bad : {"", "[1,2]", "{", "{\"a\":1} x", "\"str\"", "42", "{\"a\":\"\xff\"}",
                          "{\"a\":1}{\"b\":2}", "{\"a\":\n1}"}) {
    auto r = s->Append(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(s->Append("{\"big\":\"" + std::string(kMaxJsonSize, 'x') + "\"}").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(*s->Append("{}"), 0u);
  EXPECT_EQ(*s->Append(" {\"a\": [1, {\"b\": null}]} "), 1u);
}

TEST_F(StoreTest, SecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
  Init();
  auto s = Open();
  auto second = AuditStore::Open(store_);
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  s.reset();
  EXPECT_TRUE(AuditStore::Open(store_).ok());
}

TEST_F(StoreTest, RotatesBySizeAndSealsEachSegment) {
  StoreOptions o;
  o.segment_max_bytes = 4096;
  Init(o);
  {
    auto s = Open();
    for (uint64_t i = 0; i < 200; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
    EXPECT_GT(s->open_segment(), 5u);
  }
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.FailureLine();
  EXPECT_EQ(r.records, 200u);
  EXPECT_GT(r.manifest_entries, 5u);
  EXPECT_EQ(All().size(), 200u);
  for (uint64_t seg = 1; seg < 5; ++seg) {
    EXPECT_LE(ReadAll(SegmentPath(store_, seg)).size(), 4096u + 400u);
  }
}

TEST_F(StoreTest, RotatesByAge) {
  Init();
  auto s = Open();
  ASSERT_TRUE(s->Append(Rec(0)).ok());
  ASSERT_TRUE(s->Append(Rec(1)).ok());
  EXPECT_EQ(s->open_segment(), 1u);
  clock_.Advance(23 * 3600 * kNanosPerSecond);
  ASSERT_TRUE(s->Append(Rec(2)).ok());
  EXPECT_EQ(s->open_segment(), 1u);
  clock_.Advance(2 * 3600 * kNanosPerSecond);
  ASSERT_TRUE(s->Append(Rec(3)).ok());
  EXPECT_EQ(s->open_segment(), 2u);
  s.reset();
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.FailureLine();
  EXPECT_EQ(r.manifest_entries, 1u);
}

TEST_F(StoreTest, TornTailIsMovedToEvidenceAndReportedByAnAnomalyRecord) {
  Init();
  {
    auto s = Open();
    for (uint64_t i = 0; i < 20; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
  }
  std::string seg = SegmentPath(store_, 1);
  std::string before = ReadAll(seg);
  // A crash in the middle of write(2): half a frame of the next record.
  std::string torn;
  AppendFrame(&torn, FrameType::kRecord, std::string(48, '\0') + Rec(99));
  torn.resize(torn.size() / 2);
  WriteAll(seg, before + torn);
  auto pre = Verify();
  EXPECT_FALSE(pre.ok);
  EXPECT_EQ(pre.offset, before.size());
  EXPECT_EQ(pre.seq, std::optional<uint64_t>(20));

  auto s = Open();
  ASSERT_EQ(s->recovery().torn.size(), 1u);
  const auto& t = s->recovery().torn[0];
  EXPECT_EQ(t.offset, before.size());
  EXPECT_EQ(t.bytes, torn.size());
  EXPECT_EQ(ReadAll(platform::JoinPath(store_, t.evidence)), torn);
  EXPECT_EQ(s->next_seq(), 21u);  // the anomaly record took seq 20
  s.reset();
  auto all = All();
  ASSERT_EQ(all.size(), 21u);
  EXPECT_NE(all[20].second.find("\"type\":\"torn_tail\""), std::string::npos);
  EXPECT_NE(all[20].second.find("\"offset\":" + std::to_string(before.size())), std::string::npos);
  EXPECT_NE(all[20].second.find(crypto::DigestHex(crypto::Sm3(torn))), std::string::npos);
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.FailureLine();
}

TEST_F(StoreTest, CorruptionInsideCheckpointedRangeIsNotTreatedAsACrash) {
  Init();
  {
    auto s = Open();
    for (uint64_t i = 0; i < 20; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
  }
  std::string seg = SegmentPath(store_, 1);
  std::string data = ReadAll(seg);
  data[data.size() / 2] ^= 0x01;
  WriteAll(seg, data);
  auto s = AuditStore::Open(store_);
  EXPECT_EQ(s.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ReadAll(seg), data);  // nothing moved aside
}

TEST_F(StoreTest, PurgeRemovesOnlyExpiredSealedSegmentsAndVerifyStillPasses) {
  Init();
  {
    auto s = Open();
    for (uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
    ASSERT_TRUE(s->Rotate().ok());  // segment 1 sealed at day 0
    clock_.Advance(100 * kNanosPerDay);
    for (uint64_t i = 5; i < 10; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
    ASSERT_TRUE(s->Rotate().ok());  // segment 2 sealed at day 100
    for (uint64_t i = 10; i < 12; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
    auto none = s->Purge(kT0 + 399 * kNanosPerDay);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    auto purged = s->Purge(kT0 + 401 * kNanosPerDay);
    ASSERT_TRUE(purged.ok());
    EXPECT_EQ(*purged, std::vector<uint64_t>{1});
  }
  EXPECT_FALSE(platform::PathExists(SegmentPath(store_, 1)));
  EXPECT_TRUE(platform::PathExists(SegmentPath(store_, 2)));
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.FailureLine();
  EXPECT_EQ(r.records, 7u);
  EXPECT_EQ(r.manifest_entries, 3u);  // two seals + one purge
  EXPECT_EQ(All().front().first, 5u);
  // Bringing the purged file back is itself an anomaly.
  WriteAll(SegmentPath(store_, 1), ReadAll(SegmentPath(store_, 2)));
  EXPECT_FALSE(Verify().ok);
}

TEST_F(StoreTest, InclusionProofsForSealedAndCheckpointedRecordsVerifyOffline) {
  Init();
  {
    auto s = Open();
    for (uint64_t i = 0; i < 13; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
    ASSERT_TRUE(s->Rotate().ok());
    for (uint64_t i = 13; i < 20; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
  }
  auto pub = crypto::LoadSm2PublicKey(key_.pub);
  ASSERT_TRUE(pub.ok());
  auto other = crypto::Sm2PrivateKey::Generate()->PublicKey();
  for (uint64_t seq : {0, 6, 12, 13, 19}) {
    auto p = ProveRecord(store_, seq);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->anchor_kind, seq < 13 ? InclusionProof::kSeal : InclusionProof::kCheckpoint);
    auto back = ProofFromJson(ProofToJson(*p));
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE(VerifyInclusionProof(*back, *pub).ok()) << seq;
    EXPECT_FALSE(VerifyInclusionProof(*back, other).ok());
    InclusionProof forged = *back;
    forged.record[20] ^= 1;
    EXPECT_EQ(VerifyInclusionProof(forged, *pub).code(), StatusCode::kDataLoss);
    forged = *back;
    forged.anchor_payload[70] ^= 1;
    EXPECT_FALSE(VerifyInclusionProof(forged, *pub).ok());
  }
  EXPECT_EQ(ProveRecord(store_, 20).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(StoreTest, ExportedBackupVerifiesWithThePublicKeyAndDetectsTampering) {
  StoreOptions o;
  o.segment_max_bytes = 4096;
  Init(o);
  auto s = Open();
  for (uint64_t i = 0; i < 60; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
  ASSERT_TRUE(s->WriteCheckpoint().ok());
  for (uint64_t i = 60; i < 63; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());  // not checkpointed
  std::string backup = platform::JoinPath(tmp_.path(), "backup");
  auto er = ExportStore(store_, backup);  // while the writer is live
  ASSERT_TRUE(er.ok()) << er.status().ToString();
  EXPECT_EQ(er->records, 60u);
  auto r = Verify(backup, key_.pub);
  EXPECT_TRUE(r.ok) << r.FailureLine();
  EXPECT_EQ(r.records, 60u);
  EXPECT_EQ(r.key_source, key_.pub);
  EXPECT_EQ(ExportStore(store_, backup).status().code(), StatusCode::kAlreadyExists);
  std::string seg = SegmentPath(backup, 2);
  std::string d = ReadAll(seg);
  d[d.size() - 5] ^= 0x20;
  WriteAll(seg, d);
  auto bad = Verify(backup, key_.pub);
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.file, "segments/" + SegmentFileName(2));
}

TEST_F(StoreTest, FsyncPoliciesAllProduceAVerifiableStore) {
  for (auto policy : {FsyncPolicy::kAlways, FsyncPolicy::kInterval, FsyncPolicy::kBatch}) {
    gs::testing::TempDir t;
    std::string dir = platform::JoinPath(t.path(), "s");
    StoreOptions o;
    o.fsync = policy;
    ASSERT_TRUE(InitStore(dir, key_.priv, o).ok());
    {
      auto s = AuditStore::Open(dir);
      ASSERT_TRUE(s.ok());
      for (uint64_t i = 0; i < 50; ++i) ASSERT_TRUE((*s)->Append(Rec(i)).ok());
      ASSERT_TRUE((*s)->Sync().ok());
    }
    auto r = VerifyStore(dir, {});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->ok);
    EXPECT_EQ(r->records, 50u);
  }
}

TEST_F(StoreTest, TornManifestAndCheckpointTailsAreRecoveredWithEvidence) {
  Init();
  {
    auto s = Open();
    for (uint64_t i = 0; i < 6; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
    ASSERT_TRUE(s->Rotate().ok());
    for (uint64_t i = 6; i < 9; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
  }
  // A crash in the middle of writing a manifest entry and a checkpoint.
  std::string m = ReadAll(ManifestPath(store_));
  WriteAll(ManifestPath(store_), m + m.substr(0, 100));
  std::string c = ReadAll(CheckpointPath(store_, 2));
  WriteAll(CheckpointPath(store_, 2), c + c.substr(0, 30));
  EXPECT_FALSE(Verify().ok);
  {
    auto s = Open();
    ASSERT_EQ(s->recovery().torn.size(), 2u);
    EXPECT_EQ(s->recovery().torn[0].file, "manifest.log");
    EXPECT_EQ(s->recovery().torn[0].offset, m.size());
    EXPECT_EQ(s->recovery().torn[0].bytes, 100u);
    EXPECT_EQ(s->recovery().torn[1].offset, c.size());
    EXPECT_EQ(*s->Append(Rec(9)), 11u);  // seqs 9 and 10 are the two anomaly records
  }
  EXPECT_EQ(ReadAll(ManifestPath(store_)), m);
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.FailureLine();
  auto all = All();
  ASSERT_EQ(all.size(), 12u);
  EXPECT_NE(all[9].second.find("torn_tail"), std::string::npos);
  EXPECT_NE(all[10].second.find("torn_tail"), std::string::npos);
}

TEST_F(StoreTest, VerifyRangeChecksOnlyTheSegmentsHoldingIt) {
  StoreOptions o;
  o.segment_max_bytes = 4096;
  Init(o);
  {
    auto s = Open();
    for (uint64_t i = 0; i < 100; ++i) ASSERT_TRUE(s->Append(Rec(i)).ok());
  }
  // Damage segment 1; a range that excludes it still verifies, one that includes it does not.
  std::string seg = SegmentPath(store_, 1);
  std::string d = ReadAll(seg);
  d[200] ^= 1;
  WriteAll(seg, d);
  VerifyOptions vo;
  vo.from_seq = 60;
  auto r = VerifyStore(store_, vo);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok) << r->FailureLine();
  EXPECT_LT(r->records, 100u);
  vo.from_seq = 0;
  vo.to_seq = 3;
  r = VerifyStore(store_, vo);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->file, "segments/" + SegmentFileName(1));
}

TEST_F(StoreTest, IdleWriterIsSyncedAndCheckpointedInTheBackground) {
  StoreOptions o;
  o.checkpoint_every_ms = 50;
  Init(o);
  auto s = AuditStore::Open(store_);  // real clock: the flusher thread runs on real time
  ASSERT_TRUE(s.ok());
  for (uint64_t i = 0; i < 5; ++i) ASSERT_TRUE((*s)->Append(Rec(i)).ok());
  // No further append, no Sync(), no Close(): the flusher alone must cover record 4.
  EXPECT_TRUE(gs::testing::WaitFor([&] { return ProveRecord(store_, 4).ok(); }, 5000));
  auto p = ProveRecord(store_, 4);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->anchor_kind, InclusionProof::kCheckpoint);
}

}  // namespace
}  // namespace gs::audit
