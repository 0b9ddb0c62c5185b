// The compiled, immutable form of a SecLang rule set (internal to the WAF engine).
//
// The compiler (compiler.cc) turns the parser's AST into these structures once per load:
// operators compiled, transformation chains resolved against SecDefaultAction and t:none,
// SecRuleRemove*/SecRuleUpdate* applied, chains linked by index, SecMarker/skipAfter resolved to
// marker numbers, and every rule placed in its phase's list. The runtime (transaction.cc) only
// reads them, so one CompiledRules is shared by every thread and transaction without locks.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ruleengine/operators/operator.h"
#include "ruleengine/prefilter/prefilter.h"
#include "ruleengine/transforms/transforms.h"
#include "seclang/ast.h"
#include "seclang/names.h"
#include "waf/data_class.h"
#include "waf/waf.h"

namespace gs::waf {

// A string with %{macros}, split at load time into literal and variable parts.
struct MacroPart {
  bool literal = true;
  std::string text;                                    // literal text
  seclang::VariableId var = seclang::VariableId::kTx;  // variable reference
  std::string key;                                     // lower-cased key ("" = whole var)
  bool rule_meta = false;                              // %{rule.id} etc.
  int32_t tx_slot = -1;  // %{tx.<key>}: the key's TxSlot (CompiledRules::tx_slot_count)
};
struct MacroString {
  std::string raw;
  std::vector<MacroPart> parts;
  bool has_macros = false;
  bool empty() const { return raw.empty(); }
};
MacroString ParseMacroString(std::string_view text);

// A /regex/ key (case-insensitive). Identical regexes in a rule set share one KeyRegex, whose
// dense `id` lets a transaction remember the answer per TX variable name (names repeat in every
// transaction); `prefilter`, when the regex has required literals, answers "no" without PCRE2.
struct KeyRegex {
  std::unique_ptr<const operators::Operator> re;
  std::shared_ptr<const prefilter::LiteralMatcher> prefilter;  // null: always run `re`
  std::string text;
  uint32_t id = 0;
  bool Matches(std::string_view key, operators::MatchContext* ctx) const {
    if (prefilter != nullptr && !prefilter->MayMatch(key)) return false;
    return re->Evaluate(key, ctx);
  }
};

// One target of a rule after SecRuleUpdateTarget* and exclusions are applied.
struct CompiledVar {
  seclang::VariableId id;
  std::string key;        // literal key (original case) or XPath
  std::string key_lower;  // for case-insensitive compares
  bool count = false;
  std::shared_ptr<const KeyRegex> key_regex;  // /regex/ keys, case-insensitive
  uint32_t target_id = 0;  // equal for equal (variable, key) selections across rules
  int32_t tx_slot = -1;    // TX:<literal key>: the key's TX slot
};

enum class Disruptive : uint8_t { kNone, kPass, kBlock, kDeny, kDrop, kAllow, kRedirect };
enum class AllowType : uint8_t { kNone, kFromNowOn, kPhase, kRequest };

// A runtime action executed after a full match (in rule order).
struct RunAction {
  seclang::ActionId id;
  seclang::Ctl ctl;                                 // for ctl
  std::vector<std::pair<int64_t, int64_t>> ranges;  // ctl ruleRemoveById(Target) ranges
  std::vector<CompiledVar> ctl_targets;
  MacroString value;  // initcol key, setuid/setsid value, expirevar seconds
  seclang::VariableId collection = seclang::VariableId::kTx;
  MacroString name;    // expirevar name
  int64_t number = 0;  // skip count, status
  int marker = -1;     // skipAfter: marker number (-1: unknown marker)
};

struct CompiledSetVar {
  seclang::VariableId collection;
  MacroString name;
  seclang::SetVar::Op op;
  bool has_value;
  MacroString value;
  int32_t tx_slot = -1;  // setvar:tx.<name without macros>: the name's TX slot
};

struct alignas(64) CompiledRule {
  // What the walk and EvalRule read on every visit, together in the first cache line (the rules
  // of a phase are visited in order, each a few hundred bytes from the next).
  int64_t id = 0;
  std::unique_ptr<const operators::Operator> op;
  std::vector<CompiledVar> vars;
  const CompiledRule* child = nullptr;  // next rule in the chain
  uint32_t chain_id = 0;    // index of `transforms` in CompiledRules::chains (shared chains)
  uint32_t rule_index = 0;  // dense index over every compiled rule (prefilter bit)
  bool is_action = false;   // SecAction
  bool is_marker = false;   // SecMarker entry in a phase list
  bool negated = false;
  bool dynamic = false;
  bool multi_match = false;
  bool capture = false;
  // A literal prefilter guards the regex or @pm (see CompiledRules::all_prefilter); else why not.
  bool prefiltered = false;
  bool is_chain_child = false;

  int phase = 2;
  std::string file;
  int line = 0;
  int marker = -1;  // marker number for SecMarker entries
  std::string marker_name;

  std::vector<CompiledVar> exclusions;

  seclang::OperatorId op_id = seclang::OperatorId::kRx;
  std::string op_name;
  MacroString op_arg;

  std::vector<transforms::TransformFn> transforms;

  MacroString msg, logdata;
  std::vector<std::string> tags;
  int severity = -1;
  std::string ver, rev;
  int maturity = -1, accuracy = -1;
  int log = -1;  // -1 unset (default action's or true), 0 nolog, 1 log

  std::vector<CompiledSetVar> setvars;  // run on every matched value
  std::vector<RunAction> after_match;   // ctl, skip, skipAfter, initcol, expirevar ...
  Disruptive disruptive = Disruptive::kNone;
  AllowType allow = AllowType::kNone;
  MacroString redirect_url;
  int status = 0;  // 0: not set

