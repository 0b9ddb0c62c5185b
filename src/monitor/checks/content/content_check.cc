// Content check evaluation (see content_check.h).
#include "monitor/checks/content/content_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "monitor/checks/content/html_extract.h"
#include "monitor/checks/content/keywords.h"
#include "monitor/checks/content/sketch.h"

namespace gs::monitor {
namespace {

constexpr char kKind[] = "content";

std::string Charset(const std::string& content_type) {
  std::string low = content_type;
  for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t p = low.find("charset=");
  if (p == std::string::npos) return "";
  std::string cs = low.substr(p + 8);
  size_t end = cs.find_first_of("; \"'");
  if (end != std::string::npos) cs.resize(end);
  return cs;
}

// UTF-8-safe prefix of at most n bytes.
std::string Excerpt(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t e = n;
  while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
  return s.substr(0, e) + "…";
}

std::string AgentLabel(const std::string& ua) {
  for (const char* bot :
       {"Baiduspider", "Googlebot", "bingbot", "Sogou", "360Spider", "YisouSpider", "Bytespider"})
    if (ua.find(bot) != std::string::npos) return bot;
  return Excerpt(ua, 40);
}

struct PageView {
  PageFacts facts;
  Sketch text, structure;
  std::vector<std::string> scripts, iframes;
  std::vector<KeywordHit> keywords;
  std::map<std::string, int> keyword_counts;
};

Result<PageView> View(const FetchResult& r, const std::string& url) {
  GS_ASSIGN_OR_RETURN(auto facts,
                      ExtractPage(r.body, r.effective_url.empty() ? url : r.effective_url,
                                  Charset(r.content_type)));
  PageView v;
  v.text = TextSketch(facts.title + " " + facts.text);
  v.structure = PathSketch(facts.structure);
  std::set<std::string> s(facts.scripts.begin(), facts.scripts.end());
  std::set<std::string> f(facts.iframes.begin(), facts.iframes.end());
  v.scripts.assign(s.begin(), s.end());
  v.iframes.assign(f.begin(), f.end());
  std::string all = facts.title + " " + facts.text;
  for (const auto& l : facts.links)
    if (!l.hidden_reason.empty()) all += " " + l.text;
  v.keywords = FindKeywords(all);
  v.keyword_counts = KeywordCounts(v.keywords);
  v.facts = std::move(facts);
  return v;
}

nlohmann::json BaselineJson(const PageView& v) {
  return {{"text", v.text},
          {"structure", v.structure},
          {"scripts", v.scripts},
          {"iframes", v.iframes},
          {"keywords", v.keyword_counts},
          {"excerpt", Excerpt(v.facts.text, 300)}};
}

nlohmann::json HitsJson(const std::vector<KeywordHit>& hits) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& h : hits)
    j.push_back({{"category", h.category}, {"word", h.word}, {"count", h.count}});
  return j;
}

std::string FormatDay(int64_t days) { return FormatRfc3339(days * kNanosPerDay).substr(0, 10); }

}  // namespace

std::vector<FetchRequest> ContentCheck::Requests(const TargetConfig& target) {
  std::vector<FetchRequest> out;
  const ContentTargetConfig& c = target.content;
  if (!c.enabled) return out;
  FetchRequest base;
  base.url = c.url;
  base.connect = c.connect;
  base.timeout_nanos = c.timeout_nanos;
  out.push_back(base);
  if (c.cloaking) {
    for (const auto& ua : c.crawler_agents) {
      FetchRequest r = base;
      r.user_agent = ua;
      out.push_back(r);
    }
    FetchRequest r = base;
    r.referer = c.search_referer;
    out.push_back(r);
  }
  if (c.freshness_days > 0 && !c.freshness_url.empty() && c.freshness_url != c.url) {
    FetchRequest r = base;
    r.url = c.freshness_url;
    out.push_back(r);
  }
  return out;
}

