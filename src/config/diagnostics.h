// Config diagnostics: every problem found while loading a config file, with its position and
// an optional hint, collected so that one run of `govshield config check` reports all of them.
//
// Positions are 1-based (line, column) as editors show them; line 0 means "the whole file"
// (unreadable, too large, empty).
#pragma once

#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

#include "core/status.h"

namespace gs::config {

struct Mark {
  int line = 0;    // 1-based; 0 = no position (applies to the whole file)
  int column = 0;  // 1-based
};

struct Diagnostic {
  std::string file;
  Mark mark;
  std::string message;
  std::string hint;  // may be empty

  // "FILE:LINE:COL: error: message (hint)"; "FILE: error: message" when there is no position.
  std::string ToString() const;
};

// Collects diagnostics for one file. Keeps the first `max_kept` and counts the rest, so a
// pathological file cannot make the report (or memory) grow without bound. Not thread-safe.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file, size_t max_kept = 100);

  void Add(Mark mark, std::string message, std::string hint = {});

  bool empty() const { return total_ == 0; }
  // All problems found, including the ones not kept.
  size_t total() const { return total_; }
  // In the order found (which follows the bind functions, not the file).
  const std::vector<Diagnostic>& kept() const { return kept_; }
  // Ordered by position in the file, as a person reads them; whole-file problems first.
  std::vector<Diagnostic> Sorted() const;
  const std::string& file() const { return file_; }

  // OK when empty; otherwise INVALID_ARGUMENT whose message is one diagnostic per line (sorted),
  // followed by "N error(s)" (and how many were not shown).
  Status ToStatus() const;

 private:
  std::string file_;
  size_t max_kept_;
  size_t total_ = 0;
  std::vector<Diagnostic> kept_;
};

}  // namespace gs::config
