// Security headers filter and the block page (builtin_filters.h). The WAF filter lives in
// waf_filter.cc, compiled only when the engine library exists.
#include "gateway/builtin_filters.h"

#include <cstdio>

#include "core/utf8.h"

namespace gs::gateway {
namespace {

class SecurityHeadersFilter final : public Filter {
 public:
  explicit SecurityHeadersFilter(const SecurityHeadersSpec* spec) : spec_(spec) {}
  FilterStatus OnResponseHeaders(RequestContext& ctx) override {
    HeaderList& h = ctx.response.headers;
    if (ctx.connection->tls && !spec_->hsts.empty() && !h.Has("Strict-Transport-Security"))
      h.Add("Strict-Transport-Security", spec_->hsts);
    if (!spec_->content_type_options.empty() && !h.Has("X-Content-Type-Options"))
      h.Add("X-Content-Type-Options", spec_->content_type_options);
    if (!spec_->frame_options.empty() && !h.Has("X-Frame-Options"))
      h.Add("X-Frame-Options", spec_->frame_options);
    if (!spec_->referrer_policy.empty() && !h.Has("Referrer-Policy"))
      h.Add("Referrer-Policy", spec_->referrer_policy);
    if (!spec_->csp.empty() && !h.Has("Content-Security-Policy"))
      h.Add("Content-Security-Policy", spec_->csp);
    return FilterStatus::kContinue;
  }

 private:
  const SecurityHeadersSpec* spec_;
};

class SecurityHeadersFactory final : public FilterFactory {
 public:
  explicit SecurityHeadersFactory(SecurityHeadersSpec spec) : spec_(std::move(spec)) {}
  std::string_view name() const override { return "security_headers"; }
  std::unique_ptr<Filter> Create() const override {
    return std::make_unique<SecurityHeadersFilter>(&spec_);
  }

 private:
  SecurityHeadersSpec spec_;
};

void HtmlEscape(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '&':
        *out += "&amp;";
        break;
      case '"':
        *out += "&quot;";
        break;
      case '\'':
        *out += "&#39;";
        break;
      default:
        *out += c;
    }
  }
}

}  // namespace

std::shared_ptr<FilterFactory> MakeSecurityHeadersFactory(const SecurityHeadersSpec& spec) {
  return std::make_shared<SecurityHeadersFactory>(spec);
}

std::string BlockPageHtml(int status, std::string_view incident_id, std::string_view reason_zh,
                          std::string_view reason_en) {
  std::string s;
  s.reserve(1200);
  s += "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
       "<title>访问被拒绝 Access denied</title></head><body>\n<h1>访问被拒绝 / Access denied (";
  s += std::to_string(status);
  s += ")</h1>\n<p>";
  HtmlEscape(reason_zh, &s);
  s += "</p>\n<p>";
  HtmlEscape(reason_en, &s);
  s += "</p>\n<p>事件编号 Incident ID: <code>";
  HtmlEscape(incident_id, &s);
  s += "</code></p>\n<p>如您认为这是误判，请将事件编号提供给网站管理员。<br>"
       "If you believe this is a mistake, give the incident ID to the site administrator.</p>\n"
       "<hr><p>GovShield 政盾</p></body></html>\n";
  return s;
}

void SetBlockResponse(RequestContext& ctx, int status, std::string_view blocked_by,
                      std::string_view reason, std::string_view reason_zh,
                      std::string_view reason_en) {
  ctx.local_response.status = status;
  ctx.local_response.content_type = "text/html; charset=utf-8";
  ctx.local_response.body = BlockPageHtml(status, ctx.request_id, reason_zh, reason_en);
  ctx.blocked_by = std::string(blocked_by);
  ctx.block_reason = std::string(reason);
}

std::string JsonString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  const bool utf8 = IsValidUtf8(s);
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else if (c >= 0x80 && !utf8) {
          // Invalid UTF-8 would make the record invalid JSON for the store: escape each
          // non-ASCII byte as \u00XX (the reader can still tell which bytes were sent).
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace gs::gateway
