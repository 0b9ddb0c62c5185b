// Acceptance 3 of issue 6 (content) against a real HTTP server on loopback: a baseline round,
// then the site is defaced, gets a hidden gambling link, a new external iframe or script, a
// script-written link, or serves other content to Baiduspider or to visitors arriving from a
// Baidu result — each is detected; 100 rounds over a page with rotating dynamic content (clock,
// visitor counter, rotating banner, rotating headline order) give no finding at all; the
// freshness rule uses an injected clock; `accept` stops a finding.
#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "monitor/monitor.h"
#include "monitor/testing/declared.h"
#include "monitor/testing/page_server.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor {
namespace {

using testing::HttpRequest;
using testing::HttpResponse;
using testing::PageServer;

// 2026-11-25T00:00:00Z; page dates are relative to it.
constexpr UnixNanos kToday = 20782LL * kNanosPerDay;

std::string Day(int days_before) {
  return FormatRfc3339(kToday - days_before * kNanosPerDay).substr(0, 10);
}

// A plausible municipal home page. `inject` goes before </body>; `round` drives the dynamic
// parts; `newest` is how many days old the newest news item is.
std::string GovPage(int round, const std::string& inject = "", int newest = 1) {
  static const char* kBanners[] = {"深入学习贯彻党的二十大精神", "优化营商环境 建设服务型政府",
                                   "全国文明城市创建 人人参与", "安全生产月 守护平安家园",
                                   "12345政务服务便民热线 一号响应"};
  std::vector<std::string> news = {"市政府召开第十二次常务会议 研究部署今冬明春重点工作",
                                   "关于公开征求《城市道路管理办法（修订草案）》意见的通知",
                                   "我市举行2026年秋季就业招聘会 提供岗位三千余个",
                                   "市生态环境局发布十月份空气质量状况",
                                   "关于做好冬季供暖保障工作的通知",
                                   "市医保局：异地就医直接结算范围进一步扩大"};
  std::rotate(news.begin(), news.begin() + round % news.size(), news.end());
  std::string p =
      "<!DOCTYPE html><html><head><meta charset='utf-8'><title>某某市人民政府门户网站</title>"
      "<link rel='stylesheet' href='/css/main.css'><script src='/js/jquery.min.js?v=" +
      std::to_string(round) +
      "'></script></head><body>"
      "<div class='top'><span>今天是 2026年11月" +
      std::to_string(1 + round % 28) + "日 " + std::to_string(round % 24) + ":" +
      std::to_string(round % 60) +
      "</span><a href='/english/'>English</a><a href='#main' style='position:absolute;"
      "left:-9999px'>跳到主要内容</a></div>"
      "<div class='nav'><ul><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
      "<li><a href='/bsfw/'>办事服务</a></li><li><a href='/hdjl/'>互动交流</a></li>"
      "<li><a href='/zjmc/'>走进某某</a></li></ul></div>"
      "<div class='banner'><img src='/img/banner" +
      std::to_string(round % 5) + ".jpg'><p>" + kBanners[round % 5] +
      "</p></div><div class='news' id='main'><h2>要闻动态</h2><ul>";
  for (size_t i = 0; i < news.size(); ++i)
    p += "<li><a href='/xwzx/" + std::to_string(i) + ".html'>" + news[i] + "</a><span>" +
         Day(newest + static_cast<int>(i)) + "</span></li>";
  p += "</ul></div><div class='notice'><h2>通知公告</h2><p>"
       "为进一步规范政务服务事项办理流程，提高行政审批效率，市政务服务中心自即日起推行"
       "一窗受理、集成服务改革，请办事群众提前通过网上办事大厅预约。</p>"
       "<p>本站已开通无障碍浏览和长者模式，欢迎提出意见建议。打击赌博违法犯罪专项行动"
       "举报电话：110。</p></div>"
       "<div class='links'><a href='http://www.gov.cn/'>中国政府网</a>"
       "<a href='http://www.province.gov.cn/'>省人民政府</a></div>"
       "<div class='footer'>主办单位：某某市人民政府办公室 网站标识码 1234000001 "
       "访问量：" +
       std::to_string(100000 + round * 37) + "</div>" + inject + "</body></html>";
  return p;
}

const char kDefaced[] =
    "<html><head><title>Hacked by Team X</title></head><body bgcolor=black><center>"
    "<h1>Hacked by Team X</h1><p>你们的网站已被入侵，安全形同虚设</p>"
    "<p>澳门葡京娱乐城 真人荷官 百家乐 注册送彩金 www.pj-casino.example</p></center></body></html>";

// What the server does; the test switches it between rounds.
struct Site {
  std::mutex mu;
  std::string browser_page, crawler_page, referer_page;
  int round = 0;
  int newest = 1;
  std::string inject;
  bool defaced = false;
  std::string crawler_inject, referer_inject;

