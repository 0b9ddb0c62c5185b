// Tests of @detectSQLi: verdicts and TX.0 fingerprints on known inputs (expected values taken from
// libmodsecurity3 3.0.9's libinjection, see docs/detect_sqli_xss.md), benign values (English,
// Chinese in UTF-8 and GBK), capture behaviour, every CRS 3.3.4 regression case of the two rules
// that use the operator (942100, 942101), robustness on all prefixes/suffixes of the payloads, and
// the absence of heap allocation per call. The large differential run against libmodsecurity3
// is tools/sqli/sqli_diff (not a unit test: it links libmodsecurity).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "ruleengine/operators/internal.h"
#include "ruleengine/operators/operator.h"

namespace gs::operators::testing {
extern std::atomic<bool> g_count_allocations;
extern std::atomic<size_t> g_allocations;
}  // namespace gs::operators::testing

namespace gs::operators {
namespace {

class DetectSqliTest : public ::testing::Test {
 protected:
  DetectSqliTest() {
    RegisterBuiltinOperators(&registry_);
    auto op = registry_.Create("detectSQLi", "", {});
    EXPECT_TRUE(op.ok()) << op.status().ToString();
    if (op.ok()) op_ = std::move(op).value();
  }
  OperatorRegistry registry_;
  std::unique_ptr<const Operator> op_;
};

struct Known {
  const char* input;
  const char* fingerprint;  // "" = not SQLi
};

// Answers of libinjection_sqli() in Debian's libmodsecurity3 3.0.9 for these inputs.
constexpr Known kKnown[] = {
    {"1234 OR 1=1", "1&1"},
    {"-1839' or '1'='1", "s&sos"},
    {"1 UNION SELECT password FROM users", "1UEnk"},
    {"foo') UNION ALL select NULL --", "s)UEv"},
    {"admin'--", "sc"},
    {"1;DROP TABLE users", "1;Tnn"},
    {"' OR 1=1 #", "s&1c"},
    {"1 AND SLEEP(5)", "1&f(1"},
    {"x' AND 1=CONVERT(int,@@version)--", "s&1of"},
    {"1/*!50000union*/select 1", "X"},
    {"1' waitfor delay '0:0:5'--", "sEsc"},
    {"SELECT * FROM t WHERE a='b'", "Eoknk"},
    {"\" or \"\"=\"", "s&sos"},
    {"1 or 1=1 -- ", "1&1c"},
    {"1e3 union select 1", "1UE1"},
    {"1 -- comment", "1c"},
    {"1--", "1c"},
    // Token length saturates at 31 bytes: the byte after a long number is judged at offset 31.
    {"2666--\x9f", "1c"},
    {"2666666666666666666666666666666666--\x9f", ""},
    {"O'Reilly", ""},
    {"It's a nice day and 17 people came", ""},
    {"John Smith", ""},
    {"select", ""},
    {"1-1", ""},
    {"SELECT the best option", ""},
    {"price: $1,000.00", ""},
    {"2024-01-01", ""},
    {"a -- b", ""},
    {"hello#world", ""},
    {"sexy and 17", ""},
    {"user@example.com", ""},
    {"N/A", ""},
};

TEST_F(DetectSqliTest, VerdictAndFingerprintMatchLibmodsecurity) {
  ASSERT_NE(op_, nullptr);
  MatchContext ctx;
  ctx.want_captures = true;
  for (const Known& k : kKnown) {
    bool sqli = op_->Evaluate(k.input, &ctx);
    EXPECT_EQ(sqli, k.fingerprint[0] != 0) << k.input;
    if (sqli) {
      ASSERT_EQ(ctx.captures.size(), 1u) << k.input;
      EXPECT_TRUE(ctx.captures[0].set);
      EXPECT_EQ(ctx.captures[0].value, k.fingerprint) << k.input;
    }
  }
}

TEST_F(DetectSqliTest, CapturesOnlyWhenAsked) {
  MatchContext ctx;
  ctx.want_captures = false;
  EXPECT_TRUE(op_->Evaluate("1' or '1'='1", &ctx));
  EXPECT_TRUE(ctx.captures.empty());
  ctx.want_captures = true;
  EXPECT_FALSE(op_->Evaluate("hello", &ctx));
  EXPECT_TRUE(ctx.captures.empty());
}

TEST_F(DetectSqliTest, ChineseTextIsNotSqli) {
  MatchContext ctx;
  // UTF-8 and the same text in GBK (bytes >= 0x80 are word bytes to the tokenizer).
  for (std::string_view s :
       {std::string_view("关于进一步加强政府网站管理工作的意见"),
        std::string_view("\xb9\xd8\xd3\xda\xbd\xf8\xd2\xbb\xb2\xbd\xbc\xd3\xc7\xbf"),
        std::string_view("张三 身份证号 110101199001011234"), std::string_view("（2024）第3号")}) {
    EXPECT_FALSE(op_->Evaluate(s, &ctx)) << s;
  }
  // ... but an injection wrapped in Chinese text still is.
  EXPECT_TRUE(op_->Evaluate("张三' or 1=1 --", &ctx));
}

TEST_F(DetectSqliTest, NulAndHighBytesAreHandled) {
  MatchContext ctx;
  EXPECT_TRUE(op_->Evaluate(std::string_view("1' or '1'='1\0", 13), &ctx));
  EXPECT_FALSE(op_->Evaluate(std::string_view("\0\0\0", 3), &ctx));
  EXPECT_FALSE(op_->Evaluate("", &ctx));
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  op_->Evaluate(all, &ctx);  // must not crash; the verdict is whatever the grammar says
}

// Every prefix and suffix of a set of payloads: exercises every end-of-input path of the
// tokenizer (under ASan in the sanitizer build).
TEST_F(DetectSqliTest, AllPrefixesAndSuffixesAreSafe) {
  MatchContext ctx;
  int hits = 0;
  for (const Known& k : kKnown) {
    std::string s = k.input;
    s += " $$x$$ $a$b$a$ q'[x]' N'y' E'\\'' U&'z' x'4F' b'01' [w] `t` @@v @'q' \\N 0x 1.e /*/**/";
    for (size_t i = 0; i <= s.size(); ++i) {
      hits += op_->Evaluate(std::string_view(s).substr(0, i), &ctx);
      hits += op_->Evaluate(std::string_view(s).substr(i), &ctx);
    }
  }
  EXPECT_GT(hits, 0);
}

std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) {
      return c >= '0' && c <= '9'                     ? c - '0'
             : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                      : -1;
    };
    if (s[i] == '%' && i + 2 < s.size() + 0 && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// CRS 3.3.4 regression tests of the two @detectSQLi rules: the operator must match one of the
// values the rule inspects (942100: argument names and values; 942101: the URI basename), after
// URL decoding as t:urlDecodeUni does for these inputs.
TEST_F(DetectSqliTest, CrsRegressionCasesOf942100And942101) {
  const std::filesystem::path dir = std::filesystem::path(GS_SOURCE_DIR) /
                                    "../shared/conformance/crs-v3.3.4/tests/regression/tests/"
                                    "REQUEST-942-APPLICATION-ATTACK-SQLI";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no CRS conformance data at " << dir;
  MatchContext ctx;
  ctx.want_captures = true;
  int cases = 0;
  for (const char* file : {"942100.yaml", "942101.yaml"}) {
    YAML::Node doc = YAML::LoadFile((dir / file).string());
    for (const auto& test : doc["tests"]) {
      for (const auto& stage : test["stages"]) {
        const YAML::Node input = stage["stage"]["input"];
        const YAML::Node output = stage["stage"]["output"];
        std::vector<std::string> values;
        if (std::string(file) == "942101.yaml") {
          std::string uri = input["uri"].as<std::string>();
          values.push_back(UrlDecode(uri.substr(uri.rfind('/') + 1)));
        } else {
          std::string data = input["data"] ? input["data"].as<std::string>() : "";
          size_t start = 0;
          while (start <= data.size()) {
            size_t amp = data.find('&', start);
            std::string part = data.substr(start, amp == std::string::npos ? amp : amp - start);
            size_t eq = part.find('=');
            values.push_back(UrlDecode(part.substr(0, eq)));
            if (eq != std::string::npos) values.push_back(UrlDecode(part.substr(eq + 1)));
            if (amp == std::string::npos) break;
            start = amp + 1;
          }
        }
        bool expect = output["log_contains"].IsDefined();
        bool matched = false;
        for (const std::string& v : values) {
          if (op_->Evaluate(v, &ctx)) {
            matched = true;
            EXPECT_FALSE(ctx.captures.empty());
          }
        }
        EXPECT_EQ(matched, expect) << file << " " << test["test_title"].as<std::string>();
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 20);  // 14 + 6 cases in CRS 3.3.4
}

TEST_F(DetectSqliTest, EvaluationDoesNotAllocate) {
  MatchContext ctx;
  ctx.want_captures = true;
  op_->Evaluate("1' or '1'='1", &ctx);  // warm: the capture vector gets its capacity
  testing::g_allocations = 0;
  testing::g_count_allocations = true;
  int hits = 0;
  for (int i = 0; i < 100; ++i) {
    for (const Known& k : kKnown) hits += op_->Evaluate(k.input, &ctx);
  }
  testing::g_count_allocations = false;
  EXPECT_EQ(testing::g_allocations.load(), 0u);
  EXPECT_GT(hits, 0);
}

// @pm shares this binary for its allocation counter: a warm context evaluates without the heap.
TEST(PmAllocationTest, EvaluationDoesNotAllocate) {
  OperatorRegistry registry;
  RegisterBuiltinOperators(&registry);
  auto pm = registry.Create("pm", "union select <script ab ac ad", {});
  ASSERT_TRUE(pm.ok());
  MatchContext ctx;
  ctx.want_captures = true;
  (*pm)->Evaluate("union", &ctx);  // warm
  const std::string long_input = std::string(64, 'x') + "ab";
  testing::g_allocations = 0;
  testing::g_count_allocations = true;
  int hits = 0;
  for (int i = 0; i < 100; ++i) {
    hits += (*pm)->Evaluate("1 UNION SELECT 2", &ctx);
    hits += (*pm)->Evaluate(long_input, &ctx);
    hits += (*pm)->Evaluate("nothing to see", &ctx);
  }
  testing::g_count_allocations = false;
  EXPECT_EQ(testing::g_allocations.load(), 0u);
  EXPECT_EQ(hits, 200);
}

}  // namespace
}  // namespace gs::operators
