// Webshell detection for web roots (issue 5, `govshield tamper scan`, and the publish gate).
//
// A Scanner is built once: it compiles our own YARA rule set (src/webshell/rules/*.yar,
// embedded into the binary at build time) with libyara and then classifies file contents by
// combining rule hits with our own heuristics (string-literal entropy, line-length and
// obfuscation ratios, decoder chains, dynamic function names, request input reaching a code
// sink). Before matching, PHP code is normalised (comments removed, whitespace collapsed,
// identifiers lower-cased, literal concatenations and chr() calls folded, "\x41" escapes
// decoded) and literal payloads behind base64 / gzinflate / str_rot13 / strrev / hex2bin are
// decoded and scanned as further layers, so noise and layering do not hide a known shape.
//
// Files are untrusted: a size cap applies, binary files are skipped with a reason (unless they
// carry a script marker, as image/script polyglots do), tree walks never follow symlinks, and
// names are kept as raw bytes and escaped when rendered as JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::webshell {

enum class Verdict { kClean, kSuspicious, kWebshell };
const char* VerdictName(Verdict v);

// One reason a file scored: a YARA rule (name as in the .yar file) or a heuristic ("heur_...").
struct Finding {
  std::string rule;
  std::string family;  // "china_chopper", "behinder", "godzilla", "antsword" or "" (generic)
  int score = 0;
  uint64_t offset = 0;  // byte offset in the file of the evidence (start of the layer if decoded)
  std::string excerpt;  // at most ~80 bytes of the evidence, raw bytes
  int layer = 0;        // 0 = the file itself, n = n-th decoded payload layer
};

struct FileResult {
  std::string path;  // raw bytes as found on disk (may be invalid UTF-8)
  Verdict verdict = Verdict::kClean;
  int score = 0;
  bool skipped = false;
  std::string skip_reason;  // set when skipped (binary, too large, symlink, not a regular file,
                            // unreadable)
  uint64_t size = 0;
  std::vector<Finding> findings;
};

struct ScanOptions {
  uint64_t max_file_bytes = 8u << 20;  // larger files are skipped with a reason
  int suspicious_score = 50;           // score >= this: suspicious
  int webshell_score = 100;            // score >= this: webshell
  int max_decode_depth = 4;            // decoded payload layers followed per file
};

// Tree-walk statistics.
struct TreeStats {
  uint64_t files = 0;  // regular files looked at (scanned or skipped)
  uint64_t scanned = 0;
  uint64_t skipped = 0;
  uint64_t bytes = 0;
  uint64_t suspicious = 0;
  uint64_t webshells = 0;
  uint64_t errors = 0;  // directories that could not be opened
};

class Scanner {
 public:
  // Initialises libyara for the process (once) and compiles the embedded rule set. Returns
  // InternalError if the rules do not compile (a build defect) or libyara fails.
  static Result<std::unique_ptr<Scanner>> Create(const ScanOptions& options = {});
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Classifies `data` as the contents of a file called `name` (the name's extension guides the
  // language guess). Thread-safe: any number of threads may scan concurrently. Never fails: bad
  // bytes give a result (possibly skipped with a reason).
  FileResult ScanBuffer(std::string_view name, std::string_view data) const;

  // Reads and scans one file without following a symlink at `path` itself.
  FileResult ScanFile(const std::string& path) const;

  // Walks `root` recursively (a single file is scanned as itself), never following symlinks
  // below the root and never leaving the root's file system tree; calls `on_result` for every
  // regular file and every symlink found (symlinks are reported skipped). Directories that
  // cannot be opened are counted in stats.errors and reported through `on_error`. Returns
  // NotFound / IoError if the root itself cannot be opened.
  Result<TreeStats> ScanTree(
      const std::string& root, const std::function<void(const FileResult&)>& on_result,
      const std::function<void(const std::string& path, const Status& error)>& on_error = {}) const;

  // Names of all compiled YARA rules (for tests and `--help`-style listings).
  std::vector<std::string> RuleNames() const;

  const ScanOptions& options() const { return options_; }

 private:
  struct Impl;
  explicit Scanner(const ScanOptions& options);
  ScanOptions options_;
  std::unique_ptr<Impl> impl_;
};

// One file's result as a JSON object (path escaped; invalid UTF-8 is replaced by U+FFFD in
// "path" and the exact bytes are given as hex in "path_hex").
std::string FileResultJson(const FileResult& r);

}  // namespace gs::webshell
