// bench/tamper: issue 5 acceptance 2, the baseline and full-check speed of GovShield against
// AIDE (Debian's aide 0.18), side by side in the same run on the same tree.
//
//  - builds a web tree: FILES files (default 20,000) of 1-39 KB (mean 20 KB, ~400 MB) in
//    200 directories, then reads it once so both tools start with a warm page cache;
//  - baseline: `govshield tamper baseline` (SM3 of every file, a content-addressed copy of every
//    file into the vault, SM2-signed manifest) against `aide --init` with rule
//    p+u+g+s+ftype+sha256 (the same attributes: mode, owner, size, type, one digest);
//  - re-baseline: the same command again with the vault already filled (what a publish or a
//    periodic re-baseline costs; AIDE has no such case, its --init always starts over);
//  - full check: `govshield tamper verify` (re-hashes every file against the manifest) against
//    `aide --check`;
//  - both use every core (ours: one hashing thread per core; AIDE: num_workers = cores);
//  - ROUNDS rounds (default 3), the order alternating, medians reported; ratio = AIDE's time /
//    ours, printed last. The target is ratio >= 3 for the baseline.
//  - besides wall time, the CPU time (user + sys, from the children's rusage) of each run, and
//    the load average before and after: the machine may be shared, and CPU time is what a
//    run costs regardless of how busy the other cores are.
// Exit status: 0 if every run succeeded and each tool found the tree unchanged on check.
//
//  - --tree DIR: a copy of DIR (cp -a: files, directories and symlinks) is measured instead of
//    the generated tree, e.g. a real web tree such as /usr/share/wordpress +
//    /usr/share/mediawiki + /usr/share/phpmyadmin. The generated tree is mostly spaces and
//    compresses ~8x; real web content compresses 2.5-4x; the vault size is printed for both.
//  - --compress MODE is passed to `tamper baseline` (auto, the default, always or never;
//    `none` passes no flag, for a govshield older than the option); --govshield PATH measures
//    another build (e.g. the previous commit's) instead of this build's.
//
// Usage: bench_tamper_baseline_vs_aide [--files N] [--rounds R] [--dir WORKDIR] [--keep]
//                                      [--tree DIR ...] [--compress MODE] [--govshield PATH]
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "platform/file.h"
#include "testlib/subprocess.h"

using gs::testing::GovshieldBinary;
using gs::testing::RunProcess;

