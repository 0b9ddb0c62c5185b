// Finding titles in Chinese and English (see report.h).
#include "monitor/report.h"

#include <array>
#include <cstdio>

namespace gs::monitor {
namespace {

struct Title {
  std::string_view check, zh, en;
};

constexpr Title kTitles[] = {
    {"availability_veto", "网站可用性不达标（单项否决）",
     "availability below the national veto line"},
    {"availability_warning", "网站可用性预警", "availability early warning"},
    {"content_defaced", "网页疑似被篡改", "page defaced"},
    {"content_structure_changed", "网页结构异常变化", "page structure changed"},
    {"content_keywords", "网页出现敏感关键词（赌博/色情/诈骗/黑页）",
     "spam or defacement keywords"},
    {"content_new_script", "网页新增外部脚本（疑似挂马）", "new external script (possible 挂马)"},
    {"content_new_iframe", "网页新增框架（疑似挂马）", "new iframe (possible 挂马)"},
    {"content_dark_link", "网页存在暗链", "hidden (dark) link"},
    {"content_js_link", "脚本写入的外部链接", "script-written external link"},
    {"content_cloaking", "搜索引擎劫持（对爬虫/搜索来访者展示不同内容）",
     "cloaking for crawlers or search visitors"},
    {"content_stale", "首页内容长期未更新", "home page not updated"},
    {"content_unreachable", "内容检测无法获取页面", "content page not reachable"},
    {"dns_hijack", "域名解析被劫持", "DNS hijack at a resolver"},
    {"dns_auth_changed", "权威解析记录变化", "authoritative answer changed"},
    {"dns_unreachable", "权威DNS无应答", "DNS servers not answering"},
    {"dnssec_bogus", "DNSSEC验证失败（伪造签名）", "DNSSEC bogus"},
    {"dnssec_insecure", "域名未启用DNSSEC", "DNSSEC missing"},
    {"dns_resolver_error", "递归解析器无可用应答", "resolver gave no usable answer"},
    {"dnssec_error", "DNSSEC验证无法执行", "DNSSEC validation unavailable"},
    {"dns_wildcard", "域名存在泛解析", "wildcard records"},
    {"dns_nxdomain_rewrite", "解析器篡改不存在域名的应答", "NXDOMAIN rewriting"},
    {"dns_ds_changed", "上级域DS记录变化", "DS at the parent changed"},
    {"dns_ns_changed", "域名NS记录变化", "zone NS set changed"},
    {"dns_soa_changed", "域名SOA记录异常变化", "zone SOA changed"},
    {"tls_handshake_failed", "TLS握手失败", "TLS handshake failed"},
    {"tls_legacy_protocol", "支持过时的TLS协议版本", "legacy TLS protocol offered"},
    {"tls_no_modern_protocol", "不支持TLS 1.2/1.3", "no modern TLS protocol"},
    {"tls_weak_cipher", "支持弱加密套件", "weak cipher accepted"},
    {"tls_chain_invalid", "证书链无效", "certificate chain invalid"},
    {"tls_hostname_mismatch", "证书域名不匹配", "certificate host name mismatch"},
    {"tls_cert_expired", "证书已过期", "certificate expired"},
    {"tls_cert_expiring", "证书即将过期", "certificate expiring"},
    {"tls_hsts_missing", "未启用HSTS", "HSTS missing"},
    {"http_no_https_redirect", "HTTP未跳转HTTPS", "no HTTP to HTTPS redirect"},
    {"tls_cert_changed", "证书发生变化", "certificate changed"},
    {"https_fetch_failed", "HTTPS页面获取失败", "HTTPS fetch failed"},
};

}  // namespace

Result<Language> ParseLanguage(std::string_view s) {
  if (s == "zh" || s == "zh-CN" || s == "zh_CN") return Language::kZh;
  if (s == "en") return Language::kEn;
  return InvalidArgumentError("unknown language \"" + std::string(s) + "\" (expected zh or en)");
}

std::string_view SeverityLabel(Severity s, Language lang) {
  if (lang == Language::kEn) return SeverityName(s);
  static constexpr std::array<std::string_view, 5> kZh = {"提示", "低", "中", "高", "严重"};
  return kZh[static_cast<size_t>(s)];
}

std::string_view FindingTitle(std::string_view check, Language lang) {
  for (const auto& t : kTitles)
    if (t.check == check) return lang == Language::kZh ? t.zh : t.en;
  return check;
}

std::string FormatFinding(const Finding& f, Language lang) {
  if (lang == Language::kEn)
    return std::string(SeverityName(f.severity)) + " " + f.check + " " + f.target + " " +
           f.subject + ": " + f.summary;
  return "[" + std::string(SeverityLabel(f.severity, lang)) + "] " +
         std::string(FindingTitle(f.check, lang)) + " " + f.check + " 目标 " + f.target + "：" +
         f.subject;
}

std::string FormatRoundSummary(size_t targets, const std::vector<Finding>& findings, double seconds,
                               Language lang) {
  int by[5] = {0, 0, 0, 0, 0};
  for (const auto& f : findings) ++by[static_cast<int>(f.severity)];
  char buf[256];
  if (lang == Language::kZh) {
    std::snprintf(buf, sizeof buf,
                  "本轮检测 %zu 个目标，发现 %zu 项问题（严重 %d，高 %d，中 %d，低 %d，提示 %d），"
                  "用时 %.2f 秒",
                  targets, findings.size(), by[4], by[3], by[2], by[1], by[0], seconds);
  } else {
    std::snprintf(buf, sizeof buf,
                  "round: %zu targets, %zu findings (critical %d, high %d, medium %d, low %d, "
                  "info %d), %.2f s",
                  targets, findings.size(), by[4], by[3], by[2], by[1], by[0], seconds);
  }
  return buf;
}

}  // namespace gs::monitor
