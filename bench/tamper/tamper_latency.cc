// Tamper guard write-to-restored latency: a page of the protected root is overwritten and the
// clock runs until the path holds the baseline content again. Runs the real Guard + Watcher
// in-process, once with fanotify (where available) and once with inotify, for 10 KiB and 1 MiB
// pages, and prints p50/p99/max. There is no peer to compare with side by side (detect-only FIM
// tools do not restore), so the figures are absolute and only meaningful on a quiet machine.
// The third argument is the vault's compression (auto, always, never; docs/formats/baseline.md
// §4.2): with `always` every page is restored from a zstd record (decompressed on the way).
// Usage: bench_tamper_latency [iterations_10k=300] [iterations_1m=50] [compress=auto]
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "platform/file.h"
#include "tamper/baseline.h"
#include "tamper/guard.h"
#include "tamper/vault.h"
#include "tamper/watcher.h"

namespace {

using Clock = std::chrono::steady_clock;

bool Write(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  bool ok = ::write(fd, data.data(), data.size()) == ssize_t(data.size());
  ::close(fd);
  return ok;
}

bool Holds(const std::string& path, const std::string& want) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  std::string got(want.size() + 1, '\0');
  ssize_t n = ::pread(fd, got.data(), got.size(), 0);
  ::close(fd);
  return n == ssize_t(want.size()) && std::equal(want.begin(), want.end(), got.begin());
}

double Pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

int Run(bool fanotify, int n10k, int n1m, gs::tamper::VaultCompression compress) {
  char tmpl[] = "/tmp/gs-bench-tamper-XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  std::string base = tmpl, root = base + "/www", vault_dir = base + "/vault";
  std::filesystem::create_directories(root + "/pages");
  std::vector<std::string> small, large;
  for (int i = 0; i < 100; ++i) {
    std::string p = root + "/pages/p" + std::to_string(i) + ".html";
    small.push_back(std::string(10240, char('a' + i % 26)));
    Write(p, small.back());
  }
  for (int i = 0; i < 8; ++i) {
    std::string p = root + "/pages/big" + std::to_string(i) + ".html";
    large.push_back(std::string(1 << 20, char('A' + i)));
    Write(p, large.back());
  }
  auto key = gs::crypto::Sm2PrivateKey::Generate();
  auto vault = gs::tamper::Vault::Create(vault_dir, std::nullopt);
  if (!key.ok() || !vault.ok()) return 1;
  vault->SetCompression(compress);
  auto text = gs::tamper::CreateSignedBaseline(root, *vault, *key, {}, nullptr);
  if (!text.ok()) {
    std::fprintf(stderr, "baseline: %s\n", text.status().ToString().c_str());
    return 1;
  }
  auto m = gs::tamper::ParseSignedManifest(*text, key->PublicKey());
  auto guard = gs::tamper::Guard::Create(root, *m, &*vault, {});
  gs::tamper::WatchOptions wo;
  wo.try_fanotify = fanotify;
  wo.sweep_interval_ms = 0;
  wo.ready_file = base + "/ready";
  auto watcher = gs::tamper::Watcher::Create(guard->get(), wo);
  if (!watcher.ok()) return 1;
  std::thread loop([&] { (*watcher)->Run().IgnoreError(); });
  while (!gs::platform::PathExists(wo.ready_file))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));

  // The writer must be another process: the guard ignores fanotify events caused by itself.
  int to_child[2], from_child[2];
  if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) return 1;
  pid_t child = ::fork();
  if (child == 0) {
    ::close(to_child[1]);
    ::close(from_child[0]);
    char cmd[8192];
    while (true) {
      ssize_t n = ::read(to_child[0], cmd, sizeof cmd);
      if (n <= 0) _exit(0);
      std::string path(cmd, size_t(n));
      size_t sep = path.find('\n');
      size_t len = std::strtoull(path.substr(sep + 1).c_str(), nullptr, 10);
      path.resize(sep);
      std::string bad(len, '!');
      int64_t t0 =
          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
              .count();
      Write(path, bad);
      if (::write(from_child[1], &t0, sizeof t0) != sizeof t0) _exit(1);
    }
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  auto tamper = [&](const std::string& path, size_t len) -> Clock::time_point {
    std::string cmd = path + "\n" + std::to_string(len);
    if (::write(to_child[1], cmd.data(), cmd.size()) != ssize_t(cmd.size())) std::abort();
    int64_t t0;
    if (::read(from_child[0], &t0, sizeof t0) != sizeof t0) std::abort();
    return Clock::time_point(std::chrono::nanoseconds(t0));
  };

  auto measure = [&](const std::vector<std::string>& pages, const char* prefix, int iters,
                     const char* label) {
    std::vector<double> ms;
    int timeouts = 0;
    for (int i = 0; i < iters; ++i) {
      size_t k = size_t(i) % pages.size();
      std::string path = root + "/pages/" + prefix + std::to_string(k) + ".html";
      auto t0 = tamper(path, pages[k].size());
      while (!Holds(path, pages[k])) {
        if (Clock::now() - t0 > std::chrono::seconds(5)) {
          ++timeouts;
          break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    std::printf("%-8s %-7s n=%-4d p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   timeouts %d\n",
                (*watcher)->mechanism().c_str(), label, iters, Pct(ms, 0.5), Pct(ms, 0.99),
                Pct(ms, 1.0), timeouts);
  };
  measure(small, "p", n10k, "10KiB");
  measure(large, "big", n1m, "1MiB");
  ::close(to_child[1]);
  ::close(from_child[0]);
  ::waitpid(child, nullptr, 0);
  (*watcher)->Stop();
  loop.join();
  std::error_code ec;
  std::filesystem::remove_all(base, ec);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int n10k = argc > 1 ? std::atoi(argv[1]) : 300;
  int n1m = argc > 2 ? std::atoi(argv[2]) : 50;
  auto compress = gs::tamper::ParseVaultCompression(argc > 3 ? argv[3] : "auto");
  if (!compress.ok()) {
    std::fprintf(stderr, "%s\n", compress.status().ToString().c_str());
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf(
      "tamper write-to-restored latency (another process overwrites a page; poll until "
      "the path holds the baseline content again)\n");
  int rc = Run(true, n10k, n1m, *compress);
  rc |= Run(false, n10k, n1m, *compress);
  return rc;
}
