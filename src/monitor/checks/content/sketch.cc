// Bottom-k MinHash sketches (see sketch.h).
#include "monitor/checks/content/sketch.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>

namespace gs::monitor {
namespace {

uint64_t Fnv1a(std::string_view s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // Final avalanche (splitmix64) so the bottom-k are a uniform sample of the set.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

Sketch BottomK(std::set<uint64_t>& all) {
  Sketch s;
  for (uint64_t h : all) {
    if (s.size() >= kSketchSize) break;
    s.push_back(h);
  }
  return s;
}

// UTF-8 length of the sequence starting with byte c (1 for invalid lead bytes).
size_t Utf8Len(unsigned char c) {
  if (c >= 0xF0 && c < 0xF8) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

}  // namespace

Sketch TextSketch(std::string_view text) {
  std::vector<std::string> tokens;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) tokens.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) {
        char lc = std::isdigit(c) ? '0' : static_cast<char>(std::tolower(c));
        if (!(lc == '0' && !word.empty() && word.back() == '0')) word.push_back(lc);
      } else {
        flush();
      }
      ++i;
      continue;
    }
    size_t n = std::min(Utf8Len(c), text.size() - i);
    flush();
    tokens.emplace_back(text.substr(i, n));  // each CJK (non-ASCII) character is a token
    i += n;
  }
  flush();
  std::set<uint64_t> all;
  if (tokens.size() < 3) {
    for (const auto& t : tokens) all.insert(Fnv1a(t));
  } else {
    for (size_t i = 0; i + 3 <= tokens.size(); ++i) {
      std::string sh = tokens[i] + '\x1f' + tokens[i + 1] + '\x1f' + tokens[i + 2];
      all.insert(Fnv1a(sh));
    }
  }
  return BottomK(all);
}

Sketch PathSketch(const std::vector<std::string>& paths) {
  std::map<std::string_view, int> seen;
  std::set<uint64_t> all;
  for (const auto& p : paths) {
    int& n = seen[p];
    if (n >= 32) continue;
    all.insert(Fnv1a(p, Fnv1a(std::to_string(n++))));
  }
  return BottomK(all);
}

double Similarity(const Sketch& a, const Sketch& b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  // The k smallest of the union; the fraction of them present in both estimates Jaccard.
  std::vector<uint64_t> uni;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(uni));
  if (uni.size() > kSketchSize) uni.resize(kSketchSize);
  const uint64_t a_max = a.back(), b_max = b.back();
  size_t both = 0, considered = 0;
  for (uint64_t h : uni) {
    // Only hashes both sketches could have kept are comparable (smaller sketches are exact).
    if ((a.size() == kSketchSize && h > a_max) || (b.size() == kSketchSize && h > b_max)) break;
    ++considered;
    if (std::binary_search(a.begin(), a.end(), h) && std::binary_search(b.begin(), b.end(), h))
      ++both;
  }
  return considered == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(considered);
}

}  // namespace gs::monitor