  HttpResponse Serve(const HttpRequest& r) {
    std::lock_guard<std::mutex> l(mu);
    HttpResponse resp;
    if (r.path != "/" && r.path != "/index.html") {
      resp.status = 404;
      resp.body = "not found";
      return resp;
    }
    const std::string ua = r.headers.count("user-agent") ? r.headers.at("user-agent") : "";
    const std::string ref = r.headers.count("referer") ? r.headers.at("referer") : "";
    if (defaced) {
      resp.body = kDefaced;
    } else if (ua.find("Baiduspider") != std::string::npos && !crawler_inject.empty()) {
      resp.body = crawler_inject;
    } else if (ref.find("baidu.com") != std::string::npos && !referer_inject.empty()) {
      resp.body = referer_inject;
    } else {
      resp.body = GovPage(round, inject, newest);
    }
    return resp;
  }
};

class ContentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(kToday + 10 * 3600 * kNanosPerSecond);
    server_ = std::make_unique<PageServer>([this](const HttpRequest& r) { return site_.Serve(r); });
    ASSERT_GT(server_->port(), 0);
    auto cfg = ParseMonitorConfig(
        "interval: 10m\njitter: 0s\nstate: content.db\ntargets:\n  - name: portal\n"
        "    content:\n      url: http://www.example.gov.cn:" +
            std::to_string(server_->port()) + "/\n      connect: 127.0.0.1\n      timeout: 5s\n",
        dir_.path());
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    auto m = Monitor::Create(std::move(*cfg), nullptr, clock_);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    monitor_ = std::move(*m);
  }

  std::vector<Finding> Round() {
    clock_.Advance(600 * kNanosPerSecond);
    auto r = monitor_->RunOnce();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    testing::ExpectDeclared(*r);
    return *r;
  }

  template <typename F>
  void Set(F f) {
    std::lock_guard<std::mutex> l(site_.mu);
    f(site_);
  }

  static std::vector<std::string> Checks(const std::vector<Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.check);
    return out;
  }
  static const Finding* Get(const std::vector<Finding>& fs, const std::string& check) {
    for (const auto& f : fs)
      if (f.check == check) return &f;
    return nullptr;
  }

  gs::testing::TempDir dir_;
  ManualTimeSource clock_{0};
  Site site_;
  std::unique_ptr<PageServer> server_;
  std::unique_ptr<Monitor> monitor_;
};

TEST_F(ContentTest, HundredRoundsOfRotatingDynamicContentGiveNoFinding) {
  for (int i = 0; i < 100; ++i) {
    Set([&](Site& s) { s.round = i; });
    auto f = Round();
    EXPECT_TRUE(f.empty()) << "round " << i << ": " << f[0].check << " " << f[0].summary;
    if (!f.empty()) break;
  }
  // Three views per round (browser, Baiduspider, Baidu referer).
  EXPECT_EQ(server_->requests(), 300);
}

