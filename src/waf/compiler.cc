// The rule compiler: SecLang AST (seclang::RuleSet) -> immutable CompiledRules.
//
// Everything that can be decided at load time is decided here, so the per-request runtime only
// walks arrays: operators are compiled once, transformation chains are resolved against the
// phase's SecDefaultAction and t:none, SecRuleUpdateTarget*/SecRuleUpdateActionById are folded
// into the rules they name, SecRuleRemove* drop rules from the phase lists, and skipAfter names
// become marker numbers. Semantics follow ModSecurity v3 (libmodsecurity 3.0.9); where v3 decides
// at run time from global state (removals, updates, default actions), the result is the same
// because that state is fixed once the rule set is loaded.

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "seclang/parser.h"
#include "waf/compiled.h"

namespace gs::waf {

using seclang::ActionId;
using seclang::DirectiveId;
using seclang::VariableId;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool OnOff(const std::vector<std::string>& args) {
  return !args.empty() && seclang::EqualsIgnoreCase(args[0], "On");
}

uint64_t Number(const std::vector<std::string>& args, uint64_t fallback) {
  if (args.empty()) return fallback;
  try {
    return std::stoull(args[0]);
  } catch (...) {
    return fallback;
  }
}

class Compiler {
 public:
  Compiler(const CompileOptions& options, CompileReport* report)
      : options_(options), report_(report) {
    operators::RegisterBuiltinOperators(&registry_);
  }

  void Run(seclang::RuleSet set);

 private:
  void Error(const seclang::SourceLocation& loc, std::string msg, std::string hint = {}) {
    report_->errors.push_back(seclang::Diagnostic{loc, std::move(msg), std::move(hint)});
  }
  void ApplyDirective(const seclang::Directive& d);
  void ApplyUpdates(seclang::RuleSet* set);
  bool CompileVar(const seclang::Variable& v, CompiledVar* out);
  std::unique_ptr<CompiledRule> CompileRule(const seclang::Rule& r, int phase);
  void CompileActions(const seclang::Rule& r, CompiledRule* cr);
  MacroString Macro(std::string_view text, const seclang::SourceLocation& loc);
  int32_t TxSlot(const std::string& name_lower);
  int MarkerNumber(const std::string& name) {
    auto it = markers_.find(name);
    if (it != markers_.end()) return it->second;
    int n = static_cast<int>(rules_->marker_names.size());
    rules_->marker_names.push_back(name);
    markers_.emplace(name, n);
    return n;
  }
  void BuildDefaults(const seclang::Directive& d);
  void PlanWalk(int phase);

