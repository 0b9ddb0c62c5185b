// bench/audit (issue 2, acceptance 6): audit store append and verify throughput, each printed
// beside the same ~300-byte JSON records written/read as plain JSON lines with the same
// durability (one write(2) per record, so each record is in the kernel when acknowledged, and
// fdatasync every 100 ms), in the same run; the ratio is printed last.
// Usage: audit_bench [records=200000] [dir=/tmp]
#include <fcntl.h>
#include <openssl/crypto.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "audit/store.h"
#include "audit/verify.h"
#include "crypto/crypto.h"
#include "platform/file.h"

using namespace gs;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string Record(uint64_t i) {
  std::string r =
      "{\"ts\":\"2026-11-25T08:00:00.123Z\",\"source\":\"gateway\",\"type\":\"access\",\"site\":"
      "\"www.example.gov.cn\",\"client\":\"10.1.2." +
      std::to_string(i % 250) + "\",\"method\":\"GET\",\"uri\":\"/xxgk/zcwj/2026/index_" +
      std::to_string(i) +
      ".html\",\"status\":200,\"bytes\":48213,\"ua\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
      "\",\"ms\":12}";
  return r;
}

struct Stats {
  double median, lo, hi;
};

Stats Summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

// Plain JSON lines: one write(2) per record, fdatasync every 100 ms. Returns records/s.
double PlainAppend(const std::vector<std::string>& recs, const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
  if (fd < 0) std::exit(1);
  double t0 = Now(), last_sync = t0;
  std::string line;
  for (const auto& r : recs) {
    line.assign(r);
    line += '\n';
    if (::write(fd, line.data(), line.size()) != ssize_t(line.size())) std::exit(1);
    double t = Now();
    if (t - last_sync >= 0.1) {
      ::fdatasync(fd);
      last_sync = t;
    }
  }
  ::fdatasync(fd);
  ::close(fd);
  return double(recs.size()) / (Now() - t0);
}

// The audit store with its default policy (fsync every 100 ms). Returns records/s.
double AuditAppend(const std::vector<std::string>& recs, const std::string& key,
                   const std::string& store) {
  std::system(("rm -rf '" + store + "'").c_str());
  if (!audit::InitStore(store, key, audit::StoreOptions{}).ok()) std::exit(1);
  double t0 = Now();
  auto s = audit::AuditStore::Open(store);
  if (!s.ok()) std::exit(1);
  for (const auto& r : recs) {
    if (!(*s)->Append(r).ok()) std::exit(1);
  }
  if (!(*s)->Close().ok()) std::exit(1);
  return double(recs.size()) / (Now() - t0);
}

// Plain reading: read the file and split it into lines. Returns MB/s.
double PlainRead(const std::string& path, uint64_t n) {
  double t0 = Now();
  auto data = platform::ReadFile(path);
  size_t lines = 0;
  for (char c : *data) lines += c == '\n';
  double s = Now() - t0;
  if (lines != n) std::exit(1);
  return double(data->size()) / 1e6 / s;
}

// Full verification (CRC, chain, Merkle roots, manifest, signatures). Returns MB/s.
double Verify(const std::string& store, uint64_t n) {
  double t0 = Now();
  auto v = audit::VerifyStore(store, {});
  double s = Now() - t0;
  if (!v.ok() || !v->ok || v->records != n) std::exit(1);
  return double(v->bytes) / 1e6 / s;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
  std::string base = argc > 2 ? argv[2] : "/tmp";
  int reps = argc > 3 ? std::atoi(argv[3]) : 5;
  std::string dir = base + "/gs-audit-bench-" + std::to_string(getpid());
  if (!platform::MakeDirs(dir).ok()) return 1;
  std::vector<std::string> recs;
  size_t bytes = 0;
  for (uint64_t i = 0; i < n; ++i) {
    recs.push_back(Record(i));
    bytes += recs.back().size();
  }
  std::printf("audit_bench: %llu records, mean %.0f bytes, fsync every 100 ms, %d rounds A B A B\n",
              static_cast<unsigned long long>(n), double(bytes) / double(n), reps);
  std::printf("peer: plain JSON lines, one write(2) per record (same acknowledgement point)\n");
  std::printf("crypto: %s, SM3 chain + Merkle, SM2 checkpoints\n",
              OpenSSL_version(OPENSSL_VERSION));

  auto key = crypto::Sm2PrivateKey::Generate();
  std::string kp = dir + "/k.pem";
  if (!platform::WriteFileAtomic(kp, *key->ToPem(), 0600).ok()) return 1;
  std::string plain = dir + "/plain.ndjson", store = dir + "/store";

  std::vector<double> pa, aa, pr, av;
  for (int i = 0; i < reps; ++i) {
    pa.push_back(PlainAppend(recs, plain));
    aa.push_back(AuditAppend(recs, kp, store));
    pr.push_back(PlainRead(plain, n));
    av.push_back(Verify(store, n));
  }
  Stats spa = Summarize(pa), saa = Summarize(aa), spr = Summarize(pr), sav = Summarize(av);
  std::printf("append  plain: %9.0f records/s (%.0f..%.0f)   audit: %9.0f records/s (%.0f..%.0f)\n",
              spa.median, spa.lo, spa.hi, saa.median, saa.lo, saa.hi);
  std::printf("read    plain: %9.1f MB/s (%.1f..%.1f)   verify: %9.1f MB/s (%.1f..%.1f)\n",
              spr.median, spr.lo, spr.hi, sav.median, sav.lo, sav.hi);
  std::system(("rm -rf '" + dir + "'").c_str());
  std::printf("ratio (median, audit/plain): append %.2f   verify %.2f\n", saa.median / spa.median,
              sav.median / spr.median);
  return 0;
}
