// Requirement extraction: walks the over-approximating Node tree (regex_ast.h) bottom-up and
// computes, for every node, facts that hold for EVERY string the node can match:
//   exact   the node's whole language, when it is a small finite set of strings;
//   prefix  every match starts with one of these literals;
//   suffix  every match ends with one of these literals;
//   req     every match contains one of these literals (absent = no requirement known);
// (the approach of Russ Cox's "Regular Expression Matching with a Trigram Index", with literal
// sets instead of trigrams). Concatenation AB may use A's requirement, B's, or the literals that
// span the boundary (A's suffixes x B's prefixes); the best of those is kept, so the strongest
// factor of a concatenation wins. Every rule only ever weakens facts (union, truncation,
// dropping), which is why the result is sound. See docs/prefilter.md.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <tuple>

#include "ruleengine/prefilter/prefilter.h"
#include "ruleengine/prefilter/regex_ast.h"

namespace gs::prefilter {
namespace {

using internal::Node;
using internal::NodeKind;
using LitSet = std::vector<Literal>;

constexpr size_t kMaxExact = 64;        // strings in an exact language
constexpr size_t kMaxExactLen = 48;     // bytes per exact string
constexpr size_t kMaxAffixSet = 128;    // literals in a prefix/suffix set
constexpr size_t kMaxAffixLen = 32;     // bytes per prefix/suffix literal
constexpr size_t kMaxReqLen = 64;       // bytes per required literal
constexpr size_t kMaxClassExpand = 10;  // class members turned into single-byte literals

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Single bytes that ordinary header and form values rarely contain: quotes, shell and markup
// metacharacters, control bytes. A requirement like {"'", "\"", "`"} (most SQL injection
// rules) is then still worth a scan even though its literals are one byte long.
bool IsRareByte(unsigned char c) {
  if (c < 0x20) return c != '\t';
  if (c == 0x7f) return true;
  static constexpr std::string_view kRare = "\"'`<>;|&${}[]\\^!*#%@~()";
  return kRare.find(static_cast<char>(c)) != std::string_view::npos;
}

// How much a literal narrows the inputs, in half-bytes: a rare single byte is worth more than
// a common one, less than two bytes.
int Weight(const Literal& l) {
  if (l.bytes.size() == 1 && !l.caseless && IsRareByte(static_cast<unsigned char>(l.bytes[0]))) {
    return 3;
  }
  return static_cast<int>(std::min<size_t>(l.bytes.size(), 1000)) * 2;
}

std::string LowerString(std::string s) {
  for (auto& c : s) c = Lower(c);
  return s;
}

Literal Join(const Literal& a, const Literal& b) {
  Literal out;
  out.caseless = a.caseless || b.caseless;
  out.bytes = out.caseless && !a.caseless ? LowerString(a.bytes) : a.bytes;
  out.bytes += out.caseless && !b.caseless ? LowerString(b.bytes) : b.bytes;
  return out;
}

bool HasEmpty(const LitSet& s) {
  for (const auto& l : s)
    if (l.bytes.empty()) return true;
  return false;
}

void SortUnique(LitSet* s) {
  std::sort(s->begin(), s->end());
  s->erase(std::unique(s->begin(), s->end()), s->end());
}

enum class Mode { kSubstring, kPrefix, kSuffix };

// Whether every string matched by `big` also satisfies `small` in `mode`: then `big` is
// redundant next to `small` in an OR-set.
bool Implies(const Literal& big, const Literal& small, Mode mode) {
  if (small.bytes.size() > big.bytes.size()) return false;
  if (!small.caseless && big.caseless) return false;
  std::string_view hay = big.bytes;
  std::string lowered;
  if (small.caseless && !big.caseless) {
    lowered = LowerString(big.bytes);
    hay = lowered;
  }
  std::string_view needle = small.bytes;
  switch (mode) {
    case Mode::kPrefix:
      return hay.substr(0, needle.size()) == needle;
    case Mode::kSuffix:
      return hay.substr(hay.size() - needle.size()) == needle;
    case Mode::kSubstring:
      return hay.find(needle) != std::string_view::npos;
  }
  return false;
}

// Sorts, dedupes, and drops literals implied by shorter ones.
void Minimize(LitSet* s, Mode mode, size_t* work) {
  SortUnique(s);
  if (s->size() < 2) return;
  std::vector<size_t> order(s->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Shorter first, and caseless before case-sensitive at equal length (the caseless one
  // implies its case-sensitive twin, not the other way round).
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Literal& x = (*s)[a];
    const Literal& y = (*s)[b];
    if (x.bytes.size() != y.bytes.size()) return x.bytes.size() < y.bytes.size();
    return x.caseless && !y.caseless;
  });
  LitSet kept;
  for (size_t idx : order) {
    const Literal& cand = (*s)[idx];
    bool redundant = false;
    *work += kept.size() + 1;
    for (const auto& k : kept) {
      if (Implies(cand, k, mode)) {
        redundant = true;
        break;
      }
    }
    if (!redundant) kept.push_back(cand);
  }
  std::sort(kept.begin(), kept.end());
  *s = std::move(kept);
}

// Keeps the first (kPrefix, kSubstring) or last (kSuffix) `len` bytes of every literal.
LitSet Truncate(const LitSet& s, size_t len, Mode mode, size_t* work) {
  LitSet out;
  out.reserve(s.size());
  for (const auto& l : s) {
    Literal t = l;
    if (t.bytes.size() > len) {
      t.bytes =
          mode == Mode::kSuffix ? t.bytes.substr(t.bytes.size() - len) : t.bytes.substr(0, len);
    }
    out.push_back(std::move(t));
  }
  Minimize(&out, mode, work);
  return out;
}

// A prefix/suffix set bounded in size and length; {""} (trivial) when nothing smaller holds.
LitSet BoundAffix(LitSet s, Mode mode, size_t* work) {
  if (HasEmpty(s)) return LitSet{Literal{}};
  s = Truncate(s, kMaxAffixLen, mode, work);
  for (size_t len : {16, 8, 6, 4, 3, 2, 1}) {
    if (s.size() <= kMaxAffixSet) break;
    s = Truncate(s, len, mode, work);
  }
  if (s.size() > kMaxAffixSet || HasEmpty(s)) return LitSet{Literal{}};
  return s;
}

struct Info {
  bool exact = false;
  LitSet set;  // exact language
  LitSet prefix{Literal{}};
  LitSet suffix{Literal{}};
  std::optional<LitSet> req;
  bool emptyable = true;
};

class Extractor {
 public:
  explicit Extractor(const ExtractOptions& o) : opt_(o) {}