  const CompileOptions& options_;
  CompileReport* report_;
  operators::OperatorRegistry registry_;
  std::shared_ptr<CompiledRules> rules_ = std::make_shared<CompiledRules>();
  std::map<std::string, int> markers_;
  std::map<std::string, uint32_t> targets_;
  std::map<std::string, int32_t> tx_slots_;  // lower-case TX name -> slot
  std::map<std::string, std::shared_ptr<const KeyRegex>> key_regexes_;  // by regex text
  std::vector<std::pair<int64_t, int64_t>> removed_ids_;
  std::vector<std::string> removed_tags_;
  std::vector<std::string> removed_msgs_;
  std::vector<std::vector<prefilter::PrefilterSet::Entry>> prefilter_entries_;  // per chain
};

int32_t Compiler::TxSlot(const std::string& name_lower) {
  auto [it, inserted] =
      tx_slots_.emplace(name_lower, static_cast<int32_t>(rules_->tx_slot_names.size()));
  if (inserted) rules_->tx_slot_names.push_back(name_lower);
  return it->second;
}

MacroString Compiler::Macro(std::string_view text, const seclang::SourceLocation& loc) {
  MacroString m = ParseMacroString(text);
  for (MacroPart& p : m.parts) {
    if (!p.literal && !p.rule_meta && p.var == VariableId::kTx && !p.key.empty()) {
      p.tx_slot = TxSlot(Lower(p.key));
    }
  }
  for (const MacroPart& p : m.parts) {
    if (!p.literal || p.text.find("%{") == std::string::npos) continue;
    // ParseMacroString leaves unknown variables as literal text; name them.
    size_t a = p.text.find("%{");
    size_t b = p.text.find('}', a);
    std::string name(p.text.substr(a + 2, b == std::string::npos ? std::string::npos : b - a - 2));
    Error(loc, "unknown variable '" + name + "' in macro %{" + name + "}",
          "macros name a variable, e.g. %{tx.anomaly_score} or %{MATCHED_VAR}");
    break;
  }
  return m;
}

bool Compiler::CompileVar(const seclang::Variable& v, CompiledVar* out) {
  out->id = v.id;
  out->key = v.key;
  out->key_lower = Lower(v.key);
  out->count = v.count;
  std::string target = std::to_string(static_cast<int>(v.id)) + (v.key_is_regex ? "/" : ":") +
                       (v.key_is_regex ? v.key : out->key_lower);
  auto [it, inserted] = targets_.emplace(target, rules_->target_count);
  if (inserted) ++rules_->target_count;
  out->target_id = it->second;
  if (v.id == VariableId::kTx && !v.key_is_regex && !v.key.empty()) {
    out->tx_slot = TxSlot(out->key_lower);
  }
  if (v.key_is_regex) {
    auto known = key_regexes_.find(v.key);
    if (known != key_regexes_.end()) {
      out->key_regex = known->second;
      return true;
    }
    operators::OperatorOptions oo;
    const std::string pattern = "(?i)" + v.key;
    auto op = registry_.Create("rx", pattern, oo);
    if (!op.ok()) {
      Error(v.location,
            "bad regular expression key /" + v.key + "/: " + std::string(op.status().message()));
      return false;
    }
    auto kr = std::make_shared<KeyRegex>();
    kr->re = std::move(op).value();
    kr->text = v.key;
    kr->id = rules_->key_regex_count++;
    // Keys are short and mostly miss: the literals every match needs decide most of them.
    auto req = prefilter::ExtractRequirement(pattern);
    if (req.ok() && req.value().filterable()) {
      auto m = prefilter::LiteralMatcher::Build(req.value());
      if (m.ok()) kr->prefilter = std::move(m).value();
    }
    out->key_regex = kr;
    key_regexes_.emplace(v.key, std::move(kr));
  }
  return true;
}

void Compiler::BuildDefaults(const seclang::Directive& d) {
  int phase = 2;
  for (const seclang::Action& a : d.actions) {
    if (a.id == ActionId::kPhase) {
      if (auto* v = std::get_if<int64_t>(&a.parsed)) phase = static_cast<int>(*v);
    }
  }
  if (phase < 1 || phase > 5) return;
  DefaultActions& def = rules_->defaults[phase];
  def = DefaultActions{};
  def.present = true;
  for (const seclang::Action& a : d.actions) {
    switch (a.id) {
      case ActionId::kT:
        if (auto* t = std::get_if<seclang::TransformationId>(&a.parsed)) {
          if (*t == seclang::TransformationId::kNone) {
            def.transforms.clear();
          } else {
            const transforms::Transform* tf =
                transforms::FindTransform(seclang::GetTransformation(*t).name);
            if (tf != nullptr) def.transforms.push_back(tf->fn);
          }
        }
        break;
      case ActionId::kLog:
        def.log = 1;
        break;
      case ActionId::kNolog:
        def.log = 0;
        break;
      case ActionId::kStatus:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) def.status = static_cast<int>(*v);
        break;
      case ActionId::kPass:
        def.disruptive = Disruptive::kPass;
        break;
      case ActionId::kDeny:
        def.disruptive = Disruptive::kDeny;
        break;
      case ActionId::kDrop:
        def.disruptive = Disruptive::kDrop;
        break;
      case ActionId::kBlock:
        break;  // `block` in a default only marks it; the default's own disruptive action stays
      case ActionId::kAllow:
        def.disruptive = Disruptive::kAllow;
        def.allow = seclang::EqualsIgnoreCase(a.value, "phase")     ? AllowType::kPhase
                    : seclang::EqualsIgnoreCase(a.value, "request") ? AllowType::kRequest
                                                                    : AllowType::kFromNowOn;
        break;
      case ActionId::kRedirect:
        def.disruptive = Disruptive::kRedirect;
        def.redirect_url = Macro(a.value, a.location);
        break;
      default:
        break;
    }
  }
}

