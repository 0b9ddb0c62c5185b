// Filters the gateway itself provides: security response headers, the WAF (when this build has
// the engine), and the bilingual block page every refusal uses.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "gateway/filter.h"
#include "gateway/runtime.h"

namespace gs::gateway {

// Adds HSTS (TLS connections only), X-Content-Type-Options, X-Frame-Options, Referrer-Policy and
// a default Content-Security-Policy to every response that does not set them itself.
std::shared_ptr<FilterFactory> MakeSecurityHeadersFactory(const SecurityHeadersSpec& spec);

// A bilingual (Chinese/English) HTML block page naming the incident id, for `status`.
// `reason_zh`/`reason_en` are short human explanations; all inputs are HTML-escaped.
std::string BlockPageHtml(int status, std::string_view incident_id, std::string_view reason_zh,
                          std::string_view reason_en);

// Fills ctx.local_response with a block page and sets blocked_by/block_reason.
void SetBlockResponse(RequestContext& ctx, int status, std::string_view blocked_by,
                      std::string_view reason, std::string_view reason_zh,
                      std::string_view reason_en);

// True when this build links the WAF engine (src/waf).
bool HaveWafEngine();

// Compiles `rule_files` (files/globs, in order) and returns the WAF filter factory.
// INVALID_ARGUMENT with every compile error; UNIMPLEMENTED when the build has no engine.
Result<std::shared_ptr<FilterFactory>> MakeWafFactory(const std::vector<std::string>& rule_files);

// Minimal JSON string escaping (with quotes) for audit records.
std::string JsonString(std::string_view s);

}  // namespace gs::gateway
