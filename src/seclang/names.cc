// Static tables behind names.h. Linear case-insensitive scans are enough: the tables hold at most
// ~110 entries and lookups happen only at load time.
#include "seclang/names.h"

#include <array>

namespace gs::seclang {
namespace {

constexpr VariableInfo kVariables[] = {
#define GS_X(e, s, k) {VariableId::e, s, k},
    GS_SECLANG_VARIABLES(GS_X)
#undef GS_X
};
constexpr OperatorInfo kOperators[] = {
#define GS_X(e, s, a) {OperatorId::e, s, a},
    GS_SECLANG_OPERATORS(GS_X)
#undef GS_X
};
constexpr TransformationInfo kTransformations[] = {
#define GS_X(e, s) {TransformationId::e, s},
    GS_SECLANG_TRANSFORMATIONS(GS_X)
#undef GS_X
};
constexpr ActionInfo kActions[] = {
#define GS_X(e, s, g, v) {ActionId::e, s, ActionGroup::g, ActionValue::v},
    GS_SECLANG_ACTIONS(GS_X)
#undef GS_X
};
constexpr CtlInfo kCtlOptions[] = {
#define GS_X(e, s) {CtlOption::e, s},
    GS_SECLANG_CTL_OPTIONS(GS_X)
#undef GS_X
};
constexpr DirectiveInfo kDirectives[] = {
#define GS_X(e, s, a, u) {DirectiveId::e, s, DirectiveArgs::a, u},
    GS_SECLANG_DIRECTIVES(GS_X)
#undef GS_X
};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

template <typename T, size_t N>
const T* FindIn(const T (&table)[N], std::string_view name) {
  for (const T& e : table) {
    if (EqualsIgnoreCase(e.name, name)) return &e;
  }
  return nullptr;
}

constexpr std::array<std::string_view, 8> kSeverities = {
    "EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"};

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

const VariableInfo* FindVariable(std::string_view name) { return FindIn(kVariables, name); }
const OperatorInfo* FindOperator(std::string_view name) { return FindIn(kOperators, name); }
const TransformationInfo* FindTransformation(std::string_view name) {
  return FindIn(kTransformations, name);
}
const ActionInfo* FindAction(std::string_view name) { return FindIn(kActions, name); }
const CtlInfo* FindCtlOption(std::string_view name) { return FindIn(kCtlOptions, name); }
const DirectiveInfo* FindDirective(std::string_view name) { return FindIn(kDirectives, name); }

const VariableInfo& GetVariable(VariableId id) { return kVariables[static_cast<size_t>(id)]; }
const OperatorInfo& GetOperator(OperatorId id) { return kOperators[static_cast<size_t>(id)]; }
const TransformationInfo& GetTransformation(TransformationId id) {
  return kTransformations[static_cast<size_t>(id)];
}
const ActionInfo& GetAction(ActionId id) { return kActions[static_cast<size_t>(id)]; }
const CtlInfo& GetCtlOption(CtlOption id) { return kCtlOptions[static_cast<size_t>(id)]; }
const DirectiveInfo& GetDirective(DirectiveId id) { return kDirectives[static_cast<size_t>(id)]; }

bool IsWritableCollection(VariableId id) {
  switch (id) {
    case VariableId::kTx:
    case VariableId::kIp:
    case VariableId::kGlobal:
    case VariableId::kSession:
    case VariableId::kUser:
    case VariableId::kResource:
      return true;
    default:
      return false;
  }
}

std::optional<int> ParseSeverity(std::string_view text) {
  for (size_t i = 0; i < kSeverities.size(); ++i) {
    if (EqualsIgnoreCase(kSeverities[i], text)) return static_cast<int>(i);
  }
  if (text.size() == 1 && text[0] >= '0' && text[0] <= '7') return text[0] - '0';
  return std::nullopt;
}

std::string_view SeverityName(int severity) {
  if (severity < 0 || severity >= static_cast<int>(kSeverities.size())) return "UNKNOWN";
  return kSeverities[static_cast<size_t>(severity)];
}

}  // namespace gs::seclang
