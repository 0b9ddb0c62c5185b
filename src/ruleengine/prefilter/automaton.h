// Internal: an Aho-Corasick automaton over a set of Literals, the multi-literal engine behind
// LiteralMatcher and PrefilterSet.
//
// Why not Vectorscan: libvectorscan 5.4.9 (Debian 12) on this AVX-512 machine MISSES literal
// matches near the end of the buffer when a database holds several short (2-3 byte) literals
// (e.g. {"00","01"}: "01" at offset 64 of a 67..600-byte input is not reported, by both
// hs_compile_lit_multi and hs_compile_multi). A missed literal would be a missed attack, so the
// prefilter uses this small automaton whose correctness is checked exhaustively against the
// reference LiteralRequirement::SatisfiedBy in the tests. See docs/prefilter.md.
//
// Representation: all literals are ASCII-lowercased into one trie; bytes are mapped to
// equivalence classes (bytes that occur in some literal, case-folded; everything else is class
// 0) so the full DFA table is states x classes. A case-sensitive literal found by the folded
// automaton is confirmed with memcmp against the input. Immutable after Build; Scan is const
// and thread-safe.
//
// Layout: the table is the scan's working set (the WAF's all-rules automaton has ~41,000 states
// x 78 classes), so states are numbered for it. States where no literal ends come first, in
// breadth-first order (the shallow states benign text stays in are one contiguous block), then
// the states where one does: "a literal ends here" is `state >= first_output_`, a compare
// instead of a flag in every entry, and with fewer than 65,536 states an entry is 16 bits.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ruleengine/prefilter/prefilter.h"

namespace gs::prefilter::internal {

class LiteralAutomaton {
 public:
  // `literals` must be non-empty strings; their index is their id in Scan's callback.
  explicit LiteralAutomaton(const std::vector<Literal>& literals);

  // Calls on_hit(literal_id) for every occurrence of every literal in `input` (case-sensitive
  // literals only where the bytes match exactly), left to right by end position. on_hit
  // returns false to stop the scan. Returns false if stopped.
  template <typename F>
  bool Scan(std::string_view input, F&& on_hit) const;

  size_t state_count() const { return dict_link_.size(); }
  size_t classes() const { return classes_; }
  size_t table_bytes() const {
    return delta16_.size() * sizeof(uint16_t) + delta32_.size() * sizeof(uint32_t);
  }

 private:
  // Reports every literal ending at input[end - 1] in `state` (and its dictionary suffixes).
  template <typename F>
  bool Report(uint32_t state, std::string_view input, size_t end, F&& on_hit) const;
  template <typename T, typename F>
  bool ScanTable(const T* delta, std::string_view input, F&& on_hit) const;

  std::array<uint8_t, 256> byte_class_{};
  uint32_t classes_ = 1;
  uint32_t first_output_ = 0;      // states >= this have outputs (own or via dict_link_)
  std::vector<uint16_t> delta16_;  // state * classes_ + class -> next state (< 65,536 states)
  std::vector<uint32_t> delta32_;  // the same, otherwise
  // Literals ending exactly at a state: out_ids_[outputs_begin_[s] .. outputs_begin_[s + 1]).
  std::vector<uint32_t> outputs_begin_;
  std::vector<uint32_t> out_ids_;
  std::vector<uint32_t> dict_link_;  // nearest proper suffix state with own outputs, or 0
  std::vector<Literal> literals_;
};

template <typename F>
bool LiteralAutomaton::Report(uint32_t state, std::string_view input, size_t end,
                              F&& on_hit) const {
  for (uint32_t s = state; s != 0; s = dict_link_[s]) {
    for (uint32_t k = outputs_begin_[s]; k < outputs_begin_[s + 1]; ++k) {
      uint32_t id = out_ids_[k];
      const Literal& lit = literals_[id];
      if (!lit.caseless &&
          input.compare(end - lit.bytes.size(), lit.bytes.size(), lit.bytes) != 0) {
        continue;
      }
      if (!on_hit(id)) return false;
    }
  }
  return true;
}

template <typename T, typename F>
bool LiteralAutomaton::ScanTable(const T* delta, std::string_view input, F&& on_hit) const {
  uint32_t state = 0;
  const uint32_t classes = classes_;
  const uint32_t first_output = first_output_;
  for (size_t i = 0; i < input.size(); ++i) {
    state = delta[state * classes + byte_class_[static_cast<uint8_t>(input[i])]];
    if (state >= first_output && !Report(state, input, i + 1, on_hit)) return false;
  }
  return true;
}

template <typename F>
bool LiteralAutomaton::Scan(std::string_view input, F&& on_hit) const {
  if (!delta16_.empty()) return ScanTable(delta16_.data(), input, on_hit);
  if (!delta32_.empty()) return ScanTable(delta32_.data(), input, on_hit);
  return true;
}

}  // namespace gs::prefilter::internal
