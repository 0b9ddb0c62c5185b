// FindAnyByRareBytes: literal search through each literal's rarest byte (see prefilter.h).
#include <algorithm>
#include <bitset>

#include "ruleengine/prefilter/prefilter.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gs::prefilter {
namespace {

// Distinct anchors compared per 16-byte block.
constexpr size_t kMaxAnchors = 16;

uint8_t Lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + 32) : c; }
bool IsAlpha(uint8_t c) { return Lower(c) >= 'a' && Lower(c) <= 'z'; }

bool LiteralAt(const Literal& l, std::string_view in, size_t start) {
  for (size_t j = 0; j < l.bytes.size(); ++j) {
    const auto a = static_cast<uint8_t>(in[start + j]);
    const auto b = static_cast<uint8_t>(l.bytes[j]);
    if (a != b && (!l.caseless || Lower(a) != Lower(b))) return false;
  }
  return true;
}

}  // namespace

void CountBytes(std::string_view input, ByteCounts* counts) {
  // Four tables, so that runs of one byte do not serialise on a single counter.
  uint32_t c[4][256] = {};
  const auto* p = reinterpret_cast<const uint8_t*>(input.data());
  const size_t n = input.size();
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    ++c[0][p[i]];
    ++c[1][p[i + 1]];
    ++c[2][p[i + 2]];
    ++c[3][p[i + 3]];
  }
  for (; i < n; ++i) ++c[0][p[i]];
  for (int b = 0; b < 256; ++b) (*counts)[b] = c[0][b] + c[1][b] + c[2][b] + c[3][b];
}

namespace {

enum class Plan { kOk, kOverBudget, kTooManyAnchors };

// Rough cost of a plan in units of one SIMD compare of 16 bytes: every anchor costs about two
// per 16-byte block, a literal comparison about eight.
double PlanCost(size_t n, size_t anchors, double compares) {
  return static_cast<double>(n) / 16 * 2 * static_cast<double>(anchors) + 8 * compares;
}

// Fills scratch->anchors_ and scratch->tmp_ for `literals`: each literal at its pair of adjacent
// bytes (`pairs`; one byte for a one-byte literal) or single byte expected least often in the
// input, estimated from the byte counts as if bytes were independent. An anchor already chosen
// is preferred when it is nearly as rare. Each occurrence of an anchor costs one comparison.
Plan MakePlan(const std::vector<Literal>& literals, size_t n, const ByteCounts& counts,
              size_t max_compares, bool pairs, RareByteScratch* scratch, double* cost) {
  auto count = [&](uint8_t c, bool caseless) -> double {
    return caseless && IsAlpha(c) ? counts[Lower(c)] + counts[Lower(c) - 32] : counts[c];
  };
  auto& tmp = scratch->tmp_;
  auto& anchors = scratch->anchors_;
  tmp.clear();
  anchors.clear();
  double compares = 0;
  for (uint32_t k = 0; k < literals.size(); ++k) {
    const Literal& l = literals[k];
    if (l.bytes.size() > n) continue;
    const auto* b = reinterpret_cast<const uint8_t*>(l.bytes.data());
    const size_t len = l.bytes.size();
    bool absent = false;
    for (size_t p = 0; p < len; ++p) absent |= count(b[p], l.caseless) == 0;
    if (absent) continue;  // a byte of it is absent from the input: it cannot occur
    const bool two = pairs && len > 1;
    auto anchor_at = [&](size_t p) {
      RareByteScratch::Anchor a;
      a.fold_first = l.caseless && IsAlpha(b[p]);
      a.first = a.fold_first ? Lower(b[p]) : b[p];
      if (two) {
        a.fold_second = l.caseless && IsAlpha(b[p + 1]);
        a.second = a.fold_second ? Lower(b[p + 1]) : b[p + 1];
      }
      return a;
    };
    auto estimate = [&](size_t p) {
      double e = count(b[p], l.caseless);
      return two ? e * count(b[p + 1], l.caseless) / static_cast<double>(n) : e;
    };
    const size_t positions = two ? len - 1 : len;
    size_t best = 0;
    for (size_t p = 1; p < positions; ++p) {
      if (estimate(p) < estimate(best)) best = p;
    }
    const double slack = 2 * estimate(best) + static_cast<double>(n) / 4096;
    for (size_t p = 0; p < positions; ++p) {
      if (estimate(p) <= slack &&
          std::find(anchors.begin(), anchors.end(), anchor_at(p)) != anchors.end() &&
          (std::find(anchors.begin(), anchors.end(), anchor_at(best)) == anchors.end() ||
           estimate(p) < estimate(best))) {
        best = p;
      }
    }
    compares += estimate(best) + 1;
    if (compares > static_cast<double>(max_compares)) return Plan::kOverBudget;
    const RareByteScratch::Anchor anchor = anchor_at(best);
    if (std::find(anchors.begin(), anchors.end(), anchor) == anchors.end()) {
      if (anchors.size() == kMaxAnchors) return Plan::kTooManyAnchors;
      anchors.push_back(anchor);
    }
    const RareByteScratch::Probe probe{k, static_cast<uint32_t>(best)};
    tmp.emplace_back(anchor.first, probe);
    if (anchor.fold_first) tmp.emplace_back(static_cast<uint8_t>(anchor.first - 32), probe);
  }
  *cost = PlanCost(n, anchors.size(), compares);
  return Plan::kOk;
}

}  // namespace