void Compiler::ApplyDirective(const seclang::Directive& d) {
  WafConfig& c = rules_->config;
  const auto& args = d.args;
  switch (d.id) {
    case DirectiveId::kSecRuleEngine:
      if (!args.empty()) {
        c.engine = seclang::EqualsIgnoreCase(args[0], "On")    ? EngineMode::kOn
                   : seclang::EqualsIgnoreCase(args[0], "Off") ? EngineMode::kOff
                                                               : EngineMode::kDetectionOnly;
      }
      break;
    case DirectiveId::kSecRequestBodyAccess:
      c.request_body_access = OnOff(args);
      break;
    case DirectiveId::kSecRequestBodyLimit:
      c.request_body_limit = Number(args, c.request_body_limit);
      break;
    case DirectiveId::kSecRequestBodyLimitAction:
      c.request_body_limit_reject = !args.empty() && seclang::EqualsIgnoreCase(args[0], "Reject");
      break;
    case DirectiveId::kSecRequestBodyNoFilesLimit:
      c.request_body_no_files_limit = Number(args, c.request_body_no_files_limit);
      break;
    case DirectiveId::kSecRequestBodyInMemoryLimit:
      break;
    case DirectiveId::kSecRequestBodyJsonDepthLimit:
      c.json_depth_limit = Number(args, c.json_depth_limit);
      break;
    case DirectiveId::kSecResponseBodyAccess:
      c.response_body_access = OnOff(args);
      break;
    case DirectiveId::kSecResponseBodyLimit:
      c.response_body_limit = Number(args, c.response_body_limit);
      break;
    case DirectiveId::kSecResponseBodyLimitAction:
      c.response_body_limit_reject = !args.empty() && seclang::EqualsIgnoreCase(args[0], "Reject");
      break;
    case DirectiveId::kSecResponseBodyMimeType:
      c.response_mime_types_set = true;
      for (const std::string& a : args) {
        std::string_view v = a;
        size_t p = 0;
        while (p < v.size()) {
          size_t e = v.find_first_of(" \t", p);
          if (e == std::string_view::npos) e = v.size();
          if (e > p) c.response_mime_types.push_back(Lower(v.substr(p, e - p)));
          p = e + 1;
        }
      }
      break;
    case DirectiveId::kSecResponseBodyMimeTypesClear:
      c.response_mime_types.clear();
      c.response_mime_types_set = true;
      break;
    case DirectiveId::kSecArgumentSeparator:
      if (!args.empty() && args[0].size() == 1) {
        c.argument_separator = args[0][0];
      } else {
        Error(d.location, "SecArgumentSeparator takes exactly one character");
      }
      break;
    case DirectiveId::kSecArgumentsLimit:
      c.arguments_limit = Number(args, 0);
      break;
    case DirectiveId::kSecPcreMatchLimit:
      c.pcre_match_limit = static_cast<uint32_t>(Number(args, 0));
      break;
    case DirectiveId::kSecPcreMatchLimitRecursion:
      c.pcre_match_limit_recursion = static_cast<uint32_t>(Number(args, 0));
      break;
    case DirectiveId::kSecCollectionTimeout:
      c.collection_timeout = static_cast<int64_t>(Number(args, 3600));
      break;
    case DirectiveId::kSecGeoLookupDb:
      c.geo_db = d.resolved_path.empty() && !args.empty() ? args[0] : d.resolved_path;
      break;
    case DirectiveId::kSecUploadFileLimit:
      c.upload_file_limit = Number(args, 100);
      break;
    case DirectiveId::kSecAuditEngine:
      if (!args.empty()) c.audit_engine = args[0];
      break;
    case DirectiveId::kSecAuditLogParts:
      if (!args.empty()) c.audit_log_parts = args[0];
      break;
    case DirectiveId::kSecWebAppId:
      if (!args.empty()) c.web_app_id = args[0];
      break;
    case DirectiveId::kSecComponentSignature:
      if (!args.empty()) c.component_signature = args[0];
      break;
    case DirectiveId::kSecUnicodeMapFile:
      if (args.size() == 2 && !d.resolved_path.empty()) {
        std::FILE* f = std::fopen(d.resolved_path.c_str(), "rb");
        if (f != nullptr) {
          std::string text;
          char buf[65536];
          size_t n;
          while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
          std::fclose(f);
          auto map =
              transforms::UnicodeMap::Parse(text, static_cast<uint32_t>(Number({args[1]}, 0)));
          if (map.ok()) {
            rules_->unicode_map = std::make_unique<transforms::UnicodeMap>(std::move(map).value());
          } else {
            Error(d.location, "SecUnicodeMapFile: " + std::string(map.status().message()));
          }
        }
      }
      break;
    case DirectiveId::kSecDefaultAction:
      BuildDefaults(d);
      break;
    case DirectiveId::kSecRuleRemoveById:
      removed_ids_.insert(removed_ids_.end(), d.id_ranges.begin(), d.id_ranges.end());
      break;
    case DirectiveId::kSecRuleRemoveByTag:
      if (!args.empty()) removed_tags_.push_back(args[0]);
      break;
    case DirectiveId::kSecRuleRemoveByMsg:
      if (!args.empty()) removed_msgs_.push_back(args[0]);
      break;
    // Accepted and stored elsewhere or irrelevant to verdicts (logging destinations, modes).
    case DirectiveId::kSecAuditLog:
    case DirectiveId::kSecAuditLog2:
    case DirectiveId::kSecAuditLogDirMode:
    case DirectiveId::kSecAuditLogFileMode:
    case DirectiveId::kSecAuditLogFormat:
    case DirectiveId::kSecAuditLogRelevantStatus:
    case DirectiveId::kSecAuditLogStorageDir:
    case DirectiveId::kSecAuditLogType:
    case DirectiveId::kSecCookieFormat:
    case DirectiveId::kSecDataDir:
    case DirectiveId::kSecDebugLog:
    case DirectiveId::kSecDebugLogLevel:
    case DirectiveId::kSecHttpBlKey:
    case DirectiveId::kSecStatusEngine:
    case DirectiveId::kSecTmpDir:
    case DirectiveId::kSecTmpSaveUploadedFiles:
    case DirectiveId::kSecUploadDir:
    case DirectiveId::kSecUploadFileMode:
    case DirectiveId::kSecUploadKeepFiles:
    case DirectiveId::kSecXmlExternalEntity:
    case DirectiveId::kSecMarker:
    case DirectiveId::kSecRule:
    case DirectiveId::kSecAction:
    case DirectiveId::kInclude:
    case DirectiveId::kIncludeOptional:
    case DirectiveId::kSecRuleUpdateActionById:
    case DirectiveId::kSecRuleUpdateTargetById:
    case DirectiveId::kSecRuleUpdateTargetByMsg:
    case DirectiveId::kSecRuleUpdateTargetByTag:
      break;
    default:
      Error(d.location, "directive " + std::string(seclang::GetDirective(d.id).name) +
                            " is not supported by the GovShield engine");
      break;
  }
}

