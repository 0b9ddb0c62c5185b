// Our own keyword lists for the content check: words that appear on defaced or spam-injected
// Chinese government pages (gambling 博彩, pornography 色情, fraud 诈骗/黑产, defacement
// signatures 黑页) and the Latin/pinyin fragments spam link hosts use. Hand-written for
// GovShield from public incident write-ups; not copied from any third-party list.
//
// Matching is plain substring search over visible text (case-insensitive for ASCII), so a
// government notice about "打击赌博" still counts: the content check only reports counts that
// rose against the page's accepted baseline.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gs::monitor {

struct KeywordHit {
  std::string category;  // "gambling", "porn", "fraud", "defacement"
  std::string word;
  int count = 0;
};

// Every keyword that occurs in `text`, with its count.
std::vector<KeywordHit> FindKeywords(std::string_view text);

// Category → total hits.
std::map<std::string, int> KeywordCounts(const std::vector<KeywordHit>& hits);

// True when a link host or URL looks like a gambling/porn spam destination (bocai, dubo,
// casino, xpj, amjs, ...).
bool SpamUrl(std::string_view url);

}  // namespace gs::monitor
