// Unit tests of the content check's parts: HTML extraction (visible text, hidden-link reasons,
// scripts/iframes, script-written links), dates, keyword lists and similarity sketches.
#include <gtest/gtest.h>

#include <algorithm>

#include "monitor/check.h"
#include "monitor/checks/content/html_extract.h"
#include "monitor/checks/content/keywords.h"
#include "monitor/checks/content/sketch.h"
#include "monitor/report.h"

namespace gs::monitor {
namespace {

const PageLink* FindLink(const PageFacts& f, const std::string& host) {
  for (const auto& l : f.links)
    if (l.host == host) return &l;
  return nullptr;
}

TEST(HtmlExtract, VisibleTextSkipsScriptsStylesAndHiddenParts) {
  auto f = ExtractPage(
      "<html><head><title>市政府 门户</title><style>.x{color:red}</style></head><body>"
      "<h1>欢迎访问</h1><script>var a='不可见';</script><p style='display:none'>隐藏文字</p>"
      "<p>政务公开</p></body></html>",
      "http://www.example.gov.cn/");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->title, "市政府 门户");
  EXPECT_NE(f->text.find("欢迎访问"), std::string::npos);
  EXPECT_NE(f->text.find("政务公开"), std::string::npos);
  EXPECT_EQ(f->text.find("不可见"), std::string::npos);
  EXPECT_EQ(f->text.find("隐藏文字"), std::string::npos);
  EXPECT_FALSE(f->structure.empty());
  EXPECT_EQ(f->structure[0], "html");
}

struct HiddenCase {
  const char* markup;
  const char* reason;
};

TEST(HtmlExtract, EachHidingTechniqueIsRecognised) {
  const HiddenCase cases[] = {
      {"<div style='display:none'><a href='http://a.bocai.com/'>x</a></div>", "display:none"},
      {"<span style='visibility: hidden'><a href='http://a.bocai.com/'>x</a></span>",
       "visibility:hidden"},
      {"<div style='position:absolute; left:-9999px'><a href='http://a.bocai.com/'>x</a></div>",
       "off-screen"},
      {"<p style='text-indent:-5000px'><a href='http://a.bocai.com/'>x</a></p>", "off-screen"},
      {"<a style='font-size:0px' href='http://a.bocai.com/'>x</a>", "tiny font"},
      {"<div style='height:0;overflow:hidden'><a href='http://a.bocai.com/'>x</a></div>",
       "zero size"},
      {"<div style='background-color:#fff'><a style='color:#FFFFFF' "
       "href='http://a.bocai.com/'>x</a></div>",
       "same colour as background"},
      {"<style>.seo { display: none !important }</style><div class='box seo'>"
       "<a href='http://a.bocai.com/'>x</a></div>",
       "display:none"},
      {"<style>#k{position:absolute;top:-800px}</style><div id='k'>"
       "<a href='http://a.bocai.com/'>x</a></div>",
       "off-screen"},
      {"<div hidden><a href='http://a.bocai.com/'>x</a></div>", "hidden attribute"},
      {"<a href='http://a.bocai.com/'>\xE2\x80\x8B</a>", "zero-width text"},
      {"<div style='opacity:0'><a href='http://a.bocai.com/'>x</a></div>", "opacity:0"},
  };
  for (const auto& c : cases) {
    auto f = ExtractPage(std::string("<html><body><p>正文</p>") + c.markup + "</body></html>",
                         "http://www.example.gov.cn/");
    ASSERT_TRUE(f.ok()) << c.markup;
    const PageLink* l = FindLink(*f, "a.bocai.com");
    ASSERT_NE(l, nullptr) << c.markup;
    EXPECT_EQ(l->hidden_reason, c.reason) << c.markup;
  }
}

TEST(HtmlExtract, VisibleLinksAreNotHidden) {
  auto f = ExtractPage(
      "<html><body><style>.nav{color:blue}</style><div class='nav' style='background:#fff'>"
      "<a href='/news/1.html' style='color:#333'>新闻</a>"
      "<a href='http://www.gov.cn/'>中国政府网</a></div></body></html>",
      "http://www.example.gov.cn/index.html");
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->links.size(), 2u);
  for (const auto& l : f->links) EXPECT_EQ(l.hidden_reason, "") << l.href;
  EXPECT_EQ(f->links[0].href, "http://www.example.gov.cn/news/1.html");
  EXPECT_EQ(f->links[0].host, "www.example.gov.cn");
  EXPECT_EQ(f->links[1].host, "www.gov.cn");
}

TEST(HtmlExtract, ScriptsIframesAndScriptWrittenLinks) {
  auto f = ExtractPage(
      "<html><body><script src='/js/app.js?v=123'></script>"
      "<script src='http://cdn.evil.example/x.js'></script>"
      "<iframe src='http://ads.example/frame.html#a' width=0 height=0></iframe>"
      "<script>document.write('<a href=\"http://www.dubo-777.com/\">彩票</a>');</script>"
      "</body></html>",
      "http://www.example.gov.cn/");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->scripts, (std::vector<std::string>{"http://www.example.gov.cn/js/app.js",
                                                  "http://cdn.evil.example/x.js"}));
  EXPECT_EQ(f->iframes, (std::vector<std::string>{"http://ads.example/frame.html"}));
  ASSERT_EQ(f->js_links.size(), 1u);
  EXPECT_EQ(UrlHost(f->js_links[0]), "www.dubo-777.com");
}

