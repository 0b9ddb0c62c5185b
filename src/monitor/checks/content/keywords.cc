// Keyword lists and matching (see keywords.h).
#include "monitor/checks/content/keywords.h"

#include <cctype>

namespace gs::monitor {
namespace {

struct Entry {
  std::string_view category;
  std::string_view word;
};

constexpr Entry kKeywords[] = {
    // gambling (博彩)
    {"gambling", "博彩"},
    {"gambling", "赌场"},
    {"gambling", "赌博网"},
    {"gambling", "百家乐"},
    {"gambling", "六合彩"},
    {"gambling", "时时彩"},
    {"gambling", "北京赛车"},
    {"gambling", "娱乐城"},
    {"gambling", "真人荷官"},
    {"gambling", "葡京"},
    {"gambling", "威尼斯人"},
    {"gambling", "太阳城"},
    {"gambling", "皇冠体育"},
    {"gambling", "老虎机"},
    {"gambling", "棋牌游戏"},
    {"gambling", "彩票投注"},
    {"gambling", "网上投注"},
    {"gambling", "注册送"},
    {"gambling", "首存"},
    {"gambling", "bet365"},
    {"gambling", "casino"},
    {"gambling", "baccarat"},
    // pornography (色情)
    {"porn", "色情"},
    {"porn", "成人视频"},
    {"porn", "成人电影"},
    {"porn", "黄色网站"},
    {"porn", "裸聊"},
    {"porn", "约炮"},
    {"porn", "一夜情"},
    {"porn", "av女优"},
    {"porn", "無碼"},
    {"porn", "无码"},
    {"porn", "porn"},
    // fraud and black-market services (诈骗/黑产)
    {"fraud", "代开发票"},
    {"fraud", "办证"},
    {"fraud", "刷单"},
    {"fraud", "信用卡套现"},
    {"fraud", "网贷秒批"},
    {"fraud", "代孕"},
    {"fraud", "枪支"},
    {"fraud", "迷药"},
    {"fraud", "私服"},
    {"fraud", "外挂"},
    // defacement signatures (黑页) and political defacement slogans
    {"defacement", "hacked by"},
    {"defacement", "owned by"},
    {"defacement", "黑客"},
    {"defacement", "被黑"},
    {"defacement", "已被入侵"},
    {"defacement", "到此一游"},
    {"defacement", "网站已被"},
    {"defacement", "反动"},
    {"defacement", "推翻"},
    {"defacement", "打倒"},
};

constexpr std::string_view kSpamUrlParts[] = {
    "bocai",    "dubo", "casino",    "bet365", "xpj", "amjs", "pujing", "baijiale",
    "liuhecai", "ssc",  "yulecheng", "porn",   "sex", "av",   "qipai",  "lottery"};

std::string LowerAscii(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

int Count(std::string_view hay, std::string_view needle) {
  int n = 0;
  for (size_t i = hay.find(needle); i != std::string_view::npos;
       i = hay.find(needle, i + needle.size()))
    ++n;
  return n;
}

}  // namespace

std::vector<KeywordHit> FindKeywords(std::string_view text) {
  const std::string low = LowerAscii(text);
  std::vector<KeywordHit> hits;
  for (const auto& e : kKeywords) {
    int n = Count(low, e.word);
    if (n > 0) hits.push_back({std::string(e.category), std::string(e.word), n});
  }
  return hits;
}

std::map<std::string, int> KeywordCounts(const std::vector<KeywordHit>& hits) {
  std::map<std::string, int> m;
  for (const auto& h : hits) m[h.category] += h.count;
  return m;
}

bool SpamUrl(std::string_view url) {
  const std::string low = LowerAscii(url);
  // Match fragments as whole alphanumeric runs' prefixes/suffixes to avoid "ssc" in "classic".
  for (auto part : kSpamUrlParts) {
    for (size_t i = low.find(part); i != std::string::npos; i = low.find(part, i + 1)) {
      bool left = i == 0 || !std::isalpha(static_cast<unsigned char>(low[i - 1]));
      size_t e = i + part.size();
      bool right = e >= low.size() || !std::isalpha(static_cast<unsigned char>(low[e]));
      if (left || right) {
        if (part.size() <= 3 && !(left && right)) continue;  // short parts must stand alone
        return true;
      }
    }
  }
  return false;
}

}  // namespace gs::monitor