std::optional<bool> FindAnyByRareBytes(const std::vector<Literal>& literals, std::string_view input,
                                       const ByteCounts& counts, size_t max_compares,
                                       RareByteScratch* scratch) {
  const size_t n = input.size();
  for (const Literal& l : literals) {
    if (l.bytes.empty()) return true;  // occurs everywhere
  }
  // Pairs of bytes are far rarer than single bytes; single bytes need fewer distinct anchors.
  // The cheaper plan wins.
  double pair_cost = 0, single_cost = 0;
  const Plan pair = MakePlan(literals, n, counts, max_compares, true, scratch, &pair_cost);
  scratch->anchors_.swap(scratch->other_anchors_);
  scratch->tmp_.swap(scratch->other_tmp_);
  const Plan single = MakePlan(literals, n, counts, max_compares, false, scratch, &single_cost);
  if (pair == Plan::kOk && (single != Plan::kOk || pair_cost < single_cost)) {
    scratch->anchors_.swap(scratch->other_anchors_);
    scratch->tmp_.swap(scratch->other_tmp_);
  } else if (single != Plan::kOk) {
    return std::nullopt;
  }
  auto& tmp = scratch->tmp_;
  auto& anchors = scratch->anchors_;
  if (tmp.empty()) return false;

  // Probes grouped by the input byte at the anchor: probes_[begin_[b] .. begin_[b + 1]).
  std::sort(tmp.begin(), tmp.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto& probes = scratch->probes_;
  auto& begin = scratch->begin_;
  probes.clear();
  begin.fill(0);
  for (const auto& [value, probe] : tmp) {
    ++begin[value + 1];
    probes.push_back(probe);
  }
  for (int b = 0; b < 256; ++b) begin[b + 1] += begin[b];

  auto found_at = [&](size_t pos) {
    const auto b = static_cast<uint8_t>(input[pos]);
    for (uint32_t q = begin[b]; q < begin[b + 1]; ++q) {
      const RareByteScratch::Probe& pr = probes[q];
      const Literal& l = literals[pr.literal];
      if (pos < pr.offset || pos - pr.offset + l.bytes.size() > n) continue;
      if (LiteralAt(l, input, pos - pr.offset)) return true;
    }
    return false;
  };
  auto matches = [](const RareByteScratch::Anchor& a, uint8_t c0, int c1) {
    if ((a.fold_first ? Lower(c0) : c0) != a.first) return false;
    if (a.second < 0) return true;
    return c1 >= 0 && (a.fold_second ? Lower(static_cast<uint8_t>(c1)) : c1) == a.second;
  };
  const auto* p = reinterpret_cast<const uint8_t*>(input.data());
  size_t i = 0;
#if defined(__SSE2__)
  // 16 positions at a time: byte i against each anchor's first byte, byte i + 1 against its
  // second. x | 0x20 equals a lowercase letter exactly for that letter's two cases.
  const __m128i case_bit = _mm_set1_epi8(0x20);
  for (; i + 17 <= n; i += 16) {
    const __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
    const __m128i f0 = _mm_or_si128(x0, case_bit);
    const __m128i f1 = _mm_or_si128(x1, case_bit);
    __m128i hit = _mm_setzero_si128();
    for (const RareByteScratch::Anchor& a : anchors) {
      __m128i m = _mm_cmpeq_epi8(a.fold_first ? f0 : x0, _mm_set1_epi8(static_cast<char>(a.first)));
      if (a.second >= 0) {
        m = _mm_and_si128(
            m, _mm_cmpeq_epi8(a.fold_second ? f1 : x1, _mm_set1_epi8(static_cast<char>(a.second))));
      }
      hit = _mm_or_si128(hit, m);
    }
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    while (mask != 0) {
      if (found_at(i + static_cast<size_t>(__builtin_ctz(mask)))) return true;
      mask &= mask - 1;
    }
  }
#endif
  for (; i < n; ++i) {
    const int next = i + 1 < n ? p[i + 1] : -1;
    for (const RareByteScratch::Anchor& a : anchors) {
      if (matches(a, p[i], next)) {
        if (found_at(i)) return true;
        break;
      }
    }
  }
  return false;
}

}  // namespace gs::prefilter