bool InRanges(int64_t id, const std::vector<std::pair<int64_t, int64_t>>& ranges) {
  for (const auto& [a, b] : ranges) {
    if (id >= a && id <= b) return true;
  }
  return false;
}

std::string ActionValueOf(const seclang::Rule& r, ActionId id) {
  std::string v;
  for (const seclang::Action& a : r.actions) {
    if (a.id == id) v = a.value;
  }
  return v;
}

bool HasTag(const seclang::Rule& r, std::string_view tag) {
  for (const seclang::Action& a : r.actions) {
    if (a.id == ActionId::kTag && a.value == tag) return true;
  }
  return false;
}

// SecRuleUpdateTarget* and SecRuleUpdateActionById modify the AST of the rules they name, as
// ModSecurity applies them to every evaluation of those rules wherever they were declared.
void Compiler::ApplyUpdates(seclang::RuleSet* set) {
  for (const seclang::Directive& d : set->directives) {
    bool by_id = d.id == DirectiveId::kSecRuleUpdateTargetById;
    bool by_tag = d.id == DirectiveId::kSecRuleUpdateTargetByTag;
    bool by_msg = d.id == DirectiveId::kSecRuleUpdateTargetByMsg;
    if (by_id || by_tag || by_msg) {
      for (seclang::Rule& r : set->rules) {
        if (r.parent) continue;
        bool hit = by_id    ? InRanges(r.id, d.id_ranges)
                   : by_tag ? (!d.args.empty() && HasTag(r, d.args[0]))
                            : (!d.args.empty() && ActionValueOf(r, ActionId::kMsg) == d.args[0]);
        if (!hit) continue;
        if (!d.replacement.empty()) {
          // Replace the named target by the replacement list.
          for (const seclang::Variable& old : d.variables) {
            auto it = std::find_if(r.variables.begin(), r.variables.end(), [&](auto& v) {
              return v.id == old.id && seclang::EqualsIgnoreCase(v.key, old.key) &&
                     v.exclusion == old.exclusion && v.count == old.count;
            });
            if (it != r.variables.end()) {
              it = r.variables.erase(it);
              r.variables.insert(it, d.replacement.begin(), d.replacement.end());
            }
          }
        } else {
          r.variables.insert(r.variables.end(), d.variables.begin(), d.variables.end());
        }
      }
    } else if (d.id == DirectiveId::kSecRuleUpdateActionById) {
      for (seclang::Rule& r : set->rules) {
        if (r.parent || !InRanges(r.id, d.id_ranges)) continue;
        for (const seclang::Action& a : d.actions) {
          const auto& info = seclang::GetAction(a.id);
          bool replace_all = info.group == seclang::ActionGroup::kDisruptive;
          bool replace_same = a.id == ActionId::kMsg || a.id == ActionId::kLogdata ||
                              a.id == ActionId::kSeverity || a.id == ActionId::kStatus ||
                              a.id == ActionId::kRev || a.id == ActionId::kVer ||
                              a.id == ActionId::kMaturity || a.id == ActionId::kAccuracy ||
                              a.id == ActionId::kLog || a.id == ActionId::kNolog ||
                              a.id == ActionId::kPhase || a.id == ActionId::kId;
          if (a.id == ActionId::kId || a.id == ActionId::kPhase) continue;
          if (replace_all) {
            std::erase_if(r.actions, [](const seclang::Action& x) {
              return seclang::GetAction(x.id).group == seclang::ActionGroup::kDisruptive;
            });
          } else if (replace_same) {
            std::erase_if(r.actions, [&](const seclang::Action& x) {
              return x.id == a.id || (a.id == ActionId::kLog && x.id == ActionId::kNolog) ||
                     (a.id == ActionId::kNolog && x.id == ActionId::kLog);
            });
          }
          r.actions.push_back(a);
          if (replace_all) r.disruptive = a.id;
          if (a.id == ActionId::kT) {
            if (auto* t = std::get_if<seclang::TransformationId>(&a.parsed)) {
              r.transformations.push_back(*t);
            }
          }
        }
      }
    }
  }
}