  std::string prefilter_note;
  // Values too large for the prefilter automaton are checked against these literals with
  // prefilter::FindAnyByRareBytes instead: a prefiltered @rx rule's requirement, an @pm rule's
  // phrases (empty: no such check, the operator runs).
  std::vector<prefilter::Literal> large_literals;
};

// A distinct transformation chain, with each step's trigger features (transforms::TriggersOf):
// a value without any of a step's triggers passes the step unchanged, so it is not run, and a
// value without any of `any_trigger` comes out of the whole chain as it went in.
struct TransformChain {
  std::vector<transforms::TransformFn> fns;
  std::vector<transforms::Features> triggers;
  transforms::Features any_trigger = 0;
};

// Whether the literal prefilter alone decides rule `r` on target `cv`: a prefiltered operator,
// not negated (its "no literal" is then "no match"), not multiMatch (the intermediate values are
// not prefiltered), on request data (whose prefilter bits stay valid until the data changes; TX
// values are rewritten by setvar) read whole (not &count).
inline bool PrefilterDecidesTarget(const CompiledRule& r, const CompiledVar& cv) {
  return r.prefiltered && !r.negated && !r.multi_match && !cv.count && IsRequestData(cv.id);
}

// The phase walk's packed view of one entry of CompiledRules::phases[p] (same order): enough to
// pass over most rules without loading their CompiledRule, which spans several cache lines far
// from its neighbours'. `by_prefilter`: the literal prefilter alone decides the rule on every
// target (PrefilterDecidesTarget); the walk then tests the rule's bit in each target's (target,
// chain) aggregate
// (WalkTarget, in CompiledRules::walk_targets[p] from targets_begin to targets_end) and loads
// the rule only when one is set.
struct WalkEntry {
  const CompiledRule* rule = nullptr;
  const CompiledVar* vars = nullptr;  // rule->vars.data(), to prefetch
  uint32_t rule_index = 0;
  uint32_t chain_id = 0;
  uint32_t targets_begin = 0;
  uint32_t targets_end = 0;
  bool marker = false;
  bool by_prefilter = false;
};
struct WalkTarget {
  uint32_t target_id = 0;
  int32_t data_class = 0;  // DataClassOf(var->id)
  const CompiledVar* var = nullptr;
};

struct DefaultActions {
  std::vector<transforms::TransformFn> transforms;
  Disruptive disruptive = Disruptive::kPass;
  AllowType allow = AllowType::kNone;
  MacroString redirect_url;
  int status = 0;
  int log = -1;
  bool present = false;
};

enum class EngineMode : uint8_t { kOff, kOn, kDetectionOnly };

struct WafConfig {
  EngineMode engine = EngineMode::kDetectionOnly;
  bool request_body_access = true;  // libmodsecurity: only an explicit Off disables it
  uint64_t request_body_limit = 134217728;
  bool request_body_limit_reject = false;
  uint64_t request_body_no_files_limit = 1048576;
  bool response_body_access = false;
  uint64_t response_body_limit = 524288;
  bool response_body_limit_reject = false;
  std::vector<std::string> response_mime_types;  // lower-case; empty: all
  bool response_mime_types_set = false;
  char argument_separator = '&';
  size_t arguments_limit = 0;
  uint32_t pcre_match_limit = 0;
  uint32_t pcre_match_limit_recursion = 0;
  int64_t collection_timeout = 3600;
  std::string geo_db;
  size_t upload_file_limit = 100;
  size_t json_depth_limit = 10000;
  std::string audit_engine = "Off";
  std::string audit_log_parts;
  std::string web_app_id = "default";
  std::string component_signature;
};

class CompiledRules {
 public:
  WafConfig config;
  std::vector<std::unique_ptr<CompiledRule>> storage;  // owns every rule (heads, children, markers)
  std::array<std::vector<const CompiledRule*>, 6> phases;  // index 1..5
  std::array<DefaultActions, 6> defaults;
  std::vector<std::string> marker_names;
  // Per phase, per marker number: the positions of that marker's entries in phases[phase], in
  // order, so a skipAfter jumps instead of walking the rules it skips.
  std::array<std::vector<std::vector<uint32_t>>, 6> marker_positions;
  // phases[p] as the walk reads it (WalkEntry), and the targets of its by_prefilter entries.
  std::array<std::vector<WalkEntry>, 6> walk;
  std::array<std::vector<WalkTarget>, 6> walk_targets;
  std::vector<CompileReport::RuleInfo> rule_info;
  transforms::TransformContext transform_ctx;
  // Distinct transformation chains; rules with the same chain share cached results per value.
  std::vector<TransformChain> chains;
  // Every prefiltered @rx rule's literal requirement (and static @pm's phrases) in one
  // automaton: one pass over a distinct transformed value decides all those rules at once
  // (shared by every chain producing it).
  std::shared_ptr<const prefilter::PrefilterSet> all_prefilter;
  uint32_t rule_count = 0;
  uint32_t target_count = 0;     // distinct CompiledVar::target_id values
  uint32_t key_regex_count = 0;  // distinct KeyRegex::id values
  // TX slots: every TX variable name the rules spell out (TX:name targets, setvar:tx.name,
  // %{tx.name}; slots 0-9 are the capture names "0".."9") gets a dense number, so a transaction
  // finds the variable through an array instead of hashing the name (names in macros or regex
  // keys still go through the hash map). Lower-case names, by slot.
  std::vector<std::string> tx_slot_names;
  // Unique per compiled rule set in the process (state a pooled transaction keeps per rule set,
  // such as key-regex answers per TX name, is recognised by it after a rule swap).
  uint64_t serial = 0;
  std::unique_ptr<transforms::UnicodeMap> unicode_map;
};

}  // namespace gs::waf
