// Tests for the SecLang transformations: every case of the secrules-language-tests suite (read
// from ../shared at run time, never copied into the repo) plus focused edge cases: invalid
// escapes, truncated entities, malformed UTF-8, NUL bytes, empty and very long input, the
// unchanged-means-no-write contract and allocation-free chains.
#include "ruleengine/transforms/transforms.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace gs::transforms::testing {
// Defined in alloc_counter_test_util.cc, which replaces the global operator new.
extern std::atomic<bool> g_count_allocations;
extern std::atomic<size_t> g_allocations;
}  // namespace gs::transforms::testing

namespace gs::transforms {
namespace {

// Counts operator new calls on any thread while in scope.
class AllocationCounter {
 public:
  AllocationCounter() {
    testing::g_allocations = 0;
    testing::g_count_allocations = true;
  }
  ~AllocationCounter() { testing::g_count_allocations = false; }
  size_t count() const { return testing::g_allocations.load(); }
};

// Runs a transformation and returns the resulting value (in or *out).
std::string Apply(std::string_view name, std::string_view in, bool* changed = nullptr,
                  const TransformContext* ctx = nullptr) {
  const Transform* t = FindTransform(name);
  EXPECT_NE(t, nullptr) << name;
  if (t == nullptr) return "<unknown transformation>";
  std::string out = "\x01scratch\x02";
  const bool c = t->fn(in, &out, ctx);
  if (changed != nullptr) *changed = c;
  return c ? out : std::string(in);
}

std::string Hex(std::string_view s) {
  static const char kDigits[] = "0123456789abcdef";
  std::string h;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      h.push_back(static_cast<char>(c));
    } else {
      h += "\\x";
      h.push_back(kDigits[c >> 4]);
      h.push_back(kDigits[c & 15]);
    }
  }
  return h;
}

// ---- The secrules-language-tests suite ----------------------------------------------------

// ModSecurity's unit-test harness (test/unit/unit_test.cc, json2bin) rewrites the literal
// text \xHH and then \uHHHH in "input" and "output" into single bytes before running a case, and
// the expected outputs were recorded through it, so the suite only means what it says after the
// same rewriting: repeatedly take the first match of \\x[0-9A-Za-z]{2} (then \\u[0-9A-Za-z]{4}),
// read its leading hex digits (sscanf %x), and replace every occurrence of that text, rescanning
// from each replacement. A failed sscanf gives 0 here (ModSecurity leaves it uninitialised).
void Json2Bin(std::string* s) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (const auto& [tag, width] : {std::pair{'x', size_t{2}}, std::pair{'u', size_t{4}}}) {
    for (;;) {
      size_t at = std::string::npos;
      for (size_t i = 0; i + 2 + width <= s->size(); ++i) {
        if ((*s)[i] != '\\' || (*s)[i + 1] != tag) continue;
        if (std::all_of(s->begin() + i + 2, s->begin() + i + 2 + width, alnum)) {
          at = i;
          break;
        }
      }
      if (at == std::string::npos) break;
      const std::string match = s->substr(at, 2 + width);
      unsigned value = 0;
      for (size_t k = 2; k < match.size() && std::isxdigit(static_cast<unsigned char>(match[k]));
           ++k) {
        value = value * 16 + std::stoul(std::string(1, match[k]), nullptr, 16);
      }
      const char byte = static_cast<char>(value & 0xff);
      for (size_t pos = 0; (pos = s->find(match, pos)) != std::string::npos;) {
        s->replace(pos, match.size(), 1, byte);
      }
    }
  }
}

// The suite names cmdLine "cmd_line", the name ModSecurity's unit-test factory accepts; SecLang
// itself spells it t:cmdLine.
std::string_view SuiteNameToSecLang(std::string_view name) {
  return name == "cmd_line" ? std::string_view("cmdLine") : name;
}