void Compiler::CompileActions(const seclang::Rule& r, CompiledRule* cr) {
  for (const seclang::Action& a : r.actions) {
    switch (a.id) {
      case ActionId::kMsg:
        cr->msg = Macro(a.value, a.location);
        break;
      case ActionId::kLogdata:
        cr->logdata = Macro(a.value, a.location);
        break;
      case ActionId::kTag:
        cr->tags.push_back(a.value);
        break;
      case ActionId::kSeverity:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) cr->severity = static_cast<int>(*v);
        break;
      case ActionId::kVer:
        cr->ver = a.value;
        break;
      case ActionId::kRev:
        cr->rev = a.value;
        break;
      case ActionId::kMaturity:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) cr->maturity = static_cast<int>(*v);
        break;
      case ActionId::kAccuracy:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) cr->accuracy = static_cast<int>(*v);
        break;
      case ActionId::kLog:
        cr->log = 1;
        break;
      case ActionId::kNolog:
        cr->log = 0;
        break;
      case ActionId::kMultiMatch:
        cr->multi_match = true;
        break;
      case ActionId::kCapture:
        cr->capture = true;
        break;
      case ActionId::kStatus:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) cr->status = static_cast<int>(*v);
        break;
      case ActionId::kPass:
        cr->disruptive = Disruptive::kPass;
        break;
      case ActionId::kBlock:
        cr->disruptive = Disruptive::kBlock;
        break;
      case ActionId::kDeny:
        cr->disruptive = Disruptive::kDeny;
        break;
      case ActionId::kDrop:
        cr->disruptive = Disruptive::kDrop;
        break;
      case ActionId::kAllow:
        cr->disruptive = Disruptive::kAllow;
        cr->allow = seclang::EqualsIgnoreCase(a.value, "phase")     ? AllowType::kPhase
                    : seclang::EqualsIgnoreCase(a.value, "request") ? AllowType::kRequest
                                                                    : AllowType::kFromNowOn;
        break;
      case ActionId::kRedirect:
        cr->disruptive = Disruptive::kRedirect;
        cr->redirect_url = Macro(a.value, a.location);
        break;
      case ActionId::kPause:
      case ActionId::kProxy:
        Error(a.location, "action '" + std::string(seclang::GetAction(a.id).name) +
                              "' is not supported by the GovShield engine");
        break;
      case ActionId::kSetvar:
        if (auto* sv = std::get_if<seclang::SetVar>(&a.parsed)) {
          CompiledSetVar csv{sv->collection, Macro(sv->name, a.location), sv->op, sv->has_value,
                             Macro(sv->value, a.location)};
          if (csv.collection == VariableId::kTx && !csv.name.has_macros && !csv.name.raw.empty()) {
            csv.tx_slot = TxSlot(Lower(csv.name.raw));
          }
          cr->setvars.push_back(std::move(csv));
        }
        break;
      case ActionId::kCtl:
        if (auto* ctl = std::get_if<seclang::Ctl>(&a.parsed)) {
          RunAction ra;
          ra.id = a.id;
          ra.ctl = *ctl;
          if (ctl->option == seclang::CtlOption::kRuleRemoveById ||
              ctl->option == seclang::CtlOption::kRuleRemoveTargetById) {
            std::string_view sel = ctl->option == seclang::CtlOption::kRuleRemoveById
                                       ? std::string_view(ctl->value)
                                       : std::string_view(ctl->selector);
            size_t p = 0;
            while (p < sel.size()) {
              size_t e = sel.find_first_of(", ", p);
              if (e == std::string_view::npos) e = sel.size();
              std::string_view part = sel.substr(p, e - p);
              p = e + 1;
              if (part.empty()) continue;
              size_t dash = part.find('-');
              try {
                if (dash == std::string_view::npos) {
                  int64_t v = std::stoll(std::string(part));
                  ra.ranges.push_back({v, v});
                } else {
                  ra.ranges.push_back({std::stoll(std::string(part.substr(0, dash))),
                                       std::stoll(std::string(part.substr(dash + 1)))});
                }
              } catch (...) {
                Error(a.location, "bad rule id range '" + std::string(part) + "'");
              }
            }
          }
          for (const seclang::Variable& v : ctl->targets) {
            CompiledVar cv;
            if (CompileVar(v, &cv)) ra.ctl_targets.push_back(std::move(cv));
          }
          cr->after_match.push_back(std::move(ra));
        }
        break;
      case ActionId::kSkip: {
        RunAction ra;
        ra.id = a.id;
        if (auto* v = std::get_if<int64_t>(&a.parsed)) ra.number = *v;
        cr->after_match.push_back(std::move(ra));
        break;
      }
      case ActionId::kSkipAfter: {
        RunAction ra;
        ra.id = a.id;
        ra.marker = MarkerNumber(a.value);
        cr->after_match.push_back(std::move(ra));
        break;
      }
      case ActionId::kInitcol:
        if (auto* ic = std::get_if<seclang::InitCol>(&a.parsed)) {
          RunAction ra;
          ra.id = a.id;
          ra.collection = ic->collection;
          ra.value = Macro(ic->key, a.location);
          cr->after_match.push_back(std::move(ra));
        }
        break;
      case ActionId::kExpirevar:
      case ActionId::kDeprecatevar:
        if (auto* cv = std::get_if<seclang::CollectionVar>(&a.parsed)) {
          RunAction ra;
          ra.id = a.id;
          ra.collection = cv->collection;
          ra.name = Macro(cv->name, a.location);
          ra.value = Macro(cv->value, a.location);
          cr->after_match.push_back(std::move(ra));
        }
        break;
      case ActionId::kSetuid:
      case ActionId::kSetsid:
      case ActionId::kSetrsc: {
        RunAction ra;
        ra.id = a.id;
        ra.value = Macro(a.value, a.location);
        cr->after_match.push_back(std::move(ra));
        break;
      }
      default:
        // id, phase, chain, t (handled separately), auditlog/noauditlog, sanitise*, setenv,
        // append/prepend, xmlns: no effect on verdicts.
        break;
    }
  }
}

