#include "core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace gs {
namespace {

TEST(Utf8Test, AcceptsWellFormed) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("政务网站 防篡改"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x94\x92"));  // U+1F512
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8Test, RejectsMalformed) {
  for (const std::string& s :
       {std::string("\x80"), std::string("\xC3"), std::string("\xC0\xAF"),  // stray, cut, overlong
        std::string("\xE0\x80\xAF"), std::string("\xED\xA0\x80"),           // overlong, surrogate
        std::string("\xF4\x90\x80\x80"), std::string("\xF8\x88\x80\x80\x80"),  // > U+10FFFF, 5-byte
        std::string("ok\xE6\x94"), std::string("\xE6\x94\x3F")}) {
    EXPECT_FALSE(IsValidUtf8(s)) << s.size();
  }
}

TEST(Utf8Test, JsonStringKeepsChineseAndReplacesInvalidBytes) {
  std::string out;
  EXPECT_TRUE(AppendJsonString(&out, "\xe6\x94\xbf\xe7\x9b\xbe \"q\"\n\x01"));
  EXPECT_EQ(out, "\"\xe6\x94\xbf\xe7\x9b\xbe \\\"q\\\"\\n\\u0001\"");
  out.clear();
  EXPECT_FALSE(AppendJsonString(&out, std::string_view("a\xff\xe6\x94"
                                                       "b",
                                                       5)));
  EXPECT_EQ(out,
            "\"a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
            "b\"");
  out.clear();
  EXPECT_TRUE(AppendJsonString(&out, std::string_view()));
  EXPECT_EQ(out, "\"\"");
}

}  // namespace
}  // namespace gs
