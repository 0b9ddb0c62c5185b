// Literal prefilter for @rx rules: decides cheaply that a PCRE2 regex CANNOT match an input, so the
// rule engine can skip the PCRE2 call.
//
// Two steps, both at rule-load time:
//   1. ExtractRequirement(pattern) reads the PCRE2 pattern syntax and computes a set of literals
//      such that EVERY match of the regex contains at least one of them as a substring (compared
//      ASCII-case-insensitively where the pattern is (?i) there). Patterns without a useful set
//      (one that can match the empty string, whose best literal is too short, or that use
//      constructs we do not model such as (*UTF) or (*ACCEPT)) are "unfilterable", with a
//      human-readable reason for `waf lint`.
//   2. The requirements are compiled into multi-literal matchers: LiteralMatcher for one rule
//      evaluated alone, PrefilterSet for many rules scanned in one pass over the input.
//
// Soundness contract: if PCRE2 (compiled with no options, or any of PCRE2_DOTALL,
// PCRE2_MULTILINE, PCRE2_DOLLAR_ENDONLY, PCRE2_UNGREEDY, PCRE2_NO_AUTO_CAPTURE — i.e. how the
// operators module compiles @rx) finds a match of `pattern` anywhere in `input`, then
// LiteralMatcher::MayMatch(input) is true and PrefilterSet::Scan(input) marks the rule. A false
// "cannot match" would be a missed attack, so every doubt in extraction resolves towards "may
// match". The converse does not hold: "may match" only means "run PCRE2". Options that change
// what bytes a pattern matches (PCRE2_CASELESS, PCRE2_EXTENDED, PCRE2_UTF, PCRE2_UCP,
// PCRE2_LITERAL) are NOT covered unless written inline in the pattern ((?i), (?x) are modelled;
// (*UTF)/(*UCP) make a pattern unfilterable); pass ExtractOptions::caseless for PCRE2_CASELESS.
//
// The prefilter must see the same bytes PCRE2 would see (the transformed variable value).
// One observable difference from always calling PCRE2: on an input without the required
// literals PCRE2 can still exhaust its match limit before failing (ModSecurity then sets
// MSC_PCRE_LIMITS_EXCEEDED, which Debian's rule 200005 turns into a deny). Skipping the call
// skips that too; a match is never missed.
//
// Thread-safety: ExtractRequirement is a pure function. LiteralMatcher and PrefilterSet are
// immutable after Build and may be shared by any number of threads; all per-call mutable state
// would live in a Scratch, one per thread (like operators::MatchContext); today's engine needs
// none, so passing nullptr is fine, but keep one per thread for forward compatibility.
//
// Typical engine use:
//   auto req = prefilter::ExtractRequirement(rule_regex);          // load time
//   if (req.ok() && req->filterable()) {
//     GS_ASSIGN_OR_RETURN(auto m, prefilter::LiteralMatcher::Build(*req));   // one rule
//     set_inputs.push_back({rule_index, *req});                               // or many rules
//   }                                            // else: lint prints req->unfilterable_reason
//   GS_ASSIGN_OR_RETURN(auto set, prefilter::PrefilterSet::Build(set_inputs));
//   ...
//   prefilter::Scratch scratch;                                    // per thread, reused
//   prefilter::Bitset may(set->rule_index_bound());
//   may.Clear();                                  // Scan ORs bits in: clear per value
//   set->Scan(value, &scratch, &may);
//   if (!set->Covers(i) || may.Test(i)) RunPcre2(i, value);
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::prefilter {

namespace internal {
class LiteralAutomaton;
}

// One required literal. When `caseless` it matches any ASCII case variant of `bytes` (extraction
// stores those lowercased; callers may build them in any case); bytes >= 0x80 always compare
// exactly (PCRE2 without UTF folds ASCII only).
struct Literal {
  std::string bytes;
  bool caseless = false;

  friend bool operator==(const Literal& a, const Literal& b) {
    return a.caseless == b.caseless && a.bytes == b.bytes;
  }
  friend bool operator<(const Literal& a, const Literal& b) {
    if (a.bytes != b.bytes) return a.bytes < b.bytes;
    return a.caseless < b.caseless;
  }
};

// What ExtractRequirement found: either a non-empty OR-set of literals (filterable) or a reason.
struct LiteralRequirement {
  // Every match of the regex contains at least one of these. Sorted, no duplicates, no literal
  // that contains another one (the longer one would be redundant). Empty = unfilterable.
  std::vector<Literal> literals;
  // Why there are no literals (non-empty exactly when `literals` is empty), e.g.
  // "can match the empty string" or "best required literal \"a\" is shorter than 2 bytes".
  std::string unfilterable_reason;

  bool filterable() const { return !literals.empty(); }
  // Does `input` contain at least one literal? Reference implementation (slow, allocation-free):
  // tests and the fuzz target use it as the oracle for the compiled matchers. Unfilterable
  // requirements return true.
  bool SatisfiedBy(std::string_view input) const;
  // For `waf lint`: `"union"/i | "select"` (with C escapes for unprintable bytes), or
  // "unfilterable: <reason>".
  std::string ToString() const;
};

struct ExtractOptions {
  // A requirement whose shortest literal is shorter than this is not worth a scan (nearly every
  // input contains it): the pattern is reported unfilterable.
  size_t min_literal_length = 2;
  // Also accept one-byte literals that ordinary values rarely contain (quotes, < > ; | & $ ` and
  // other shell/markup metacharacters, control bytes other than TAB), so that e.g. "any match
  // contains ' or \" or `" still filters.
  bool allow_rare_single_bytes = true;
  // Upper bound on the number of literals in one requirement; larger sets are first shortened
  // (every literal truncated, which keeps soundness), then given up on.
  size_t max_literals = 512;
  // The regex is compiled with PCRE2_CASELESS (as if it started with (?i)).
  bool caseless = false;
  // Model \d \s \w \h \v and their negations as their exact byte sets, so literals can span
  // them ("get" + white space). false treats them as any byte: fewer, shorter literals, which
  // keeps a PrefilterSet automaton over many rules smaller (the engine's choice for small values).
  bool exact_shorthands = true;
};

// Computes the requirement of `pcre_pattern` (PCRE2 syntax, as written after @rx).
// Errors: INVALID_ARGUMENT only when the pattern is certainly not valid PCRE2 (unbalanced
// parentheses, unterminated class, trailing backslash); the engine should then report PCRE2's
// own compile error. Anything valid that we do not model yields OK with an unfilterable result.
// Never crashes on any bytes; bounded time and memory (nesting depth and set sizes are capped).
Result<LiteralRequirement> ExtractRequirement(std::string_view pcre_pattern,
                                              const ExtractOptions& options = {});

// The requirement of an @pm / @pmFromFile rule: any phrase, ASCII-case-insensitively (as
// ModSecurity's @pm). For such rules the scan is the exact answer, not just a prefilter.
// Unfilterable when `phrases` is empty or holds an empty phrase.
LiteralRequirement PhraseRequirement(const std::vector<std::string>& phrases);

// A growable bitset indexed by rule index.
class Bitset {
 public:
  Bitset() = default;
  explicit Bitset(size_t bits) { Resize(bits); }
  void Resize(size_t bits) { words_.resize((bits + 63) / 64, 0); }
  size_t size() const { return words_.size() * 64; }
  void Set(size_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  bool Test(size_t i) const {
    return i / 64 < words_.size() && (words_[i / 64] >> (i % 64) & 1) != 0;
  }
  void Clear() {
    for (auto& w : words_) w = 0;
  }
  // this |= other (over the common prefix of words).
  void OrWith(const Bitset& other) {
    size_t n = std::min(words_.size(), other.words_.size());
    for (size_t i = 0; i < n; ++i) words_[i] |= other.words_[i];
  }
  size_t Count() const;

 private:
  std::vector<uint64_t> words_;
};

// Per-thread scan state. The current engine (an Aho-Corasick automaton, see automaton.h for
// why not Vectorscan) needs none, so this is empty today; the API keeps it so a SIMD engine
// with per-thread scratch can be swapped in without touching callers. Not thread-safe;
// non-copyable.
class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

// Matcher for ONE requirement, for rules evaluated alone. Up to three case-sensitive literals
// are searched with memmem; anything else with an automaton. Immutable, shareable across
// threads.
class LiteralMatcher {
 public:
  // Errors: INVALID_ARGUMENT for an unfilterable requirement.
  static Result<std::shared_ptr<const LiteralMatcher>> Build(const LiteralRequirement& req);
  ~LiteralMatcher();

  // False means the regex cannot match `input`. `scratch` may be null.
  bool MayMatch(std::string_view input, Scratch* scratch = nullptr) const;

 private:
  LiteralMatcher() = default;
  std::vector<Literal> direct_;  // memmem search when automaton_ is null
  std::unique_ptr<const internal::LiteralAutomaton> automaton_;
};

// Many rules' requirements in one automaton; one pass over an input marks every rule whose
// requirement the input meets. Immutable, shareable across threads.
class PrefilterSet {
 public:
  struct Entry {
    size_t rule_index;  // caller's numbering; need not be dense; duplicates are merged (OR)
    LiteralRequirement requirement;
  };
  // Unfilterable entries are skipped (the rule is then not Covered and must always run).
  // Errors: INVALID_ARGUMENT for a rule index of 2^32 or more.
  static Result<std::shared_ptr<const PrefilterSet>> Build(const std::vector<Entry>& entries);
  ~PrefilterSet();

  // ORs into `may_match` the bit of every covered rule whose requirement `input` meets (it is
  // not cleared first, so several inputs can be accumulated). Resizes `may_match` to
  // rule_index_bound() if it is smaller (allocation only then). `scratch` may be null.
  void Scan(std::string_view input, Scratch* scratch, Bitset* may_match) const;

  // Whether `rule_index` had a filterable requirement (else the engine must always run it).
  bool Covers(size_t rule_index) const { return covered_.Test(rule_index); }
  size_t rule_index_bound() const { return bound_; }
  size_t covered_rules() const { return covered_count_; }
  size_t distinct_literals() const { return literal_rules_.size(); }

 private:
  PrefilterSet() = default;
  std::unique_ptr<const internal::LiteralAutomaton> automaton_;
  // literal id -> rule indices: rule_list_[literal_rules_[id].first .. .second)
  std::vector<std::pair<uint32_t, uint32_t>> literal_rules_;
  std::vector<uint32_t> rule_list_;
  Bitset covered_;
  size_t bound_ = 0;
  size_t covered_count_ = 0;
};

// Large inputs. An automaton pass costs several ns per byte, as does PCRE2 when its start
// optimisation finds candidates everywhere (921110's method names in 100 KB of text). For one
// literal set, FindAnyByRareBytes instead anchors every literal at its two adjacent bytes
// expected RAREST IN THIS INPUT (from `ByteCounts` of the input, computed once and shared by
// every rule), finds the anchors in one SIMD pass and compares the literal at each. The answer
// is exact, so it serves as the prefilter of @rx requirements and as the presence test of @pm
// phrases.
using ByteCounts = std::array<uint32_t, 256>;
void CountBytes(std::string_view input, ByteCounts* counts);

// Reusable plan buffers (per thread; not thread-safe).
class RareByteScratch {
 public:
  RareByteScratch() = default;
  RareByteScratch(const RareByteScratch&) = delete;
  RareByteScratch& operator=(const RareByteScratch&) = delete;

  struct Probe {
    uint32_t literal;
    uint32_t offset;  // of the anchor in the literal
  };
  struct Anchor {  // a byte, or two adjacent bytes; folded ones are stored lowercase
    uint8_t first = 0;
    bool fold_first = false;
    int16_t second = -1;  // -1: one-byte anchor
    bool fold_second = false;
    friend bool operator==(const Anchor&, const Anchor&) = default;
  };

  // FindAnyByRareBytes's own; callers only keep the object.
  std::vector<Anchor> anchors_;
  std::vector<Probe> probes_;                   // grouped by the input byte at the anchor
  std::array<uint32_t, 257> begin_{};           // byte -> probes_[begin_[b], begin_[b+1])
  std::vector<std::pair<uint8_t, Probe>> tmp_;  // (byte, probe) before grouping
  std::vector<Anchor> other_anchors_;           // the plan not (yet) chosen
  std::vector<std::pair<uint8_t, Probe>> other_tmp_;
};

// Whether `input` contains one of `literals` (caseless ones compare ASCII-case-insensitively),
// given `counts` = CountBytes(input). nullopt, without scanning, when the rarest anchors would
// still cost more than about `max_compares` literal comparisons, or more than 16 distinct
// anchors are needed (the caller then runs the regex or the automaton).
std::optional<bool> FindAnyByRareBytes(const std::vector<Literal>& literals, std::string_view input,
                                       const ByteCounts& counts, size_t max_compares,
                                       RareByteScratch* scratch);

}  // namespace gs::prefilter
