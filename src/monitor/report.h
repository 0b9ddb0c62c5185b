// Human-readable reports of findings for `govshield monitor`: Simplified Chinese by default
// (the operators are Chinese government web teams), English on request. The machine form
// (--json, the audit log, webhooks) is language-neutral and unchanged by this.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "monitor/finding.h"

namespace gs::monitor {

enum class Language { kZh, kEn };

// "zh" / "zh-CN" / "en"; INVALID_ARGUMENT otherwise.
Result<Language> ParseLanguage(std::string_view s);

// 严重/高/中/低/提示 or critical/high/...
std::string_view SeverityLabel(Severity s, Language lang);

// The finding kind's title: "域名解析被劫持" for dns_hijack in Chinese, the summary-like English
// title otherwise. Unknown check names return themselves.
std::string_view FindingTitle(std::string_view check, Language lang);

// One line for a finding (no newline):
//   zh: "[严重] 域名解析被劫持 dns_hijack 目标 portal：www.example.gov.cn/A@127.0.0.1:53"
//   en: "critical dns_hijack portal www.example.gov.cn/A@...: <summary>"
std::string FormatFinding(const Finding& f, Language lang);

// The round summary line: targets, findings per severity, seconds.
std::string FormatRoundSummary(size_t targets, const std::vector<Finding>& findings, double seconds,
                               Language lang);

}  // namespace gs::monitor
