// Block page rendering and incident ids.
#include "gateway/policy/block_page.h"

#include <sys/random.h>

#include <cstdio>
#include <ctime>

namespace gs::gateway::policy {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

uint64_t SplitMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Only characters an id we generated can contain; anything else is dropped, so even a caller
// passing foreign text cannot inject markup or header bytes.
std::string SafeId(std::string_view id) {
  std::string out;
  for (char c : id.substr(0, 64)) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
      out.push_back(c);
    }
  }
  return out;
}

std::string BeijingTime(UnixNanos now) {
  time_t t = static_cast<time_t>(now / kNanosPerSecond) + 8 * 3600;
  tm parts{};
  gmtime_r(&t, &parts);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec);
  return buf;
}

}  // namespace

IncidentIdGenerator::IncidentIdGenerator() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), 0) != static_cast<ssize_t>(sizeof(seed))) {
    seed = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(this)) ^
           static_cast<uint64_t>(time(nullptr));
  }
  seed_ = seed;
}

std::string IncidentIdGenerator::Next(UnixNanos now) {
  uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
  uint64_t rnd = SplitMix(seed_ ^ SplitMix(n));
  uint64_t tail = ((n & 0xFFFF) << 32) | (rnd & 0xFFFFFFFF);
  time_t t = static_cast<time_t>(now / kNanosPerSecond);
  tm parts{};
  gmtime_r(&t, &parts);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02dT%02d%02d%02d%03dZ-%012llx", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>((now % kNanosPerSecond) / kNanosPerMilli),
                static_cast<unsigned long long>(tail));
  return buf;
}

BlockResponse RenderBlockPage(BlockKind kind, std::string_view incident_id, UnixNanos now,
                              const BlockPageOptions& options, int64_t retry_after_ns) {
  BlockResponse r;
  const char* zh_title;
  const char* en_title;
  const char* zh_text;
  const char* en_text;
  switch (kind) {
    case BlockKind::kAccessDenied:
      r.status = 403;
      zh_title = "访问被拒绝";
      en_title = "Access denied";
      zh_text = "根据本网站的访问控制规定，您当前的网络位置或身份无权访问此页面。";
      en_text =
          "Under this site's access-control rules, your network location or identity is "
          "not permitted to access this page.";
      break;
    case BlockKind::kRateLimited:
      r.status = 429;
      zh_title = "访问过于频繁";
      en_title = "Too many requests";
      zh_text = "您的访问频率超过了本网站的限制，请稍后再试。";
      en_text = "You have sent too many requests. Please wait a moment and try again.";
      break;
    case BlockKind::kBanned:
    default:
      r.status = 429;
      zh_title = "访问已被暂时限制";
      en_title = "Access temporarily restricted";
      zh_text = "由于异常的访问行为，您的地址已被暂时限制访问，限制将自动解除。";
      en_text =
          "Because of unusual traffic, your address is temporarily restricted. The "
          "restriction will be lifted automatically.";
      break;
  }
  std::string id = SafeId(incident_id);
  std::string site = HtmlEscape(options.site_name);
  std::string contact = HtmlEscape(options.contact);
  std::string& b = r.body;
  b.reserve(2048);
  b += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  b += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  b += zh_title;
  b += " / ";
  b += en_title;
  if (!site.empty()) b += " - " + site;
  b += "</title>\n<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em;"
       "color:#222}h1{color:#b00}code{background:#eee;padding:.1em .3em}"
       "section{margin-bottom:2em}</style>\n</head>\n<body>\n";
  b += "<section lang=\"zh-CN\">\n<h1>";
  b += zh_title;
  b += "</h1>\n<p>";
  b += zh_text;
  b += "</p>\n<p>事件编号：<code>" + id + "</code></p>\n";
  b += "<p>时间（北京时间）：" + BeijingTime(now) + "</p>\n";
  b += "<p>如需帮助，请联系网站管理员并提供以上事件编号。";
  if (!contact.empty()) b += "联系方式：" + contact;
  b += "</p>\n</section>\n<section lang=\"en\">\n<h1>";
  b += en_title;
  b += "</h1>\n<p>";
  b += en_text;
  b += "</p>\n<p>Incident ID: <code>" + id + "</code></p>\n";
  b += "<p>Time (UTC): " + FormatRfc3339(now - now % kNanosPerSecond) + "</p>\n";
  b += "<p>If you need help, contact the site administrator and quote the incident ID.";
  if (!contact.empty()) b += " Contact: " + contact;
  b += "</p>\n</section>\n</body>\n</html>\n";

  r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'");
  r.headers.emplace_back("X-GovShield-Incident", id);
  if (retry_after_ns > 0) {
    int64_t secs = (retry_after_ns + kNanosPerSecond - 1) / kNanosPerSecond;
    r.headers.emplace_back("Retry-After", std::to_string(secs));
  }
  return r;
}

}  // namespace gs::gateway::policy
