// Tests for the byte-safe JSON writer: escaping, UTF-8 validation and base64.
#include "logingest/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gs::logingest {
namespace {

TEST(JsonWriter, EscapesControlCharactersAndQuotes) {
  std::string out;
  EXPECT_TRUE(AppendJsonString(&out, std::string("a\"b\\c\n\x01\x7f", 8)));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\\u007f\"");
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j.get<std::string>(), std::string("a\"b\\c\n\x01\x7f", 8));
}

TEST(JsonWriter, InvalidUtf8BecomesReplacementCharAndIsReported) {
  const char* bad[] = {"\xff",     "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                       "\xe4\xb8", "ok\x80ok"};
  for (const char* b : bad) {
    EXPECT_FALSE(IsValidUtf8(b)) << b;
    std::string out;
    EXPECT_FALSE(AppendJsonString(&out, b));
    auto j = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out;
    EXPECT_NE(j.get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
  }
  std::string out;
  EXPECT_TRUE(AppendJsonString(&out, "政盾 \xf0\x9f\x9b\xa1"));
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), "政盾 \xf0\x9f\x9b\xa1");
}

TEST(JsonWriter, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(JsonWriter, ObjectWriterProducesParsableObject) {
  JsonObjectWriter w;
  w.String("s", "x");
  w.Int("i", -5);
  w.Bool("b", true);
  w.Raw("r", "[1,2]");
  std::string s = std::move(w).Finish();
  auto j = nlohmann::json::parse(s);
  EXPECT_EQ(j["s"], "x");
  EXPECT_EQ(j["i"], -5);
  EXPECT_EQ(j["b"], true);
  EXPECT_EQ(j["r"].size(), 2u);
}

}  // namespace
}  // namespace gs::logingest
