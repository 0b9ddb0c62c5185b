// Regression and differential tests for @pm / @pmFromFile. They exist because the previous
// engine (Vectorscan 5.4.9 on AVX-512) silently missed phrases placed near the end of inputs of
// 66+ bytes (docs/adr/0005-no-vectorscan.md): every placement of every phrase at every offset of
// inputs of 3..200 bytes must match, and random phrase sets and inputs must agree with a naive
// reference matcher on both the verdict and the TX.0 phrase.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "platform/file.h"
#include "ruleengine/operators/operator.h"
#include "testlib/temp_dir.h"

namespace gs::operators {
namespace {

char FoldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool EqualCaseless(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (FoldAscii(a[i]) != FoldAscii(b[i])) return false;
  }
  return true;
}

// The documented @pm answer, computed the slow way: the phrase whose occurrence ends earliest;
// among those ending at the same byte the longest; among phrases equal up to ASCII case the
// first listed. Returns -1 when no phrase occurs.
int ReferenceMatch(const std::vector<std::string>& phrases, std::string_view input) {
  for (size_t end = 1; end <= input.size(); ++end) {
    int best = -1;
    for (size_t i = 0; i < phrases.size(); ++i) {
      const std::string& p = phrases[i];
      if (p.empty() || p.size() > end) continue;
      if (!EqualCaseless(input.substr(end - p.size(), p.size()), p)) continue;
      if (best < 0 || p.size() > phrases[static_cast<size_t>(best)].size()) {
        best = static_cast<int>(i);
      }
    }
    if (best >= 0) return best;
  }
  return -1;
}

std::string Join(const std::vector<std::string>& phrases) {
  std::string arg;
  for (const auto& p : phrases) arg += (arg.empty() ? "" : " ") + p;
  return arg;
}

class PmOperatorsTest : public ::testing::Test {
 protected:
  PmOperatorsTest() { RegisterBuiltinOperators(&registry_); }

  std::unique_ptr<const Operator> MakePm(const std::vector<std::string>& phrases) {
    auto r = registry_.Create("pm", Join(phrases), {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  OperatorRegistry registry_;
};

std::string Upper(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  return s;
}
std::string Alternate(std::string s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i % 2 == 0 && c >= 'a' && c <= 'z') s[i] = static_cast<char>(c - 32);
    if (i % 2 == 1 && c >= 'A' && c <= 'Z') s[i] = static_cast<char>(c + 32);
  }
  return s;
}

// Every (input length 3..200, offset) placement of every phrase of each set, in three case
// variants, in two fillers that share no byte with any phrase. The filler cannot be part of an
// occurrence, so the expected TX.0 is the reference answer on the placed phrase alone.
TEST_F(PmOperatorsTest, EveryPlacementOfEveryPhraseMatches) {
  const std::vector<std::vector<std::string>> kSets = {
      {"ab", "ac", "ad"},  // the Vectorscan repro: 1,871 of 19,700 "ab" placements were missed
      {"00", "01"},
      {"or", "union", "select", "<script", "/etc/passwd", "=", "../"},
      {"Select", "SELECT", "sElEcT", "lect", "elec"},
      {"\xE6\x94\xBF\xE7\x9B\xBE", "\xC1\xE1", "q"},  // UTF-8 and bytes >= 0x80 (exact)
  };
  const std::string kFillers = "x\xFF";
  size_t placements = 0;
  for (const auto& set : kSets) {
    auto op = MakePm(set);
    ASSERT_NE(op, nullptr);
    for (char filler : kFillers) {
      for (const auto& p : set) ASSERT_EQ(p.find(filler), std::string::npos);
    }
    MatchContext ctx;
    ctx.want_captures = true;
    for (const auto& phrase : set) {
      for (const std::string& variant : {phrase, Upper(phrase), Alternate(phrase)}) {
        int expected = ReferenceMatch(set, variant);
        ASSERT_GE(expected, 0) << variant;
        const std::string& expected_phrase = set[static_cast<size_t>(expected)];
        for (char filler : kFillers) {
          for (size_t len = 3; len <= 200; ++len) {
            if (variant.size() > len) continue;
            std::string input(len, filler);
            ASSERT_FALSE(op->Evaluate(input, &ctx)) << "filler alone, len " << len;
            for (size_t off = 0; off + variant.size() <= len; ++off) {
              input.assign(len, filler);
              input.replace(off, variant.size(), variant);
              ++placements;
              ASSERT_TRUE(op->Evaluate(input, &ctx))
                  << "'" << variant << "' missed at offset " << off << " of " << len;
              ASSERT_EQ(ctx.captures.size(), 1u);
              ASSERT_EQ(ctx.captures[0].value, expected_phrase)
                  << "'" << variant << "' at offset " << off << " of " << len;
            }
          }
        }
      }
    }
  }
  // 2 fillers x 3 case variants x sum over phrases of placements; at least the repro's 19,700
  // per phrase for 2-byte phrases.
  EXPECT_GT(placements, 1000000u);
}

// Random phrase sets and inputs over a small alphabet (so phrases overlap, nest and repeat)
// against ReferenceMatch: verdict and TX.0 must agree. Includes case pairs and bytes >= 0x80
// whose "case" must not fold (0xC1 / 0xE1).
TEST_F(PmOperatorsTest, RandomizedDifferentialAgainstReference) {
  const std::string kAlphabet = "abcABC0-\xC1\xE1";
  std::mt19937 rng(20261125);
  auto pick = [&](size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng);
  };
  auto random_string = [&](size_t len) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s += kAlphabet[pick(0, kAlphabet.size() - 1)];
    return s;
  };
  size_t checked = 0, matched = 0;
  for (int set_no = 0; set_no < 400; ++set_no) {
    std::vector<std::string> phrases;
    size_t count = pick(1, 16);
    for (size_t i = 0; i < count; ++i) {
      // Mostly 2..8 bytes, sometimes 1 byte (a single-byte phrase matches nearly every input).
      phrases.push_back(random_string(pick(0, 9) == 0 ? 1 : pick(2, 8)));
    }
    auto op = MakePm(phrases);
    ASSERT_NE(op, nullptr);
    MatchContext ctx;
    ctx.want_captures = true;
    for (int k = 0; k < 60; ++k) {
      std::string input = random_string(pick(0, 300));
      int expected = ReferenceMatch(phrases, input);
      bool got = op->Evaluate(input, &ctx);
      ++checked;
      ASSERT_EQ(got, expected >= 0) << "set " << set_no << " input '" << input << "'";
      if (!got) {
        EXPECT_TRUE(ctx.captures.empty());
        continue;
      }
      ++matched;
      ASSERT_EQ(ctx.captures.size(), 1u);
      ASSERT_EQ(ctx.captures[0].value, phrases[static_cast<size_t>(expected)])
          << "set " << set_no << " input '" << input << "'";
    }
  }
  EXPECT_EQ(checked, 400u * 60u);
  // Both outcomes must be well represented, or the test would not exercise the matcher.
  EXPECT_GT(matched, checked / 10);
  EXPECT_LT(matched, checked - checked / 10);
}