  // A requirement set bounded in size and length; nullopt when none holds.
  std::optional<LitSet> BoundReq(LitSet s) const {
    if (s.empty() || HasEmpty(s)) return std::nullopt;
    s = Truncate(s, kMaxReqLen, Mode::kSubstring, &work_);
    for (size_t len : {16, 8, 6, 5, 4, 3, 2, 1}) {
      if (s.size() <= opt_.max_literals) break;
      s = Truncate(s, len, Mode::kSubstring, &work_);
    }
    if (s.size() > opt_.max_literals || HasEmpty(s)) return std::nullopt;
    return s;
  }

  // Larger is better: heavy weakest literal first (capped: beyond a few bytes literals are all
  // rare), then fewer literals.
  static std::tuple<int, long, long> Score(const std::optional<LitSet>& s) {
    if (!s || s->empty()) return {-1, 0, 0};
    int min_weight = INT32_MAX;
    size_t total = 0;
    for (const auto& l : *s) {
      min_weight = std::min(min_weight, Weight(l));
      total += l.bytes.size();
    }
    return {std::min(min_weight, 16), -static_cast<long>(s->size()), static_cast<long>(total)};
  }

  static void KeepBest(std::optional<LitSet>* best, std::optional<LitSet> cand) {
    if (Score(cand) > Score(*best)) *best = std::move(cand);
  }

  // a x b, or nullopt if the product would exceed `limit`.
  std::optional<LitSet> Cross(const LitSet& a, const LitSet& b, size_t limit) const {
    if (a.size() * b.size() > limit) return std::nullopt;
    work_ += a.size() * b.size();
    LitSet out;
    out.reserve(a.size() * b.size());
    for (const auto& x : a)
      for (const auto& y : b) out.push_back(Join(x, y));
    SortUnique(&out);
    return out;
  }

  Info Exact(LitSet s) const {
    SortUnique(&s);
    Info i;
    i.exact = true;
    i.emptyable = HasEmpty(s);
    i.set = std::move(s);
    return i;
  }