TEST(HtmlExtract, BadInputIsAnErrorOrRecovered) {
  EXPECT_FALSE(ExtractPage("", "http://x/").ok());
  auto f = ExtractPage("<div><a href='http://a/'>unterminated <b><i></div></p></html>\x01\xff",
                       "http://x/");
  EXPECT_TRUE(f.ok());
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<div>";
  EXPECT_TRUE(ExtractPage(deep + "x", "http://x/").ok());
}

TEST(HtmlExtract, GbkPageIsDecoded) {
  // "政府" in GBK is D5 FE B8 AE.
  auto f = ExtractPage(
      "<html><head><meta charset='gbk'></head><body>\xD5\xFE\xB8\xAE</body></html>", "http://x/");
  ASSERT_TRUE(f.ok());
  EXPECT_NE(f->text.find("政府"), std::string::npos) << f->text;
}

TEST(FindDates, FormatsAndInvalidDates) {
  auto d = FindDates("发布 2026-11-25 更新2026年3月1日 x 2026/02/30 y 2025.12.31 z 12026-01-01");
  // 2026/02/30 is not a date; 12026-01-01 is not a 4-digit year.
  ASSERT_EQ(d.size(), 3u);
  // Days since 1970-01-01, from Python's datetime.date arithmetic.
  EXPECT_EQ(d[0], 20782);  // 2026-11-25
  EXPECT_EQ(d[1], 20513);  // 2026-03-01
  EXPECT_EQ(d[2], 20453);  // 2025-12-31
}

TEST(Keywords, CountsAndSpamUrls) {
  auto hits = FindKeywords("澳门百家乐 在线百家乐 Hacked By someone 政务公开");
  auto counts = KeywordCounts(hits);
  EXPECT_EQ(counts["gambling"], 2);
  EXPECT_EQ(counts["defacement"], 1);
  EXPECT_EQ(counts.count("porn"), 0u);
  EXPECT_TRUE(SpamUrl("http://www.bocai888.com/"));
  EXPECT_TRUE(SpamUrl("http://xpj.example/"));
  EXPECT_FALSE(SpamUrl("http://www.classic.gov.cn/"));
  EXPECT_FALSE(SpamUrl("http://www.gov.cn/zhengce/"));
}

TEST(Sketch, DigitsDoNotMatterAndRewritesDo) {
  std::string page = "市人民政府门户网站 政务公开 办事服务 互动交流 今日访问量 12345 更新时间 ";
  for (int i = 0; i < 20; ++i)
    page += "关于开展第" + std::to_string(i) + "批政务服务事项梳理工作的通知 ";
  std::string later = page;
  later.replace(later.find("12345"), 5, "99999");
  EXPECT_DOUBLE_EQ(Similarity(TextSketch(page), TextSketch(later)), 1.0);
  double defaced = Similarity(TextSketch(page),
                              TextSketch("Hacked by X 澳门葡京娱乐城 百家乐 真人荷官 注册送彩金"));
  EXPECT_LT(defaced, 0.05);
  EXPECT_DOUBLE_EQ(Similarity({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(Similarity(TextSketch("a b c d"), {}), 0.0);
}

TEST(Sketch, LargePagesStayBoundedAndEstimateJaccard) {
  std::string a, b;
  for (int i = 0; i < 4000; ++i) {
    std::string w = "w" + std::string(1, static_cast<char>('a' + i % 26)) +
                    std::string(1, static_cast<char>('a' + (i / 26) % 26)) +
                    std::string(1, static_cast<char>('a' + (i / 676) % 26)) + " ";
    a += w;
    b += i < 3000 ? w : "zz" + w;  // last quarter differs
  }
  Sketch sa = TextSketch(a), sb = TextSketch(b);
  EXPECT_EQ(sa.size(), kSketchSize);
  // True Jaccard ~ 2998 / 5000 = 0.6; bottom-512 estimate within 0.1.
  EXPECT_NEAR(Similarity(sa, sb), 0.6, 0.1);
}

}  // namespace
}  // namespace gs::monitor

namespace gs::monitor {
namespace {

// Every finding a check declares has a Chinese and an English title, so reports never fall
// back to the bare identifier.
TEST(Report, EveryDeclaredFindingHasTitles) {
  for (const CheckDescriptor* d : AllChecks()) {
    for (auto check : d->findings) {
      EXPECT_NE(FindingTitle(check, Language::kZh), check) << check;
      EXPECT_NE(FindingTitle(check, Language::kEn), check) << check;
    }
  }
  Finding f{"dns_hijack",
            "portal",
            "www.example.gov.cn/A@127.0.0.1:53",
            Severity::kCritical,
            "resolver answers differently",
            {}};
  EXPECT_EQ(FormatFinding(f, Language::kZh),
            "[严重] 域名解析被劫持 dns_hijack 目标 portal：www.example.gov.cn/A@127.0.0.1:53");
  EXPECT_EQ(FormatFinding(f, Language::kEn),
            "critical dns_hijack portal www.example.gov.cn/A@127.0.0.1:53: resolver answers "
            "differently");
  EXPECT_FALSE(ParseLanguage("de").ok());
}

}  // namespace
}  // namespace gs::monitor