// @pmFromFile phrases may contain spaces; same engine, same end-of-input placements.
TEST_F(PmOperatorsTest, PmFromFilePhrasesWithSpacesAtEveryOffset) {
  gs::testing::TempDir dir;
  ASSERT_TRUE(
      platform::WriteFileAtomic(dir.path() + "/p.data", "union all\nor 1\n# no\nab\n").ok());
  OperatorOptions options;
  options.base_dir = dir.path();
  auto r = registry_.Create("pmFromFile", "p.data", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::vector<std::string> phrases = {"union all", "or 1", "ab"};
  MatchContext ctx;
  ctx.want_captures = true;
  for (const auto& phrase : phrases) {
    for (size_t len = phrase.size(); len <= 200; ++len) {
      for (size_t off = 0; off + phrase.size() <= len; ++off) {
        std::string input(len, 'x');
        input.replace(off, phrase.size(), Upper(phrase));
        ASSERT_TRUE((*r)->Evaluate(input, &ctx)) << phrase << " at " << off << " of " << len;
        ASSERT_EQ(ctx.captures.size(), 1u);
        EXPECT_EQ(ctx.captures[0].value, phrase);
      }
    }
  }
  EXPECT_FALSE((*r)->Evaluate("# no", &ctx));  // comment lines are not phrases
}

TEST_F(PmOperatorsTest, EarliestEndingThenLongestPhraseIsCaptured) {
  auto op = MakePm({"b", "abc", "bc", "xabcd"});
  MatchContext ctx;
  ctx.want_captures = true;
  ASSERT_TRUE(op->Evaluate("..abc..", &ctx));
  EXPECT_EQ(ctx.captures[0].value, "b");  // ends at the 'b', before "abc" and "bc"
  auto op2 = MakePm({"bc", "abc"});
  ASSERT_TRUE(op2->Evaluate("..ABC..", &ctx));
  EXPECT_EQ(ctx.captures[0].value, "abc");  // both end at 'c': the longer one
  ctx.want_captures = false;
  ctx.captures.clear();
  ASSERT_TRUE(op2->Evaluate("abc", &ctx));
  EXPECT_TRUE(ctx.captures.empty());  // no capture work without `capture`
}

}  // namespace
}  // namespace gs::operators
