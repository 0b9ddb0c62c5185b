// bench/audit (issue 2, acceptance 6): audit store append and verify throughput, each printed
// beside the same ~300-byte JSON records written/read as plain JSON lines with the same
// durability (one write(2) per record, so each record is in the kernel when acknowledged, and
// fdatasync every 100 ms), in the same run; the ratio is printed last.
// Usage: audit_bench [records=200000] [dir=/tmp]
#include <fcntl.h>
#include <unistd.h>

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

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
  std::string base = argc > 2 ? argv[2] : "/tmp";
  std::string dir = base + "/gs-audit-bench-" + std::to_string(getpid());
  if (!platform::MakeDirs(dir).ok()) return 1;
  std::vector<std::string> recs;
  size_t bytes = 0;
  for (uint64_t i = 0; i < n; ++i) {
    recs.push_back(Record(i));
    bytes += recs.back().size();
  }
  std::printf("records: %llu, mean size %.0f bytes, fsync every 100 ms\n",
              static_cast<unsigned long long>(n), double(bytes) / double(n));

  // Plain JSON lines.
  std::string plain = dir + "/plain.ndjson";
  int fd = ::open(plain.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
  double t0 = Now(), last_sync = t0;
  std::string line;
  for (const auto& r : recs) {
    line.assign(r);
    line += '\n';
    if (::write(fd, line.data(), line.size()) != ssize_t(line.size())) return 1;
    double t = Now();
    if (t - last_sync >= 0.1) {
      ::fdatasync(fd);
      last_sync = t;
    }
  }
  ::fdatasync(fd);
  ::close(fd);
  double plain_s = Now() - t0;

  // Audit store.
  auto key = crypto::Sm2PrivateKey::Generate();
  std::string kp = dir + "/k.pem";
  if (!platform::WriteFileAtomic(kp, *key->ToPem(), 0600).ok()) return 1;
  std::string store = dir + "/store";
  if (!audit::InitStore(store, kp, audit::StoreOptions{}).ok()) return 1;
  t0 = Now();
  {
    auto s = audit::AuditStore::Open(store);
    if (!s.ok()) return 1;
    for (const auto& r : recs) {
      if (!(*s)->Append(r).ok()) return 1;
    }
    if (!(*s)->Close().ok()) return 1;
  }
  double audit_s = Now() - t0;

  // Verify vs plain reading (read + split lines).
  t0 = Now();
  auto data = platform::ReadFile(plain);
  size_t lines = 0;
  for (char c : *data) lines += c == '\n';
  double read_s = Now() - t0;
  double plain_mb = double(data->size()) / 1e6;
  t0 = Now();
  auto v = audit::VerifyStore(store, {});
  double verify_s = Now() - t0;
  if (!v.ok() || !v->ok || lines != n) return 1;
  double store_mb = double(v->bytes) / 1e6;

  double plain_rps = double(n) / plain_s, audit_rps = double(n) / audit_s;
  std::printf("append  plain: %10.0f records/s   audit: %10.0f records/s\n", plain_rps, audit_rps);
  std::printf("read    plain: %10.1f MB/s        verify: %9.1f MB/s\n", plain_mb / read_s,
              store_mb / verify_s);
  std::printf("ratio   append %.2f   verify %.2f\n", audit_rps / plain_rps,
              (store_mb / verify_s) / (plain_mb / read_s));
  std::string cmd = "rm -rf '" + dir + "'";
  return std::system(cmd.c_str()) == 0 ? 0 : 1;
}
