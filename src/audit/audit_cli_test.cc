// Integration tests of `govshield audit ...` as a real process: the command surface end to end,
// and the crash test (issue 2, acceptance 4): a writer killed with SIGKILL at random moments,
// again and again, never loses an acknowledged record and the store verifies after recovery.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "audit/store.h"
#include "audit/test_util.h"
#include "audit/verify.h"
#include "testlib/subprocess.h"

namespace gs::audit {
namespace {

using gs::testing::GovshieldBinary;
using gs::testing::ProcessResult;
using gs::testing::RunProcess;
using testing::ReadAll;
using testing::WriteAll;

class AuditCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = testing::WriteKey(tmp_.path(), "k");
    store_ = platform::JoinPath(tmp_.path(), "store");
  }
  ProcessResult Gs(std::vector<std::string> args, const std::string& in = "") {
    args.insert(args.begin(), GovshieldBinary());
    return RunProcess(args, in);
  }
  static std::vector<std::string> Lines(const std::string& s) {
    std::vector<std::string> out;
    size_t b = 0;
    while (b < s.size()) {
      size_t e = s.find('\n', b);
      if (e == std::string::npos) e = s.size();
      out.push_back(s.substr(b, e - b));
      b = e + 1;
    }
    return out;
  }
  gs::testing::TempDir tmp_;
  testing::KeyFiles key_;
  std::string store_;
};

TEST_F(AuditCliTest, EveryCommandHasHelp) {
  for (const char* c :
       {"init", "append", "verify", "query", "prove", "verify-proof", "export", "purge"}) {
    auto r = Gs({"audit", c, "--help"});
    EXPECT_EQ(r.exit_code, 0) << c;
    EXPECT_NE(r.out.find("--"), std::string::npos) << c;
  }
}

