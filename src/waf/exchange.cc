// RunExchange: the one way every harness (conformance, differential, benchmarks, `waf eval`)
// drives a Transaction through an Exchange, stopping the request side at the first disruptive
// intervention as a server would. Phase 5 always runs.
#include "waf/exchange.h"

#include "waf/waf.h"

namespace gs::waf {

Outcome RunExchange(Engine& engine, const Exchange& ex) {
  std::unique_ptr<Transaction> t = engine.NewTransaction();
  t->ProcessConnection(ex.client_ip, ex.client_port, ex.server_ip, ex.server_port);
  t->ProcessUri(ex.uri, ex.method, ex.http_version);
  for (const auto& [name, value] : ex.request_headers) t->AddRequestHeader(name, value);
  bool stop = t->ProcessRequestHeaders();
  if (!stop) {
    if (!ex.request_body.empty()) t->AppendRequestBody(ex.request_body);
    stop = t->intervention().disruptive();
    if (!stop) stop = t->ProcessRequestBody();
  }
  if (!stop && ex.response_status != 0) {
    for (const auto& [name, value] : ex.response_headers) t->AddResponseHeader(name, value);
    stop = t->ProcessResponseHeaders(ex.response_status, ex.response_protocol);
    if (!stop) {
      if (!ex.response_body.empty()) t->AppendResponseBody(ex.response_body);
      stop = t->intervention().disruptive();
      if (!stop) t->ProcessResponseBody();
    }
  }
  t->ProcessLogging();

  Outcome out;
  const Intervention& it = t->intervention();
  out.disruptive = it.disruptive();
  out.status = it.disruptive() ? it.status : (ex.response_status != 0 ? ex.response_status : 200);
  out.redirect_url = it.url;
  out.deciding_rule_id = it.disruptive() ? it.rule_id : 0;
  out.decided_in_phase = it.disruptive() ? it.phase : 0;
  out.matched_rule_ids = t->matched_rule_ids();
  for (const MatchedRule& m : t->matched_rules()) {
    if (m.log || m.disruptive) out.log_lines.push_back(m.ModsecLogLine());
  }
  return out;
}

}  // namespace gs::waf