Result<std::vector<Finding>> ContentCheck::Evaluate(const TargetConfig& target,
                                                    std::span<const FetchResult> results) {
  std::vector<Finding> out;
  const ContentTargetConfig& c = target.content;
  if (!c.enabled || results.empty()) return out;
  const FetchResult& main = results[0];
  auto unreachable = [&](const std::string& why) {
    Finding f{"content_unreachable",
              target.name,
              c.url,
              Severity::kLow,
              "content check could not load " + c.url + ": " + why,
              {}};
    f.evidence = {{"url", c.url}, {"error", why}};
    out.push_back(std::move(f));
  };
  if (!main.Ok()) {
    unreachable(main.transport_ok ? "HTTP status " + std::to_string(main.http_status) : main.error);
    return out;
  }
  auto view_or = View(main, c.url);
  if (!view_or.ok()) {
    unreachable(std::string(view_or.status().message()));
    return out;
  }
  const PageView& now = *view_or;
  const std::string page_host = UrlHost(main.effective_url.empty() ? c.url : main.effective_url);
  const std::string key = "page|" + c.url;

  // Against the baseline.
  GS_ASSIGN_OR_RETURN(auto stored, state_->GetBaseline(kKind, target.name, key));
  nlohmann::json base = stored ? nlohmann::json::parse(*stored, nullptr, false) : nlohmann::json();
  if (!base.is_object()) {
    GS_RETURN_IF_ERROR(
        state_->PutBaseline(kKind, target.name, key, BaselineJson(now).dump(), clock_.Now()));
  } else {
    Sketch bt = base.value("text", Sketch{}), bs = base.value("structure", Sketch{});
    const double ts = Similarity(now.text, bt), ss = Similarity(now.structure, bs);
    bool changed = false;
    nlohmann::json sim = {{"text_similarity", ts}, {"structure_similarity", ss}};
    if (ts < c.text_similarity) {
      Finding f{"content_defaced",
                target.name,
                c.url,
                Severity::kCritical,
                "page text differs from the accepted baseline (similarity " +
                    std::to_string(ts).substr(0, 4) + ")",
                sim};
      f.evidence["excerpt"] = Excerpt(now.facts.text, 300);
      f.evidence["baseline_excerpt"] = base.value("excerpt", "");
      f.evidence["keywords"] = HitsJson(now.keywords);
      out.push_back(std::move(f));
      changed = true;
    } else if (ss < c.structure_similarity) {
      Finding f{"content_structure_changed",
                target.name,
                c.url,
                Severity::kHigh,
                "page structure differs from the accepted baseline (similarity " +
                    std::to_string(ss).substr(0, 4) + ")",
                sim};
      out.push_back(std::move(f));
      changed = true;
    }
    std::map<std::string, int> bk = base.value("keywords", std::map<std::string, int>{});
    for (const auto& [cat, n] : now.keyword_counts) {
      if (n <= bk[cat]) continue;
      std::vector<KeywordHit> hits;
      for (const auto& h : now.keywords)
        if (h.category == cat) hits.push_back(h);
      Finding f{"content_keywords",
                target.name,
                c.url + "#" + cat,
                Severity::kHigh,
                "page shows " + std::to_string(n - bk[cat]) + " more " + cat +
                    " keyword(s) than its baseline",
                {}};
      f.evidence = {
          {"category", cat}, {"count", n}, {"baseline_count", bk[cat]}, {"hits", HitsJson(hits)}};
      out.push_back(std::move(f));
      changed = true;
    }
    auto new_items = [&](const std::vector<std::string>& items, const char* field,
                         const char* check, const char* what) {
      std::vector<std::string> old = base.value(field, std::vector<std::string>{});
      std::set<std::string> known(old.begin(), old.end());
      for (const auto& s : items) {
        if (known.count(s)) continue;
        Finding f{check,
                  target.name,
                  s,
                  Severity::kHigh,
                  std::string("new ") + what + " " + s + " on " + c.url,
                  {}};
        f.evidence = {{"url", c.url}, {"src", s}, {"host", UrlHost(s)}, {"baseline", old}};
        out.push_back(std::move(f));
        changed = true;
      }
    };
    new_items(now.scripts, "scripts", "content_new_script", "external script");
    new_items(now.iframes, "iframes", "content_new_iframe", "iframe");
    if (!changed && ts >= c.roll_similarity && ss >= c.roll_similarity && (ts < 1.0 || ss < 1.0)) {
      base["text"] = now.text;
      base["structure"] = now.structure;
      base["excerpt"] = Excerpt(now.facts.text, 300);
      GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, key, base.dump(), clock_.Now()));
    }
  }

  // Dark links: hidden links to other hosts (same-site hidden links are skip-navigation).
  std::map<std::string, nlohmann::json> dark;
  std::map<std::string, bool> dark_spam;
  for (const auto& l : now.facts.links) {
    if (l.hidden_reason.empty() || l.host.empty() || l.host == page_host) continue;
    auto& j = dark[l.host];
    if (j.size() < 20)
      j.push_back({{"href", l.href}, {"text", Excerpt(l.text, 80)}, {"hidden", l.hidden_reason}});
    dark_spam[l.host] = dark_spam[l.host] || SpamUrl(l.href) || !FindKeywords(l.text).empty();
  }
  for (auto& [host, links] : dark) {
    Finding f{"content_dark_link",
              target.name,
              host,
              dark_spam[host] ? Severity::kCritical : Severity::kHigh,
              "hidden link(s) to " + host + " on " + c.url + " (" +
                  links[0]["hidden"].get<std::string>() + ")",
              {}};
    f.evidence = {{"url", c.url}, {"links", links}, {"spam", dark_spam[host]}};
    out.push_back(std::move(f));
  }
  std::map<std::string, std::vector<std::string>> js;
  for (const auto& href : now.facts.js_links) {
    std::string h = UrlHost(href);
    if (!h.empty() && h != page_host && js[h].size() < 20) js[h].push_back(href);
  }
  for (auto& [host, hrefs] : js) {
    bool spam =
        std::any_of(hrefs.begin(), hrefs.end(), [](const std::string& u) { return SpamUrl(u); });
    Finding f{"content_js_link",
              target.name,
              host,
              spam ? Severity::kCritical : Severity::kHigh,
              "inline script writes link(s) to " + host + " into " + c.url,
              {}};
    f.evidence = {{"url", c.url}, {"hrefs", hrefs}, {"spam", spam}};
    out.push_back(std::move(f));
  }

  // Cloaking: what crawlers and search visitors get against what a browser gets now.
  size_t next = 1;
  if (c.cloaking) {
    std::vector<std::pair<std::string, std::string>> variants;  // subject, label
    for (const auto& ua : c.crawler_agents)
      variants.emplace_back("ua:" + AgentLabel(ua), AgentLabel(ua));
    variants.emplace_back("referer", "visitor from " + UrlHost(c.search_referer));
    for (const auto& [subject, label] : variants) {
      if (next >= results.size()) break;
      const FetchResult& r = results[next++];
      if (!r.Ok()) continue;  // transient failures are availability's business
      // The same bytes from the same URL as the browser got: the same view, similarity 1 and
      // no other host, so no finding; skip parsing it again.
      if (r.body == main.body && r.effective_url == main.effective_url &&
          r.content_type == main.content_type)
        continue;
      auto v = View(r, c.url);
      if (!v.ok()) continue;
      double sim = Similarity(v->text, now.text);
      std::string vhost = UrlHost(r.effective_url);
      bool redirected = !vhost.empty() && vhost != page_host;
      if (sim >= c.cloaking_similarity && !redirected) continue;
      Finding f{"content_cloaking",
                target.name,
                c.url + "@" + subject,
                Severity::kCritical,
                label + " is served different content than a browser (similarity " +
                    std::to_string(sim).substr(0, 4) + ")",
                {}};
      f.evidence = {{"url", c.url},
                    {"variant", subject},
                    {"similarity", sim},
                    {"effective_url", r.effective_url},
                    {"excerpt", Excerpt(v->facts.text, 300)},
                    {"browser_excerpt", Excerpt(now.facts.text, 300)},
                    {"keywords", HitsJson(v->keywords)}};
      out.push_back(std::move(f));
    }
  }

  // Freshness (national rule: the home page must show content updated within 14 days).
  if (c.freshness_days > 0) {
    std::vector<int64_t> dates = now.facts.dates;
    std::string where = c.url;
    if (!c.freshness_url.empty() && c.freshness_url != c.url) {
      dates.clear();
      where = c.freshness_url;
      if (next < results.size() && results[next].Ok()) {
        auto v =
            ExtractPage(results[next].body, c.freshness_url, Charset(results[next].content_type));
        if (v.ok()) dates = v->dates;
      }
    }
    const int64_t today = clock_.Now() / kNanosPerDay;
    int64_t newest = INT64_MIN;
    for (int64_t d : dates)
      if (d <= today + 1) newest = std::max(newest, d);
    if (newest != INT64_MIN && today - newest > c.freshness_days) {
      Finding f{"content_stale",
                target.name,
                where,
                Severity::kMedium,
                "newest date on " + where + " is " + FormatDay(newest) + ", " +
                    std::to_string(today - newest) + " days ago (limit " +
                    std::to_string(c.freshness_days) + ")",
                {}};
      f.evidence = {{"url", where},
                    {"newest", FormatDay(newest)},
                    {"age_days", today - newest},
                    {"limit_days", c.freshness_days}};
      out.push_back(std::move(f));
    }
  }
  return out;
}

Result<int> ContentCheck::Accept(const TargetConfig& target) {
  const ContentTargetConfig& c = target.content;
  if (!c.enabled) return 0;
  FetchResult r = FetchOne(Requests(target)[0]);
  if (!r.Ok())
    return UnavailableError("cannot accept content of " + target.name + ": " +
                            (r.transport_ok ? "HTTP " + std::to_string(r.http_status) : r.error));
  auto v = View(r, c.url);
  if (!v.ok()) return v.status().WithContext("cannot accept content of " + target.name);
  GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, "page|" + c.url,
                                         BaselineJson(*v).dump(), clock_.Now()));
  return 1;
}

}  // namespace gs::monitor