  static Info Trivial(bool emptyable) {
    Info i;
    i.emptyable = emptyable;
    return i;
  }

  Info NonExact(const Info& in) const {
    if (!in.exact) return in;
    Info out;
    out.emptyable = in.emptyable;
    out.prefix = BoundAffix(in.set, Mode::kPrefix, &work_);
    out.suffix = BoundAffix(in.set, Mode::kSuffix, &work_);
    out.req = BoundReq(in.set);
    return out;
  }

  Info FromChars(const std::bitset<256>& chars) const {
    LitSet s;
    for (int c = 0; c < 256; ++c) {
      if (!chars[c]) continue;
      bool upper = c >= 'A' && c <= 'Z';
      bool lower = c >= 'a' && c <= 'z';
      if (upper && chars[c + 32]) continue;  // covered by the caseless lowercase literal
      Literal l;
      l.bytes.assign(1, static_cast<char>(c));
      if (lower && chars[c - 32]) l.caseless = true;
      s.push_back(std::move(l));
      if (s.size() > kMaxClassExpand) return Trivial(false);
    }
    return Exact(std::move(s));
  }

  Info Concat(const Info& a, const Info& b) const {
    if (a.exact && b.exact) {
      auto c = Cross(a.set, b.set, kMaxExact);
      if (c) {
        bool short_enough = true;
        for (const auto& l : *c) short_enough &= l.bytes.size() <= kMaxExactLen;
        if (short_enough) return Exact(std::move(*c));
      }
    }
    Info na = NonExact(a), nb = NonExact(b);
    Info out;
    out.emptyable = a.emptyable && b.emptyable;
    std::optional<LitSet> p = a.exact ? Cross(a.set, nb.prefix, kMaxAffixSet * 4) : std::nullopt;
    out.prefix = p ? BoundAffix(std::move(*p), Mode::kPrefix, &work_) : na.prefix;
    std::optional<LitSet> s = b.exact ? Cross(na.suffix, b.set, kMaxAffixSet * 4) : std::nullopt;
    out.suffix = s ? BoundAffix(std::move(*s), Mode::kSuffix, &work_) : nb.suffix;
    out.req = na.req;
    KeepBest(&out.req, nb.req);
    auto span = Cross(na.suffix, nb.prefix, opt_.max_literals * 4);
    if (span) KeepBest(&out.req, BoundReq(std::move(*span)));
    return out;
  }

  Info Alt(const std::vector<Info>& parts) const {
    bool all_exact = true;
    size_t total = 0;
    for (const auto& p : parts) {
      all_exact &= p.exact;
      total += p.set.size();
    }
    if (all_exact && total <= kMaxExact) {
      LitSet u;
      for (const auto& p : parts) u.insert(u.end(), p.set.begin(), p.set.end());
      return Exact(std::move(u));
    }
    Info out;
    out.emptyable = false;
    LitSet pre, suf, req;
    bool req_ok = true;
    for (const auto& p : parts) {
      Info n = NonExact(p);
      out.emptyable |= n.emptyable;
      pre.insert(pre.end(), n.prefix.begin(), n.prefix.end());
      suf.insert(suf.end(), n.suffix.begin(), n.suffix.end());
      if (!n.req) {
        req_ok = false;
      } else if (req_ok) {
        req.insert(req.end(), n.req->begin(), n.req->end());
      }
    }
    out.prefix = BoundAffix(std::move(pre), Mode::kPrefix, &work_);
    out.suffix = BoundAffix(std::move(suf), Mode::kSuffix, &work_);
    if (req_ok) {
      Minimize(&req, Mode::kSubstring, &work_);
      out.req = BoundReq(std::move(req));
    }
    return out;
  }

  Info Repeat(const Info& x, int min, int max) const {
    if (x.exact && max >= 0 && max <= 4) {
      std::vector<Info> options;
      for (int k = min; k <= max; ++k) {
        Info acc = Exact(LitSet{Literal{}});
        for (int j = 0; j < k; ++j) acc = Concat(acc, x);
        options.push_back(std::move(acc));
      }
      if (options.size() == 1) return std::move(options[0]);
      return Alt(options);
    }
    if (min == 0) return Trivial(true);
    // X{min,max} with min >= 1 starts with, ends with and contains a member of X^k for any
    // k <= min (its first / last k copies); k is kept small to bound the sets.
    Info base = x;
    for (int k = 1; k < std::min(min, 3); ++k) base = Concat(base, x);
    Info out = NonExact(base);
    out.emptyable = x.emptyable;
    return out;
  }