TEST_F(AuditCliTest, InitRefusesShortRetentionWithAOneLineReason) {
  auto r = Gs({"audit", "init", "--store", store_, "--key", key_.priv, "--retention-days", "300"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(Lines(r.err).size(), 1u);
  EXPECT_NE(r.err.find("Art. 20"), std::string::npos);
  EXPECT_FALSE(platform::PathExists(platform::JoinPath(store_, "config.json")));
}

TEST_F(AuditCliTest, AppendQueryVerifyProveExportEndToEnd) {
  ASSERT_EQ(Gs({"audit", "init", "--store", store_, "--key", key_.priv}).exit_code, 0);
  std::string in =
      "{\"ts\":\"2026-11-25T08:00:00Z\",\"type\":\"access\",\"ip\":\"10.0.0.1\"}\n"
      "{\"ts\":\"2026-11-25T09:00:00Z\",\"type\":\"block\",\"source\":\"waf\",\"rule\":942100}\n"
      "{oops\n"
      "\n"
      "{\"ts\":\"2026-11-26T10:00:00Z\",\"type\":\"access\",\"ip\":\"10.0.0.2\"}\n";
  auto a = Gs({"audit", "append", "--store", store_, "--source", "nginx", "--ack"}, in);
  EXPECT_EQ(a.exit_code, 1);  // one line rejected, the rest kept
  EXPECT_EQ(a.out, "0\n1\n2\n");
  EXPECT_NE(a.err.find("line 3:"), std::string::npos);

  auto q = Gs({"audit", "query", "--store", store_, "--type", "access", "--raw"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  auto lines = Lines(q.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "{\"source\":\"nginx\",\"ts\":\"2026-11-25T08:00:00Z\",\"type\":\"access\","
            "\"ip\":\"10.0.0.1\"}");
  q = Gs({"audit", "query", "--store", store_, "--source", "waf"});
  lines = Lines(q.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("{\"seq\":1,", 0), 0u) << lines[0];
  q = Gs({"audit", "query", "--store", store_, "--since", "2026-11-25T08:30:00Z", "--until",
          "2026-11-26T00:00:00Z"});
  EXPECT_EQ(Lines(q.out).size(), 1u);
  q = Gs({"audit", "query", "--store", store_, "--field", "rule=942100"});
  EXPECT_EQ(Lines(q.out).size(), 1u);
  q = Gs({"audit", "query", "--store", store_, "--grep", "10.0.0.2"});
  EXPECT_EQ(Lines(q.out).size(), 1u);
  EXPECT_NE(Gs({"audit", "query", "--store", store_, "--since", "yesterday"}).exit_code, 0);

  auto v = Gs({"audit", "verify", "--store", store_, "--pubkey", key_.pub});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  std::string proof = platform::JoinPath(tmp_.path(), "proof.json");
  ASSERT_EQ(Gs({"audit", "prove", "--store", store_, "--seq", "1", "--out", proof}).exit_code, 0);
  EXPECT_EQ(Gs({"audit", "verify-proof", "--proof", proof, "--pubkey", key_.pub}).exit_code, 0);
  auto other = testing::WriteKey(tmp_.path(), "other");
  EXPECT_NE(Gs({"audit", "verify-proof", "--proof", proof, "--pubkey", other.pub}).exit_code, 0);

  std::string backup = platform::JoinPath(tmp_.path(), "backup");
  ASSERT_EQ(Gs({"audit", "export", "--store", store_, "--to", backup}).exit_code, 0);
  EXPECT_EQ(Gs({"audit", "verify", "--store", backup, "--pubkey", key_.pub}).exit_code, 0);

  // One flipped byte: non-zero exit, and the one-line reason names the segment file.
  std::string seg = SegmentPath(store_, 1);
  std::string d = ReadAll(seg);
  d[d.size() - 10] ^= 1;
  WriteAll(seg, d);
  v = Gs({"audit", "verify", "--store", store_});
  EXPECT_NE(v.exit_code, 0);
  EXPECT_NE(v.err.find(SegmentFileName(1)), std::string::npos) << v.err;
  EXPECT_EQ(Lines(v.err).size(), 1u);
}

TEST_F(AuditCliTest, PurgeRemovesExpiredSegmentsAndLeavesAVerifiableStore) {
  ASSERT_EQ(Gs({"audit", "init", "--store", store_, "--key", key_.priv, "--segment-max-age", "1s"})
                .exit_code,
            0);
  ASSERT_EQ(Gs({"audit", "append", "--store", store_}, "{\"a\":1}\n{\"a\":2}\n").exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(Gs({"audit", "append", "--store", store_}, "{\"a\":3}\n").exit_code, 0);
  ASSERT_TRUE(platform::PathExists(SegmentPath(store_, 2)));
  // Not yet expired: nothing purged.
  auto p = Gs({"audit", "purge", "--store", store_});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_TRUE(platform::PathExists(SegmentPath(store_, 1)));
  p = Gs({"audit", "purge", "--store", store_, "--now", "2099-01-01T00:00:00Z"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_FALSE(platform::PathExists(SegmentPath(store_, 1)));
  EXPECT_NE(Gs({"audit", "purge", "--store", store_, "--now", "soon"}).exit_code, 0);
  auto v = Gs({"audit", "verify", "--store", store_, "--pubkey", key_.pub});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  auto q = Gs({"audit", "query", "--store", store_, "--raw"});
  EXPECT_EQ(q.out, "{\"a\":3}\n");
}

// ---- Crash test -------------------------------------------------------------------------

struct Child {
  pid_t pid = -1;
  int in = -1, out = -1;
};

Child SpawnAppend(const std::string& store) {
  int in[2], out[2];
  EXPECT_EQ(pipe2(in, O_CLOEXEC), 0);
  EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
  Child c;
  c.pid = fork();
  if (c.pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    std::string bin = GovshieldBinary();
    execl(bin.c_str(), bin.c_str(), "audit", "append", "--store", store.c_str(), "--ack",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  c.in = in[1];
  c.out = out[0];
  return c;
}

std::string CrashRec(uint64_t id) {
  return "{\"ts\":\"2026-11-25T08:00:00Z\",\"source\":\"crash\",\"type\":\"access\",\"id\":" +
         std::to_string(id) +
         ",\"req\":\"GET /portal/notice/2026/1125/index.html HTTP/1.1\",\"ua\":\"Mozilla/5.0 "
         "(X11; Linux x86_64)\",\"status\":200,\"bytes\":51234,\"ms\":12}";
}

TEST_F(AuditCliTest, Kill9AtRandomMomentsLosesNoAcknowledgedRecord) {
  signal(SIGPIPE, SIG_IGN);
  // Small segments and frequent checkpoints so kills also land in sealing and checkpointing.
  ASSERT_EQ(Gs({"audit", "init", "--store", store_, "--key", key_.priv, "--segment-max-bytes",
                "16384", "--checkpoint-every", "7"})
                .exit_code,
            0);
  std::mt19937_64 rng(20261125);
  std::map<uint64_t, uint64_t> acked;  // seq -> record id
  uint64_t next_id = 0;
  constexpr int kRounds = 60;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < kRounds; ++round) {
    Child c = SpawnAppend(store_);
    ASSERT_GT(c.pid, 0);
    const uint64_t first_id = next_id;
    const uint64_t to_send = 50 + rng() % 3000;
    next_id += to_send;
    std::thread writer([&c, first_id, to_send] {
      std::string line;
      for (uint64_t i = 0; i < to_send; ++i) {
        line = CrashRec(first_id + i) + "\n";
        if (write(c.in, line.data(), line.size()) != ssize_t(line.size())) break;
      }
    });
    // Kill after a random delay: before start-up finished, mid-stream, or after the end.
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 150000));
    kill(c.pid, SIGKILL);
    std::string acks;
    char buf[4096];
    ssize_t n;
    while ((n = read(c.out, buf, sizeof buf)) > 0) acks.append(buf, size_t(n));
    int status = 0;
    waitpid(c.pid, &status, 0);
    close(c.in);  // unblocks the writer (EPIPE) if it is still writing
    writer.join();
    close(c.out);
    // Acks come in input order, one per record, so the k-th ack is the k-th line sent.
    uint64_t k = 0;
    for (const auto& l : Lines(acks)) {
      ASSERT_FALSE(l.empty());
      uint64_t seq = std::stoull(l);
      ASSERT_FALSE(acked.count(seq)) << "seq " << seq << " acknowledged twice";
      acked[seq] = first_id + k++;
    }
  }
  // Recover once more (an empty append), then check everything.
  auto rec = Gs({"audit", "append", "--store", store_}, "");
  ASSERT_EQ(rec.exit_code, 0) << rec.err;
  auto v = Gs({"audit", "verify", "--store", store_, "--pubkey", key_.pub});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  std::map<uint64_t, std::string> stored;
  std::map<std::string, int> id_count;
  int torn = 0;
  ASSERT_TRUE(ForEachRecord(store_, 0, [&](const StoredRecord& r) {
                stored[r.seq] = std::string(r.json);
                if (r.json.find("\"type\":\"torn_tail\"") != std::string_view::npos) ++torn;
                size_t p = r.json.find("\"id\":");
                if (p != std::string_view::npos) {
                  id_count[std::string(r.json.substr(p, r.json.find(',', p) - p))]++;
                }
                return true;
              }).ok());
  EXPECT_GT(acked.size(), 1000u) << "too few acks: the test did not exercise the writer";
  for (const auto& [seq, id] : acked) {
    auto it = stored.find(seq);
    ASSERT_NE(it, stored.end()) << "acknowledged seq " << seq << " lost";
    ASSERT_EQ(it->second, CrashRec(id)) << "seq " << seq;
  }
  for (const auto& [id, count] : id_count) ASSERT_EQ(count, 1) << id << " stored twice";
  auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();
  RecordProperty("rounds", kRounds);
  RecordProperty("acked", int(acked.size()));
  RecordProperty("seconds", int(secs));
  std::printf(
      "crash test: %d kill -9 rounds, %zu acknowledged records, %zu stored, %d torn tails "
      "recovered, %lld s\n",
      kRounds, acked.size(), stored.size(), torn, static_cast<long long>(secs));
}

}  // namespace
}  // namespace gs::audit
