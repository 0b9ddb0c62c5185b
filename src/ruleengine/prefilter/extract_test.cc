// Unit tests of requirement extraction on tricky PCRE2 syntax. Expected literal sets are derived
// by hand from the PCRE2 semantics of each pattern (which strings can match), not from the
// implementation; where several equally good answers exist the test checks the property
// (which inputs are accepted/rejected) instead of one spelling.
#include <gtest/gtest.h>

#include "ruleengine/prefilter/pcre2_oracle.h"
#include "ruleengine/prefilter/prefilter.h"
#include "ruleengine/prefilter/regex_ast.h"

namespace gs::prefilter {
namespace {

std::string Req(std::string_view pattern, ExtractOptions options = {}) {
  auto r = ExtractRequirement(pattern, options);
  if (!r.ok()) return "ERROR " + std::string(r.status().message());
  return r->ToString();
}

LiteralRequirement Get(std::string_view pattern) {
  auto r = ExtractRequirement(pattern);
  EXPECT_TRUE(r.ok()) << pattern << ": " << r.status().ToString();
  return r.ok() ? *r : LiteralRequirement{};
}

bool Unfilterable(std::string_view pattern, std::string_view reason_part) {
  auto r = ExtractRequirement(pattern);
  return r.ok() && !r->filterable() &&
         r->unfilterable_reason.find(reason_part) != std::string::npos;
}

TEST(ExtractTest, PlainLiteralsAndConcatenation) {
  EXPECT_EQ(Req("abc"), "\"abc\"");
  EXPECT_EQ(Req("foo|bar"), "\"bar\" | \"foo\"");
  EXPECT_EQ(Req("foo(bar|baz)qux"), "\"foobarqux\" | \"foobazqux\"");
  EXPECT_EQ(Req("https?://"), "\"http://\" | \"https://\"");
  EXPECT_EQ(Req("ab{2}c"), "\"abbc\"");
  // {2,3}: "xxyz" is contained in "xxxyz", so one literal suffices.
  EXPECT_EQ(Req("x{2,3}yz"), "\"xxyz\"");
  EXPECT_EQ(Req("(?:ab|cd)+ef"), "\"abef\" | \"cdef\"");
}

TEST(ExtractTest, CaseInsensitivity) {
  EXPECT_EQ(Req("(?i)select"), "\"select\"/i");
  EXPECT_EQ(Req("(?i:SeLeCt)"), "\"select\"/i");
  EXPECT_EQ(Req("[Ss]elect"), "\"select\"/i");  // both cases of the first letter
  EXPECT_EQ(Req("[S]elect"), "\"Select\"");
  EXPECT_EQ(Req("(?i)[a-c]x"), "\"ax\"/i | \"bx\"/i | \"cx\"/i");
  ExtractOptions caseless;
  caseless.caseless = true;
  EXPECT_EQ(Req("abc", caseless), "\"abc\"/i");
  // (?-i) switches caseless matching off again: "ABCD" is exact. A literal spanning both parts
  // is caseless as a whole (weaker, still sound).
  EXPECT_EQ(Req("(?i)x.(?-i)ABCD"), "\"ABCD\"");
  EXPECT_EQ(Req("(?i)x(?-i)ABC(?i)"), "\"xabc\"/i");
  EXPECT_EQ(Req("(?i:xyz)(?-i)ABCDEFG"), "\"xyzabcdefg\"/i");
  // The option set inside a group ends with the group.
  EXPECT_EQ(Req("(a(?i)bcd)EFGH"), "\"abcdefgh\"/i");
  auto r = Get("(?i)SeLeCt");
  EXPECT_TRUE(r.SatisfiedBy("xx SELECT"));
  EXPECT_TRUE(r.SatisfiedBy("select"));
  EXPECT_FALSE(r.SatisfiedBy("selec t"));
  // Bytes >= 0x80 are not case-folded by PCRE2 without UTF.
  EXPECT_EQ(Req("(?i)\\xc0\\xe0x"), "\"\\xc0\\xe0x\"/i");
}

TEST(ExtractTest, ZeroWidthItemsContributeNothing) {
  EXPECT_EQ(Req("x(?=abc)yz"), "\"xyz\"");
  EXPECT_EQ(Req("(?<=admin)/login"), "\"/login\"");
  EXPECT_EQ(Req("(?!abc)def"), "\"def\"");
  EXPECT_EQ(Req("(?<!x)\\bunion\\b"), "\"union\"");
  EXPECT_EQ(Req("^abc$"), "\"abc\"");
  EXPECT_EQ(Req("\\Aabc\\z"), "\"abc\"");
  EXPECT_EQ(Req("ab\\Kcd"), "\"abcd\"");  // \K: the bytes are still in the input
  EXPECT_EQ(Req("ab(*COMMIT)cd"), "\"abcd\"");
  EXPECT_EQ(Req("ab(?#comment)cd"), "\"abcd\"");
  EXPECT_EQ(Req("[[:<:]]abc[[:>:]]"), "\"abc\"");
  EXPECT_EQ(Req("(*pla:abc)xyz"), "\"xyz\"");
}

TEST(ExtractTest, EscapesAndQuoting) {
  EXPECT_EQ(Req("\\x41\\x42C"), "\"ABC\"");
  EXPECT_EQ(Req("\\x{41}bc"), "\"Abc\"");
  EXPECT_EQ(Req("\\o{101}bc"), "\"Abc\"");
  EXPECT_EQ(Req("\\0101"), "\"\\x081\"");  // \010 then '1'
  EXPECT_EQ(Req("\\cAxy"), "\"\\x01xy\"");
  EXPECT_EQ(Req("a\\.b\\*c"), "\"a.b*c\"");
  EXPECT_EQ(Req("\\Qa+b(\\E"), "\"a+b(\"");
  EXPECT_EQ(Req("\\Qab"), "\"ab\"");         // \Q without \E runs to the end
  EXPECT_EQ(Req("\\Qab\\E+cd"), "\"bcd\"");  // the quantifier applies to b only: abbcd
  EXPECT_EQ(Req("\\tab\\r\\n"), "\"\\x09ab\\x0d\\x0a\"");
  EXPECT_TRUE(Unfilterable("\\x{100}abc", "above 255"));
}

TEST(ExtractTest, ExtendedMode) {
  EXPECT_EQ(Req("(?x) s e l e c t # a comment\n"), "\"select\"");
  EXPECT_EQ(Req("(?x)union\\ select"), "\"union select\"");
  EXPECT_EQ(Req("(?x)[ ]ab"), "\" ab\"");  // white space in a class is literal under (?x)
  EXPECT_EQ(Req("(?x)ab (?-x)c d"), "\"abc d\"");
  EXPECT_EQ(Req("(?x: a b )c d"), "\"abc d\"");
  EXPECT_EQ(Req("(?x) a b #c d\n e f"), "\"abef\"");
  EXPECT_EQ(Req("(?x) ab \\Q c d \\E"), "\"ab c d \"");
  EXPECT_TRUE(
      Unfilterable("(?x)ab\x85"
                   "cd",
                   "0x85"));
}

TEST(ExtractTest, ClassesAndDots) {
  EXPECT_EQ(Req("[<>]script"), "\"<script\" | \">script\"");
  EXPECT_EQ(Req("[^a]bc"), "\"bc\"");
  EXPECT_EQ(Req("[[:digit:]]abc"), "\"abc\"");
  EXPECT_EQ(Req("[]x]yz"), "\"]yz\" | \"xyz\"");  // ] first is a member
  EXPECT_EQ(Req("[a-]bc"), "\"-bc\" | \"abc\"");
  EXPECT_EQ(Req("[\\x41\\]]bc"), "\"Abc\" | \"]bc\"");
  EXPECT_EQ(Req("[\\Q]\\E]bc"), "\"]bc\"");
  EXPECT_EQ(Req("abc.def").size(), 5u);  // "abc" or "def": the dot separates them
  EXPECT_TRUE(Unfilterable("a.c", "shorter than"));
  // A negated class with a shorthand is over-approximated as every byte, not under.
  EXPECT_EQ(Req("[^\\d]bc"), "\"bc\"");
  EXPECT_TRUE(Unfilterable("[^\\x00-\\xff]", ""));  // matches nothing; no literal is claimed
}

TEST(ExtractTest, ShorthandClassesAreExact) {
  // \s is exactly [\t\n\v\f\r ] in PCRE2's built-in tables, so a literal can span it.
  EXPECT_EQ(Req("get\\s"),
            "\"get\\x09\" | \"get\\x0a\" | \"get\\x0b\" | \"get\\x0c\" | \"get\\x0d\" | \"get \"");
  EXPECT_EQ(
      Req("a\\d"),
      "\"a0\" | \"a1\" | \"a2\" | \"a3\" | \"a4\" | \"a5\" | \"a6\" | \"a7\" | \"a8\" | \"a9\"");
  EXPECT_EQ(Req("[\\hx]yz"), "\"\\x09yz\" | \" yz\" | \"xyz\" | \"\\xa0yz\"");
  ExtractOptions coarse;  // shorthands as any byte: the literal stops before them
  coarse.exact_shorthands = false;
  EXPECT_EQ(Req("get\\s", coarse), "\"get\"");
  EXPECT_EQ(Req("[^\\s]abc", coarse), "\"abc\"");
  // 921110's shape: a method name must be followed by white space.
  auto r = Get("(?:get|put)\\s+\\w[^\\s]*[\\r\\n]");
  EXPECT_TRUE(r.SatisfiedBy("x get\n/a\n"));
  EXPECT_FALSE(r.SatisfiedBy("getput;\r\nforgot/it"));
}

// The shorthand byte sets must be PCRE2's own: checked for every byte, alone, in a class and
// negated in a class, against PCRE2 compiled as the operators module compiles @rx.
TEST(ExtractTest, ShorthandBytesAgreeWithPcre2) {
  for (char letter : std::string("dDwWsShHvV")) {
    auto bytes = internal::ShorthandBytes(letter);
    ASSERT_TRUE(bytes.has_value()) << letter;
    std::string esc = std::string("\\") + letter;
    Pcre2Oracle plain(esc), in_class("[" + esc + "]"), negated("[^" + esc + "]");
    ASSERT_TRUE(plain.ok() && in_class.ok() && negated.ok());
    for (int b = 0; b < 256; ++b) {
      std::string one(1, static_cast<char>(b));
      EXPECT_EQ(plain.Match(one) == 1, (*bytes)[b]) << esc << " byte " << b;
      EXPECT_EQ(in_class.Match(one) == 1, (*bytes)[b]) << esc << " byte " << b;
      EXPECT_EQ(negated.Match(one) == 1, !(*bytes)[b]) << esc << " byte " << b;
    }
  }
  EXPECT_FALSE(internal::ShorthandBytes('p').has_value());
}

TEST(ExtractTest, BackreferencesSubroutinesConditionals) {
  EXPECT_EQ(Req("(abc)\\1de"), "\"abc\"");
  EXPECT_EQ(Req("(?<n>abc)\\k<n>"), "\"abc\"");
  EXPECT_EQ(Req("(?1)xyz(abc)"), "\"xyzabc\"");
  EXPECT_EQ(Req("(?(1)abc|def)xyz"), "\"xyz\"");
  EXPECT_EQ(Req("(?(?=a)abc|def)xyz"), "\"xyz\"");
  auto r = Get("(?P<n>ab)(?P=n)cd");
  EXPECT_TRUE(r.SatisfiedBy("ababcd"));
}

TEST(ExtractTest, QuantifierForms) {
  EXPECT_EQ(Req("a++bc"), "\"abc\"");
  EXPECT_EQ(Req("a+?bc"), "\"abc\"");
  EXPECT_EQ(Req("(?:abc)*+xyz"), "\"xyz\"");
  EXPECT_EQ(Req("a{x}bc"), "\"a{x}bc\"");  // not a quantifier: literal braces
  EXPECT_EQ(Req("ab{3,}c"), "\"abbb\"");   // b{3,} starts (and ends) with "bbb"
  EXPECT_EQ(Req("(?:ab){2,}"), "\"abab\"");
  EXPECT_TRUE(Unfilterable("a{,3}bc", "PCRE2 version"));
  EXPECT_TRUE(Unfilterable("ab*", "shorter"));  // "a" alone
  auto r = Get("ab(?#x)+c");                    // the quantifier after a comment applies to b
  EXPECT_TRUE(r.SatisfiedBy("abbbc"));
  EXPECT_TRUE(r.filterable());
}

TEST(ExtractTest, UnfilterablePatternsSayWhy) {
  EXPECT_TRUE(Unfilterable("", "empty string"));
  EXPECT_TRUE(Unfilterable("abc|", "empty string"));
  EXPECT_TRUE(Unfilterable(".*", "empty string"));
  EXPECT_TRUE(Unfilterable("^\\w+$", "no literal"));
  EXPECT_TRUE(Unfilterable("^\\d+$", "shorter than"));  // one of ten digits
  EXPECT_TRUE(Unfilterable("(*UTF)abc", "UTF"));
  EXPECT_TRUE(Unfilterable("(*UCP)abc", "UCP"));
  EXPECT_TRUE(Unfilterable("abc(*ACCEPT)def", "ACCEPT"));
  EXPECT_TRUE(Unfilterable("(*CRLF)(?x)abc", "newline"));
  EXPECT_TRUE(Unfilterable("\\labc", "unrecognised escape"));
  std::string deep(5000, '(');
  deep += "abc" + std::string(5000, ')');
  EXPECT_TRUE(Unfilterable(deep, "nested too deeply"));
  ExtractOptions strict;
  strict.min_literal_length = 3;
  EXPECT_EQ(Req("ab", strict).substr(0, 12), "unfilterable");
}

TEST(ExtractTest, RareSingleBytes) {
  EXPECT_EQ(Req("['\"`]"), "\"\\\"\" | \"'\" | \"`\"");
  EXPECT_TRUE(Unfilterable("[ab]", "not a rare byte"));
  ExtractOptions no_rare;
  no_rare.allow_rare_single_bytes = false;
  EXPECT_EQ(Req("'", no_rare).substr(0, 12), "unfilterable");
  // A longer factor wins over a rare single byte.
  EXPECT_EQ(Req("'\\s*union"), "\"union\"");
}

TEST(ExtractTest, InvalidPatternsAreErrors) {
  EXPECT_EQ(Req("(abc").substr(0, 5), "ERROR");
  EXPECT_EQ(Req("abc)").substr(0, 5), "ERROR");
  EXPECT_EQ(Req("[abc").substr(0, 5), "ERROR");
  EXPECT_EQ(Req("abc\\").substr(0, 5), "ERROR");
  EXPECT_EQ(Req("[z-a]").substr(0, 5), "ERROR");
  EXPECT_EQ(Req("a{3,2}").substr(0, 5), "ERROR");
}

TEST(ExtractTest, LargeAlternationsStayComplete) {
  std::string p = "(?:";
  for (int i = 0; i < 300; ++i) p += (i ? "|" : "") + std::string("word") + std::to_string(i);
  p += ")\\(";
  auto r = Get(p);
  ASSERT_TRUE(r.filterable());
  // Every alternative must still be accepted, whatever the set was shortened to.
  for (int i = 0; i < 300; ++i) {
    EXPECT_TRUE(r.SatisfiedBy("x word" + std::to_string(i) + "( y")) << i;
  }
  EXPECT_FALSE(r.SatisfiedBy("nothing here"));
  EXPECT_LE(r.literals.size(), 512u);
}

TEST(ExtractTest, HostilePatternsAreBoundedInWork) {
  // 30 alternations of 300 branches of 8 spellings each: the literal algebra would explode.
  std::string alt = "(?:";
  for (int i = 0; i < 300; ++i)
    alt += (i ? "|" : "") + std::string("[ab][cd][ef]") + std::to_string(i);
  alt += ")";
  std::string p;
  for (int i = 0; i < 30; ++i) p += alt;
  EXPECT_TRUE(Unfilterable(p, "too complex"));
  // A node count past the parser's limit.
  std::string big;
  for (int i = 0; i < 70000; ++i) big += "ab|";
  big += "c";
  EXPECT_TRUE(Unfilterable(big, "too large"));
}

TEST(ExtractTest, LiteralsAreMinimal) {
  // "abc" implies "abcd" present? No: a set {abc, abcd} is reduced to {abc}.
  auto r = Get("abc|abcd|xabcx");
  ASSERT_EQ(r.literals.size(), 1u);
  EXPECT_EQ(r.literals[0].bytes, "abc");
  // A caseless literal makes its case-sensitive twin redundant.
  auto r2 = Get("(?:SELECT|(?i:select))");
  ASSERT_EQ(r2.literals.size(), 1u);
  EXPECT_TRUE(r2.literals[0].caseless);
}

}  // namespace
}  // namespace gs::prefilter
