// Focused tests of the operator module: registry errors, load-time argument errors, PCRE2 match
// limits on a pathological regex, captures, dynamic arguments, @pm/@pmFromFile, @ipMatch edge
// cases, the checksum verifiers, thread-safety of shared compiled operators.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include "platform/file.h"
#include "ruleengine/operators/operator.h"
#include "testlib/temp_dir.h"

namespace gs::operators {
namespace {

class OperatorsTest : public ::testing::Test {
 protected:
  OperatorsTest() { RegisterBuiltinOperators(&registry_); }

  std::unique_ptr<const Operator> Make(std::string_view name, std::string_view arg,
                                       OperatorOptions options = {}) {
    auto op = registry_.Create(name, arg, options);
    EXPECT_TRUE(op.ok()) << name << " " << arg << ": " << op.status().ToString();
    return op.ok() ? std::move(op).value() : nullptr;
  }
  bool Eval(std::string_view name, std::string_view arg, std::string_view input) {
    auto op = Make(name, arg);
    MatchContext ctx;
    return op != nullptr && op->Evaluate(input, &ctx);
  }

  OperatorRegistry registry_;
};

TEST_F(OperatorsTest, UnknownOperatorIsNamed) {
  auto op = registry_.Create("frobnicate", "x", {});
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(op.status().code(), StatusCode::kNotFound);
  EXPECT_NE(op.status().message().find("frobnicate"), std::string_view::npos);
}

TEST_F(OperatorsTest, NamesAreCaseInsensitive) {
  EXPECT_TRUE(Eval("BEGINSWITH", "ab", "abc"));
  EXPECT_TRUE(Eval("verifycpf", "([0-9]{3}\\.){2}[0-9]{3}-[0-9]{2}", "x 010.817.514-60"));
}

TEST_F(OperatorsTest, BadRegexNamesOffset) {
  auto op = registry_.Create("rx", "abc(def", {});
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(op.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(op.status().message().find("offset 7"), std::string_view::npos)
      << op.status().ToString();
}

TEST_F(OperatorsTest, UnsupportedOperatorsFailAtLoad) {
  for (const char* name : {"rbl", "inspectFile", "fuzzyHash", "validateHash", "gsbLookup"}) {
    auto op = registry_.Create(name, "x", {});
    ASSERT_FALSE(op.ok()) << name;
    EXPECT_EQ(op.status().code(), StatusCode::kUnimplemented) << name;
    EXPECT_NE(op.status().message().find("not supported here"), std::string_view::npos);
  }
}

TEST_F(OperatorsTest, GeoLookupWithoutDatabaseFailsAtLoad) {
  auto op = registry_.Create("geoLookup", "", {});
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(op.status().code(), StatusCode::kFailedPrecondition);
  OperatorOptions options;
  options.geo_db_path = "/nonexistent/GeoLite2-City.mmdb";
  auto op2 = registry_.Create("geoLookup", "", options);
  ASSERT_FALSE(op2.ok());
  EXPECT_EQ(op2.status().code(), StatusCode::kInvalidArgument);
}

// Writes a minimal MaxMind DB (format v2, IPv4, 24-bit records) mapping 1.2.3.0/24 to a
// GeoIP2-City-like record, so @geoLookup is tested against the real libmaxminddb reader.
std::string MmdbString(std::string_view v) {
  std::string out(1, static_cast<char>((2 << 5) | v.size()));
  return out + std::string(v);
}
std::string MmdbMap(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string out(1, static_cast<char>((7 << 5) | kv.size()));
  for (const auto& [k, v] : kv) out += MmdbString(k) + v;
  return out;
}
std::string MmdbUint(int type, uint64_t v, int bytes) {
  std::string out;
  if (type <= 7) {
    out += static_cast<char>((type << 5) | bytes);
  } else {
    out += static_cast<char>(bytes);
    out += static_cast<char>(type - 7);
  }
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}
std::string MmdbDouble(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  std::string out(1, static_cast<char>((3 << 5) | 8));
  for (int i = 7; i >= 0; --i) out += static_cast<char>((bits >> (8 * i)) & 0xFF);
  return out;
}
std::string BuildTestMmdb() {
  const uint32_t kNodes = 24;  // one node per prefix bit of 1.2.3.0/24
  const uint32_t prefix = (1u << 24) | (2u << 16) | (3u << 8);
  std::string tree;
  auto put24 = [&](uint32_t v) {
    tree += static_cast<char>((v >> 16) & 0xFF);
    tree += static_cast<char>((v >> 8) & 0xFF);
    tree += static_cast<char>(v & 0xFF);
  };
  for (uint32_t n = 0; n < kNodes; ++n) {
    uint32_t bit = (prefix >> (31 - n)) & 1;
    uint32_t follow = n + 1 < kNodes ? n + 1 : kNodes + 16;  // last: data at offset 0
    put24(bit == 0 ? follow : kNodes);                       // kNodes = "no data"
    put24(bit == 1 ? follow : kNodes);
  }
  std::string data = MmdbMap({
      {"city", MmdbMap({{"names", MmdbMap({{"en", MmdbString("Beijing")}})}})},
      {"continent", MmdbMap({{"code", MmdbString("AS")}})},
      {"country", MmdbMap({{"iso_code", MmdbString("CN")},
                           {"names", MmdbMap({{"en", MmdbString("China")}})}})},
      {"location", MmdbMap({{"latitude", MmdbDouble(39.9)}, {"longitude", MmdbDouble(116.4)}})},
  });
  std::string languages = std::string(1, static_cast<char>(1)) + static_cast<char>(11 - 7) +
                          MmdbString("en");  // array of one string
  std::string meta = MmdbMap({
      {"binary_format_major_version", MmdbUint(5, 2, 1)},
      {"binary_format_minor_version", MmdbUint(5, 0, 0)},
      {"build_epoch", MmdbUint(9, 1, 1)},
      {"database_type", MmdbString("GS-Test-City")},
      {"description", MmdbMap({{"en", MmdbString("test")}})},
      {"ip_version", MmdbUint(5, 4, 1)},
      {"languages", languages},
      {"node_count", MmdbUint(6, kNodes, 1)},
      {"record_size", MmdbUint(5, 24, 1)},
  });
  return tree + std::string(16, '\0') + data + "\xAB\xCD\xEFMaxMind.com" + meta;
}

TEST_F(OperatorsTest, GeoLookupWithDatabase) {
  gs::testing::TempDir dir;
  std::string path = dir.path() + "/test.mmdb";
  ASSERT_TRUE(platform::WriteFileAtomic(path, BuildTestMmdb()).ok());
  OperatorOptions options;
  options.geo_db_path = path;
  auto op = Make("geoLookup", "", options);
  ASSERT_NE(op, nullptr);
  MatchContext ctx;
  ASSERT_TRUE(op->Evaluate("1.2.3.4", &ctx));
  EXPECT_EQ(ctx.geo.country_code, "CN");
  EXPECT_EQ(ctx.geo.country_name, "China");
  EXPECT_EQ(ctx.geo.country_continent, "AS");
  EXPECT_EQ(ctx.geo.city, "Beijing");
  EXPECT_DOUBLE_EQ(ctx.geo.latitude, 39.9);
  EXPECT_DOUBLE_EQ(ctx.geo.longitude, 116.4);
  EXPECT_FALSE(op->Evaluate("1.2.4.1", &ctx));
  EXPECT_FALSE(op->Evaluate("::1", &ctx));  // IPv6 lookup in an IPv4 database
  EXPECT_FALSE(op->Evaluate("www.example.com", &ctx));
  EXPECT_FALSE(op->Evaluate("", &ctx));
}

// Catastrophic backtracking: (a+)+$ on "aaaa...b". Without a limit this takes exponential time;
// with the limit PCRE2 gives up, the evaluation returns false and the limit flag is set.
TEST_F(OperatorsTest, PcreMatchLimitBoundsPathologicalRegex) {
  OperatorOptions options;
  options.pcre_match_limit = 1000;
  auto op = Make("rx", "^(a+)+$", options);
  ASSERT_NE(op, nullptr);
  std::string input(40, 'a');
  input += 'b';
  MatchContext ctx;
  EXPECT_FALSE(op->Evaluate(input, &ctx));
  EXPECT_TRUE(ctx.pcre_limits_exceeded);
  EXPECT_TRUE(ctx.pcre_error);
  // The same operator still works on benign input with the same context.
  ctx.ResetFlags();
  EXPECT_TRUE(op->Evaluate("aaaa", &ctx));
  EXPECT_FALSE(ctx.pcre_limits_exceeded);
}

TEST_F(OperatorsTest, DefaultLimitsAlsoBoundPathologicalRegex) {
  auto op = Make("rx", "^(a|aa)+$", {});
  ASSERT_NE(op, nullptr);
  std::string input(5000, 'a');
  input += '!';
  MatchContext ctx;
  EXPECT_FALSE(op->Evaluate(input, &ctx));
  EXPECT_TRUE(ctx.pcre_limits_exceeded);
}

// Matches take pcre2_jit_match's fast path only for patterns outside UTF mode: a (*UTF) pattern
// still gets pcre2_match's check of the input, so invalid UTF-8 is an error, not undefined
// behaviour inside the JIT code (run under ASan in make test).
TEST_F(OperatorsTest, UtfPatternOnInvalidUtf8IsAnErrorNotAMatch) {
  auto op = Make("rx", "(*UTF)\\x{4e2d}+");
  ASSERT_NE(op, nullptr);
  MatchContext ctx;
  EXPECT_TRUE(op->Evaluate("x\xe4\xb8\xad\xe4\xb8\xad", &ctx));
  ctx.ResetFlags();
  EXPECT_FALSE(op->Evaluate("\xe4\xb8\xad\xff\xfe", &ctx));
  EXPECT_TRUE(ctx.pcre_error);
  ctx.ResetFlags();
  auto plain = Make("rx", "a.c");  // not UTF: any bytes
  ASSERT_NE(plain, nullptr);
  EXPECT_TRUE(
      plain->Evaluate("a\xff"
                      "c",
                      &ctx));
  EXPECT_FALSE(ctx.pcre_error);
}

TEST_F(OperatorsTest, RxCapturesUpToTen) {
  auto op = Make("rx", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)");
  MatchContext ctx;
  ctx.want_captures = true;
  ASSERT_TRUE(op->Evaluate("xxabcdefghijk", &ctx));
  ASSERT_EQ(ctx.captures.size(), 10u);
  EXPECT_EQ(ctx.captures[0].value, "abcdefghijk");
  EXPECT_EQ(ctx.captures[9].value, "i");
}

TEST_F(OperatorsTest, RxUnsetGroupIsMarked) {
  auto op = Make("rx", "(x)|(y)");
  MatchContext ctx;
  ctx.want_captures = true;
  ASSERT_TRUE(op->Evaluate("y", &ctx));
  ASSERT_EQ(ctx.captures.size(), 3u);
  EXPECT_FALSE(ctx.captures[1].set);
  EXPECT_TRUE(ctx.captures[2].set);
  EXPECT_EQ(ctx.captures[2].value, "y");
}

TEST_F(OperatorsTest, RxIsDotallAndMultiline) {
  EXPECT_TRUE(Eval("rx", "a.b", "a\nb"));
  EXPECT_TRUE(Eval("rx", "^b$", "a\nb\nc"));
}

TEST_F(OperatorsTest, RxHandlesEmbeddedNul) {
  EXPECT_TRUE(Eval("rx", "a\\x00b", std::string_view("xa\0b", 4)));
}

TEST_F(OperatorsTest, DynamicArgumentUsesExpandedValue) {
  OperatorOptions options;
  options.dynamic_argument = true;
  auto within = Make("within", "%{tx.allowed_methods}", options);
  auto rx = Make("rx", "^%{tx.prefix}", options);
  auto ge = Make("ge", "%{tx.threshold}", options);
  ASSERT_TRUE(within && rx && ge);
  MatchContext ctx;
  EXPECT_TRUE(within->EvaluateExpanded("GET HEAD POST", "POST", &ctx));
  EXPECT_FALSE(within->EvaluateExpanded("GET HEAD", "POST", &ctx));
  EXPECT_TRUE(rx->EvaluateExpanded("^ab+c", "abbbc", &ctx));
  EXPECT_FALSE(rx->EvaluateExpanded("^ab+c", "xabbbc", &ctx));
  EXPECT_TRUE(rx->EvaluateExpanded("x", "xyz", &ctx));  // second value, cached separately
  EXPECT_TRUE(ge->EvaluateExpanded("5", "7", &ctx));
  EXPECT_FALSE(ge->EvaluateExpanded("10", "7", &ctx));
  // A run-time argument that does not compile: no match, flag set.
  EXPECT_FALSE(ctx.argument_error);
  EXPECT_FALSE(rx->EvaluateExpanded("(", "((", &ctx));
  EXPECT_TRUE(ctx.argument_error);
}

TEST_F(OperatorsTest, StaticOperatorIgnoresExpandedArgument) {
  auto op = Make("streq", "abc");
  MatchContext ctx;
  EXPECT_TRUE(op->EvaluateExpanded("zzz", "abc", &ctx));
}

TEST_F(OperatorsTest, NumericParsingLikeModSecurity) {
  EXPECT_TRUE(Eval("eq", "5", "  5abc"));
  EXPECT_TRUE(Eval("eq", "0", "abc"));
  EXPECT_TRUE(Eval("eq", "-3", "-3"));
  EXPECT_TRUE(Eval("eq", "0", "99999999999"));  // out of int range -> 0
  EXPECT_TRUE(Eval("lt", "0", "-2147483648"));
  EXPECT_TRUE(Eval("gt", "2147483646", "2147483647"));
  // Ordering operators parse like atoll: 64-bit and saturating, unlike @eq.
  EXPECT_TRUE(Eval("gt", "5", "2147483648"));
  EXPECT_TRUE(Eval("gt", "9223372036854775806", "99999999999999999999"));
  EXPECT_TRUE(Eval("le", "-9223372036854775808", "-99999999999999999999"));
  EXPECT_TRUE(Eval("lt", "0", "-2147483649"));
  EXPECT_TRUE(Eval("eq", "0", "2147483648"));
}

TEST_F(OperatorsTest, ContainsWordTreatsOnlyLettersAsWord) {
  EXPECT_TRUE(Eval("containsWord", "select", "1select("));
  EXPECT_FALSE(Eval("containsWord", "select", "xselect"));
  EXPECT_TRUE(Eval("containsWord", "select", "selectx select"));
}

TEST_F(OperatorsTest, ValidateByteRangeParsesLists) {
  EXPECT_FALSE(Eval("validateByteRange", "10, 13, 32-126", "Hello World\r\n"));
  EXPECT_TRUE(Eval("validateByteRange", "10, 13, 32-126", "tab\there"));
  for (const char* bad : {"", "xxx", "1-300", "20-10", "1,,2"}) {
    auto op = registry_.Create("validateByteRange", bad, {});
    EXPECT_FALSE(op.ok()) << bad;
  }
}

TEST_F(OperatorsTest, ValidateUtf8RejectsOverlongSurrogatesAndTruncation) {
  EXPECT_FALSE(Eval("validateUtf8Encoding", "", "政盾 ok"));
  EXPECT_TRUE(Eval("validateUtf8Encoding", "", "\xC0\xAF"));          // overlong '/'
  EXPECT_TRUE(Eval("validateUtf8Encoding", "", "\xED\xA0\x80"));      // surrogate
  EXPECT_TRUE(Eval("validateUtf8Encoding", "", "\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_TRUE(Eval("validateUtf8Encoding", "", "ab\xE6\x94"));        // truncated
}

TEST_F(OperatorsTest, PmIsCaseInsensitiveAndCapturesPhrase) {
  auto op = Make("pm", "Select UNION \"|41 42|\"");
  MatchContext ctx;
  ctx.want_captures = true;
  ASSERT_TRUE(op->Evaluate("1 union select", &ctx));
  ASSERT_EQ(ctx.captures.size(), 1u);
  EXPECT_EQ(ctx.captures[0].value, "UNION");  // earliest-ending phrase
  EXPECT_FALSE(op->Evaluate("nothing here", &ctx));
}

TEST_F(OperatorsTest, PmHexSyntax) {
  EXPECT_TRUE(Eval("pm", "|41 42|", "xxabxx"));
  EXPECT_FALSE(registry_.Create("pm", "|4", {}).ok());
}

TEST_F(OperatorsTest, PmFromFileResolvesRelativeToBaseDir) {
  gs::testing::TempDir dir;
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/words.data",
                                        "# comment\n\nfoo bar\r\nbaz\n  # indented comment\n")
                  .ok());
  OperatorOptions options;
  options.base_dir = dir.path();
  auto op = Make("pmFromFile", "words.data", options);
  ASSERT_NE(op, nullptr);
  MatchContext ctx;
  EXPECT_TRUE(op->Evaluate("xx FOO BAR yy", &ctx));
  EXPECT_TRUE(op->Evaluate("bazooka", &ctx));
  EXPECT_FALSE(op->Evaluate("foo", &ctx));
  EXPECT_FALSE(op->Evaluate("comment", &ctx));
  auto missing = registry_.Create("pmf", "nope.data", options);
  EXPECT_FALSE(missing.ok());
}

TEST_F(OperatorsTest, IpMatchV4V6AndErrors) {
  auto op = Make("ipMatch", "192.168.0.0/16, 10.1.2.3,2001:db8::/32");
  MatchContext ctx;
  EXPECT_TRUE(op->Evaluate("192.168.255.1", &ctx));
  EXPECT_TRUE(op->Evaluate("10.1.2.3", &ctx));
  EXPECT_FALSE(op->Evaluate("10.1.2.4", &ctx));
  EXPECT_TRUE(op->Evaluate("2001:db8:ffff::1", &ctx));
  EXPECT_FALSE(op->Evaluate("2001:db9::1", &ctx));
  EXPECT_FALSE(op->Evaluate("not an ip", &ctx));
  EXPECT_FALSE(op->Evaluate("", &ctx));
  for (const char* bad : {"1.2.3.4/33", "::/129", "1.2.3", "a.b.c.d", "1.2.3.4/x", ""}) {
    auto r = registry_.Create("ipMatch", bad, {});
    EXPECT_FALSE(r.ok()) << bad;
  }
  auto all = Make("ipMatch", "0.0.0.0/0,::/0");
  EXPECT_TRUE(all->Evaluate("255.255.255.255", &ctx));
  EXPECT_TRUE(all->Evaluate("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &ctx));
}

TEST_F(OperatorsTest, IpMatchFromFileReportsLine) {
  gs::testing::TempDir dir;
  ASSERT_TRUE(
      platform::WriteFileAtomic(dir.path() + "/ips.txt", "# list\n127.0.0.1\n\n::1\nbogus\n").ok());
  OperatorOptions options;
  options.base_dir = dir.path();
  auto r = registry_.Create("ipMatchFromFile", "ips.txt", options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ips.txt:5"), std::string_view::npos)
      << r.status().ToString();
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/ok.txt", "127.0.0.1\n::1\n").ok());
  auto op = Make("ipMatchF", "ok.txt", options);
  MatchContext ctx;
  EXPECT_TRUE(op->Evaluate("::1", &ctx));
  EXPECT_FALSE(op->Evaluate("127.0.0.2", &ctx));
}

TEST_F(OperatorsTest, VerifyCCUsesLuhn) {
  const char* re = "\\d{13,16}";
  EXPECT_TRUE(Eval("verifyCC", re, "card 4111111111111111 end"));
  // Every offset is tried: with \\b anchors no shorter window exists, so a bad checksum fails.
  EXPECT_FALSE(Eval("verifyCC", "\\b\\d{16}\\b", "card 4111111111111112 end"));
  auto op = Make("verifyCC", re);
  MatchContext ctx;
  ctx.want_captures = true;
  // The first 16-digit window fails Luhn; a later offset finds the valid number.
  ASSERT_TRUE(op->Evaluate("94111111111111111", &ctx));
  ASSERT_EQ(ctx.captures.size(), 1u);
  EXPECT_EQ(ctx.captures[0].value, "4111111111111111");
}

TEST_F(OperatorsTest, VerifySsnRules) {
  const char* re = "\\d{3}-?\\d{2}-?\\d{4}";
  EXPECT_TRUE(Eval("verifySSN", re, "078-05-1120"));
  EXPECT_FALSE(Eval("verifySSN", re, "666-05-1120"));
  EXPECT_FALSE(Eval("verifySSN", re, "078-00-1120"));
  EXPECT_FALSE(Eval("verifySSN", re, "111-11-1111"));
}

TEST_F(OperatorsTest, EmptyRxMatchesEverything) {
  EXPECT_TRUE(Eval("rx", "", ""));
  EXPECT_TRUE(Eval("rx", "", "anything"));
}

// Expected verdicts below were cross-checked against libmodsecurity3's @detectXSS (libinjection);
// see docs/detect_sqli_xss.md for the full differential validation.
TEST_F(OperatorsTest, DetectXssFlagsScriptVectors) {
  auto op = Make("detectXSS", "");
  MatchContext ctx;
  for (const char* attack :
       {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "<a href=\"java&#x09;script:alert(1)\">", "\" onmouseover=\"alert(1)", "' onfocus='x",
        "<!--[if gte IE 4]>", "<!DOCTYPE html>", "</script ", "<p style=\"color:red\">",
        "<svg/onload=alert(1)>", "<%import%>", "onclick=1", "STYLE=>"}) {
    EXPECT_TRUE(op->Evaluate(attack, &ctx)) << attack;
  }
  EXPECT_TRUE(op->Evaluate(std::string_view("<scr\0ipt>", 10), &ctx));
}

TEST_F(OperatorsTest, DetectXssLeavesBenignTextAlone) {
  auto op = Make("detectXSS", "");
  MatchContext ctx;
  for (const char* benign :
       {"", "<b>bold</b> and <i>it</i>", "a < b > c", "x=1&y=2", "<script+>alert(1);</script>",
        "see <http://example.com/>", "<a href=\"http://example.com\">x</a>",
        "政盾保护政府网站，请输入查询内容", "price <= 100 && qty >= 2"}) {
    EXPECT_FALSE(op->Evaluate(benign, &ctx)) << benign;
  }
}

// One compiled operator, many threads, one context each: results must not interfere.
TEST_F(OperatorsTest, SharedOperatorsAreThreadSafe) {
  auto rx = Make("rx", "(\\d+)-(\\d+)");
  auto pm = Make("pm", "alpha beta gamma");
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      MatchContext ctx;
      ctx.want_captures = true;
      for (int i = 0; i < 2000; ++i) {
        std::string in = std::to_string(t) + "-" + std::to_string(i);
        if (!rx->Evaluate(in, &ctx) || ctx.captures[2].value != std::to_string(i)) ++errors;
        if (!pm->Evaluate(i % 2 ? "xxBETAxx" : "GAMMA", &ctx)) ++errors;
        if (pm->Evaluate("delta", &ctx)) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
}

}  // namespace
}  // namespace gs::operators
