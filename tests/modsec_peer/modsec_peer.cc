// libmodsecurity3 adapter: loads SecLang into a RulesSet, adds a match recorder to every rule,
// and replays Exchanges through modsecurity::Transaction (see modsec_peer.h for why and how).
#include "tests/modsec_peer/modsec_peer.h"

#include <modsecurity/actions/action.h>
#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rule_with_actions.h>
#include <modsecurity/rules.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_set>

namespace gs::modsec_peer {
namespace {

// ModSecurity keeps a rule's run-time actions in a private member. Naming a private member in
// an explicit template instantiation is allowed ([temp.spec]/6), which gives a pointer-to-member
// without redefining access keywords.
struct RuntimeActionsTag {
  using type = modsecurity::MatchActions modsecurity::RuleWithActions::*;
  friend type Get(RuntimeActionsTag);
};
template <typename Tag, typename Tag::type kMember>
struct Rob {
  friend typename Tag::type Get(Tag) { return kMember; }
};
template struct Rob<RuntimeActionsTag, &modsecurity::RuleWithActions::m_actionsRuntimePos>;

modsecurity::MatchActions& RuntimeActions(modsecurity::RuleWithActions* rule) {
  return rule->*Get(RuntimeActionsTag{});
}

// Where the recorder of the transaction running on this thread appends matched rule ids.
thread_local std::vector<int64_t>* tl_matched = nullptr;

// A run-time-if-match action: ModSecurity runs it once per full match of the rule it is
// attached to. It changes nothing in the transaction.
class MatchRecorder : public modsecurity::actions::Action {
 public:
  MatchRecorder() : Action("gs_match_recorder", RunTimeOnlyIfMatchKind) {}
  bool evaluate(modsecurity::RuleWithActions* rule, modsecurity::Transaction*) override {
    if (tl_matched != nullptr) tl_matched->push_back(rule->m_ruleId);
    return true;
  }
  bool evaluate(modsecurity::RuleWithActions* rule, modsecurity::Transaction* transaction,
                std::shared_ptr<modsecurity::RuleMessage>) override {
    return evaluate(rule, transaction);
  }
};

int64_t IdFromLog(const char* log) {
  if (log == nullptr) return 0;
  const char* p = std::strstr(log, "[id \"");
  return p == nullptr ? 0 : std::strtoll(p + 5, nullptr, 10);
}

}  // namespace

struct ModsecPeer::Impl {
  PeerOptions options;
  std::unique_ptr<modsecurity::ModSecurity> modsec;
  std::unique_ptr<modsecurity::RulesSet> rules;
  MatchRecorder recorder;
  std::unordered_set<modsecurity::RuleWithActions*> instrumented;

  // Attaches the recorder to every top-level rule not yet instrumented (chain children run
  // their actions only for their own part; the head's run once the whole chain matched).
  void Instrument() {
    for (int phase = 0; phase < modsecurity::Phases::NUMBER_OF_PHASES; ++phase) {
      modsecurity::Rules* list = rules->m_rulesSetPhases[phase];
      for (const std::shared_ptr<modsecurity::Rule>& rule : list->m_rules) {
        auto* with_actions = dynamic_cast<modsecurity::RuleWithActions*>(rule.get());
        if (with_actions == nullptr || with_actions->m_chainedRuleParent != nullptr) continue;
        if (!instrumented.insert(with_actions).second) continue;
        RuntimeActions(with_actions).push_back(&recorder);
      }
    }
  }

  ~Impl() {
    // The rules delete their actions; the recorder is ours.
    for (modsecurity::RuleWithActions* rule : instrumented) {
      modsecurity::MatchActions& actions = RuntimeActions(rule);
      std::erase(actions, static_cast<modsecurity::actions::Action*>(&recorder));
    }
    rules.reset();
  }
};

std::string CrsConfigText(int paranoia_level) {
  std::string text;
  text += "Include /etc/nginx/modsecurity.conf\n";
  // Blocking, as a deployment runs it; no audit-log files from a test.
  text += "SecRuleEngine On\n";
  text += "SecAuditEngine Off\n";
  text += "SecUnicodeMapFile /etc/nginx/unicode.mapping 20127\n";
  text += "Include /etc/modsecurity/crs/crs-setup.conf\n";
  text += "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=" +
          std::to_string(paranoia_level) + "\"\n";
  text += "Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf\n";
  text += "Include /usr/share/modsecurity-crs/rules/*.conf\n";
  text += "Include /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf\n";
  return text;
}

std::string ModsecVersion() {
  modsecurity::ModSecurity modsec;
  return modsec.whoAmI();
}

ModsecPeer::ModsecPeer(PeerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->modsec = std::make_unique<modsecurity::ModSecurity>();
  impl_->modsec->setConnectorInformation("govshield-modsec-peer");
  // Without a callback ModSecurity prints every rule message on stdout.
  impl_->modsec->setServerLogCb([](void*, const void*) {});
  impl_->rules = std::make_unique<modsecurity::RulesSet>();
}

ModsecPeer::~ModsecPeer() = default;

Status ModsecPeer::LoadFiles(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    if (impl_->rules->loadFromUri(path.c_str()) < 0) {
      return InvalidArgumentError("libmodsecurity: " + path + ": " +
                                  impl_->rules->getParserError());
    }
  }
  impl_->Instrument();
  return Status();
}

