// The SecLang parser: configuration text and files -> RuleSet (AST), with every error collected.
//
// A Parser accumulates one file set: call ParseString/ParseFile any number of times in load
// order (as consecutive Include directives would), then Finish(). Validation that spans the set
// (unique rule ids, SecDefaultAction once per phase) covers everything parsed so far. Errors
// never stop parsing: a bad directive is reported and skipped, and the rest is still checked,
// so one run shows every problem. Nothing is evaluated; regexes are not compiled here.
//
// Not thread-safe; use one Parser per load. Bounded: Include depth, file size and rule count
// are limited by ParseOptions, so hostile input cannot make it recurse or allocate without end.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "seclang/ast.h"

namespace gs::seclang {

struct ParseOptions {
  // Directory that relative paths in string input (Include, @pmFromFile ...) resolve against.
  // Empty: the current directory. In files, relative paths resolve against the file's own
  // directory first and against base_dir when nothing exists there.
  std::string base_dir;
  // Whether Include and data-file references may touch the file system at all (the fuzzer
  // turns this off). When false, Include is an error and data files are not checked.
  bool allow_file_access = true;
  // Whether data files named by operators and directives must exist at parse time.
  bool check_data_files = true;
  int max_include_depth = 16;
  size_t max_file_bytes = 64u << 20;
  size_t max_errors = 1000;  // further errors are counted but not stored
};

class Parser {
 public:
  explicit Parser(ParseOptions options = {});

  // Parses `text` as if it were a file named `pseudo_file` (used in locations only).
  void ParseString(std::string_view text, std::string_view pseudo_file);

  // Parses a path or glob exactly as `Include path_or_glob` at top level would (relative paths
  // against options.base_dir).
  void ParseFile(const std::string& path_or_glob);

  // Final cross-directive checks (a chain left open at the end). Call once, after the last
  // Parse*; the parser must not be used afterwards.
  void Finish();

  const RuleSet& rule_set() const { return set_; }
  RuleSet TakeRuleSet() { return std::move(set_); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  // Constructs ModSecurity v3 accepts but that are probably mistakes (a SecAction without id,
  // a chain left open at the end of a file, an unterminated quote at the end of a line ...).
  // They do not make the load fail.
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  size_t error_count() const { return error_count_; }  // including ones past max_errors
  bool ok() const { return error_count_ == 0; }

  // OK, or INVALID_ARGUMENT whose message lists every error, one per line.
  Status ToStatus() const;

 private:
  void ParseText(std::string_view text, const std::string& file, const std::string& dir, int depth);
  // `optional`: IncludeOptional (Apache, used by Debian's owasp-crs.load) — a missing file or
  // an empty glob is not an error.
  void ParseInclude(const std::string& pattern, const std::string& dir, int depth,
                    const SourceLocation& where, bool optional = false);
  void ParseOneFile(const std::string& path, int depth, const SourceLocation& where);
  void CloseOpenChain(const SourceLocation& where);
  void Error(SourceLocation loc, std::string message, std::string hint = {});
  void Warning(SourceLocation loc, std::string message, std::string hint = {});
  // `path` resolved against `dir`; when that does not exist, against options_.base_dir (the
  // load root), as ModSecurity v3 also tries the path relative to where it was started.
  std::string ResolvePath(const std::string& dir, std::string_view path) const;

  friend class DirectiveParser;

  ParseOptions options_;
  RuleSet set_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
  size_t error_count_ = 0;
  std::vector<std::string> include_stack_;  // canonical paths being parsed (cycle detection)
  std::unordered_map<int64_t, SourceLocation> ids_;
  std::set<int> default_action_phases_;
  std::optional<size_t> open_chain_;  // rule whose `chain` awaits its child
};

// Convenience: parse one string, return the set or all errors in one Status.
Result<RuleSet> ParseString(std::string_view text, std::string_view pseudo_file,
                            ParseOptions options = {});
// Convenience: parse paths/globs in order as one file set.
Result<RuleSet> ParseFiles(const std::vector<std::string>& paths_or_globs,
                           ParseOptions options = {});

}  // namespace gs::seclang
