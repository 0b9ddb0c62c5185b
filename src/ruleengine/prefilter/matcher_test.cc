// Tests of the compiled matchers (LiteralMatcher, PrefilterSet) against the reference
// LiteralRequirement::SatisfiedBy: fixed edge cases, then randomised literal sets over a small
// alphabet (so overlaps, shared prefixes/suffixes and case variants are frequent) with matches
// at every position of inputs up to a few hundred bytes — the region where Vectorscan 5.4.9
// misses literals on this machine (see automaton.h).
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "ruleengine/prefilter/automaton.h"
#include "ruleengine/prefilter/prefilter.h"

namespace gs::prefilter {
namespace {

LiteralRequirement MakeReq(std::vector<Literal> lits) {
  LiteralRequirement r;
  r.literals = std::move(lits);
  return r;
}

std::shared_ptr<const LiteralMatcher> Build(const LiteralRequirement& r) {
  auto m = LiteralMatcher::Build(r);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : nullptr;
}

TEST(LiteralMatcherTest, DirectAndAutomatonPaths) {
  // Case-sensitive, few literals: memmem path.
  auto direct = Build(MakeReq({{"union", false}, {"select", false}}));
  EXPECT_TRUE(direct->MayMatch("1 union 2"));
  EXPECT_TRUE(direct->MayMatch("select"));
  EXPECT_FALSE(direct->MayMatch("UNION"));
  EXPECT_FALSE(direct->MayMatch(""));
  // Caseless: automaton path.
  auto ci = Build(MakeReq({{"union", true}}));
  EXPECT_TRUE(ci->MayMatch("1 UnIoN 2"));
  EXPECT_TRUE(ci->MayMatch("union"));
  EXPECT_FALSE(ci->MayMatch("unio n"));
  // Many literals, overlapping (the classic Aho-Corasick example).
  auto ac = Build(MakeReq({{"he", false}, {"she", false}, {"his", false}, {"hers", false}}));
  EXPECT_TRUE(ac->MayMatch("ushers"));
  EXPECT_TRUE(ac->MayMatch("xhisx"));
  EXPECT_FALSE(ac->MayMatch("HE SHE HIS"));
  // NUL and high bytes are ordinary bytes.
  std::string nul("a\0b", 3);
  auto bin = Build(MakeReq({{nul, false}, {"\xac\xed", false}, {"x", true}, {"\xff", false}}));
  EXPECT_TRUE(bin->MayMatch(std::string("zza\0bzz", 7)));
  EXPECT_TRUE(bin->MayMatch("\xac\xed\x00\x05"));
  EXPECT_FALSE(bin->MayMatch(std::string("zza\0czz", 7)));
  EXPECT_FALSE(bin->MayMatch("\xac"));
}

TEST(LiteralMatcherTest, CallerBuiltCaselessLiteralsInAnyCase) {
  auto r = MakeReq({{"SeLeCt", true}});
  EXPECT_TRUE(r.SatisfiedBy("x select y"));
  EXPECT_TRUE(Build(r)->MayMatch("x SELECT y"));
  auto set = PrefilterSet::Build({{0, r}});
  ASSERT_TRUE(set.ok());
  Bitset may;
  (*set)->Scan("sElEcT", nullptr, &may);
  EXPECT_TRUE(may.Test(0));
}

TEST(LiteralMatcherTest, PhraseRequirementForPm) {
  auto r = PhraseRequirement({"UNION", "union all", "Sleep("});
  ASSERT_TRUE(r.filterable());
  EXPECT_EQ(r.ToString(), "\"sleep(\"/i | \"union\"/i");  // "union all" implied by "union"
  EXPECT_TRUE(r.SatisfiedBy("1 UnIoN 2"));
  EXPECT_FALSE(r.SatisfiedBy("uni on"));
  EXPECT_FALSE(PhraseRequirement({"a", ""}).filterable());
  EXPECT_FALSE(PhraseRequirement({}).filterable());
}

TEST(LiteralMatcherTest, UnfilterableRequirementIsRejected) {
  LiteralRequirement r;
  r.unfilterable_reason = "can match the empty string";
  EXPECT_FALSE(LiteralMatcher::Build(r).ok());
  EXPECT_TRUE(r.SatisfiedBy("anything"));
  EXPECT_FALSE(LiteralMatcher::Build(MakeReq({{"", false}})).ok());
}

std::string RandomString(std::mt19937_64* rng, size_t len, std::string_view alphabet) {
  std::string s(len, ' ');
  for (auto& c : s) c = alphabet[(*rng)() % alphabet.size()];
  return s;
}

std::vector<Literal> RandomLiterals(std::mt19937_64* rng, size_t n) {
  std::vector<Literal> lits;
  for (size_t i = 0; i < n; ++i) {
    Literal l;
    l.caseless = ((*rng)() & 1) != 0;
    l.bytes = RandomString(rng, 1 + (*rng)() % 4, l.caseless ? "ab\x01" : "abAB\x01");
    lits.push_back(std::move(l));
  }
  return lits;
}

// Inserts `l` (case-flipped at random when caseless) at a random spot of `in`.
void Plant(std::mt19937_64* rng, const Literal& l, std::string* in) {
  std::string planted = l.bytes;
  if (l.caseless)
    for (auto& c : planted)
      if (c >= 'a' && c <= 'z' && ((*rng)() & 1)) c = static_cast<char>(c - 32);
  in->insert(in->empty() ? 0 : (*rng)() % (in->size() + 1), planted);
}

TEST(LiteralMatcherTest, RandomSetsAgreeWithReferenceAtEveryPosition) {
  std::mt19937_64 rng(42);
  size_t checks = 0, hits = 0;
  for (int round = 0; round < 300; ++round) {
    auto req = MakeReq(RandomLiterals(&rng, 1 + rng() % 12));
    auto m = Build(req);
    ASSERT_NE(m, nullptr);
    for (int k = 0; k < 40; ++k) {
      // Filler from other bytes, usually one literal planted.
      std::string in = RandomString(&rng, rng() % 300, "xyzXYZ");
      if (rng() % 4 != 0) Plant(&rng, req.literals[rng() % req.literals.size()], &in);
      bool want = req.SatisfiedBy(in);
      ASSERT_EQ(m->MayMatch(in), want) << req.ToString() << " on " << testing::PrintToString(in);
      ++checks;
      hits += want;
    }
  }
  EXPECT_GT(hits, checks / 2);
  EXPECT_LT(hits, checks);
}

// FindAnyByRareBytes must give SatisfiedBy's answer whenever it answers, at every position and
// across the 16-byte SIMD blocks; it declines only over budget or with too many anchor values.
TEST(RareBytesTest, AgreesWithReferenceWheneverItAnswers) {
  std::mt19937_64 rng(99);
  RareByteScratch scratch;
  ByteCounts counts;
  size_t answered = 0, hits = 0, declined = 0;
  for (int round = 0; round < 400; ++round) {
    auto req = MakeReq(RandomLiterals(&rng, 1 + rng() % 12));
    for (int k = 0; k < 30; ++k) {
      std::string in = RandomString(&rng, rng() % 200, rng() % 2 ? "xyzXYZ" : "abxAB\x01 ");
      if (rng() % 3 != 0) Plant(&rng, req.literals[rng() % req.literals.size()], &in);
      CountBytes(in, &counts);
      size_t budget = rng() % 4 == 0 ? rng() % 8 : SIZE_MAX;
      std::optional<bool> got = FindAnyByRareBytes(req.literals, in, counts, budget, &scratch);
      if (!got.has_value()) {
        ++declined;
        ASSERT_NE(budget, SIZE_MAX) << "declined without a budget: " << req.ToString();
        continue;
      }
      ASSERT_EQ(*got, req.SatisfiedBy(in))
          << req.ToString() << " on " << testing::PrintToString(in);
      ++answered;
      hits += *got;
    }
  }
  EXPECT_GT(hits, answered / 3);
  EXPECT_LT(hits, answered);
  EXPECT_GT(declined, 0u);
}

TEST(RareBytesTest, AnchorsOnTheRarestByteOfTheInput) {
  // 100 KB of letters with a newline every 64 bytes: "get\n" is found through the newlines.
  std::string big;
  for (int i = 0; big.size() < 100 * 1024; ++i) big += (i % 64 == 63) ? '\n' : "abcdefgh"[i % 8];
  ByteCounts counts;
  CountBytes(big, &counts);
  RareByteScratch scratch;
  std::vector<Literal> lits = {{"get\n", true}, {"put\n", true}, {"get ", true}};
  EXPECT_EQ(FindAnyByRareBytes(lits, big, counts, big.size() / 16, &scratch), false);
  std::string planted = big;
  planted.replace(50000, 4, "GeT ");
  CountBytes(planted, &counts);
  EXPECT_EQ(FindAnyByRareBytes(lits, planted, counts, big.size() / 16, &scratch), true);
  // Every anchor common: declines rather than scanning.
  std::string same(100 * 1024, 'a');
  CountBytes(same, &counts);
  std::vector<Literal> common = {{"aa", false}};
  EXPECT_EQ(FindAnyByRareBytes(common, same, counts, same.size() / 16, &scratch), std::nullopt);
  // A literal with a byte absent from the input cannot occur: no scan needed.
  std::vector<Literal> absent = {{"java.", true}};
  EXPECT_EQ(FindAnyByRareBytes(absent, big, counts, 0, &scratch), false);
}

TEST(PrefilterSetTest, MarksExactlyTheRulesWhoseRequirementHolds) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 40; ++round) {
    std::vector<PrefilterSet::Entry> entries;
    size_t rules = 1 + rng() % 40;
    for (size_t i = 0; i < rules; ++i) {
      LiteralRequirement r;
      if (rng() % 8 == 0) {
        r.unfilterable_reason = "test";
      } else {
        r.literals = RandomLiterals(&rng, 1 + rng() % 5);
      }
      entries.push_back({i * 3 + 1, r});  // sparse numbering
    }
    auto set = PrefilterSet::Build(entries);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    EXPECT_EQ((*set)->rule_index_bound(), (rules - 1) * 3 + 2);
    Bitset may;
    for (int k = 0; k < 50; ++k) {
      std::string in = RandomString(&rng, rng() % 200, "abABxy\x01");
      may.Clear();
      (*set)->Scan(in, nullptr, &may);
      for (const auto& e : entries) {
        bool covered = e.requirement.filterable();
        ASSERT_EQ((*set)->Covers(e.rule_index), covered);
        if (covered) {
          ASSERT_EQ(may.Test(e.rule_index), e.requirement.SatisfiedBy(in))
              << e.requirement.ToString() << " on " << testing::PrintToString(in);
        } else {
          ASSERT_FALSE(may.Test(e.rule_index));  // not covered: never marked, always run
        }
      }
      // Only rule indices that exist are ever marked.
      size_t marked = 0;
      for (const auto& e : entries) marked += may.Test(e.rule_index);
      ASSERT_EQ(marked, may.Count());
    }
  }
}

