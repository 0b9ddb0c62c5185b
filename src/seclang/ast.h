// The SecLang abstract syntax tree: what the parser produces and the rule compiler consumes.
//
// Plain, copyable value types. Every node keeps its source location and the raw text it came
// from (quotes removed) next to the typed interpretation, so the compiler can report errors in
// the user's terms and the linter can print what it understood. Nothing here evaluates a rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "seclang/names.h"

namespace gs::seclang {

struct SourceLocation {
  std::string file;     // path as opened (or the pseudo-file name for string input)
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in bytes

  std::string ToString() const;  // "file:line:col", or "file" when line is 0
};

// One parse or validation error. All errors of a load are collected, never just the first.
struct Diagnostic {
  SourceLocation location;
  std::string message;
  std::string hint;  // may be empty

  // "file:line:col: message (hint: ...)".
  std::string ToString() const;
};

// One element of a rule's target list, e.g. `!REQUEST_COOKIES:/__utm/` or `&ARGS`.
struct Variable {
  VariableId id;
  std::string key;  // literal key, regex body (without slashes), or XPath for XML
  bool key_is_regex = false;
  bool exclusion = false;  // '!': remove matching items from the collection
  bool count = false;      // '&': the number of items instead of their values
  SourceLocation location;
};

struct Operator {
  OperatorId id = OperatorId::kRx;
  bool negated = false;     // '!@op'
  bool implicit = false;    // no '@': ModSecurity's default @rx
  std::string argument;     // raw, after the operator name and the whitespace that follows it
  bool has_macros = false;  // argument contains "%{"
  // For @pmFromFile / @ipMatchFromFile / ...: argument resolved against the rule file's dir.
  std::vector<std::string> resolved_files;
  SourceLocation location;
};

// setvar:[!]collection.name[=[+|-]value]
struct SetVar {
  enum class Op : uint8_t { kSet, kAdd, kSubtract, kDelete };
  VariableId collection = VariableId::kTx;
  std::string name;  // may contain %{macros}
  Op op = Op::kSet;
  std::string value;       // raw, may hold %{macros}; empty for kDelete
  bool has_value = false;  // false for kDelete and for a bare `setvar:tx.x` (no "=")
};

// ctl:option=value. For ruleRemoveTarget*: `selector;TARGETS` split into its two parts.
struct Ctl {
  CtlOption option = CtlOption::kRuleEngine;
  std::string value;
  std::string selector;           // ruleRemoveTarget*: the id/range, tag or msg
  std::vector<Variable> targets;  // ruleRemoveTarget*: the parsed target list
};

// expirevar:collection.name=seconds, deprecatevar:collection.name=amount/seconds
struct CollectionVar {
  VariableId collection = VariableId::kTx;
  std::string name;
  std::string value;
};

// initcol:collection=key
struct InitCol {
  VariableId collection = VariableId::kIp;
  std::string key;
};

struct Action {
  ActionId id;
  std::string value;  // raw value, outer single quotes removed; empty if none
  bool quoted = false;
  SourceLocation location;
  // Typed parse for the structured actions; monostate for free text (msg, tag, logdata ...).
  //   int64_t: id, phase (1..5), severity (0..7), skip, status, accuracy, maturity
  //   TransformationId: t
  std::variant<std::monostate, int64_t, TransformationId, SetVar, Ctl, CollectionVar, InitCol>
      parsed;
};

// SecRule and SecAction (an action is a rule with no variables and an unconditional match).
struct Rule {
  SourceLocation location;
  bool is_action = false;  // SecAction
  std::vector<Variable> variables;
  Operator op;
  std::vector<Action> actions;

  // Summaries of the actions, filled by the parser for convenience.
  int64_t id = 0;      // 0: none (only valid for chained children)
  int phase = 0;       // 0: not given (SecDefaultAction or the default 2 applies)
  int severity = -1;   // -1: not given
  bool chain = false;  // this rule has the `chain` action
  std::vector<TransformationId> transformations;  // in order; kNone resets
  std::optional<ActionId> disruptive;             // last disruptive action, if any

  // Chain links as indexes into RuleSet::rules.
  std::optional<size_t> parent;  // the previous rule of the chain (for children)
  std::optional<size_t> child;   // the next rule of the chain
  size_t chain_head = 0;         // index of the chain's first rule (itself for a head)
};

// One directive in load order. SecRule/SecAction point to their Rule; other directives keep
// their unquoted arguments and, where relevant, parsed actions or variables.
struct Directive {
  DirectiveId id;
  SourceLocation location;
  std::vector<std::string> args;      // unquoted arguments after the directive name
  std::optional<size_t> rule;         // SecRule / SecAction: index into RuleSet::rules
  std::vector<Action> actions;        // SecDefaultAction, SecRuleUpdateActionById
  std::vector<Variable> variables;    // SecRuleUpdateTarget*: targets (args[1])
  std::vector<Variable> replacement;  // SecRuleUpdateTarget*: optional REPLACEMENT (args[2])
  // SecRuleRemoveById / SecRuleUpdate*ById: inclusive id ranges (single id: first == last).
  std::vector<std::pair<int64_t, int64_t>> id_ranges;
  std::string resolved_path;  // paths resolved against the including file (data dirs ...)
};

// The result of loading one file set (everything one Parser saw).
struct RuleSet {
  std::vector<Directive> directives;
  std::vector<Rule> rules;
  std::vector<std::string> files;  // every file read, in order (for reload watching)
};

}  // namespace gs::seclang