namespace {

double Seconds(const std::chrono::steady_clock::time_point& t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Plain write: the tree does not need to be durable, and 20,000 fsyncs would dominate.
bool WriteFile(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = ::write(fd, data.data(), data.size()) == ssize_t(data.size());
  return ::close(fd) == 0 && ok;
}

struct Timed {
  double seconds = 0;
  double cpu = 0;  // user + sys of the process and its children
  int exit_code = -1;
  std::string err;
};

double ChildrenCpu() {
  struct rusage ru;
  ::getrusage(RUSAGE_CHILDREN, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Bytes in the files under `dir` (st_size, files only) and their count.
void DiskUse(const std::string& dir, uint64_t* bytes, uint64_t* files) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    struct stat st;
    if (::lstat((dir + "/" + n).c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      DiskUse(dir + "/" + n, bytes, files);
    } else if (S_ISREG(st.st_mode)) {
      *bytes += uint64_t(st.st_size);
      ++*files;
    }
  }
  ::closedir(d);
}

std::string LoadAverage() {
  auto r = gs::platform::ReadFile("/proc/loadavg");
  if (!r.ok()) return "?";
  std::string s = *r;
  size_t third = s.find(' ', s.find(' ', s.find(' ') + 1) + 1);
  return third == std::string::npos ? s : s.substr(0, third);
}

Timed Run(const std::vector<std::string>& argv) {
  auto t0 = std::chrono::steady_clock::now();
  double c0 = ChildrenCpu();
  auto r = RunProcess(argv);
  Timed t;
  t.seconds = Seconds(t0);
  t.cpu = ChildrenCpu() - c0;
  t.exit_code = r.exit_code;
  t.err = r.err.substr(0, 2000) + r.out.substr(0, 500);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  size_t files = 20000;
  int rounds = 3;
  std::string work;
  bool keep = false;
  std::vector<std::string> trees;
  std::string compress = "auto", gs_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--files" && i + 1 < argc) {
      files = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else if (a == "--dir" && i + 1 < argc) {
      work = argv[++i];
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--tree" && i + 1 < argc) {
      trees.push_back(argv[++i]);
    } else if (a == "--compress" && i + 1 < argc) {
      compress = argv[++i];
    } else if (a == "--govshield" && i + 1 < argc) {
      gs_path = argv[++i];
    } else {
      std::fprintf(
          stderr,
          "usage: bench_tamper_baseline_vs_aide [--files N] [--rounds R] [--dir D] "
          "[--keep] [--tree DIR ...] [--compress auto|always|never|none] [--govshield PATH]\n");
      return 2;
    }
  }
  if (RunProcess({"aide", "--version"}).exit_code != 0) {
    std::fprintf(stderr, "bench_tamper: aide not found (Debian package aide; scripts/deps.sh)\n");
    return 2;
  }
  if (work.empty()) {
    char tmpl[] = "/tmp/gs-bench-tamper-XXXXXX";
    if (!::mkdtemp(tmpl)) return 2;
    work = tmpl;
  }
  std::string root = work + "/www", gs = gs_path.empty() ? GovshieldBinary() : gs_path;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());

  uint64_t bytes = 0;
  auto t_build = std::chrono::steady_clock::now();
  if (trees.empty()) {
    // The generated tree: mostly spaces (compresses ~8x with zstd; real pages less).
    std::mt19937_64 rng(5400);
    for (size_t i = 0; i < files; ++i) {
      std::string dir = root + "/s" + std::to_string(i % 20) + "/d" + std::to_string(i % 200);
      if (i < 200 && !gs::platform::MakeDirs(dir, 0755).ok()) return 2;
      size_t size = 1024 + rng() % (38 * 1024);
      std::string body(size, ' ');
      for (size_t k = 0; k < size; k += 8) body[k] = char('a' + (rng() % 26));
      if (!WriteFile(dir + "/page" + std::to_string(i) + ".html", body)) return 2;
      bytes += size;
    }
  } else {
    if (!gs::platform::MakeDirs(root, 0755).ok()) return 2;
    for (const std::string& t : trees) {
      if (Run({"cp", "-a", t, root + "/"}).exit_code != 0) {
        std::fprintf(stderr, "bench_tamper: cannot copy %s\n", t.c_str());
        return 2;
      }
    }
    uint64_t n = 0;
    DiskUse(root, &bytes, &n);
    files = size_t(n);
  }
  // Warm the page cache for both tools alike.
  Run({"sh", "-c", "find '" + root + "' -type f -exec cat {} + > /dev/null"});
  std::printf(
      "tree: %zu files, %.1f MB in %s (%s, built in %.1f s); %u cores; %d rounds; load average "
      "%s\n",
      files, bytes / 1e6, root.c_str(), trees.empty() ? "generated" : "copied", Seconds(t_build),
      cores, rounds, LoadAverage().c_str());

  auto keys = RunProcess({gs, "keys", "gen", "--out", work + "/keys"});
  if (keys.exit_code != 0) {
    std::fprintf(stderr, "keys gen failed: %s\n", keys.err.c_str());
    return 1;
  }
  std::string conf = work + "/aide.conf";
  WriteFile(conf, "database_in=file:" + work + "/aide.db\n" + "database_out=file:" + work +
                      "/aide.db.new\n" + "gzip_dbout=no\n" +
                      "num_workers=" + std::to_string(cores) + "\n" + "report_url=file:" + work +
                      "/aide.report\n" + "GsRule = p+u+g+s+ftype+sha256\n" + root + " GsRule\n");

  std::vector<double> gs_init, gs_rebase, gs_check, aide_init, aide_check, gs_init_cpu,
      aide_init_cpu;
  uint64_t vault_bytes = 0, vault_files = 0;
  bool ok = true;
  for (int r = 0; r < rounds && ok; ++r) {
    for (int side = 0; side < 2 && ok; ++side) {
      bool ours = (side == 0) == (r % 2 == 0);  // alternate who goes first
      if (ours) {
        Run({"rm", "-rf", work + "/vault"});
        std::vector<std::string> cmd = {gs,
                                        "tamper",
                                        "baseline",
                                        "--root",
                                        root,
                                        "--vault",
                                        work + "/vault",
                                        "--key",
                                        work + "/keys/sm2-private.pem",
                                        "--no-progress"};
        if (compress != "none") {
          cmd.push_back("--compress");
          cmd.push_back(compress);
        }
        Timed b = Run(cmd);
        vault_bytes = vault_files = 0;
        DiskUse(work + "/vault/packs", &vault_bytes, &vault_files);
        Timed rb = Run(cmd);
        Timed c = Run({gs, "tamper", "verify", "--root", root, "--vault", work + "/vault",
                       "--pubkey", work + "/keys/sm2-public.pem"});
        if (b.exit_code != 0 || c.exit_code != 0 || rb.exit_code != 0) {
          std::fprintf(stderr, "govshield failed (%d/%d): %s %s\n", b.exit_code, c.exit_code,
                       b.err.c_str(), c.err.c_str());
          ok = false;
        }
        gs_init.push_back(b.seconds);
        gs_init_cpu.push_back(b.cpu);
        gs_rebase.push_back(rb.seconds);
        gs_check.push_back(c.seconds);
        std::printf(
            "round %d govshield: baseline %.2f s (cpu %.2f s, %.0f files/s, vault packs %.1f MB), "
            "re-baseline %.2f s, check %.2f s; load %s\n",
            r, b.seconds, b.cpu, files / b.seconds, vault_bytes / 1e6, rb.seconds, c.seconds,
            LoadAverage().c_str());
      } else {
        ::unlink((work + "/aide.db").c_str());
        ::unlink((work + "/aide.db.new").c_str());
        Timed b = Run({"aide", "--config", conf, "--init"});
        std::rename((work + "/aide.db.new").c_str(), (work + "/aide.db").c_str());
        Timed c = Run({"aide", "--config", conf, "--check"});
        if (b.exit_code != 0 || c.exit_code != 0) {
          std::fprintf(stderr, "aide failed (%d/%d): %s %s\n", b.exit_code, c.exit_code,
                       b.err.c_str(), c.err.c_str());
          ok = false;
        }
        aide_init.push_back(b.seconds);
        aide_init_cpu.push_back(b.cpu);
        aide_check.push_back(c.seconds);
        std::printf(
            "round %d aide:      init %.2f s (cpu %.2f s, %.0f files/s), check %.2f s; load %s\n",
            r, b.seconds, b.cpu, files / b.seconds, c.seconds, LoadAverage().c_str());
      }
      std::fflush(stdout);
    }
  }
  if (!keep) Run({"rm", "-rf", work});
  if (!ok) return 1;
  double gi = Median(gs_init), gr = Median(gs_rebase), gc = Median(gs_check),
         ai = Median(aide_init), ac = Median(aide_check);
  std::printf("\n| | govshield (SM3, vault copy, SM2 sign) | aide 0.18 (sha256) | ratio |\n");
  std::printf("|---|---|---|---|\n");
  std::printf("| baseline | %.2f s (%.0f files/s, %.0f MB/s) | %.2f s (%.0f files/s) | %.2fx |\n",
              gi, files / gi, bytes / 1e6 / gi, ai, files / ai, ai / gi);
  std::printf(
      "| re-baseline (vault filled) | %.2f s (%.0f files/s) | %.2f s (init again) | "
      "%.2fx |\n",
      gr, files / gr, ai, ai / gr);
  std::printf("| full check | %.2f s (%.0f files/s) | %.2f s (%.0f files/s) | %.2fx |\n", gc,
              files / gc, ac, files / ac, ac / gc);
  double gcpu = Median(gs_init_cpu), acpu = Median(aide_init_cpu);
  std::printf("| baseline CPU time (user+sys) | %.2f s | %.2f s | %.2fx |\n", gcpu, acpu,
              acpu / gcpu);
  std::printf(
      "vault packs after the baseline: %.1f MB for %.1f MB of files (%.2fx, --compress %s)\n",
      vault_bytes / 1e6, bytes / 1e6, vault_bytes ? double(bytes) / vault_bytes : 0.0,
      compress.c_str());
  std::printf("load average at the end: %s\n", LoadAverage().c_str());
  std::printf("check ratio (aide / govshield): %.2fx\n", ac / gc);
  std::printf("baseline ratio (aide / govshield, target >= 3): %.2fx\n", ai / gi);
  return 0;
}
