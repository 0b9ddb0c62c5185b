// Internal: a PCRE2 pattern reduced to the little the prefilter needs — which byte strings a
// pattern can match, over-approximated. The parser maps every construct to one of five node
// kinds so that the language of the tree is a SUPERSET of the strings PCRE2 can match:
//   kChars  one byte from a set (case folding already applied: (?i)a is {a, A});
//   kEmpty  the empty string (anchors, \b, lookarounds, verbs like (*COMMIT));
//   kAny    any string at all (backreferences, subroutine calls, conditionals, \R, \X, ...);
//   kConcat, kAlt, kRepeat(min, max) as usual.
// Over-approximating is what makes the extracted requirement sound: requirements are computed
// for a larger language, so they hold for the real one. Shared by extraction and by the
// test-only sampler (which generates strings of the tree's language, then keeps those PCRE2
// really matches).
#pragma once

#include <bitset>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::prefilter::internal {

enum class NodeKind { kEmpty, kChars, kAny, kConcat, kAlt, kRepeat };

struct Node {
  NodeKind kind = NodeKind::kEmpty;
  std::bitset<256> chars;  // kChars
  int min = 0;             // kRepeat
  int max = -1;            // kRepeat; -1 = unbounded
  std::vector<std::unique_ptr<Node>> children;
};

struct ParsedPattern {
  std::unique_ptr<Node> root;
  // Non-empty when the pattern uses a construct we refuse to over-approximate ((*UTF), (*ACCEPT),
  // an option letter we do not know ...): the pattern must be treated as unfilterable.
  std::string unsupported;
};

struct ParseLimits {
  int max_depth = 200;        // group nesting
  size_t max_nodes = 200000;  // bounds memory on hostile input
  // false: \d \s \w \h \v (and negations) as any byte, as before they were modelled: coarser
  // requirements with fewer literals (see ExtractOptions::exact_shorthands).
  bool exact_shorthands = true;
};

// The bytes PCRE2's built-in character tables (no UTF, no UCP) give \d \D \w \W \s \S \h \H
// \v \V, selected by the escape letter; nullopt for any other letter. Exact, so the negated forms
// and negated classes containing them are exact too (prefilter_test checks every byte against
// PCRE2 itself, so a build with other tables fails the test rather than the soundness).
std::optional<std::bitset<256>> ShorthandBytes(char letter);

// Errors: INVALID_ARGUMENT when the pattern is certainly invalid (see ExtractRequirement).
Result<ParsedPattern> ParsePattern(std::string_view pattern, bool caseless,
                                   const ParseLimits& limits = {});

}  // namespace gs::prefilter::internal