Status ModsecPeer::LoadText(std::string_view text, std::string_view reference) {
  const std::string owned(text);
  if (impl_->rules->load(owned.c_str(), std::string(reference)) < 0) {
    return InvalidArgumentError("libmodsecurity: " + std::string(reference) + ": " +
                                impl_->rules->getParserError());
  }
  impl_->Instrument();
  return Status();
}

gs::waf::Outcome ModsecPeer::Evaluate(const gs::waf::Exchange& ex, PeerDetail* detail) {
  gs::waf::Outcome outcome;
  std::vector<int64_t>* const saved = tl_matched;
  tl_matched = &outcome.matched_rule_ids;

  modsecurity::Transaction tx(impl_->modsec.get(), impl_->rules.get(), nullptr);
  int phase = 0;
  // Reads a pending intervention; true when it disrupts.
  auto intervened = [&]() {
    if (!impl_->options.take_intervention) {
      const modsecurity::ModSecurityIntervention& it = tx.m_it;
      if (it.disruptive && !outcome.disruptive) {
        outcome.disruptive = true;
        outcome.status = it.status;
        if (it.url != nullptr) outcome.redirect_url = it.url;
        outcome.deciding_rule_id = IdFromLog(it.log);
        outcome.decided_in_phase = phase;
      }
      return it.disruptive != 0;
    }
    modsecurity::ModSecurityIntervention it;
    modsecurity::intervention::clean(&it);
    bool disruptive = tx.intervention(&it) && it.disruptive != 0;
    if (disruptive && !outcome.disruptive) {
      outcome.disruptive = true;
      outcome.status = it.status;
      if (it.url != nullptr) outcome.redirect_url = it.url;
      outcome.deciding_rule_id = IdFromLog(it.log);
      outcome.decided_in_phase = phase;
    }
    modsecurity::intervention::free(&it);
    return disruptive;
  };

  tx.processConnection(ex.client_ip.c_str(), ex.client_port, ex.server_ip.c_str(), ex.server_port);
  tx.processURI(ex.uri.c_str(), ex.method.c_str(), ex.http_version.c_str());
  bool stop = intervened();
  if (!stop) {
    for (const auto& [name, value] : ex.request_headers) {
      tx.addRequestHeader(reinterpret_cast<const unsigned char*>(name.data()), name.size(),
                          reinterpret_cast<const unsigned char*>(value.data()), value.size());
    }
    phase = 1;
    tx.processRequestHeaders();
    stop = intervened();
  }
  if (!stop) {
    if (!ex.request_body.empty()) {
      tx.appendRequestBody(reinterpret_cast<const unsigned char*>(ex.request_body.data()),
                           ex.request_body.size());
      stop = intervened();  // body limit with Reject
    }
    if (!stop) {
      phase = 2;
      tx.processRequestBody();
      stop = intervened();
    }
  }
  if (!stop && ex.response_status != 0) {
    for (const auto& [name, value] : ex.response_headers) {
      tx.addResponseHeader(reinterpret_cast<const unsigned char*>(name.data()), name.size(),
                           reinterpret_cast<const unsigned char*>(value.data()), value.size());
    }
    phase = 3;
    tx.processResponseHeaders(ex.response_status, ex.response_protocol);
    stop = intervened();
    if (!stop) {
      if (!ex.response_body.empty()) {
        tx.appendResponseBody(reinterpret_cast<const unsigned char*>(ex.response_body.data()),
                              ex.response_body.size());
      }
      phase = 4;
      tx.processResponseBody();
      stop = intervened();
    }
  }
  phase = 5;
  tx.processLogging();
  if (!outcome.disruptive && ex.response_status != 0) outcome.status = ex.response_status;

  for (const modsecurity::RuleMessage& message : tx.m_rulesMessages) {
    if (detail != nullptr) detail->logged_rule_ids.push_back(message.m_ruleId);
    outcome.log_lines.push_back(modsecurity::RuleMessage::log(&message, 0));
  }
  tl_matched = saved;
  return outcome;
}

std::vector<int64_t> ModsecPeer::PhaseRuleIds(int phase) const {
  // libmodsecurity's phase index: 0 connection, 1 URI, 2..6 = SecLang phases 1..5.
  std::vector<int64_t> ids;
  if (phase < 1 || phase > 5) return ids;
  for (const std::shared_ptr<modsecurity::Rule>& rule :
       impl_->rules->m_rulesSetPhases[phase + 1]->m_rules) {
    auto* with_actions = dynamic_cast<modsecurity::RuleWithActions*>(rule.get());
    if (with_actions != nullptr && with_actions->m_ruleId != 0) {
      ids.push_back(with_actions->m_ruleId);
    }
  }
  return ids;
}

ModsecPeer& ModsecPeer::SharedCrs(int paranoia_level) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<ModsecPeer>>* peers =
      new std::map<int, std::unique_ptr<ModsecPeer>>();
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<ModsecPeer>& peer = (*peers)[paranoia_level];
  if (peer == nullptr) {
    peer = std::make_unique<ModsecPeer>();
    Status st = peer->LoadText(CrsConfigText(paranoia_level),
                               "crs-pl" + std::to_string(paranoia_level) + ".conf");
    if (!st.ok()) {
      std::fprintf(stderr, "modsec_peer: cannot load CRS: %s\n", st.ToString().c_str());
      std::abort();
    }
  }
  return *peer;
}

}  // namespace gs::modsec_peer