std::unique_ptr<CompiledRule> Compiler::CompileRule(const seclang::Rule& r, int phase) {
  auto cr = std::make_unique<CompiledRule>();
  cr->id = r.id;
  cr->phase = phase;
  cr->file = r.location.file;
  cr->line = static_cast<int>(r.location.line);
  cr->is_action = r.is_action;
  cr->is_chain_child = r.parent.has_value();
  for (const seclang::Variable& v : r.variables) {
    CompiledVar cv;
    if (!CompileVar(v, &cv)) continue;
    (v.exclusion ? cr->exclusions : cr->vars).push_back(std::move(cv));
  }
  // Operator.
  cr->op_id = r.is_action ? seclang::OperatorId::kUnconditionalMatch : r.op.id;
  cr->negated = r.op.negated;
  cr->op_name = std::string(seclang::GetOperator(cr->op_id).name);
  if (!r.is_action) {
    operators::OperatorOptions oo;
    oo.base_dir = std::filesystem::path(r.location.file).parent_path().string();
    if (oo.base_dir.empty()) oo.base_dir = options_.base_dir;
    oo.dynamic_argument = r.op.has_macros;
    if (rules_->config.pcre_match_limit) oo.pcre_match_limit = rules_->config.pcre_match_limit;
    if (rules_->config.pcre_match_limit_recursion) {
      oo.pcre_depth_limit = rules_->config.pcre_match_limit_recursion;
    }
    oo.geo_db_path = !rules_->config.geo_db.empty() ? rules_->config.geo_db : options_.geo_db_path;
    std::string arg = r.op.argument;
    if (!r.op.resolved_files.empty() &&
        (r.op.id == seclang::OperatorId::kPmFromFile || r.op.id == seclang::OperatorId::kPmf ||
         r.op.id == seclang::OperatorId::kIpMatchFromFile ||
         r.op.id == seclang::OperatorId::kIpMatchF)) {
      arg.clear();
      for (const std::string& f : r.op.resolved_files) arg += (arg.empty() ? "" : " ") + f;
    }
    auto op = registry_.Create(cr->op_name, arg, oo);
    if (!op.ok()) {
      StatusCode code = op.status().code();
      std::string msg = "operator @" + cr->op_name + ": " + std::string(op.status().message());
      if (code == StatusCode::kUnimplemented || code == StatusCode::kFailedPrecondition) {
        // Rule sets such as the CRS carry rules for features this deployment cannot offer
        // (@rbl needs the Internet, @geoLookup a database); they load, never match, and say so.
        report_->warnings.push_back(
            seclang::Diagnostic{r.op.location, msg + "; the rule will never match", {}});
      } else {
        Error(r.op.location, msg);
      }
    } else {
      cr->op = std::move(op).value();
    }
    if (r.op.has_macros) {
      cr->dynamic = true;
      cr->op_arg = Macro(r.op.argument, r.op.location);
    }
  }
  // Transformations: the phase's defaults unless the rule says t:none; then the rule's own
  // after its last t:none.
  bool has_none = false;
  size_t start = 0;
  for (size_t i = 0; i < r.transformations.size(); ++i) {
    if (r.transformations[i] == seclang::TransformationId::kNone) {
      has_none = true;
      start = i + 1;
    }
  }
  if (!has_none && phase >= 1 && phase <= 5) cr->transforms = rules_->defaults[phase].transforms;
  for (size_t i = start; i < r.transformations.size(); ++i) {
    const transforms::Transform* tf =
        transforms::FindTransform(seclang::GetTransformation(r.transformations[i]).name);
    if (tf == nullptr) {
      Error(r.location, "transformation t:" +
                            std::string(seclang::GetTransformation(r.transformations[i]).name) +
                            " is not implemented");
      continue;
    }
    cr->transforms.push_back(tf->fn);
  }
  CompileActions(r, cr.get());
  // Share identical transformation chains (cache key at run time).
  auto it = std::find_if(rules_->chains.begin(), rules_->chains.end(),
                         [&](const TransformChain& c) { return c.fns == cr->transforms; });
  if (it == rules_->chains.end()) {
    TransformChain& chain = rules_->chains.emplace_back();
    chain.fns = cr->transforms;
    for (transforms::TransformFn fn : chain.fns) {
      chain.triggers.push_back(transforms::TriggersOf(fn));
      chain.any_trigger |= chain.triggers.back();
    }
    it = rules_->chains.end() - 1;
  }
  cr->chain_id = static_cast<uint32_t>(it - rules_->chains.begin());
  cr->rule_index = rules_->rule_count++;
  // Literal prefilter: a plain @rx (not macro-expanded, not multiMatch, whose every match must
  // contain one of a set of literals) is skipped when the transformed value has none of them.
  if (cr->op != nullptr && cr->op_id == seclang::OperatorId::kRx && !cr->dynamic &&
      !cr->multi_match) {
    // Small values share one automaton over every rule's requirement, extracted with \s & co. as
    // any byte (fewer literals, a smaller table: measured faster on the GET); large values are
    // checked per rule, where the exact requirement ("get" + white space) pays.
    prefilter::ExtractOptions coarse;
    coarse.exact_shorthands = false;
    auto req = prefilter::ExtractRequirement(r.op.argument, coarse);
    auto exact = prefilter::ExtractRequirement(r.op.argument);
    if (exact.ok() && exact.value().filterable()) cr->large_literals = exact.value().literals;
    if (req.ok() && req.value().filterable()) {
      prefilter_entries_.resize(rules_->chains.size());
      prefilter_entries_[cr->chain_id].push_back({cr->rule_index, std::move(req).value()});
      cr->prefiltered = true;
    } else {
      cr->prefilter_note =
          req.ok() ? req.value().unfilterable_reason : std::string(req.status().message());
    }
  } else if (cr->op_id != seclang::OperatorId::kRx) {
    cr->prefilter_note = "operator @" + cr->op_name + " is not prefiltered";
    // @pm: its phrases are the exact answer, used for values too large for its automaton.
    const std::vector<std::string>* phrases =
        cr->op != nullptr && !cr->dynamic ? cr->op->Phrases() : nullptr;
    if (phrases != nullptr) {
      for (const std::string& p : *phrases) cr->large_literals.push_back({p, /*caseless=*/true});
      // The phrases are the @pm's exact answer, so they join the shared automaton: a value the
      // scan finds none of them in skips the operator (its own automaton pass) as for an @rx.
      if (!cr->multi_match) {
        prefilter::LiteralRequirement req = prefilter::PhraseRequirement(*phrases);
        if (req.filterable()) {
          prefilter_entries_.resize(rules_->chains.size());
          prefilter_entries_[cr->chain_id].push_back({cr->rule_index, std::move(req)});
          cr->prefiltered = true;
          cr->prefilter_note.clear();
        }
      }
    }
  } else {
    cr->prefilter_note = cr->dynamic ? "macro in the pattern" : "multiMatch";
  }
  return cr;
}