constexpr int kSuiteCases = 374;      // cases in the suite as of this writing
constexpr int kSuitePassFloor = 374;  // all of them pass; the test fails if this ever drops

TEST(SecRulesLanguageTests, EveryTransformationCase) {
  const std::filesystem::path dir = std::filesystem::path(GS_SOURCE_DIR) /
                                    "../shared/conformance/secrules-language-tests/transformations";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << "suite not found at " << dir;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());

  int total = 0;
  int passed = 0;
  std::set<std::string> names_seen;
  std::ostringstream failures;
  for (const auto& path : files) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream text;
    text << f.rdbuf();
    const nlohmann::json cases = nlohmann::json::parse(text.str(), nullptr, false);
    ASSERT_FALSE(cases.is_discarded()) << "invalid JSON in " << path;
    ASSERT_TRUE(cases.is_array()) << path;
    int index = 0;
    for (const auto& c : cases) {
      ++total;
      const std::string where = path.filename().string() + "[" + std::to_string(index++) + "]";
      if (!c.contains("name") || !c.contains("input") || !c.contains("output") ||
          c.value("type", "") != "tfn") {
        failures << where << ": malformed case\n";
        continue;
      }
      const std::string name(SuiteNameToSecLang(c["name"].get<std::string>()));
      std::string input = c["input"].get<std::string>();
      std::string expected = c["output"].get<std::string>();
      // ModSecurity's harness reads strings through yajl's C-string accessor, so a real NUL
      // (JSON \u0000) ends the string there; only the literal text \\u0000 becomes a NUL byte,
      // through json2bin. One cssDecode case depends on this.
      input.resize(std::strlen(input.c_str()));
      expected.resize(std::strlen(expected.c_str()));
      Json2Bin(&input);
      Json2Bin(&expected);
      names_seen.insert(name);
      const Transform* t = FindTransform(name);
      if (t == nullptr) {
        failures << where << ": transformation '" << name << "' is not registered\n";
        continue;
      }
      std::string out;
      const bool changed = t->fn(input, &out, nullptr);
      const std::string got = changed ? out : input;
      if (got != expected) {
        failures << where << " t:" << name << " input \"" << Hex(input) << "\"\n    expected \""
                 << Hex(expected) << "\"\n    got      \"" << Hex(got) << "\"\n";
        continue;
      }
      if (changed != (got != input)) {
        failures << where << " t:" << name << ": returned changed=" << changed << " but the value "
                 << (changed ? "did not change" : "changed") << "\n";
        continue;
      }
      ++passed;
    }
  }
  std::cout << "secrules-language-tests transformations: " << passed << "/" << total << " passed, "
            << names_seen.size() << " transformations\n";
  if (passed != total) std::cout << "failing cases:\n" << failures.str();
  EXPECT_GE(total, kSuiteCases) << "the suite shrank or was not fully read";
  EXPECT_GE(passed, kSuitePassFloor) << failures.str();
}

// ---- Registry -----------------------------------------------------------------------------

