// Random generation from a Node tree; see sampler.h.
#include "ruleengine/prefilter/sampler.h"

namespace gs::prefilter {
namespace {

using internal::Node;
using internal::NodeKind;

char RandomByte(const std::bitset<256>& set, std::mt19937_64* rng) {
  // Mostly printable ASCII when the set allows it, so that neighbouring literals and anchors
  // like \b have a chance to be satisfied; sometimes any member.
  size_t count = set.count();
  if (count == 0) return 'a';
  if (count > 64 && (*rng)() % 4 != 0) {
    for (int tries = 0; tries < 8; ++tries) {
      int c = 0x20 + static_cast<int>((*rng)() % 95);
      if (set[c]) return static_cast<char>(c);
    }
  }
  size_t pick = (*rng)() % count;
  for (int c = 0; c < 256; ++c) {
    if (set[c] && pick-- == 0) return static_cast<char>(c);
  }
  return 'a';
}

void Generate(const Node& n, std::mt19937_64* rng, size_t max_len, std::string* out) {
  if (out->size() > max_len) return;
  switch (n.kind) {
    case NodeKind::kEmpty:
      return;
    case NodeKind::kChars:
      out->push_back(RandomByte(n.chars, rng));
      return;
    case NodeKind::kAny: {
      size_t len = (*rng)() % 4;
      for (size_t i = 0; i < len; ++i) out->push_back(static_cast<char>(0x20 + (*rng)() % 95));
      return;
    }
    case NodeKind::kConcat:
      for (const auto& c : n.children) Generate(*c, rng, max_len, out);
      return;
    case NodeKind::kAlt:
      Generate(*n.children[(*rng)() % n.children.size()], rng, max_len, out);
      return;
    case NodeKind::kRepeat: {
      int hi = n.max < 0 ? n.min + 3 : std::min(n.max, n.min + 3);
      int count = n.min + static_cast<int>((*rng)() % static_cast<unsigned>(hi - n.min + 1));
      for (int i = 0; i < count && out->size() <= max_len; ++i) {
        Generate(*n.children[0], rng, max_len, out);
      }
      return;
    }
  }
}

}  // namespace

Result<PatternSampler> PatternSampler::Create(std::string_view pattern, bool caseless) {
  GS_ASSIGN_OR_RETURN(auto parsed, internal::ParsePattern(pattern, caseless));
  PatternSampler s;
  s.root_ = std::shared_ptr<const Node>(std::move(parsed.root));
  s.unsupported_ = !parsed.unsupported.empty();
  return s;
}

std::string PatternSampler::Sample(std::mt19937_64* rng, size_t max_len) const {
  std::string out;
  if (root_) Generate(*root_, rng, max_len, &out);
  return out;
}

}  // namespace gs::prefilter
