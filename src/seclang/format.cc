// Implementation of format.h.
#include "seclang/format.h"

namespace gs::seclang {

std::string FormatVariable(const Variable& v) {
  std::string s;
  if (v.exclusion) s += '!';
  if (v.count) s += '&';
  s += GetVariable(v.id).name;
  if (v.key_is_regex) {
    s += ":/" + v.key + "/";
  } else if (!v.key.empty()) {
    s += ":" + v.key;
  }
  return s;
}

std::string FormatVariables(const std::vector<Variable>& vars) {
  std::string s;
  for (const Variable& v : vars) {
    if (!s.empty()) s += '|';
    s += FormatVariable(v);
  }
  return s;
}

std::string FormatOperator(const Operator& op) {
  std::string s = op.negated ? "!@" : "@";
  s += GetOperator(op.id).name;
  if (!op.argument.empty()) s += " " + op.argument;
  return s;
}

std::string FormatRuleSummary(const Rule& rule) {
  std::string s = rule.parent ? std::string("  chained") : std::to_string(rule.id);
  if (rule.phase != 0) s += " phase:" + std::to_string(rule.phase);
  if (rule.is_action) {
    s += " SecAction";
  } else {
    s += " " + FormatVariables(rule.variables);
    std::string op = FormatOperator(rule.op);
    constexpr size_t kMaxOp = 60;
    if (op.size() > kMaxOp) op = op.substr(0, kMaxOp) + "...(" + std::to_string(op.size()) + "B)";
    s += " " + op;
  }
  if (!rule.transformations.empty()) {
    s += " t:";
    for (size_t i = 0; i < rule.transformations.size(); ++i) {
      if (i) s += ',';
      s += GetTransformation(rule.transformations[i]).name;
    }
  }
  // Flags: disruptive, flow and logging actions plus counts of the structured ones.
  std::string flags;
  auto add = [&](std::string_view f) {
    if (!flags.empty()) flags += ',';
    flags += f;
  };
  size_t setvars = 0, ctls = 0;
  for (const Action& a : rule.actions) {
    switch (a.id) {
      case ActionId::kSetvar:
        ++setvars;
        break;
      case ActionId::kCtl:
        ++ctls;
        break;
      case ActionId::kAllow:
      case ActionId::kBlock:
      case ActionId::kDeny:
      case ActionId::kDrop:
      case ActionId::kPass:
      case ActionId::kCapture:
      case ActionId::kChain:
      case ActionId::kLog:
      case ActionId::kNolog:
      case ActionId::kAuditlog:
      case ActionId::kNoauditlog:
      case ActionId::kMultiMatch:
        add(GetAction(a.id).name);
        break;
      case ActionId::kRedirect:
      case ActionId::kStatus:
      case ActionId::kSkip:
      case ActionId::kSkipAfter:
      case ActionId::kSeverity:
        add(std::string(GetAction(a.id).name) + ":" + a.value);
        break;
      default:
        break;
    }
  }
  if (setvars) add("setvar*" + std::to_string(setvars));
  if (ctls) add("ctl*" + std::to_string(ctls));
  if (!flags.empty()) s += " [" + flags + "]";
  return s;
}

}  // namespace gs::seclang