// CompiledRules::walk[phase]: phases[phase] packed for the walk. A rule is decided by the
// prefilter alone when it decides every target (PrefilterDecidesTarget, which EvalRule uses to
// skip a target): then no bit set means no value reaches the operator.
void Compiler::PlanWalk(int phase) {
  auto& walk = rules_->walk[phase];
  auto& targets = rules_->walk_targets[phase];
  walk.clear();
  targets.clear();
  for (const CompiledRule* r : rules_->phases[phase]) {
    WalkEntry& e = walk.emplace_back();
    e.rule = r;
    e.vars = r->vars.data();
    e.rule_index = r->rule_index;
    e.chain_id = r->chain_id;
    e.marker = r->is_marker;
    e.by_prefilter =
        r->prefiltered && std::all_of(r->vars.begin(), r->vars.end(), [&](const CompiledVar& cv) {
          return PrefilterDecidesTarget(*r, cv);
        });
    if (!e.by_prefilter) continue;
    e.targets_begin = static_cast<uint32_t>(targets.size());
    for (const CompiledVar& cv : r->vars) {
      targets.push_back(WalkTarget{cv.target_id, DataClassOf(cv.id), &cv});
    }
    e.targets_end = static_cast<uint32_t>(targets.size());
  }
}

void Compiler::Run(seclang::RuleSet set) {
  // The capture names "0".."9" are TX slots 0-9 in every rule set (EvalRule sets them by number).
  for (char d = '0'; d <= '9'; ++d) TxSlot(std::string(1, d));
  // Configuration and defaults first: v3 looks both up at run time, so their position in the
  // file does not matter for the rules.
  for (const seclang::Directive& d : set.directives) ApplyDirective(d);
  ApplyUpdates(&set);
  if (rules_->unicode_map) rules_->transform_ctx.unicode_map = rules_->unicode_map.get();

  auto removed = [&](const seclang::Rule& r) {
    if (r.id != 0 && InRanges(r.id, removed_ids_)) return true;
    for (const std::string& t : removed_tags_) {
      if (HasTag(r, t)) return true;
    }
    if (!removed_msgs_.empty()) {
      std::string msg = ActionValueOf(r, ActionId::kMsg);
      for (const std::string& m : removed_msgs_) {
        if (msg == m) return true;
      }
    }
    return false;
  };

  for (const seclang::Directive& d : set.directives) {
    if (d.id == DirectiveId::kSecMarker && !d.args.empty()) {
      int n = MarkerNumber(d.args[0]);
      for (int p = 1; p <= 5; ++p) {
        auto m = std::make_unique<CompiledRule>();
        m->is_marker = true;
        m->marker = n;
        m->marker_name = d.args[0];
        m->phase = p;
        m->file = d.location.file;
        m->line = static_cast<int>(d.location.line);
        rules_->phases[p].push_back(m.get());
        rules_->storage.push_back(std::move(m));
      }
      continue;
    }
    if (!d.rule) continue;
    const seclang::Rule& head = set.rules[*d.rule];
    if (head.parent) continue;  // chain children are compiled with their head
    int phase = head.phase == 0 ? 2 : head.phase;
    if (removed(head)) continue;
    auto cr = CompileRule(head, phase);
    CompiledRule* prev = cr.get();
    const CompiledRule* head_ptr = cr.get();
    rules_->storage.push_back(std::move(cr));
    std::optional<size_t> next = head.child;
    while (next) {
      const seclang::Rule& child = set.rules[*next];
      auto cc = CompileRule(child, phase);
      prev->child = cc.get();
      prev = cc.get();
      rules_->storage.push_back(std::move(cc));
      next = child.child;
    }
    rules_->phases[phase].push_back(head_ptr);
    CompileReport::RuleInfo info;
    info.id = head.id;
    info.location = head.location.file + ":" + std::to_string(head.location.line);
    info.phase = phase;
    info.prefiltered = head_ptr->prefiltered;
    info.note = head_ptr->prefiltered ? std::string() : head_ptr->prefilter_note;
    report_->rule_info.push_back(std::move(info));
  }
  prefilter_entries_.resize(rules_->chains.size());
  {
    std::vector<prefilter::PrefilterSet::Entry> all;
    for (const auto& entries : prefilter_entries_)
      all.insert(all.end(), entries.begin(), entries.end());
    if (!all.empty()) {
      auto set = prefilter::PrefilterSet::Build(all);
      if (set.ok()) {
        rules_->all_prefilter = std::move(set).value();
      } else {
        prefilter_entries_.assign(prefilter_entries_.size(), {});
        for (auto& st : rules_->storage) st->prefiltered = false;
        report_->warnings.push_back(
            seclang::Diagnostic{{}, "prefilter: " + std::string(set.status().message()), {}});
      }
    }
  }
  for (int p = 1; p <= 5; ++p) {
    auto& positions = rules_->marker_positions[p];
    positions.assign(rules_->marker_names.size(), {});
    const auto& list = rules_->phases[p];
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i]->is_marker && list[i]->marker >= 0) {
        positions[static_cast<size_t>(list[i]->marker)].push_back(static_cast<uint32_t>(i));
      }
    }
    PlanWalk(p);
  }
  static std::atomic<uint64_t> next_serial{1};
  rules_->serial = next_serial.fetch_add(1);
  if (report_->errors.empty()) report_->rules = rules_;
}

}  // namespace

