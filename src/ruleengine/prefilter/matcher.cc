// Compiled literal matchers: LiteralMatcher (one rule) and PrefilterSet (many rules, one pass),
// both on the Aho-Corasick automaton of automaton.h (automaton.h says why not Vectorscan).
#include <algorithm>
#include <climits>
#include <cstring>
#include <map>

#include "ruleengine/prefilter/automaton.h"
#include "ruleengine/prefilter/prefilter.h"

namespace gs::prefilter {
namespace {

// glibc's memmem is vectorised; a few case-sensitive literals are faster searched one by one.
constexpr size_t kMaxDirectLiterals = 3;

}  // namespace

size_t Bitset::Count() const {
  size_t n = 0;
  for (uint64_t w : words_) n += static_cast<size_t>(__builtin_popcountll(w));
  return n;
}

Result<std::shared_ptr<const LiteralMatcher>> LiteralMatcher::Build(const LiteralRequirement& req) {
  if (!req.filterable()) {
    return InvalidArgumentError("requirement is unfilterable: " + req.unfilterable_reason);
  }
  for (const auto& l : req.literals) {
    if (l.bytes.empty()) return InvalidArgumentError("empty literal in a requirement");
  }
  std::shared_ptr<LiteralMatcher> m(new LiteralMatcher());
  bool direct = req.literals.size() <= kMaxDirectLiterals;
  for (const auto& l : req.literals) direct &= !l.caseless;
  if (direct) {
    m->direct_ = req.literals;
  } else {
    m->automaton_ = std::make_unique<const internal::LiteralAutomaton>(req.literals);
  }
  return std::shared_ptr<const LiteralMatcher>(std::move(m));
}

LiteralMatcher::~LiteralMatcher() = default;

bool LiteralMatcher::MayMatch(std::string_view input, Scratch* /*scratch*/) const {
  if (automaton_ == nullptr) {
    for (const auto& l : direct_) {
      if (memmem(input.data(), input.size(), l.bytes.data(), l.bytes.size()) != nullptr) {
        return true;
      }
    }
    return false;
  }
  // Scan returns false exactly when the callback stopped it, i.e. on the first hit.
  return !automaton_->Scan(input, [](uint32_t) { return false; });
}

Result<std::shared_ptr<const PrefilterSet>> PrefilterSet::Build(const std::vector<Entry>& entries) {
  std::shared_ptr<PrefilterSet> set(new PrefilterSet());
  std::map<Literal, std::vector<uint32_t>> by_literal;  // distinct literal -> rules needing it
  for (const auto& e : entries) {
    if (e.rule_index >= UINT32_MAX) return InvalidArgumentError("rule index too large");
    set->bound_ = std::max(set->bound_, e.rule_index + 1);
    if (!e.requirement.filterable()) continue;
    for (const auto& l : e.requirement.literals) {
      if (l.bytes.empty()) return InvalidArgumentError("empty literal in a requirement");
      by_literal[l].push_back(static_cast<uint32_t>(e.rule_index));
    }
  }
  set->covered_.Resize(set->bound_);
  for (const auto& e : entries) {
    if (e.requirement.filterable() && !set->covered_.Test(e.rule_index)) {
      set->covered_.Set(e.rule_index);
      ++set->covered_count_;
    }
  }
  std::vector<Literal> lits;
  lits.reserve(by_literal.size());
  for (auto& [lit, rules] : by_literal) {
    std::sort(rules.begin(), rules.end());
    rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
    uint32_t begin = static_cast<uint32_t>(set->rule_list_.size());
    set->rule_list_.insert(set->rule_list_.end(), rules.begin(), rules.end());
    set->literal_rules_.emplace_back(begin, static_cast<uint32_t>(set->rule_list_.size()));
    lits.push_back(lit);
  }
  if (!lits.empty()) set->automaton_ = std::make_unique<const internal::LiteralAutomaton>(lits);
  return std::shared_ptr<const PrefilterSet>(std::move(set));
}

PrefilterSet::~PrefilterSet() = default;

void PrefilterSet::Scan(std::string_view input, Scratch* /*scratch*/, Bitset* may_match) const {
  if (may_match->size() < bound_) may_match->Resize(bound_);
  if (automaton_ == nullptr) return;
  automaton_->Scan(input, [&](uint32_t id) {
    auto [begin, end] = literal_rules_[id];
    for (uint32_t i = begin; i < end; ++i) may_match->Set(rule_list_[i]);
    return true;
  });
}

}  // namespace gs::prefilter