TEST_F(ContentTest, DefacementIsDetectedAndAcceptStopsIt) {
  ASSERT_TRUE(Round().empty());
  Set([](Site& s) { s.defaced = true; });
  auto f = Round();
  const Finding* d = Get(f, "content_defaced");
  ASSERT_NE(d, nullptr) << ::testing::PrintToString(Checks(f));
  EXPECT_EQ(d->severity, Severity::kCritical);
  EXPECT_LT(d->evidence["text_similarity"].get<double>(), 0.5);
  EXPECT_NE(d->evidence["excerpt"].get<std::string>().find("Hacked by"), std::string::npos);
  const Finding* k = Get(f, "content_keywords");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->evidence["category"], "defacement");  // first category alphabetically with hits
  bool gambling = false;
  for (const auto& x : f)
    gambling = gambling || (x.check == "content_keywords" && x.evidence["category"] == "gambling");
  EXPECT_TRUE(gambling);
  // Still defaced next round; after accept it is the new baseline.
  EXPECT_NE(Get(Round(), "content_defaced"), nullptr);
  auto n = monitor_->Accept("portal");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(Get(Round(), "content_defaced"), nullptr);
}

TEST_F(ContentTest, HiddenGamblingLinkIsADarkLink) {
  ASSERT_TRUE(Round().empty());
  Set([](Site& s) {
    s.inject =
        "<div style='position:absolute;top:-3000px;left:-3000px'>"
        "<a href='http://www.bocai-888.example/'>澳门葡京娱乐城</a>"
        "<a href='http://www.bocai-888.example/reg'>百家乐注册送</a></div>";
  });
  auto f = Round();
  const Finding* d = Get(f, "content_dark_link");
  ASSERT_NE(d, nullptr) << ::testing::PrintToString(Checks(f));
  EXPECT_EQ(d->subject, "www.bocai-888.example");
  EXPECT_EQ(d->severity, Severity::kCritical);
  EXPECT_EQ(d->evidence["links"].size(), 2u);
  EXPECT_EQ(d->evidence["links"][0]["hidden"], "off-screen");
  // Hidden link text counts for keywords, too; the page text itself did not change.
  EXPECT_NE(Get(f, "content_keywords"), nullptr);
  EXPECT_EQ(Get(f, "content_defaced"), nullptr);
}

TEST_F(ContentTest, SameColourAndStylesheetHiddenLinksAreFound) {
  ASSERT_TRUE(Round().empty());
  Set([](Site& s) {
    s.inject =
        "<style>.fl{display:none}</style><p class='fl'><a href='http://spam-a.example/'>a</a></p>"
        "<div style='background-color:#ffffff'><a href='http://spam-b.example/' "
        "style='color:#fff'>b</a></div>";
  });
  auto f = Round();
  std::set<std::string> hosts;
  for (const auto& x : f)
    if (x.check == "content_dark_link") hosts.insert(x.subject);
  EXPECT_EQ(hosts, (std::set<std::string>{"spam-a.example", "spam-b.example"}));
}

TEST_F(ContentTest, NewExternalIframeScriptAndScriptWrittenLink) {
  ASSERT_TRUE(Round().empty());
  Set([](Site& s) {
    s.inject =
        "<iframe src='http://mal.example/x.htm' width='0' height='0'></iframe>"
        "<script src='https://cdn.mal.example/m.js?t=1'></script>"
        "<script>document.write(\"<a href='http://www.xpj-online.example/'>\u5f69\u7968</a>\")"
        "</script>";
  });
  auto f = Round();
  const Finding* i = Get(f, "content_new_iframe");
  ASSERT_NE(i, nullptr) << ::testing::PrintToString(Checks(f));
  EXPECT_EQ(i->subject, "http://mal.example/x.htm");
  const Finding* s = Get(f, "content_new_script");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->subject, "https://cdn.mal.example/m.js");
  const Finding* j = Get(f, "content_js_link");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->subject, "www.xpj-online.example");
  EXPECT_EQ(j->severity, Severity::kCritical);
}

