// Aho-Corasick construction; see automaton.h.
#include "ruleengine/prefilter/automaton.h"

namespace gs::prefilter::internal {
namespace {

uint8_t Lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + 32) : c; }

}  // namespace

LiteralAutomaton::LiteralAutomaton(const std::vector<Literal>& literals) : literals_(literals) {
  // Byte classes: every case-folded byte that occurs in a literal gets its own class.
  for (const auto& l : literals_) {
    for (char ch : l.bytes) {
      uint8_t f = Lower(static_cast<uint8_t>(ch));
      if (byte_class_[f] == 0) byte_class_[f] = static_cast<uint8_t>(classes_++);
    }
  }
  for (int c = 'A'; c <= 'Z'; ++c) byte_class_[c] = byte_class_[c + 32];
  if (literals_.empty()) return;

  // Trie (goto function); 0 = no edge (the root is never a child).
  std::vector<std::vector<uint32_t>> own(1);
  delta_.assign(classes_, 0);
  for (uint32_t id = 0; id < literals_.size(); ++id) {
    uint32_t s = 0;
    for (char ch : literals_[id].bytes) {
      uint32_t c = byte_class_[Lower(static_cast<uint8_t>(ch))];
      uint32_t& edge = delta_[s * classes_ + c];
      if (edge == 0) {
        edge = static_cast<uint32_t>(own.size());
        own.emplace_back();
        delta_.resize(delta_.size() + classes_, 0);
      }
      s = delta_[s * classes_ + c];  // re-read: resize may have moved `edge`
    }
    if (s != 0) own[s].push_back(id);
  }
  const uint32_t states = static_cast<uint32_t>(own.size());

  // Breadth-first: failure links, full DFA transitions, dictionary links.
  std::vector<uint32_t> fail(states, 0);
  dict_link_.assign(states, 0);
  std::vector<uint32_t> queue;
  queue.reserve(states);
  for (uint32_t c = 0; c < classes_; ++c) {
    uint32_t t = delta_[c];
    if (t != 0) queue.push_back(t);  // depth 1: fail to root
  }
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    uint32_t s = queue[qi];
    uint32_t f = fail[s];
    dict_link_[s] = !own[f].empty() ? f : dict_link_[f];
    for (uint32_t c = 0; c < classes_; ++c) {
      uint32_t& edge = delta_[s * classes_ + c];
      if (edge != 0) {
        fail[edge] = delta_[f * classes_ + c];
        queue.push_back(edge);
      } else {
        edge = delta_[f * classes_ + c];
      }
    }
  }

  outputs_begin_.assign(states + 1, 0);
  for (uint32_t s = 0; s < states; ++s) {
    outputs_begin_[s] = static_cast<uint32_t>(out_ids_.size());
    out_ids_.insert(out_ids_.end(), own[s].begin(), own[s].end());
  }
  outputs_begin_[states] = static_cast<uint32_t>(out_ids_.size());
  for (auto& e : delta_) {
    if (!own[e].empty() || dict_link_[e] != 0) e |= kOutFlag;
  }
}

}  // namespace gs::prefilter::internal
