// Tests of lexer.h: logical lines (continuation, comments, CRLF) with their position maps, and
// argument splitting with quoting and escaping.
#include "seclang/lexer.h"

#include <gtest/gtest.h>

namespace gs::seclang {
namespace {

TEST(SplitLogicalLines, JoinsContinuationsAndSkipsCommentsAndBlanks) {
  std::string text =
      "# comment\n"
      "\n"
      "   # indented comment \\\n"
      "SecRule ARGS \"@rx a\" \\\n"
      "    \"id:1,\\\n"
      "    pass\"\n"
      "SecMarker END\n";
  auto lines = SplitLogicalLines(text);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text(), "SecRule ARGS \"@rx a\"     \"id:1,    pass\"");
  EXPECT_EQ(lines[0].first_line(), 4u);
  EXPECT_EQ(lines[1].text(), "SecMarker END");
  EXPECT_EQ(lines[1].first_line(), 7u);
}

TEST(SplitLogicalLines, PositionMapsBackToPhysicalLines) {
  std::string text = "SecAction \\\n  \"id:1,\\\n   pass\"\n";
  auto lines = SplitLogicalLines(text);
  ASSERT_EQ(lines.size(), 1u);
  const std::string& t = lines[0].text();
  uint32_t line = 0, col = 0;
  lines[0].Position(t.find("pass"), &line, &col);
  EXPECT_EQ(line, 3u);
  EXPECT_EQ(col, 4u);
  lines[0].Position(t.find("id:1"), &line, &col);
  EXPECT_EQ(line, 2u);
  EXPECT_EQ(col, 4u);
  lines[0].Position(0, &line, &col);
  EXPECT_EQ(line, 1u);
  EXPECT_EQ(col, 1u);
}

TEST(SplitLogicalLines, HandlesCrLfAndMissingFinalNewline) {
  auto lines = SplitLogicalLines("SecRuleEngine On\r\nSecAction \\\r\n \"id:2\"");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text(), "SecRuleEngine On");
  EXPECT_EQ(lines[1].text(), "SecAction  \"id:2\"");
}

TEST(SplitLogicalLines, TrailingContinuationAtEndOfInputIsKept) {
  auto lines = SplitLogicalLines("SecMarker A \\");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text(), "SecMarker A ");
}

TEST(Tokenize, SplitsOnBlanksAndUnquotes) {
  auto r = Tokenize("SecRule  ARGS|ARGS_NAMES \"@rx a b\"\t'id:1'");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.tokens.size(), 4u);
  EXPECT_EQ(r.tokens[0].value, "SecRule");
  EXPECT_EQ(r.tokens[1].value, "ARGS|ARGS_NAMES");
  EXPECT_FALSE(r.tokens[1].quoted);
  EXPECT_EQ(r.tokens[2].value, "@rx a b");
  EXPECT_TRUE(r.tokens[2].quoted);
  EXPECT_EQ(r.tokens[2].offset, 25u);
  EXPECT_EQ(r.tokens[3].value, "id:1");
}

TEST(Tokenize, UnescapesOnlyTheQuoteCharacter) {
  auto r = Tokenize(R"(SecRule ARGS "@rx [\"'] \d\\x \w" "msg:'a\'b'")");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.tokens.size(), 4u);
  EXPECT_EQ(r.tokens[2].value, R"(@rx ["'] \d\\x \w)");
  // Inside double quotes a \' is kept for the action parser to handle.
  EXPECT_EQ(r.tokens[3].value, R"(msg:'a\'b')");
}

TEST(Tokenize, EmptyQuotedArgument) {
  auto r = Tokenize("SecRule ARGS \"\" \"id:1\"");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.tokens.size(), 4u);
  EXPECT_EQ(r.tokens[2].value, "");
  EXPECT_TRUE(r.tokens[2].quoted);
}

TEST(Tokenize, UnterminatedQuoteReportsItsOffset) {
  auto r = Tokenize("SecRule ARGS \"@rx abc");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_offset, 13u);
}

}  // namespace
}  // namespace gs::seclang
