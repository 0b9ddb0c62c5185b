// Drives gs::waf::Transaction with the same call sequence as waf::RunExchange, but keeps the
// transaction to read the logged rules and TX variables the suites judge.
#include "waf/conformance/engine_waf.h"

namespace gs::waf::conformance {
namespace {

class EngineWaf : public WafUnderTest {
 public:
  explicit EngineWaf(EngineOptions options) : options_(options) {}
  std::string name() const override { return "govshield"; }

  Status Load(std::string_view seclang, std::string_view base_dir) override {
    engine_.reset();
    CompileOptions co;
    co.base_dir = std::string(base_dir);
    CompileReport report = CompileString(seclang, "conformance.conf", co);
    if (!report.ok()) return report.ToStatus();
    engine_ = std::make_unique<Engine>(report.rules, options_);
    return Status::Ok();
  }

  Evaluation Evaluate(const Exchange& ex, const std::vector<std::string>& tx_names,
                      bool stop_at_disruption) override {
    Evaluation ev;
    if (!engine_) return ev;
    std::unique_ptr<Transaction> t = engine_->NewTransaction();
    bool stopped = false;
    int harness_status = 200;
    auto check = [&](bool pending, int phase) {
      const Intervention& it = t->intervention();
      if (!pending) return;
      if (it.kind != Intervention::Kind::kNone && it.kind != Intervention::Kind::kAllow) {
        harness_status = it.status;
      }
      if (!it.url.empty()) ev.outcome.redirect_url = it.url;
      if (it.disruptive() && !ev.outcome.disruptive) {
        ev.outcome.disruptive = true;
        ev.outcome.status = it.status;
        ev.outcome.deciding_rule_id = it.rule_id;
        ev.outcome.decided_in_phase = it.phase ? it.phase : phase;
        stopped = stop_at_disruption;
      }
    };
    t->ProcessConnection(ex.client_ip, ex.client_port, ex.server_ip, ex.server_port);
    t->ProcessUri(ex.uri, ex.method, ex.http_version);
    for (const auto& [k, v] : ex.request_headers) t->AddRequestHeader(k, v);
    check(t->ProcessRequestHeaders(), 1);
    if (!stopped) {
      if (!ex.request_body.empty()) t->AppendRequestBody(ex.request_body);
      check(t->ProcessRequestBody(), 2);
    }
    bool response_side = stop_at_disruption ? (!stopped && ex.response_status != 0) : true;
    if (response_side) {
      for (const auto& [k, v] : ex.response_headers) t->AddResponseHeader(k, v);
      int status = stop_at_disruption ? ex.response_status : harness_status;
      check(t->ProcessResponseHeaders(status, ex.response_protocol), 3);
      if (!stopped) {
        if (!ex.response_body.empty()) t->AppendResponseBody(ex.response_body);
        check(t->ProcessResponseBody(), 4);
      }
    }
    t->ProcessLogging();
    if (!stop_at_disruption) {
      ev.outcome.status = harness_status;
    } else if (!ev.outcome.disruptive) {
      ev.outcome.status = ex.response_status != 0 ? ex.response_status : 200;
    }
    for (const MatchedRule& m : t->matched_rules()) {
      if (m.log || m.disruptive) {
        ev.logged_ids.push_back(m.id);
        ev.outcome.log_lines.push_back(m.ModsecLogLine());
      }
    }
    ev.error_log_lines = static_cast<int>(ev.logged_ids.size());
    if (!t->intervention().log.empty()) ++ev.error_log_lines;
    ev.matched_ids = t->matched_rule_ids();
    ev.outcome.matched_rule_ids = ev.matched_ids;
    for (const std::string& name : tx_names) {
      std::string v;
      if (t->GetTxVariable(name, &v)) ev.tx[name] = v;
    }
    return ev;
  }

 private:
  EngineOptions options_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace

std::unique_ptr<WafUnderTest> NewEngineWaf(EngineOptions options) {
  return std::make_unique<EngineWaf>(options);
}

}  // namespace gs::waf::conformance