// The automaton numbers states so that those where a literal ends come last and, below 65,536
// states, stores 16-bit transitions (automaton.h, "Layout"). Both table widths must report
// exactly the literal occurrences a brute-force search finds: a small set, and one of over
// 65,536 states (the CRS's all-rules automaton has ~41,000).
TEST(LiteralAutomatonTest, ReportsEveryOccurrenceWithSmallAndLargeTables) {
  std::mt19937_64 rng(20261207);
  for (size_t n : {size_t{40}, size_t{9000}}) {
    std::vector<Literal> lits;
    for (size_t i = 0; i < n; ++i) {
      Literal l;
      l.caseless = (rng() & 3) != 0;
      const size_t len = n < 100 ? 1 + rng() % 4 : 8 + rng() % 8;
      l.bytes = RandomString(&rng, len, l.caseless ? "abcdefghijklmnopq" : "abcdABCDefgh");
      lits.push_back(std::move(l));
    }
    const internal::LiteralAutomaton automaton(lits);
    if (n > 1000) {
      ASSERT_GT(automaton.state_count(), 65536u);
    } else {
      ASSERT_LT(automaton.state_count(), 65536u);
    }
    auto lower = [](std::string s) {
      for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      return s;
    };
    size_t total = 0;
    for (int k = 0; k < 25; ++k) {
      std::string in = RandomString(&rng, rng() % 300, "abcdefgABCxyz");
      for (int p = 0; p < 4; ++p) Plant(&rng, lits[rng() % lits.size()], &in);
      std::multiset<uint32_t> got_ids;  // one entry per reported occurrence
      automaton.Scan(in, [&](uint32_t id) {
        got_ids.insert(id);
        return true;
      });
      std::multiset<uint32_t> want_ids;
      const std::string folded = lower(in);
      for (uint32_t id = 0; id < lits.size(); ++id) {
        const std::string& needle = lits[id].caseless ? lower(lits[id].bytes) : lits[id].bytes;
        const std::string& hay = lits[id].caseless ? folded : in;
        for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) {
          want_ids.insert(id);
        }
      }
      ASSERT_EQ(got_ids, want_ids) << "n=" << n << " input " << testing::PrintToString(in);
      total += want_ids.size();
    }
    EXPECT_GT(total, 25u * 2);  // most planted literals survive the later plants
  }
}

