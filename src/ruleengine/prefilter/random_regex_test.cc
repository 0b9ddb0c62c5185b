// Differential property test on generated patterns: a grammar produces random PCRE2 patterns that
// mix every construct the extractor models (case options and their scoping, (?x) white space and
// comments, \Q..\E, classes with ranges/negation/POSIX names, escapes, lookarounds,
// backreferences, lazy/possessive quantifiers, verbs). For each pattern PCRE2 compiles, inputs
// PCRE2 matches (sampled from the language, put in context, case-flipped) must satisfy the
// extracted requirement. Deterministic seeds, so a failure is reproducible.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ruleengine/prefilter/pcre2_oracle.h"
#include "ruleengine/prefilter/prefilter.h"
#include "ruleengine/prefilter/sampler.h"

namespace gs::prefilter {
namespace {

class RegexGen {
 public:
  explicit RegexGen(uint64_t seed) : rng_(seed) {}

  std::string Pattern() {
    std::string p;
    if (Pick(6) == 0) p += Pick(2) ? "(?i)" : "(?x)";
    p += Alt(0);
    return p;
  }

 private:
  size_t Pick(size_t n) { return rng_() % n; }

  std::string Alt(int depth) {
    std::string s = Concat(depth);
    while (Pick(4) == 0) s += "|" + Concat(depth);
    return s;
  }

  std::string Concat(int depth) {
    std::string s;
    size_t n = 1 + Pick(5);
    for (size_t i = 0; i < n; ++i) {
      std::string atom = Atom(depth);
      // Option settings and comments are not repeatable items.
      bool repeatable = atom.rfind("(?i)", 0) != 0 && atom.rfind("(?-i)", 0) != 0 &&
                        atom.find('#') == std::string::npos;
      if (repeatable && Pick(3) == 0) atom += Quantifier();
      s += atom;
      if (Pick(12) == 0) s += " ";  // significant unless (?x)
    }
    return s;
  }

  std::string Quantifier() {
    static const char* kQ[] = {"*",  "+",  "?",  "{2}", "{1,3}", "{0,2}", "{2,}",
                               "*?", "+?", "??", "*+",  "++",    "{1,2}?"};
    return kQ[Pick(sizeof(kQ) / sizeof(kQ[0]))];
  }

  std::string Atom(int depth) {
    size_t k = Pick(depth > 3 ? 8 : 14);
    switch (k) {
      case 0:
      case 1:
      case 2: {
        static const char kLetters[] = "abcABCxyz01-'\"<";
        return std::string(1, kLetters[Pick(sizeof(kLetters) - 1)]);
      }
      case 3: {
        static const char* kEsc[] = {"\\d",    "\\w",      "\\s", "\\b", "\\x41",     "\\x{62}",
                                     "\\.",    "\\(",      "\\t", "\\n", "\\Qa.c\\E", "\\cA",
                                     "\\0101", "\\o{143}", "\\K", "^",   "$",         ".",
                                     "\\S",    "\\D",      "\\W", "\\h", "\\v",       "\\H"};
        return kEsc[Pick(sizeof(kEsc) / sizeof(kEsc[0]))];
      }
      case 4: {
        static const char* kClass[] = {"[abc]",  "[^abc]", "[a-cX]",     "[[:digit:]x]",
                                       "[\\]a]", "[]b]",   "[a-]",       "[\\x41-\\x43]",
                                       "[Aa]",   "[^\\d]", "[\\Q]\\E-]", "[ab ]",
                                       "[^\\s]", "[\\sa]", "[\\d\\h]",   "[^\\w-]"};
        return kClass[Pick(sizeof(kClass) / sizeof(kClass[0]))];
      }
      case 5:
        return "(?i)";
      case 6:
        return "(?-i)";
      case 7:
        return Pick(2) ? " # c\n" : "(?#c)";
      default:
        break;
    }
    static const char* kOpen[] = {
        "(", "(?:", "(?i:", "(?-i:", "(?x:", "(?=", "(?!", "(?<=x", "(?>", "(?|", "(?<n", "(*pla:"};
    size_t o = Pick(sizeof(kOpen) / sizeof(kOpen[0]));
    std::string open = kOpen[o];
    if (open == "(?<=x") return "(?<=x)";  // lookbehinds must have a fixed length
    std::string inner = Alt(depth + 1);
    if (open == "(?<n") {
      std::string name = "g" + std::to_string(names_++);
      return "(?<" + name + ">" + inner + ")" + (Pick(2) ? "\\k<" + name + ">" : "");
    }
    std::string g = open + inner + ")";
    if (open == "(" && Pick(3) == 0) g += "\\1";
    return g;
  }

  std::mt19937_64 rng_;
  int names_ = 0;
};

TEST(PrefilterRandomRegex, GeneratedPatternsAreSound) {
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kPatterns = 800;
#else
  constexpr int kPatterns = 4000;
#endif
  size_t compiled = 0, filterable = 0, positives = 0;
  for (int i = 0; i < kPatterns; ++i) {
    RegexGen gen(9000 + i);
    std::string p = gen.Pattern();
    Pcre2Oracle re(p, 50000);
    auto req = ExtractRequirement(p);
    if (!re.ok()) continue;
    ++compiled;
    ASSERT_TRUE(req.ok()) << p << ": " << req.status().ToString();
    filterable += req->filterable();
    auto sampler = PatternSampler::Create(p);
    ASSERT_TRUE(sampler.ok());
    std::mt19937_64 rng(i);
    for (int k = 0; k < 40; ++k) {
      std::string s = sampler->Sample(&rng, 80);
      if (k % 3 == 1) s = "x" + s + "y";
      if (k % 3 == 2) {
        for (auto& c : s) {
          if ((rng() & 1) == 0) continue;
          if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 32);
          else if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + 32);
        }
      }
      if (re.Match(s) != 1) continue;
      ++positives;
      ASSERT_TRUE(req->SatisfiedBy(s)) << "pattern: " << p << "\nrequirement: " << req->ToString()
                                       << "\ninput: " << testing::PrintToString(s);
    }
  }
  std::printf(
      "[prefilter] generated patterns: %zu compiled, %zu filterable, %zu PCRE2-matched "
      "inputs checked\n",
      compiled, filterable, positives);
  EXPECT_GT(compiled, static_cast<size_t>(kPatterns) / 3);
  EXPECT_GT(filterable, compiled / 4);
  EXPECT_GT(positives, compiled * 5);
}

}  // namespace
}  // namespace gs::prefilter