  Info Analyze(const Node& n) const {
    if (over_budget()) return Trivial(true);
    switch (n.kind) {
      case NodeKind::kEmpty:
        return Exact(LitSet{Literal{}});
      case NodeKind::kAny:
        return Trivial(true);
      case NodeKind::kChars:
        return FromChars(n.chars);
      case NodeKind::kConcat: {
        Info acc = Exact(LitSet{Literal{}});
        for (const auto& c : n.children) acc = Concat(acc, Analyze(*c));
        return acc;
      }
      case NodeKind::kAlt: {
        std::vector<Info> parts;
        parts.reserve(n.children.size());
        for (const auto& c : n.children) parts.push_back(Analyze(*c));
        return Alt(parts);
      }
      case NodeKind::kRepeat:
        return Repeat(Analyze(*n.children[0]), n.min, n.max);
    }
    return Trivial(true);
  }

 public:
  // Work units spent (set products and minimisations); bounded so that a hostile pattern cannot
  // make extraction slow.
  bool over_budget() const { return work_ > kWorkBudget; }

 private:
  static constexpr size_t kWorkBudget = 100'000'000;
  ExtractOptions opt_;
  mutable size_t work_ = 0;
};

std::string Escaped(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Both sides are folded, so a caller-built caseless literal need not be stored lowercased.
bool ContainsCaseless(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && Lower(hay[i + k]) == Lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

}  // namespace

LiteralRequirement PhraseRequirement(const std::vector<std::string>& phrases) {
  LiteralRequirement out;
  LitSet lits;
  for (const auto& p : phrases) {
    if (p.empty()) {
      out.unfilterable_reason = "an empty phrase matches every input";
      return out;
    }
    lits.push_back(Literal{LowerString(p), true});
  }
  if (lits.empty()) {
    out.unfilterable_reason = "no phrases";
    return out;
  }
  size_t work = 0;
  Minimize(&lits, Mode::kSubstring, &work);
  out.literals = std::move(lits);
  return out;
}

bool LiteralRequirement::SatisfiedBy(std::string_view input) const {
  if (literals.empty()) return true;
  for (const auto& l : literals) {
    if (l.caseless ? ContainsCaseless(input, l.bytes)
                   : input.find(l.bytes) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string LiteralRequirement::ToString() const {
  if (literals.empty()) return "unfilterable: " + unfilterable_reason;
  std::string out;
  for (const auto& l : literals) {
    if (!out.empty()) out += " | ";
    out += '"' + Escaped(l.bytes) + '"';
    if (l.caseless) out += "/i";
  }
  return out;
}

Result<LiteralRequirement> ExtractRequirement(std::string_view pcre_pattern,
                                              const ExtractOptions& options) {
  internal::ParseLimits limits;
  limits.exact_shorthands = options.exact_shorthands;
  GS_ASSIGN_OR_RETURN(auto parsed, internal::ParsePattern(pcre_pattern, options.caseless, limits));
  LiteralRequirement out;
  if (!parsed.unsupported.empty()) {
    out.unfilterable_reason = parsed.unsupported;
    return out;
  }
  Extractor ex(options);
  Info info = ex.Analyze(*parsed.root);
  if (ex.over_budget()) {
    out.unfilterable_reason = "pattern too complex to analyse";
    return out;
  }
  std::optional<LitSet> req = info.exact ? ex.BoundReq(info.set) : info.req;
  if (!req) {
    out.unfilterable_reason =
        info.emptyable ? "can match the empty string" : "no literal is common to every match";
    return out;
  }
  size_t final_work = 0;
  Minimize(&*req, Mode::kSubstring, &final_work);
  for (const auto& l : *req) {
    bool rare_single = options.allow_rare_single_bytes && Weight(l) == 3;
    if (l.bytes.empty() || (l.bytes.size() < options.min_literal_length && !rare_single)) {
      out.unfilterable_reason = "best required literal \"" + Escaped(l.bytes) +
                                "\" is shorter than " + std::to_string(options.min_literal_length) +
                                " bytes and not a rare byte";
      return out;
    }
  }
  out.literals = std::move(*req);
  return out;
}

}  // namespace gs::prefilter