TEST(PrefilterSetTest, AccumulatesAcrossScansAndMergesDuplicateIndices) {
  std::vector<PrefilterSet::Entry> entries = {
      {0, MakeReq({{"union", true}})},
      {1, MakeReq({{"<script", true}})},
      {1, MakeReq({{"javascript:", true}})},  // same rule twice: OR of both
  };
  auto set = PrefilterSet::Build(entries);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ((*set)->covered_rules(), 2u);
  Scratch scratch;
  Bitset may;  // empty: Scan sizes it
  (*set)->Scan("JavaScript:alert(1)", &scratch, &may);
  EXPECT_FALSE(may.Test(0));
  EXPECT_TRUE(may.Test(1));
  (*set)->Scan("1 UNION select", &scratch, &may);  // not cleared: both now
  EXPECT_TRUE(may.Test(0));
  EXPECT_TRUE(may.Test(1));
  may.Clear();
  (*set)->Scan("hello", &scratch, &may);
  EXPECT_EQ(may.Count(), 0u);
}

TEST(PrefilterSetTest, EmptyAndAllUnfilterableSets) {
  auto empty = PrefilterSet::Build({});
  ASSERT_TRUE(empty.ok());
  Bitset may;
  (*empty)->Scan("anything", nullptr, &may);
  EXPECT_EQ(may.Count(), 0u);
  LiteralRequirement none;
  none.unfilterable_reason = "x";
  auto unf = PrefilterSet::Build({{5, none}});
  ASSERT_TRUE(unf.ok());
  EXPECT_FALSE((*unf)->Covers(5));
  EXPECT_EQ((*unf)->rule_index_bound(), 6u);
}

TEST(PrefilterSetTest, SharedSetIsSafeAcrossThreads) {
  std::vector<PrefilterSet::Entry> entries;
  for (size_t i = 0; i < 200; ++i) {
    entries.push_back({i, MakeReq({{"tok" + std::to_string(i) + "x", (i % 2) == 0}})});
  }
  auto set = PrefilterSet::Build(entries);
  ASSERT_TRUE(set.ok());
  std::shared_ptr<const PrefilterSet> shared = *set;
  std::vector<size_t> counts(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Scratch scratch;
      Bitset may;
      for (size_t i = 0; i < 2000; ++i) {
        may.Clear();
        std::string in = "a TOK" + std::to_string((i + t) % 200) + "X b";
        shared->Scan(in, &scratch, &may);
        counts[t] += may.Count();
      }
    });
  }
  for (auto& th : threads) th.join();
  // Even indices are caseless (match "TOKnX"), odd ones are not: exactly half the scans hit.
  for (size_t t = 0; t < 4; ++t) EXPECT_EQ(counts[t], 1000u) << t;
}

}  // namespace
}  // namespace gs::prefilter
