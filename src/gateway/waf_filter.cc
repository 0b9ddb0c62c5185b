// The WAF filter: one gs::waf::Transaction per request, driven in libmodsecurity's call order.
// A disruptive intervention becomes the bilingual block page (deny), a redirect, or a dropped
// connection, plus a "block" audit event carrying the engine's own audit JSON. A request that
// matched logging rules without being blocked (DetectionOnly, scores under the threshold, rules
// that only log) gets a "waf_match" event once phase 5 has run: the ids of the rules that wrote
// an error-log line, as ModSecurity's error log lists them. Both events carry `rule_ids` and the
// client port, so a client can correlate its connection with what the WAF saw.
#include <string>

#include "gateway/builtin_filters.h"
#include "waf/waf.h"

namespace gs::gateway {
namespace {

class WafFilter final : public Filter {
 public:
  explicit WafFilter(waf::Engine* engine) : engine_(engine) {}

  FilterStatus OnRequestHeaders(RequestContext& ctx) override {
    tx_ = engine_->NewTransaction(ctx.request_id);
    const ConnectionInfo& c = *ctx.connection;
    tx_->ProcessConnection(c.client_ip, c.client_port, c.server_ip, c.server_port);
    tx_->ProcessUri(ctx.request.target, ctx.request.method,
                    ctx.request.version_minor == 0 ? "1.0" : "1.1");
    for (const auto& [n, v] : ctx.request.headers.fields()) tx_->AddRequestHeader(n, v);
    if (tx_->ProcessRequestHeaders()) return Decide(ctx);
    if (!ctx.request.has_body) {
      if (tx_->ProcessRequestBody()) return Decide(ctx);
    }
    return FilterStatus::kContinue;
  }

  FilterStatus OnRequestBody(RequestContext& ctx, std::string_view data,
                             bool end_of_inspection) override {
    if (!tx_) return FilterStatus::kContinue;
    if (!data.empty()) tx_->AppendRequestBody(data);
    if (end_of_inspection && tx_->ProcessRequestBody()) return Decide(ctx);
    return FilterStatus::kContinue;
  }

  FilterStatus OnResponseHeaders(RequestContext& ctx) override {
    if (!tx_ || ctx.response.local) return FilterStatus::kContinue;
    for (const auto& [n, v] : ctx.response.headers.fields()) tx_->AddResponseHeader(n, v);
    if (tx_->ProcessResponseHeaders(ctx.response.status, "HTTP/1.1")) return Decide(ctx);
    return FilterStatus::kContinue;
  }

  FilterStatus OnResponseBody(RequestContext& ctx, std::string_view data,
                              bool end_of_stream) override {
    if (!tx_ || ctx.response.local || decided_) return FilterStatus::kContinue;
    if (!data.empty()) tx_->AppendResponseBody(data);
    // The head is already on the wire: a phase-4 decision is logged, and the connection is
    // closed so the client does not take a truncated body as complete.
    if (end_of_stream && tx_->ProcessResponseBody()) return Decide(ctx);
    return FilterStatus::kContinue;
  }

  void OnLog(const RequestContext& ctx) override {
    if (!tx_) return;
    tx_->ProcessLogging();
    if (decided_) return;  // the block event already lists the rules
    std::string ids = LoggedRuleIds();
    if (ids == "[]") return;
    ctx.Event("waf_match", "\"rule_ids\":" + ids +
                               ",\"client_port\":" + std::to_string(ctx.connection->client_port) +
                               ",\"waf\":" + tx_->AuditJson());
  }

 private:
  FilterStatus Decide(RequestContext& ctx) {
    const waf::Intervention& iv = tx_->intervention();
    if (!iv.disruptive()) return FilterStatus::kContinue;
    decided_ = true;
    std::string reason = "rule " + std::to_string(iv.rule_id);
    int status = iv.status >= 400 && iv.status < 600 ? iv.status : 403;
    SetBlockResponse(ctx, status, "waf", reason, "您的请求被网站应用防火墙拦截。",
                     "Your request was blocked by the web application firewall.");
    if (iv.kind == waf::Intervention::Kind::kRedirect && !iv.url.empty()) {
      ctx.local_response.status = iv.status >= 300 && iv.status < 400 ? iv.status : 302;
      ctx.local_response.body.clear();
      ctx.local_response.headers.Set("Location", iv.url);
    }
    if (iv.kind == waf::Intervention::Kind::kDrop) ctx.local_response.close_connection = true;
    std::string fields = "\"rule_id\":" + std::to_string(iv.rule_id) +
                         ",\"phase\":" + std::to_string(iv.phase) +
                         ",\"status\":" + std::to_string(ctx.local_response.status) +
                         ",\"rule_ids\":" + LoggedRuleIds() +
                         ",\"client_port\":" + std::to_string(ctx.connection->client_port) +
                         ",\"waf\":" + tx_->AuditJson();
    ctx.Event("block", std::move(fields));
    return FilterStatus::kStopWithResponse;
  }

  // JSON array of the ids of the matched rules that log (or disrupt), in match order.
  std::string LoggedRuleIds() const {
    std::string out = "[";
    for (const waf::MatchedRule& m : tx_->matched_rules()) {
      if (!m.log && !m.disruptive) continue;
      if (out.size() > 1) out += ',';
      out += std::to_string(m.id);
    }
    out += ']';
    return out;
  }

  waf::Engine* engine_;
  std::unique_ptr<waf::Transaction> tx_;
  bool decided_ = false;
};

class WafFactory final : public FilterFactory {
 public:
  explicit WafFactory(std::shared_ptr<const waf::CompiledRules> rules)
      : engine_(std::make_unique<waf::Engine>(std::move(rules))) {}
  std::string_view name() const override { return "waf"; }
  std::unique_ptr<Filter> Create() const override {
    return std::make_unique<WafFilter>(engine_.get());
  }

 private:
  std::unique_ptr<waf::Engine> engine_;
};

}  // namespace

bool HaveWafEngine() { return true; }

Result<std::shared_ptr<FilterFactory>> MakeWafFactory(const std::vector<std::string>& rule_files) {
  waf::CompileReport report = waf::CompileFiles(rule_files);
  if (!report.ok()) return report.ToStatus();
  return std::shared_ptr<FilterFactory>(std::make_shared<WafFactory>(report.rules));
}

}  // namespace gs::gateway