MacroString ParseMacroString(std::string_view text) {
  MacroString m;
  m.raw = std::string(text);
  size_t i = 0;
  std::string lit;
  while (i < text.size()) {
    size_t a = text.find("%{", i);
    if (a == std::string_view::npos) {
      lit.append(text.substr(i));
      break;
    }
    size_t b = text.find('}', a + 2);
    if (b == std::string_view::npos) {
      lit.append(text.substr(i));
      break;
    }
    lit.append(text.substr(i, a - i));
    std::string_view inner = text.substr(a + 2, b - a - 2);
    size_t dot = inner.find_first_of(".:");
    std::string_view name = inner.substr(0, dot);
    std::string_view key =
        dot == std::string_view::npos ? std::string_view() : inner.substr(dot + 1);
    const seclang::VariableInfo* info = seclang::FindVariable(name);
    if (info == nullptr) {
      lit.append(text.substr(a, b - a + 1));
      i = b + 1;
      continue;
    }
    if (!lit.empty()) {
      m.parts.push_back(MacroPart{true, std::move(lit), VariableId::kTx, {}, false});
      lit.clear();
    }
    MacroPart p;
    p.literal = false;
    p.var = info->id;
    p.key = Lower(key);
    p.rule_meta = info->id == VariableId::kRule;
    m.parts.push_back(std::move(p));
    m.has_macros = true;
    i = b + 1;
  }
  if (!lit.empty()) m.parts.push_back(MacroPart{true, std::move(lit), VariableId::kTx, {}, false});
  return m;
}

Status CompileReport::ToStatus() const {
  if (ok()) return Status::Ok();
  std::string msg;
  for (const seclang::Diagnostic& d : errors) msg += d.ToString() + "\n";
  if (msg.empty()) msg = "rules did not compile";
  return InvalidArgumentError(msg);
}

namespace {
CompileReport Finish(seclang::Parser& parser, const CompileOptions& options) {
  parser.Finish();
  CompileReport report;
  report.errors = parser.errors();
  report.warnings = parser.warnings();
  if (!parser.ok() && report.errors.empty()) {
    report.errors.push_back(seclang::Diagnostic{{}, "too many errors", {}});
  }
  // Compile what parsed even after parse errors, so one run reports every problem; the report
  // carries no rules while any error exists.
  Compiler c(options, &report);
  c.Run(parser.TakeRuleSet());
  return report;
}

seclang::ParseOptions ToParseOptions(const CompileOptions& options) {
  seclang::ParseOptions po;
  po.base_dir = options.base_dir;
  po.allow_file_access = options.allow_file_access;
  po.check_data_files = options.allow_file_access;
  return po;
}
}  // namespace

CompileReport CompileFiles(const std::vector<std::string>& paths_or_globs,
                           const CompileOptions& options) {
  seclang::Parser parser(ToParseOptions(options));
  for (const std::string& p : paths_or_globs) parser.ParseFile(p);
  return Finish(parser, options);
}

CompileReport CompileString(std::string_view text, std::string_view pseudo_file,
                            const CompileOptions& options) {
  seclang::Parser parser(ToParseOptions(options));
  parser.ParseString(text, pseudo_file);
  return Finish(parser, options);
}

}  // namespace gs::waf
