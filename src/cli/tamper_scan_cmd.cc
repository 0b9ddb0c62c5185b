// `govshield tamper scan PATH [--json]`: webshell scan of a web root (issue 5). Registered into
// the `tamper` command group by RegisterTamperScan. Exit 0 = everything clean, 1 = at least
// one suspicious or webshell file, 2 = error (bad arguments, unreadable root, rules broken).
// Output: one line per flagged or skipped file and a summary (or, with --json, one JSON object
// per line for every file followed by a summary object); progress goes to stderr.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/cli.h"
#include "webshell/scanner.h"

namespace gs::cli {
namespace {

struct TamperScanOptions {
  std::string path;
  bool json = false;
  bool quiet = false;
  uint64_t max_file_bytes = 8u << 20;
};

std::string Printable(const std::string& s) {
  // Hostile names must not forge output lines or terminal escapes.
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

int RunTamperScan(const TamperScanOptions& o) {
  webshell::ScanOptions so;
  so.max_file_bytes = o.max_file_bytes;
  auto scanner = webshell::Scanner::Create(so);
  if (!scanner.ok()) {
    Fail(scanner.status());
    return 2;
  }
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  auto last_progress = start;
  uint64_t seen = 0;
  bool progress_shown = false;
  auto stats = (*scanner)->ScanTree(
      o.path,
      [&](const webshell::FileResult& r) {
        ++seen;
        if (o.json) {
          std::string line = webshell::FileResultJson(r);
          line.push_back('\n');
          std::fputs(line.c_str(), stdout);
        } else if (r.skipped) {
          std::printf("skipped    %s (%s)\n", Printable(r.path).c_str(), r.skip_reason.c_str());
        } else if (r.verdict != webshell::Verdict::kClean) {
          std::printf("%-10s %s score=%d", webshell::VerdictName(r.verdict),
                      Printable(r.path).c_str(), r.score);
          for (const auto& f : r.findings) {
            std::printf(" %s%s%s@%llu", f.rule.c_str(), f.family.empty() ? "" : "/",
                        f.family.c_str(), static_cast<unsigned long long>(f.offset));
          }
          std::printf("\n");
        }
        auto now = Clock::now();
        if (!o.quiet && now - last_progress > std::chrono::seconds(1)) {
          last_progress = now;
          progress_shown = true;
          std::fprintf(stderr, "\rscanned %llu files...", static_cast<unsigned long long>(seen));
        }
      },
      [&](const std::string& path, const Status& err) {
        std::fprintf(stderr, "govshield: %s: %s\n", Printable(path).c_str(),
                     std::string(err.message()).c_str());
      });
  if (progress_shown) std::fprintf(stderr, "\n");
  if (!stats.ok()) {
    Fail(stats.status());
    return 2;
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  const auto& s = *stats;
  if (o.json) {
    std::printf(
        "{\"summary\":true,\"files\":%llu,\"scanned\":%llu,\"skipped\":%llu,\"suspicious\":%llu,"
        "\"webshells\":%llu,\"errors\":%llu,\"seconds\":%.3f}\n",
        static_cast<unsigned long long>(s.files), static_cast<unsigned long long>(s.scanned),
        static_cast<unsigned long long>(s.skipped), static_cast<unsigned long long>(s.suspicious),
        static_cast<unsigned long long>(s.webshells), static_cast<unsigned long long>(s.errors),
        secs);
  } else {
    std::printf(
        "%llu files: %llu scanned, %llu skipped, %llu suspicious, %llu webshell, "
        "%llu errors (%.2f s)\n",
        static_cast<unsigned long long>(s.files), static_cast<unsigned long long>(s.scanned),
        static_cast<unsigned long long>(s.skipped), static_cast<unsigned long long>(s.suspicious),
        static_cast<unsigned long long>(s.webshells), static_cast<unsigned long long>(s.errors),
        secs);
  }
  std::fflush(stdout);
  if (s.errors > 0) return 2;
  return s.suspicious + s.webshells > 0 ? 1 : 0;
}

}  // namespace

void RegisterTamperScan(CLI::App& tamper_group) {
  auto opts = std::make_shared<TamperScanOptions>();
  auto* scan = tamper_group.add_subcommand(
      "scan",
      "Scan a directory (recursively) or a file for webshells; exit 0 clean, "
      "1 findings, 2 error");
  scan->add_option("PATH", opts->path, "Web root or file to scan")->required();
  scan->add_flag("--json", opts->json, "One JSON object per file, then a summary object");
  scan->add_flag("--quiet", opts->quiet, "No progress on stderr");
  scan->add_option("--max-file-bytes", opts->max_file_bytes,
                   "Files larger than this are skipped with a reason")
      ->capture_default_str();
  scan->callback(Action([opts] { return RunTamperScan(*opts); }));
}

}  // namespace gs::cli
