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
  std::vector<uint32_t> delta(classes_, 0);
  for (uint32_t id = 0; id < literals_.size(); ++id) {
    uint32_t s = 0;
    for (char ch : literals_[id].bytes) {
      uint32_t c = byte_class_[Lower(static_cast<uint8_t>(ch))];
      uint32_t& edge = delta[s * classes_ + c];
      if (edge == 0) {
        edge = static_cast<uint32_t>(own.size());
        own.emplace_back();
        delta.resize(delta.size() + classes_, 0);
      }
      s = delta[s * classes_ + c];  // re-read: resize may have moved `edge`
    }
    if (s != 0) own[s].push_back(id);
  }
  const uint32_t states = static_cast<uint32_t>(own.size());

  // Breadth-first: failure links, full DFA transitions, dictionary links.
  std::vector<uint32_t> fail(states, 0);
  std::vector<uint32_t> dict(states, 0);
  std::vector<uint32_t> queue;
  queue.reserve(states);
  for (uint32_t c = 0; c < classes_; ++c) {
    uint32_t t = delta[c];
    if (t != 0) queue.push_back(t);  // depth 1: fail to root
  }
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    uint32_t s = queue[qi];
    uint32_t f = fail[s];
    dict[s] = !own[f].empty() ? f : dict[f];
    for (uint32_t c = 0; c < classes_; ++c) {
      uint32_t& edge = delta[s * classes_ + c];
      if (edge != 0) {
        fail[edge] = delta[f * classes_ + c];
        queue.push_back(edge);
      } else {
        edge = delta[f * classes_ + c];
      }
    }
  }

  // Number the states for the scan (automaton.h, "Layout"): the root, the states without
  // outputs breadth-first, then those with outputs breadth-first. `queue` holds every state but
  // the root in breadth-first order.
  auto has_output = [&](uint32_t s) { return !own[s].empty() || dict[s] != 0; };
  std::vector<uint32_t> order;
  order.reserve(states);
  order.push_back(0);  // the root: literals are non-empty, so nothing ends there
  for (uint32_t s : queue) {
    if (!has_output(s)) order.push_back(s);
  }
  first_output_ = static_cast<uint32_t>(order.size());
  for (uint32_t s : queue) {
    if (has_output(s)) order.push_back(s);
  }
  std::vector<uint32_t> new_id(states, 0);
  for (uint32_t k = 0; k < states; ++k) new_id[order[k]] = k;

  dict_link_.assign(states, 0);
  outputs_begin_.assign(states + 1, 0);
  for (uint32_t k = 0; k < states; ++k) {
    const uint32_t s = order[k];
    dict_link_[k] = new_id[dict[s]];  // the root stays 0
    outputs_begin_[k] = static_cast<uint32_t>(out_ids_.size());
    out_ids_.insert(out_ids_.end(), own[s].begin(), own[s].end());
  }
  outputs_begin_[states] = static_cast<uint32_t>(out_ids_.size());
  auto fill = [&]<typename T>(std::vector<T>* table) {
    table->resize(static_cast<size_t>(states) * classes_);
    for (uint32_t k = 0; k < states; ++k) {
      const uint32_t* row = &delta[static_cast<size_t>(order[k]) * classes_];
      for (uint32_t c = 0; c < classes_; ++c) {
        (*table)[static_cast<size_t>(k) * classes_ + c] = static_cast<T>(new_id[row[c]]);
      }
    }
  };
  if (states <= 65536) {
    fill(&delta16_);
  } else {
    fill(&delta32_);
  }
}

}  // namespace gs::prefilter::internal
