// Descriptor and configuration schema of the content check (defacement, 挂马, 暗链, cloaking,
// freshness).
#include "monitor/check.h"

namespace gs::monitor {
namespace {

constexpr std::string_view kFindings[] = {
    "content_defaced",    "content_structure_changed", "content_keywords", "content_new_script",
    "content_new_iframe", "content_dark_link",         "content_js_link",  "content_cloaking",
    "content_stale",      "content_unreachable"};

constexpr ConfigField kTargetSchema[] = {
    {"url", FieldType::kString, "", "page whose content is baselined (http:// or https://)"},
    {"connect", FieldType::kString, "", "address to connect to instead of resolving the host"},
    {"timeout", FieldType::kDuration, "15s", "whole fetch timeout"},
    {"text_similarity", FieldType::kRatio, "0.5", "visible-text similarity below → defaced"},
    {"structure_similarity", FieldType::kRatio, "0.4", "DOM similarity below → structure changed"},
    {"roll_similarity", FieldType::kRatio, "0.85", "similarity at which the baseline follows"},
    {"cloaking", FieldType::kBool, "true", "compare crawler and search-visitor views"},
    {"crawler_agents", FieldType::kStringList, "[Baiduspider/2.0]", "crawler User-Agent strings"},
    {"search_referer", FieldType::kString, "https://www.baidu.com/s?wd=...",
     "Referer of the search-visitor view"},
    {"cloaking_similarity", FieldType::kRatio, "0.6",
     "crawler/browser similarity below → cloaking"},
    {"freshness_days", FieldType::kInt, "14", "newest date older than this → stale (0 = off)"},
    {"freshness_url", FieldType::kString, "", "page carrying the news dates (default: url)"},
};

}  // namespace

const CheckDescriptor& ContentDescriptor() {
  static const CheckDescriptor kDescriptor{
      "content",
      "content",
      "Home page content against its baseline: defacement (text/DOM similarity, keyword lists), "
      "new external scripts and iframes (挂马), hidden links (暗链), script-written links, "
      "cloaking for Baiduspider and search visitors, freshness (newest date <= 14 days).",
      kFindings,
      kTargetSchema,
      {}};
  return kDescriptor;
}

}  // namespace gs::monitor