TEST_F(ContentTest, BaiduspiderCloakingIsDetected) {
  ASSERT_TRUE(Round().empty());
  Set([](Site& s) { s.crawler_inject = kDefaced; });
  auto f = Round();
  const Finding* c = Get(f, "content_cloaking");
  ASSERT_NE(c, nullptr) << ::testing::PrintToString(Checks(f));
  EXPECT_EQ(c->evidence["variant"], "ua:Baiduspider");
  EXPECT_LT(c->evidence["similarity"].get<double>(), 0.6);
  // The browser view is untouched: no defacement.
  EXPECT_EQ(Get(f, "content_defaced"), nullptr);
  Set([](Site& s) { s.crawler_inject.clear(); });
  EXPECT_EQ(Get(Round(), "content_cloaking"), nullptr);
}

TEST_F(ContentTest, SearchRefererCloakingIsDetected) {
  ASSERT_TRUE(Round().empty());
  Set([](Site& s) { s.referer_inject = kDefaced; });
  auto f = Round();
  const Finding* c = Get(f, "content_cloaking");
  ASSERT_NE(c, nullptr) << ::testing::PrintToString(Checks(f));
  EXPECT_EQ(c->evidence["variant"], "referer");
}

TEST_F(ContentTest, StaleNewsIsReportedAfterFourteenDays) {
  Set([](Site& s) { s.newest = 13; });
  EXPECT_EQ(Get(Round(), "content_stale"), nullptr);
  Set([](Site& s) { s.newest = 20; });
  auto f = Round();
  const Finding* s = Get(f, "content_stale");
  ASSERT_NE(s, nullptr) << ::testing::PrintToString(Checks(f));
  EXPECT_EQ(s->evidence["newest"], Day(20));
  EXPECT_EQ(s->evidence["age_days"], 20);
}

TEST_F(ContentTest, UnreachablePageIsALowFinding) {
  auto cfg = ParseMonitorConfig(
      "state: c2.db\ntargets:\n  - name: gone\n    content:\n      url: http://127.0.0.1:" +
          std::to_string(server_->port()) + "/missing\n",
      dir_.path());
  ASSERT_TRUE(cfg.ok());
  auto m = Monitor::Create(std::move(*cfg), nullptr, clock_);
  ASSERT_TRUE(m.ok());
  auto f = (*m)->RunOnce();
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->size(), 1u);
  EXPECT_EQ((*f)[0].check, "content_unreachable");
  EXPECT_EQ((*f)[0].severity, Severity::kLow);
}

TEST_F(ContentTest, AvailabilityProbeIsTheBrowserViewOfTheSamePage) {
  const std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/missing";
  auto cfg = ParseMonitorConfig(
      "interval: 10m\nstate: c3.db\ntargets:\n  - name: gone\n"
      "    availability: {url: \"" +
          url +
          "\"}\n"
          "    content: {url: \"" +
          url + "\"}\n",
      dir_.path());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto m = Monitor::Create(std::move(*cfg), nullptr, clock_);
  ASSERT_TRUE(m.ok());
  const int before = server_->requests();
  std::vector<Finding> last;
  for (int i = 0; i < 20; ++i) {
    clock_.Advance(600 * kNanosPerSecond);
    auto f = (*m)->RunOnce();
    ASSERT_TRUE(f.ok());
    last = *f;
  }
  // Three content views per round and no fourth load for availability: it judged the
  // browser view (a 404 each time) and, after its 20 probes, raises the veto.
  EXPECT_EQ(server_->requests() - before, 60);
  const Finding* veto = Get(last, "availability_veto");
  ASSERT_NE(veto, nullptr) << ::testing::PrintToString(Checks(last));
  EXPECT_EQ(veto->evidence["failed"], 20);
  EXPECT_NE(Get(last, "content_unreachable"), nullptr);
}

}  // namespace
}  // namespace gs::monitor