TEST(RegistryTest, KnowsEveryModSecurityNameIgnoringCase) {
  for (const char* name : {"base64Decode",
                           "base64DecodeExt",
                           "base64Encode",
                           "cmdLine",
                           "compressWhitespace",
                           "cssDecode",
                           "escapeSeqDecode",
                           "hexDecode",
                           "hexEncode",
                           "htmlEntityDecode",
                           "jsDecode",
                           "length",
                           "lowercase",
                           "md5",
                           "none",
                           "normalisePath",
                           "normalizePath",
                           "normalisePathWin",
                           "normalizePathWin",
                           "parityEven7bit",
                           "parityOdd7bit",
                           "parityZero7bit",
                           "phpArgsNames",
                           "removeComments",
                           "removeCommentsChar",
                           "removeNulls",
                           "removeWhitespace",
                           "replaceComments",
                           "replaceNulls",
                           "sha1",
                           "sqlHexDecode",
                           "trim",
                           "trimLeft",
                           "trimRight",
                           "uppercase",
                           "urlDecode",
                           "urlDecodeUni",
                           "urlEncode",
                           "utf8toUnicode"}) {
    const Transform* t = FindTransform(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_EQ(t->name, name);
    EXPECT_EQ(t->resets_chain, std::string_view(name) == "none") << name;
  }
  // ModSecurity matches transformation names ignoring case (CRS itself mentions
  // t:base64decode); the canonical name is reported.
  const std::pair<const char*, const char*> spellings[] = {
      {"LOWERCASE", "lowercase"},         {"urldecodeuni", "urlDecodeUni"},
      {"base64decode", "base64Decode"},   {"NormalizePathWIN", "normalizePathWin"},
      {"utf8ToUnicode", "utf8toUnicode"}, {"CMDLINE", "cmdLine"}};
  for (const auto& [spelling, canonical] : spellings) {
    const Transform* t = FindTransform(spelling);
    ASSERT_NE(t, nullptr) << spelling;
    EXPECT_EQ(t->name, canonical);
  }
  for (const char* bad :
       {"", "cmd_line", "t:none", "lowercase ", "lowercasex", "lower", "normalise_path"}) {
    EXPECT_EQ(FindTransform(bad), nullptr) << bad;
  }
  EXPECT_EQ(FindTransform(std::string_view("none\0", 5)), nullptr);
  std::set<std::string_view> names;
  for (const Transform& t : AllTransforms()) {
    EXPECT_TRUE(names.insert(t.name).second) << "duplicate " << t.name;
    EXPECT_NE(t.fn, nullptr);
  }
  EXPECT_EQ(names.size(), 39u);
  EXPECT_EQ(FindTransform("normalizePath")->fn, FindTransform("normalisePath")->fn);
}

// ---- The unchanged contract ---------------------------------------------------------------

TEST(ContractTest, UnchangedInputLeavesOutputUntouchedAndDoesNotAllocate) {
  struct Case {
    const char* name;
    const char* input;
    bool fast;  // no byte that could start a change: the output must not even be written
  };
  const Case cases[] = {
      {"lowercase", "already lower case, with digits 123 and symbols <>", true},
      {"uppercase", "ALREADY UPPER 123", true},
      {"urlDecode", "no percent or plus here", true},
      {"urlDecode", "100% %zz %4", false},  // only invalid escapes
      {"urlDecodeUni", "abc %u12 %uzzzz", false},
      {"htmlEntityDecode", "plain text", true},
      {"htmlEntityDecode", "no entities & none &#; &foo;", false},
      {"jsDecode", "plain text", true},
      {"cssDecode", "plain text", true},
      {"escapeSeqDecode", "plain\\", true},
      {"removeNulls", "text", true},
      {"replaceNulls", "text", true},
      {"removeWhitespace", "nospace", true},
      {"compressWhitespace", "one space between words", true},
      {"trim", "x y", true},
      {"utf8toUnicode", "ascii only", true},
      {"cmdLine", "already-normal", true},
      {"removeComments", "no comments - here / * <!- -", true},
      {"replaceComments", "none here */", true},
      {"removeCommentsChar", "none here", true},
      {"sqlHexDecode", "0x 0xz 100", false},
      {"parityZero7bit", "seven bit", true},
      {"normalisePath", "/a/b/c", false},
      {"none", "anything", true},
  };
  for (const Case& c : cases) {
    const Transform* t = FindTransform(c.name);
    ASSERT_NE(t, nullptr) << c.name;
    std::string out = "sentinel";
    out.reserve(4096);  // a warm buffer, as the engine's scratch is after the first request
    bool changed;
    {
      AllocationCounter count;
      changed = t->fn(c.input, &out, nullptr);
      EXPECT_EQ(count.count(), 0u) << c.name << " allocated on \"" << c.input << "\"";
    }
    EXPECT_FALSE(changed) << c.name << " on \"" << c.input << "\"";
    if (c.fast) {
      EXPECT_EQ(out, "sentinel") << c.name << " wrote to the output buffer";
    }
  }
}

TEST(ContractTest, WarmChainDoesNotAllocate) {
  const Transform* chain[] = {FindTransform("urlDecodeUni"), FindTransform("htmlEntityDecode"),
                              FindTransform("jsDecode"),     FindTransform("lowercase"),
                              FindTransform("removeNulls"),  FindTransform("compressWhitespace")};
  const std::string attack =
      "%3CSCRIPT%3Ealert(%27XSS%27)&lt;/script&gt;\\x41 \\u0042  %00 UNION SELECT";
  TransformScratch scratch;
  const std::string first(scratch.Run(chain, attack));
  EXPECT_EQ(first, "<script>alert('xss')</script>a b union select");
  AllocationCounter count;
  for (int i = 0; i < 100; ++i) {
    std::string_view v = scratch.Run(chain, attack);
    ASSERT_EQ(v, first);
  }
  EXPECT_EQ(count.count(), 0u);
}

TEST(ContractTest, ChainReturnsInputItselfWhenNothingChanges) {
  const Transform* chain[] = {FindTransform("urlDecodeUni"), FindTransform("htmlEntityDecode"),
                              FindTransform("lowercase")};
  TransformScratch scratch;
  const std::string benign = "hello world";
  std::string_view v = scratch.Run(chain, benign);
  EXPECT_EQ(v.data(), benign.data());
  EXPECT_EQ(scratch.Run({}, "abc"), "abc");
}

TEST(ContractTest, ChangedFlagMatchesResultOnRandomInput) {
  std::mt19937 rng(20260425);
  const std::string alphabet = std::string("%+&#;xXuU019afAFgz\\/.*-<!>'\"^, \t\n\r=(~[]_") +
                               std::string(1, '\0') + "\xc2\xa0\xe2\xf0\xf5\x80\xbf\xff\xc0\xed";
  std::string out;
  for (const Transform& t : AllTransforms()) {
    for (int i = 0; i < 2000; ++i) {
      std::string in(rng() % 16, ' ');
      for (char& ch : in) ch = alphabet[rng() % alphabet.size()];
      const bool changed = t.fn(in, &out, nullptr);
      if (changed) {
        ASSERT_NE(out, in) << t.name << " claimed a change on \"" << Hex(in) << "\"";
      } else {
        // The result is `in`; recompute into a fresh buffer to be sure nothing differs.
        std::string fresh;
        ASSERT_FALSE(t.fn(in, &fresh, nullptr)) << t.name;
      }
    }
  }
}

// Trigger sets (Transform::triggers): a value whose ValueFeatures miss a transformation's
// triggers must come back unchanged, or a chain that passes over such steps would differ from
// running them. Every value of up to two bytes, every value of three bytes over an alphabet with
// each kind of byte the features tell apart, and random longer values.
TEST(ContractTest, ValuesMissingTheTriggersAreUnchanged) {
  std::string out;
  size_t untriggered = 0;
  auto check = [&](const Transform& t, const std::string& in) {
    if ((ValueFeatures(in) & t.triggers) != 0) return;
    ++untriggered;
    ASSERT_FALSE(t.fn(in, &out, nullptr))
        << t.name << " changed \"" << Hex(in) << "\" without a trigger feature";
  };
  const std::string alphabet = std::string("aZ%+&\\/.* \t\n\v\"'^,;(#-<!>0x9u") +
                               std::string(1, '\0') + "\xc2\xa0\xe4\x80\xff";
  std::mt19937 rng(20261207);
  for (const Transform& t : AllTransforms()) {
    check(t, "");
    for (int a = 0; a < 256; ++a) {
      check(t, std::string(1, static_cast<char>(a)));
      for (int b = 0; b < 256; ++b) {
        check(t, std::string{static_cast<char>(a), static_cast<char>(b)});
      }
    }
    for (char a : alphabet) {
      for (char b : alphabet) {
        for (char c : alphabet) check(t, std::string{a, b, c});
      }
    }
    for (int i = 0; i < 3000; ++i) {
      std::string in(4 + rng() % 40, ' ');
      for (char& ch : in) ch = alphabet[rng() % alphabet.size()];
      check(t, in);
    }
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(untriggered, 1000000u);  // the property was exercised, not vacuous
  // Ordinary words with single spaces trigger neither whitespace transformation nor cmdLine;
  // two spaces, a tab or a comment opener do.
  const Features plain = ValueFeatures("value 6 lorem ipsum");
  for (const char* name : {"compressWhitespace", "cmdLine", "urlDecodeUni", "lowercase",
                           "normalisePath", "replaceComments", "htmlEntityDecode"}) {
    EXPECT_EQ(plain & FindTransform(name)->triggers, 0u) << name;
  }
  EXPECT_NE(ValueFeatures("a  b") & FindTransform("compressWhitespace")->triggers, 0u);
  EXPECT_NE(ValueFeatures("a\tb") & FindTransform("compressWhitespace")->triggers, 0u);
  EXPECT_NE(ValueFeatures("a/*b") & FindTransform("replaceComments")->triggers, 0u);
  EXPECT_EQ(ValueFeatures("a/b*") & FindTransform("replaceComments")->triggers, 0u);
  EXPECT_EQ(TriggersOf(FindTransform("cmdLine")->fn), FindTransform("cmdLine")->triggers);
  EXPECT_EQ(TriggersOf(nullptr), ~Features{0});
}

// The case mappings and the utf8toUnicode ASCII scan work eight bytes at a time; check every
// byte value at every offset of a buffer longer than two words against byte-wise references.
TEST(ContractTest, WordAtATimePathsMatchBytewiseReference) {
  for (int background : {int{'a'}, int{'Q'}, int{'~'}, 0x80}) {
    for (size_t pos = 0; pos < 19; ++pos) {
      for (int b = 0; b < 256; ++b) {
        std::string in(19, static_cast<char>(background));
        in[pos] = static_cast<char>(b);
        std::string lower = in, upper = in;
        for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
        for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
        ASSERT_EQ(Apply("lowercase", in), lower) << pos << " " << b;
        ASSERT_EQ(Apply("uppercase", in), upper) << pos << " " << b;
        // utf8toUnicode changes the value iff it drops a NUL, encodes or drops a C0..F4 lead,
        // or encodes a complete F5..F7 sequence (only possible on continuation background).
        bool changed;
        Apply("utf8toUnicode", in, &changed);
        const bool expect = b == 0 || (b >= 0xc0 && b <= 0xf4) ||
                            (b >= 0xf5 && b <= 0xf7 && background == 0x80 && pos + 3 < in.size());
        ASSERT_EQ(changed, expect) << pos << " " << b << " " << background;
      }
    }
  }
}

// ---- Edge cases ---------------------------------------------------------------------------

TEST(EdgeCaseTest, InvalidPercentEscapesPassThrough) {
  for (const char* in : {"%", "%4", "%zz", "%4g", "%g4", "100%", "%%", "%%%41"}) {
    const std::string want = std::string_view(in) == "%%%41" ? "%%A" : in;
    EXPECT_EQ(Apply("urlDecode", in), want) << in;
    EXPECT_EQ(Apply("urlDecodeUni", in), want) << in;
  }
  EXPECT_EQ(Apply("urlDecode", "a+b%20c%2b"), "a b c+");
  EXPECT_EQ(Apply("urlDecode", "%u0041"), "%u0041");  // only urlDecodeUni knows %u
  EXPECT_EQ(Apply("urlDecodeUni", "%u0041%U0042"), "AB");
  EXPECT_EQ(Apply("urlDecodeUni", "%uff01%uFF5E"), "!~");  // full-width ASCII
  EXPECT_EQ(Apply("urlDecodeUni", "%u4e2d"), "\x2d");      // low byte of U+4E2D
  for (const char* in : {"%u", "%u1", "%u12", "%u123", "%uzzzz", "%u12g4"}) {
    EXPECT_EQ(Apply("urlDecodeUni", in), in) << in;
  }
}

TEST(EdgeCaseTest, TruncatedAndMalformedHtmlEntities) {
  const std::pair<const char*, const char*> cases[] = {
      {"&", "&"},
      {"&#", "&#"},
      {"&#x", "&#x"},
      {"&#x;", "&#x;"},
      {"&#;", "&#;"},
      {"&am", "&am"},
      {"&amp", "&"},
      {"&AMP;", "&"},
      {"&ampx;", "&ampx;"},
      {"&#65", "A"},
      {"&#x41;", "A"},
      {"&#X6a;", "j"},
      {"&lt&gt", "<>"},
      {"&nbsp;", "\xa0"},
      {"&#321;", "A"},                         // 321 = 0x141, low byte
      {"&#99999999999999999999999;", "\xff"},  // strtol saturates at LONG_MAX
      {"&#xfffffffffffffffffffff;", "\xff"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Apply("htmlEntityDecode", in), want) << in;
}

TEST(EdgeCaseTest, JsAndCssAndCEscapes) {
  EXPECT_EQ(Apply("jsDecode", "\\x41\\u0042\\103\\n\\q\\"), "ABC\nq\\");
  EXPECT_EQ(Apply("jsDecode", "\\477"), "'7");  // \477 > \377: only two digits used
  EXPECT_EQ(Apply("jsDecode", "\\uff0e"), ".");
  EXPECT_EQ(Apply("cssDecode", "\\3c script\\3E"), "<script>");
  EXPECT_EQ(Apply("cssDecode", "a\\\nb\\"), "ab");
  EXPECT_EQ(Apply("cssDecode", "\\0 x"), std::string("\0x", 2));  // NUL kept, unlike 3.0.9
  EXPECT_EQ(Apply("escapeSeqDecode", "\\x41\\101\\q\\xZZ"), "AAqxZZ");
  EXPECT_EQ(Apply("escapeSeqDecode", "\\777"), "\xff");
}

TEST(EdgeCaseTest, MalformedUtf8) {
  // Overlong '/', encoded and followed by its raw lead byte, as ModSecurity does.
  EXPECT_EQ(Apply("utf8toUnicode", "\xc0\xaf"), "%u002f\xc0");
  EXPECT_EQ(Apply("utf8toUnicode", "\xe0\x80\xaf"), "%u002f\xe0");
  // Surrogate half.
  EXPECT_EQ(Apply("utf8toUnicode", "\xed\xa0\x80"), "%ud800\xed");
  // Truncated sequences drop the lead byte, stray continuation bytes pass through.
  EXPECT_EQ(Apply("utf8toUnicode", "a\xe4\xb8"), "a\xb8");
  EXPECT_EQ(Apply("utf8toUnicode", "\xc3"), "");
  EXPECT_EQ(Apply("utf8toUnicode", "\x80\xbf"), "\x80\xbf");
  // Valid text.
  EXPECT_EQ(Apply("utf8toUnicode", "\xe4\xb8\xad\xe6\x96\x87"), "%u4e2d%u6587");
  EXPECT_EQ(Apply("utf8toUnicode", "\xf0\x9f\x98\x80"), "%u1f600");
  EXPECT_EQ(Apply("utf8toUnicode", "\xf5\x80\x80\x80"), "\xf5%u140000");
}

TEST(EdgeCaseTest, NulBytes) {
  const std::string nul("a\0b\0", 4);
  EXPECT_EQ(Apply("removeNulls", nul), "ab");
  EXPECT_EQ(Apply("replaceNulls", nul), "a b ");
  EXPECT_EQ(Apply("urlDecode", "x%00y"), std::string("x\0y", 3));
  EXPECT_EQ(Apply("jsDecode", "\\0"), std::string("\0", 1));
  EXPECT_EQ(Apply("lowercase", std::string("A\0B", 3)), std::string("a\0b", 3));
  EXPECT_EQ(Apply("utf8toUnicode", std::string("a\0b", 3)), "ab");  // ModSecurity drops NULs
  // Strict base64 stops at the first NUL, the forgiving one does not.
  EXPECT_EQ(Apply("base64Decode", std::string("QUI=\0QUI=", 9)), "AB");
  EXPECT_EQ(Apply("base64DecodeExt", std::string("QU\0JD", 5)), "ABC");
  EXPECT_EQ(Apply("length", std::string("\0\0\0", 3)), "3");
  EXPECT_EQ(Apply("normalisePath", std::string("/a/\0/../b", 9)), "/a/b");
}

TEST(EdgeCaseTest, EmptyInput) {
  for (const Transform& t : AllTransforms()) {
    std::string out;
    const bool changed = t.fn("", &out, nullptr);
    const bool expect_change = t.name == "md5" || t.name == "sha1" || t.name == "length";
    EXPECT_EQ(changed, expect_change) << t.name;
  }
  EXPECT_EQ(Apply("length", ""), "0");
  EXPECT_EQ(Hex(Apply("md5", "")),
            "\\xd4\\x1d\\x8c\\xd9\\x8f\\x00\\xb2\\x04\\xe9\\x80\\x09"
            "\\x98\\xec\\xf8B~");
}

TEST(EdgeCaseTest, VeryLongInputs) {
  const size_t kReps = 1 << 18;  // 256 Ki repetitions, 0.75-1 MB inputs
  std::string enc;
  for (size_t i = 0; i < kReps; ++i) enc += "%41";
  EXPECT_EQ(Apply("urlDecode", enc), std::string(kReps, 'A'));

  std::string entities;
  for (size_t i = 0; i < kReps; ++i) entities += "&#";
  EXPECT_EQ(Apply("htmlEntityDecode", entities), entities);

  std::string chinese;
  for (size_t i = 0; i < kReps; ++i) chinese += "\xe4\xb8\xad";
  EXPECT_EQ(Apply("utf8toUnicode", chinese).size(), kReps * 6);

  // Deep relative climb: every ".." beyond the start is kept.
  std::string path;
  for (size_t i = 0; i < kReps; ++i) path += "a/";
  for (size_t i = 0; i < kReps + 2; ++i) path += "../";
  EXPECT_EQ(Apply("normalisePath", path), "../../");

  std::string spaces(kReps, ' ');
  EXPECT_EQ(Apply("compressWhitespace", spaces), " ");
  EXPECT_EQ(Apply("trim", spaces), "");
  EXPECT_EQ(Apply("length", spaces), std::to_string(kReps));
  EXPECT_EQ(Apply("base64Decode", Apply("base64Encode", chinese)), chinese);
  EXPECT_EQ(Apply("hexDecode", Apply("hexEncode", chinese)), chinese);
}

TEST(EdgeCaseTest, PathNormalisation) {
  EXPECT_EQ(Apply("normalisePathWin", "C:\\dir\\..\\boot.ini"), "C:/boot.ini");
  EXPECT_EQ(Apply("normalisePath", "/../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(Apply("normalisePath", "a//b/./c/"), "a/b/c/");
  // ModSecurity quirks kept: "/." and "/.." become empty, and a run of three backslashes
  // leaves its last one unconverted.
  EXPECT_EQ(Apply("normalisePath", "/."), "");
  EXPECT_EQ(Apply("normalisePath", "/.."), "");
  EXPECT_EQ(Apply("normalisePathWin", "a\\\\\\b"), "a\\b");
}

TEST(EdgeCaseTest, CommandLineAndComments) {
  EXPECT_EQ(Apply("cmdLine", "C:\\WINDOWS\\system32\\CMD.exe /c \"dir\""),
            "c:windowssystem32cmd.exe/c dir");
  EXPECT_EQ(Apply("cmdLine", "ca^t  ,;/etc/pa''sswd"), "cat/etc/passwd");
  EXPECT_EQ(Apply("removeComments", "1 UNION/**/SELECT -- x"), "1 UNIONSELECT ");
  EXPECT_EQ(Apply("replaceComments", "1/*x*/OR/*"), "1 OR ");
  EXPECT_EQ(Apply("removeCommentsChar", "<!--a-->#b"), "ab");
}

TEST(EdgeCaseTest, Base64) {
  EXPECT_EQ(Apply("base64Encode", "TestCase"), "VGVzdENhc2U=");
  EXPECT_EQ(Apply("base64Encode", "ab"), "YWI=");
  EXPECT_EQ(Apply("base64Decode", "VGVz\r\ndA=="), "Test");
  EXPECT_EQ(Apply("base64Decode", "VG Vz"), "");     // space inside a line
  EXPECT_EQ(Apply("base64Decode", "VGVz!"), "");     // invalid byte
  EXPECT_EQ(Apply("base64Decode", "YQ==YQ=="), "");  // data after padding
  EXPECT_EQ(Apply("base64Decode", "YWI"), "");       // incomplete quantum dropped
  EXPECT_EQ(Apply("base64DecodeExt", "V.G!V*z"), "Tes");
  EXPECT_EQ(Apply("base64DecodeExt", "YWJj\nZA"), "abcd");
}

TEST(UnicodeMapTest, ParsesModSecurityFormatAndDrivesUrlDecodeUni) {
  const std::string text =
      "(comment tokens are skipped)\n"
      "1252 (ANSI - Latin I)\n00a1:21 00e9:65\n\n"
      "20127 (US-ASCII)\n00a0:20 00e9:45 4e2d:3f\n\n"
      "437 (OEM - United States)\n00e9:82\n";
  auto map = UnicodeMap::Parse(text, 20127);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->entry_count(), 3u);
  EXPECT_EQ(map->Lookup(0x00e9), 'E');
  EXPECT_EQ(map->Lookup(0x4e2d), '?');
  EXPECT_EQ(map->Lookup(0x00a1), -1);   // only in 1252
  EXPECT_EQ(map->Lookup(0x3002), '.');  // built-in full stops
  EXPECT_EQ(map->Lookup(0x10000), -1);

  TransformContext ctx;
  ctx.unicode_map = &*map;
  EXPECT_EQ(Apply("urlDecodeUni", "%u00e9%u4e2d%u3002%u0041", nullptr, &ctx), "E?.A");
  EXPECT_EQ(Apply("urlDecodeUni", "%u00e9%u4e2d", nullptr, nullptr), "\xe9-");

  EXPECT_FALSE(UnicodeMap::Parse(text, 936).ok());
  EXPECT_FALSE(UnicodeMap::Parse("20127\n", 20127).ok());
  EXPECT_FALSE(UnicodeMap::Parse("20127 zz:1\n", 20127).ok());
}

// A default-constructed string_view has a null data pointer: what the engine passes for an
// empty variable. Every transformation must accept it (under UBSan this catches memchr(nullptr)
// and friends) and give the same result as for a non-null empty string.
TEST(ContractTest, NullEmptyInputIsAnEmptyString) {
  const std::string empty;
  for (const Transform& t : AllTransforms()) {
    std::string from_null = "sentinel";
    std::string from_empty = "sentinel";
    const bool changed_null = t.fn(std::string_view(), &from_null, nullptr);
    const bool changed_empty = t.fn(std::string_view(empty.data(), 0), &from_empty, nullptr);
    EXPECT_EQ(changed_null, changed_empty) << t.name;
    EXPECT_EQ(from_null, from_empty) << t.name;
  }
}

}  // namespace
}  // namespace gs::transforms
