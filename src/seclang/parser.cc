// Implementation of parser.h: directive dispatch, rule/variable/operator/action parsing and the
// parse-time validation. Straight-line code over the lexer's tokens; the only recursion is
// Include, bounded by ParseOptions::max_include_depth.
#include "seclang/parser.h"

#include <glob.h>
#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "platform/file.h"
#include "seclang/lexer.h"

namespace gs::seclang {

std::string SourceLocation::ToString() const {
  if (line == 0) return file;  // a whole file or command-line argument
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::ToString() const {
  std::string s = location.ToString() + ": " + message;
  if (!hint.empty()) s += " (hint: " + hint + ")";
  return s;
}

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// Unsigned decimal without sign or blanks; nullopt on anything else or overflow past `max`.
std::optional<int64_t> ParseUnsigned(std::string_view s, int64_t max = INT64_MAX) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    int d = c - '0';
    if (v > (max - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// Levenshtein distance, case-insensitive; both strings are at most kMaxSuggestLen bytes.
constexpr size_t kMaxSuggestLen = 48;
size_t EditDistance(std::string_view a, std::string_view b) {
  std::array<size_t, kMaxSuggestLen + 1> prev{}, cur{};
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      char x = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i - 1])));
      char y = static_cast<char>(std::tolower(static_cast<unsigned char>(b[j - 1])));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x == y ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// "did you mean 'x'?" for the closest known name within a few edits, or `fallback`.
template <size_t N>
std::string Suggest(std::string_view name, const std::string_view (&names)[N],
                    std::string fallback) {
  if (name.size() > kMaxSuggestLen) return fallback;
  const size_t limit = std::max<size_t>(2, name.size() / 4);
  size_t best = SIZE_MAX;
  std::string_view best_name;
  for (std::string_view n : names) {
    size_t diff = n.size() > name.size() ? n.size() - name.size() : name.size() - n.size();
    if (diff > limit || n.size() > kMaxSuggestLen) continue;  // cannot be within the limit
    size_t d = EditDistance(name, n);
    if (d < best) {
      best = d;
      best_name = n;
    }
  }
  if (best <= limit) return "did you mean '" + std::string(best_name) + "'?";
  return fallback;
}

constexpr std::string_view kVariableNames[] = {
#define GS_X(e, s, k) s,
    GS_SECLANG_VARIABLES(GS_X)
#undef GS_X
};
constexpr std::string_view kOperatorNames[] = {
#define GS_X(e, s, a) s,
    GS_SECLANG_OPERATORS(GS_X)
#undef GS_X
};
constexpr std::string_view kTransformationNames[] = {
#define GS_X(e, s) s,
    GS_SECLANG_TRANSFORMATIONS(GS_X)
#undef GS_X
};
constexpr std::string_view kActionNames[] = {
#define GS_X(e, s, g, v) s,
    GS_SECLANG_ACTIONS(GS_X)
#undef GS_X
};
constexpr std::string_view kCtlNames[] = {
#define GS_X(e, s) s,
    GS_SECLANG_CTL_OPTIONS(GS_X)
#undef GS_X
};
constexpr std::string_view kDirectiveNames[] = {
#define GS_X(e, s, a, u) s,
    GS_SECLANG_DIRECTIVES(GS_X)
#undef GS_X
};

bool IsAbsolute(std::string_view p) { return !p.empty() && p.front() == '/'; }

std::string Resolve(const std::string& dir, std::string_view path) {
  if (IsAbsolute(path) || dir.empty()) return std::string(path);
  return platform::JoinPath(dir, path);
}

bool HasGlobChars(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

bool IsRemote(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

}  // namespace

// Parses the directives of one logical line. Holds the position map so every error can point
// into the line, including inside quoted arguments.
class DirectiveParser {
 public:
  DirectiveParser(Parser& p, const LogicalLine& line, const std::string& file,
                  const std::string& dir, int depth)
      : p_(p), line_(line), file_(file), dir_(dir), depth_(depth) {}

  void Run();

 private:
  SourceLocation Loc(size_t offset) const {
    SourceLocation l;
    l.file = file_;
    line_.Position(offset, &l.line, &l.column);
    return l;
  }
  // Location of byte `inner` inside token `t`'s value.
  SourceLocation LocIn(const Token& t, size_t inner) const {
    return Loc(t.offset + (t.quoted ? 1 : 0) + inner);
  }
  void Error(SourceLocation loc, std::string msg, std::string hint = {}) {
    p_.Error(std::move(loc), std::move(msg), std::move(hint));
  }
  void Warning(SourceLocation loc, std::string msg, std::string hint = {}) {
    p_.Warning(std::move(loc), std::move(msg), std::move(hint));
  }

  void ParseRule(Directive& d, bool is_action);
  void ParseDefaultAction(Directive& d);
  void ParseConfig(Directive& d, const DirectiveInfo& info);
  void ParseRemoveById(Directive& d);
  void ParseUpdateTarget(Directive& d);
  void ParseUpdateAction(Directive& d);

  bool ParseVariables(const Token& t, std::string_view text, size_t base,
                      std::vector<Variable>* out);
  bool ParseOperator(const Token& t, Operator* op);
  bool ParseActions(const Token& t, std::vector<Action>* out);
  bool ParseActionValue(Action& a, const Token& t, size_t value_offset);
  bool ParseIdRanges(std::string_view text, const SourceLocation& loc,
                     std::vector<std::pair<int64_t, int64_t>>* out);
  bool CheckDataFile(const std::string& path, const SourceLocation& loc, const char* what);
  // Warns about %{...} macros that are unterminated or name an unknown variable.
  void CheckMacros(std::string_view text, const SourceLocation& loc);

  Parser& p_;
  const LogicalLine& line_;
  const std::string& file_;
  const std::string& dir_;
  int depth_;
  std::vector<Token> tokens_;
};

void DirectiveParser::Run() {
  TokenizeResult tr = Tokenize(line_.text());
  if (!tr.ok) {
    // ModSecurity v3 closes a quote left open at the end of the line; so do we, with a warning,
    // so rule sets written against it still load.
    p_.Warning(Loc(tr.error_offset), "unterminated quoted string, closed at the end of the line",
               "close the quote, or escape a literal quote as \\\" inside it");
  }
  tokens_ = std::move(tr.tokens);
  if (tokens_.empty()) return;
  const Token& name = tokens_[0];
  const DirectiveInfo* info = name.quoted ? nullptr : FindDirective(name.value);
  if (info == nullptr) {
    if (name.quoted) {
      Error(Loc(name.offset), "expected a directive, got a quoted string",
            "the previous line may end in '\\' followed by blanks; the backslash must be last");
      return;
    }
    Error(Loc(name.offset), "unknown directive '" + name.value + "'",
          Suggest(name.value, kDirectiveNames,
                  "SecLang directives start with 'Sec' or are 'Include'"));
    return;
  }
  Directive d;
  d.id = info->id;
  d.location = Loc(name.offset);
  for (size_t i = 1; i < tokens_.size(); ++i) d.args.push_back(tokens_[i].value);

  if (!info->supported) {
    std::string why, hint;
    switch (info->id) {
      case DirectiveId::kSecRemoteRules:
      case DirectiveId::kSecRemoteRulesFailAction:
        why = "rules are never downloaded at load time";
        hint = "download the rules into a local file and Include it";
        break;
      case DirectiveId::kSecRuleScript:
        why = "GovShield runs no Lua scripts";
        hint = "express the script's checks as SecRule directives";
        break;
      default:
        why = "it exists only in ModSecurity v2 (Apache), not in v3";
        hint = "remove it; ModSecurity v3 rejects it as well";
    }
    Error(d.location, "directive " + std::string(info->name) + " is not supported: " + why, hint);
    return;
  }

  // A chain must continue with a SecRule; anything else ends it with an error.
  if (p_.open_chain_ && info->id != DirectiveId::kSecRule) {
    p_.CloseOpenChain(d.location);
  }

  switch (info->id) {
    case DirectiveId::kSecRule:
      ParseRule(d, false);
      return;
    case DirectiveId::kSecAction:
      ParseRule(d, true);
      return;
    case DirectiveId::kSecDefaultAction:
      ParseDefaultAction(d);
      break;
    case DirectiveId::kInclude:
    case DirectiveId::kIncludeOptional:
      if (d.args.size() != 1) {
        Error(d.location, std::string(info->name) + " takes exactly one path or glob",
              "quote paths with spaces");
        return;
      }
      p_.set_.directives.push_back(d);
      p_.ParseInclude(d.args[0], dir_, depth_, d.location,
                      info->id == DirectiveId::kIncludeOptional);
      return;
    case DirectiveId::kSecRuleRemoveById:
      ParseRemoveById(d);
      break;
    case DirectiveId::kSecRuleUpdateTargetById:
    case DirectiveId::kSecRuleUpdateTargetByTag:
    case DirectiveId::kSecRuleUpdateTargetByMsg:
      ParseUpdateTarget(d);
      break;
    case DirectiveId::kSecRuleUpdateActionById:
      ParseUpdateAction(d);
      break;
    default:
      ParseConfig(d, *info);
      break;
  }
  p_.set_.directives.push_back(std::move(d));
}

void DirectiveParser::ParseConfig(Directive& d, const DirectiveInfo& info) {
  const std::string name(info.name);
  auto want_count = [&](size_t n) {
    if (d.args.size() == n) return true;
    Error(d.location,
          name + " takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") + ", got " +
              std::to_string(d.args.size()),
          "quote a value that contains blanks");
    return false;
  };
  auto one_of = [&](std::initializer_list<std::string_view> allowed) {
    if (!want_count(1)) return;
    for (std::string_view a : allowed) {
      if (EqualsIgnoreCase(a, d.args[0])) return;
    }
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    Error(LocIn(tokens_[1], 0), "invalid value '" + d.args[0] + "' for " + name,
          "expected one of: " + list);
  };
  switch (info.args) {
    case DirectiveArgs::kOnOff:
      one_of({"On", "Off"});
      break;
    case DirectiveArgs::kOnOffDetect:
      one_of({"On", "Off", "DetectionOnly"});
      break;
    case DirectiveArgs::kAuditEngine:
      one_of({"On", "Off", "RelevantOnly"});
      break;
    case DirectiveArgs::kLimitAction:
      one_of({"Reject", "ProcessPartial"});
      break;
    case DirectiveArgs::kAuditLogType:
      one_of({"Serial", "Concurrent", "Parallel", "HTTPS"});
      break;
    case DirectiveArgs::kAuditLogFormat:
      one_of({"JSON", "Native"});
      break;
    case DirectiveArgs::kNumber:
      if (want_count(1) && !ParseUnsigned(d.args[0])) {
        Error(LocIn(tokens_[1], 0),
              name + " needs a non-negative integer, got '" + d.args[0] + "'");
      }
      break;
    case DirectiveArgs::kOctalMode:
      if (want_count(1)) {
        bool ok = !d.args[0].empty() && d.args[0].size() <= 4 &&
                  d.args[0].find_first_not_of("01234567") == std::string::npos;
        if (!ok) {
          Error(LocIn(tokens_[1], 0), name + " needs an octal file mode, got '" + d.args[0] + "'",
                "for example 0600");
        }
      }
      break;
    case DirectiveArgs::kAuditLogParts:
      if (want_count(1) &&
          (d.args[0].empty() || d.args[0].find_first_not_of("ABCDEFGHIJKZ") != std::string::npos)) {
        Error(LocIn(tokens_[1], 0), "invalid audit log parts '" + d.args[0] + "'",
              "use letters from ABCDEFGHIJKZ, e.g. ABIJDEFHZ");
      }
      break;
    case DirectiveArgs::kOneString:
      want_count(1);
      break;
    case DirectiveArgs::kTwoStrings:
      want_count(2);
      break;
    case DirectiveArgs::kOneOrMore:
      if (d.args.empty()) Error(d.location, name + " needs at least one argument");
      break;
    case DirectiveArgs::kNone:
      want_count(0);
      break;
    case DirectiveArgs::kSpecial:
      break;
  }
  if (d.args.empty()) return;
  switch (info.id) {
    case DirectiveId::kSecMarker:
      if (d.args.size() == 1 && d.args[0].empty()) Error(d.location, "SecMarker needs a name");
      break;
    case DirectiveId::kSecTmpDir:
    case DirectiveId::kSecDataDir:
    case DirectiveId::kSecUploadDir:
    case DirectiveId::kSecAuditLogStorageDir:
    case DirectiveId::kSecAuditLog:
    case DirectiveId::kSecAuditLog2:
    case DirectiveId::kSecDebugLog:
      // Run-time locations: resolved for the engine, not required to exist at parse time.
      d.resolved_path = p_.ResolvePath(dir_, d.args[0]);
      break;
    case DirectiveId::kSecGeoLookupDb:
      d.resolved_path = p_.ResolvePath(dir_, d.args[0]);
      CheckDataFile(d.resolved_path, LocIn(tokens_[1], 0), "GeoIP database");
      break;
    case DirectiveId::kSecUnicodeMapFile:
      if (d.args.size() == 2) {
        d.resolved_path = p_.ResolvePath(dir_, d.args[0]);
        CheckDataFile(d.resolved_path, LocIn(tokens_[1], 0), "unicode map file");
        if (!ParseUnsigned(d.args[1])) {
          Error(LocIn(tokens_[2], 0),
                "SecUnicodeMapFile needs a numeric code page, got '" + d.args[1] + "'",
                "for example 20127");
        }
      }
      break;
    case DirectiveId::kSecArgumentSeparator:
      if (d.args[0].size() != 1) {
        Error(LocIn(tokens_[1], 0), "SecArgumentSeparator needs exactly one character");
      }
      break;
    case DirectiveId::kSecCookieFormat:
      if (d.args[0] != "0" && d.args[0] != "1") {
        Error(LocIn(tokens_[1], 0), "SecCookieFormat must be 0 or 1");
      }
      break;
    case DirectiveId::kSecRuleRemoveByTag:
    case DirectiveId::kSecRuleRemoveByMsg:
      if (d.args[0].empty()) Error(d.location, name + " needs a non-empty pattern");
      break;
    default:
      break;
  }
}

void DirectiveParser::CheckMacros(std::string_view text, const SourceLocation& loc) {
  size_t i = 0;
  while ((i = text.find("%{", i)) != std::string_view::npos) {
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      Warning(loc, "unterminated macro '" + std::string(text.substr(i, 32)) + "'",
              "macros look like %{TX.name} or %{MATCHED_VAR}; the text is used literally");
      return;
    }
    std::string_view body = text.substr(i + 2, close - i - 2);
    std::string_view name = body.substr(0, body.find_first_of(".:"));
    // RULE.* (rule metadata) and numbered captures (TX.0) are fine; only the collection or
    // variable name is checked.
    if (!name.empty() && FindVariable(name) == nullptr) {
      Warning(
          loc,
          "macro %{" + std::string(body) + "} names unknown variable '" + std::string(name) + "'",
          Suggest(name, kVariableNames, "it will expand to nothing"));
    }
    i = close + 1;
  }
}

bool DirectiveParser::CheckDataFile(const std::string& path, const SourceLocation& loc,
                                    const char* what) {
  if (!p_.options_.allow_file_access || !p_.options_.check_data_files) return true;
  if (!platform::PathExists(path)) {
    Error(loc, std::string(what) + " not found: " + path,
          "relative paths resolve against the directory of the file that names them");
    return false;
  }
  return true;
}

bool DirectiveParser::ParseIdRanges(std::string_view text, const SourceLocation& loc,
                                    std::vector<std::pair<int64_t, int64_t>>* out) {
  bool ok = true;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find_first_of(", ", i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view item = text.substr(i, j - i);
    i = j + 1;
    if (item.empty()) continue;
    size_t dash = item.find('-');
    std::optional<int64_t> a, b;
    if (dash == std::string_view::npos) {
      a = b = ParseUnsigned(item);
    } else {
      a = ParseUnsigned(item.substr(0, dash));
      b = ParseUnsigned(item.substr(dash + 1));
    }
    if (!a || !b || *a > *b) {
      Error(loc, "invalid rule id or range '" + std::string(item) + "'",
            "use ids like 942100 or ranges like 942100-942999");
      ok = false;
      continue;
    }
    out->push_back({*a, *b});
  }
  return ok;
}

void DirectiveParser::ParseRemoveById(Directive& d) {
  if (d.args.empty()) {
    Error(d.location, "SecRuleRemoveById needs at least one id or range");
    return;
  }
  for (size_t i = 1; i < tokens_.size(); ++i) {
    ParseIdRanges(tokens_[i].value, LocIn(tokens_[i], 0), &d.id_ranges);
  }
}

void DirectiveParser::ParseUpdateTarget(Directive& d) {
  const std::string name(GetDirective(d.id).name);
  if (d.args.size() < 2 || d.args.size() > 3) {
    Error(d.location, name + " takes a selector, a target list and an optional replacement",
          "e.g. SecRuleUpdateTargetById 942100 !ARGS:password");
    return;
  }
  if (d.id == DirectiveId::kSecRuleUpdateTargetById) {
    ParseIdRanges(d.args[0], LocIn(tokens_[1], 0), &d.id_ranges);
  } else if (d.args[0].empty()) {
    Error(LocIn(tokens_[1], 0), name + " needs a non-empty selector");
  }
  ParseVariables(tokens_[2], tokens_[2].value, 0, &d.variables);
  if (d.args.size() == 3) ParseVariables(tokens_[3], tokens_[3].value, 0, &d.replacement);
}

void DirectiveParser::ParseUpdateAction(Directive& d) {
  if (d.args.size() != 2) {
    Error(d.location, "SecRuleUpdateActionById takes a rule id and an action list",
          "e.g. SecRuleUpdateActionById 942100 \"pass\"");
    return;
  }
  // "id" or "id:chain_offset".
  std::string_view sel = d.args[0];
  size_t colon = sel.find(':');
  std::optional<int64_t> id = ParseUnsigned(sel.substr(0, colon));
  bool ok =
      id && *id > 0 && (colon == std::string_view::npos || ParseUnsigned(sel.substr(colon + 1)));
  if (!ok) {
    Error(LocIn(tokens_[1], 0), "invalid rule id '" + d.args[0] + "'", "use ID or ID:OFFSET");
  } else {
    d.id_ranges.push_back({*id, *id});
  }
  if (!ParseActions(tokens_[2], &d.actions)) return;
  for (const Action& a : d.actions) {
    if (a.id == ActionId::kId || a.id == ActionId::kPhase || a.id == ActionId::kChain) {
      Error(a.location,
            "SecRuleUpdateActionById cannot change '" + std::string(GetAction(a.id).name) + "'",
            "write a new rule instead");
    }
  }
}

void DirectiveParser::ParseDefaultAction(Directive& d) {
  if (d.args.size() != 1) {
    Error(d.location, "SecDefaultAction takes one quoted action list",
          "e.g. SecDefaultAction \"phase:2,log,auditlog,pass\"");
    return;
  }
  if (!ParseActions(tokens_[1], &d.actions)) return;
  int phase = 2;
  bool disruptive = false;
  for (const Action& a : d.actions) {
    const ActionInfo& info = GetAction(a.id);
    if (a.id == ActionId::kPhase) {
      if (auto* v = std::get_if<int64_t>(&a.parsed)) phase = static_cast<int>(*v);
    }
    // `block` means "the default disruptive action", so it cannot define one.
    if (info.group == ActionGroup::kDisruptive && a.id != ActionId::kBlock) disruptive = true;
    // ModSecurity v3's "configuration kind" actions describe one rule, not a default.
    bool unsuitable = a.id == ActionId::kId || a.id == ActionId::kVer || a.id == ActionId::kRev ||
                      a.id == ActionId::kChain || a.id == ActionId::kMaturity ||
                      a.id == ActionId::kAccuracy;
    if (unsuitable) {
      Error(a.location,
            "action '" + std::string(info.name) + "' is not allowed in SecDefaultAction",
            "id, rev, ver, chain, maturity and accuracy belong to individual rules");
    }
    if (a.id == ActionId::kT) {
      if (auto* t = std::get_if<TransformationId>(&a.parsed); t && *t == TransformationId::kNone) {
        Error(a.location, "t:none is not allowed in SecDefaultAction",
              "rules start from the default transformations; use t:none in the rule");
      }
    }
  }
  if (!disruptive) {
    Error(d.location, "SecDefaultAction must specify a disruptive action",
          "add one of pass, deny, drop, allow, redirect ('block' refers to this default)");
  }
  if (!p_.default_action_phases_.insert(phase).second) {
    Error(d.location, "SecDefaultAction given twice for phase " + std::to_string(phase),
          "one SecDefaultAction per phase per rule set");
  }
}

void DirectiveParser::ParseRule(Directive& d, bool is_action) {
  Rule r;
  r.location = d.location;
  r.is_action = is_action;
  bool ok = true;
  const Token* actions_tok = nullptr;
  if (is_action) {
    if (d.args.size() != 1) {
      Error(d.location,
            "SecAction takes one quoted action list, got " + std::to_string(d.args.size()) +
                " arguments",
            "quote the action list: SecAction \"id:1,pass,nolog\"");
      ok = false;
    } else {
      actions_tok = &tokens_[1];
    }
    r.op.id = OperatorId::kUnconditionalMatch;
    r.op.location = d.location;
  } else {
    if (d.args.size() < 2 || d.args.size() > 3) {
      Error(d.location,
            "SecRule takes VARIABLES \"OPERATOR\" [\"ACTIONS\"], got " +
                std::to_string(d.args.size()) + " arguments",
            "quote the operator and the action list; continue long lines with '\\'");
      ok = false;
    } else {
      ok &= ParseVariables(tokens_[1], tokens_[1].value, 0, &r.variables);
      ok &= ParseOperator(tokens_[2], &r.op);
      if (d.args.size() == 3) actions_tok = &tokens_[3];
    }
  }
  if (actions_tok != nullptr) ok &= ParseActions(*actions_tok, &r.actions);

  // Summaries and per-rule checks.
  std::optional<SourceLocation> id_loc;
  for (const Action& a : r.actions) {
    const ActionInfo& info = GetAction(a.id);
    if (info.group == ActionGroup::kDisruptive) r.disruptive = a.id;
    switch (a.id) {
      case ActionId::kId:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) {
          if (r.id != 0) {
            Warning(a.location,
                    "rule has more than one id; the last one (" + std::to_string(*v) + ") is used");
          }
          r.id = *v;
          id_loc = a.location;
        }
        break;
      case ActionId::kPhase:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) r.phase = static_cast<int>(*v);
        break;
      case ActionId::kSeverity:
        if (auto* v = std::get_if<int64_t>(&a.parsed)) r.severity = static_cast<int>(*v);
        break;
      case ActionId::kChain:
        r.chain = true;
        break;
      case ActionId::kT:
        if (auto* t = std::get_if<TransformationId>(&a.parsed)) r.transformations.push_back(*t);
        break;
      default:
        break;
    }
  }

  size_t index = p_.set_.rules.size();
  r.chain_head = index;
  if (p_.open_chain_) {
    // This rule continues a chain: it inherits id and phase and may not carry its own.
    size_t parent = *p_.open_chain_;
    r.parent = parent;
    r.chain_head = p_.set_.rules[parent].chain_head;
    p_.open_chain_.reset();
    r.id = 0;  // a chained rule's id, if any, is ignored (warned below)
    for (const Action& a : r.actions) {
      const ActionInfo& info = GetAction(a.id);
      if (a.id == ActionId::kId) {
        Warning(a.location, "id in a chained rule is ignored",
                "only the first rule of a chain carries the id");
        continue;
      }
      bool bad = a.id == ActionId::kPhase || info.group == ActionGroup::kDisruptive ||
                 a.id == ActionId::kSkip || a.id == ActionId::kSkipAfter;
      if (bad) {
        Error(a.location,
              "action '" + std::string(info.name) + "' is not allowed in a chained rule",
              "put id, phase, disruptive and skip actions on the first rule of the chain");
      }
    }
  } else if (r.id == 0) {
    if (ok && is_action) {
      Warning(d.location, "SecAction has no id",
              "add a unique id:N action so it can be logged, removed and updated");
    } else if (ok) {
      Error(d.location, "SecRule has no id",
            "add a unique id:N action (only rules after a 'chain' may omit it)");
    }
  } else {
    auto [it, inserted] = p_.ids_.emplace(r.id, *id_loc);
    if (!inserted) {
      Error(*id_loc, "duplicate rule id " + std::to_string(r.id),
            "first defined at " + it->second.ToString());
    }
  }
  if (r.chain) p_.open_chain_ = index;
  if (r.parent) p_.set_.rules[*r.parent].child = index;

  d.rule = index;
  p_.set_.rules.push_back(std::move(r));
  p_.set_.directives.push_back(std::move(d));
}

bool DirectiveParser::ParseVariables(const Token& t, std::string_view s, size_t base,
                                     std::vector<Variable>* out) {
  bool ok = true;
  size_t i = 0;
  const size_t n = s.size();
  if (n == 0) {
    Error(LocIn(t, base), "empty variable list", "e.g. ARGS|REQUEST_HEADERS:User-Agent");
    return false;
  }
  while (i < n) {
    size_t start = i;
    Variable v;
    v.location = LocIn(t, base + i);
    if (s[i] == '!') {
      v.exclusion = true;
      ++i;
    } else if (s[i] == '&') {
      v.count = true;
      ++i;
    }
    size_t name_start = i;
    while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    std::string_view name = s.substr(name_start, i - name_start);
    const VariableInfo* info = FindVariable(name);
    // Skip to the end of this element for error recovery.
    auto skip_element = [&]() {
      while (i < n && s[i] != '|') ++i;
      if (i < n) ++i;
    };
    if (name.empty()) {
      Error(LocIn(t, base + name_start),
            "expected a variable name, got '" + std::string(s.substr(start, 20)) + "'",
            "variables look like ARGS, ARGS:name, !ARGS:/regex/ or &ARGS");
      ok = false;
      skip_element();
      continue;
    }
    if (info == nullptr) {
      std::string hint = Suggest(name, kVariableNames, "see the ModSecurity v3 variable list");
      if (EqualsIgnoreCase(name, "WEBSERVER_ERROR_LOG")) {
        hint = "this variable is not supported by ModSecurity v3 either";
      }
      Error(LocIn(t, base + name_start), "unknown variable '" + std::string(name) + "'", hint);
      ok = false;
      skip_element();
      continue;
    }
    v.id = info->id;
    // "TX.name" is accepted as "TX:name" for collections, as ModSecurity does.
    if (i < n && (s[i] == ':' || (s[i] == '.' && info->takes_key))) {
      ++i;
      size_t key_start = i;
      if (i < n && s[i] == '/' && info->id != VariableId::kXml) {
        // Regex key: up to the next unescaped '/'.
        ++i;
        bool closed = false;
        std::string key;
        while (i < n) {
          if (s[i] == '\\' && i + 1 < n) {
            // "\/" is a literal slash in the regex; other escapes stay for PCRE.
            if (s[i + 1] != '/') key.push_back('\\');
            key.push_back(s[i + 1]);
            i += 2;
            continue;
          }
          if (s[i] == '/') {
            closed = true;
            ++i;
            break;
          }
          key.push_back(s[i++]);
        }
        if (!closed) {
          Error(LocIn(t, base + key_start), "unterminated regular expression in variable key",
                "end the regex with '/', e.g. ARGS:/^id_/");
          ok = false;
          continue;
        }
        v.key = std::move(key);
        v.key_is_regex = true;
      } else if (i < n && s[i] == '\'') {
        // Quoted key; a quoted /regex/ is still a regex.
        ++i;
        size_t close = s.find('\'', i);
        if (close == std::string_view::npos) {
          Error(LocIn(t, base + key_start), "unterminated quoted variable key");
          ok = false;
          i = n;
          continue;
        }
        std::string_view key = s.substr(i, close - i);
        i = close + 1;
        if (key.size() >= 2 && key.front() == '/' && key.back() == '/' &&
            info->id != VariableId::kXml) {
          v.key = std::string(key.substr(1, key.size() - 2));
          v.key_is_regex = true;
        } else {
          v.key = std::string(key);
        }
      } else {
        while (i < n && s[i] != '|') ++i;
        v.key = std::string(s.substr(key_start, i - key_start));
      }
      if (v.key.empty() && !v.key_is_regex) {
        Error(LocIn(t, base + key_start),
              "empty key after ':' in variable " + std::string(info->name));
        ok = false;
      }
      if (!info->takes_key) {
        Error(v.location, "variable " + std::string(info->name) + " takes no key",
              "only collections such as ARGS, TX or REQUEST_HEADERS take ':key'");
        ok = false;
      }
    }
    if (i < n && s[i] != '|') {
      Error(LocIn(t, base + i), "unexpected '" + std::string(1, s[i]) + "' in variable list",
            "separate variables with '|' and no blanks");
      ok = false;
      skip_element();
      continue;
    }
    if (i < n) {
      ++i;  // '|'
      if (i == n) {
        Error(LocIn(t, base + i - 1), "variable list ends with '|'");
        ok = false;
      }
    }
    out->push_back(std::move(v));
  }
  return ok;
}

bool DirectiveParser::ParseOperator(const Token& t, Operator* op) {
  std::string_view s = t.value;
  size_t i = 0;
  op->location = LocIn(t, 0);
  while (i < s.size() && IsBlank(s[i])) ++i;
  if (i < s.size() && s[i] == '!') {
    op->negated = true;
    ++i;
  }
  if (i < s.size() && s[i] == '@') {
    size_t name_start = ++i;
    while (i < s.size() && !IsBlank(s[i])) ++i;
    std::string_view name = s.substr(name_start, i - name_start);
    const OperatorInfo* info = FindOperator(name);
    if (info == nullptr) {
      Error(LocIn(t, name_start - 1), "unknown operator '@" + std::string(name) + "'",
            Suggest(name, kOperatorNames, "without '@' the whole string is an @rx pattern"));
      return false;
    }
    op->id = info->id;
    if (i < s.size()) ++i;  // the one blank that separates name and argument
    while (i < s.size() && IsBlank(s[i])) ++i;
    op->argument = std::string(s.substr(i));
    if (info->needs_argument && op->argument.empty()) {
      Error(op->location, "operator @" + std::string(info->name) + " needs an argument");
      return false;
    }
  } else {
    op->id = OperatorId::kRx;
    op->implicit = true;
    op->argument = std::string(s.substr(i));
  }
  op->has_macros = op->argument.find("%{") != std::string::npos;
  if (op->has_macros) CheckMacros(op->argument, op->location);

  switch (op->id) {
    case OperatorId::kPmFromFile:
    case OperatorId::kPmf:
    case OperatorId::kIpMatchFromFile:
    case OperatorId::kIpMatchF: {
      bool ok = true;
      size_t j = 0;
      std::string_view arg = op->argument;
      while (j < arg.size()) {
        while (j < arg.size() && IsBlank(arg[j])) ++j;
        size_t k = j;
        while (k < arg.size() && !IsBlank(arg[k])) ++k;
        if (k == j) break;
        std::string_view f = arg.substr(j, k - j);
        j = k;
        if (IsRemote(f)) {
          Error(op->location, "remote data file '" + std::string(f) + "' is not supported",
                "download it and reference the local copy");
          ok = false;
          continue;
        }
        std::string path = p_.ResolvePath(dir_, f);
        ok &= CheckDataFile(path, op->location, "data file");
        op->resolved_files.push_back(std::move(path));
      }
      return ok;
    }
    case OperatorId::kValidateByteRange: {
      // "a-b,c,..." with values 0..255.
      std::vector<std::pair<int64_t, int64_t>> ranges;
      std::string_view arg = Trim(op->argument);
      size_t j = 0;
      while (j <= arg.size()) {
        size_t k = arg.find(',', j);
        if (k == std::string_view::npos) k = arg.size();
        std::string_view item = Trim(arg.substr(j, k - j));
        j = k + 1;
        size_t dash = item.find('-');
        auto a = ParseUnsigned(item.substr(0, dash), 255);
        auto b = dash == std::string_view::npos ? a : ParseUnsigned(item.substr(dash + 1), 255);
        if (!a || !b || *a > *b) {
          Error(op->location,
                "invalid byte range '" + std::string(item) + "' in @validateByteRange",
                "use values 0-255, e.g. 1-255 or 9,10,13,32-126");
          return false;
        }
      }
      return true;
    }
    default:
      return true;
  }
}

bool DirectiveParser::ParseActions(const Token& t, std::vector<Action>* out) {
  const std::string& s = t.value;
  const size_t n = s.size();
  size_t i = 0;
  bool ok = true;
  while (true) {
    while (i < n && IsBlank(s[i])) ++i;
    if (i >= n) break;
    size_t name_start = i;
    while (i < n && s[i] != ':' && s[i] != ',' && !IsBlank(s[i])) ++i;
    std::string_view name(s.data() + name_start, i - name_start);
    Action a;
    a.location = LocIn(t, name_start);
    size_t value_offset = i;
    bool has_value = false;
    if (i < n && s[i] == ':') {
      has_value = true;
      ++i;
      value_offset = i;
      if (i < n && s[i] == '\'') {
        a.quoted = true;
        ++i;
        bool closed = false;
        while (i < n) {
          if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\'') {
            a.value.push_back('\'');
            i += 2;
            continue;
          }
          if (s[i] == '\'') {
            closed = true;
            ++i;
            break;
          }
          a.value.push_back(s[i++]);
        }
        if (!closed) {
          Error(LocIn(t, value_offset), "unterminated single-quoted action value",
                "close it with ', escape a literal quote as \\'");
          return false;
        }
        value_offset += 1;
      } else {
        size_t v = i;
        while (i < n && s[i] != ',') ++i;
        a.value = std::string(Trim(std::string_view(s.data() + v, i - v)));
      }
    }
    while (i < n && IsBlank(s[i])) ++i;
    if (i < n && s[i] != ',') {
      Error(LocIn(t, i), "expected ',' between actions, got '" + std::string(1, s[i]) + "'",
            "separate actions with commas; quote values containing commas with '...'");
      ok = false;
      while (i < n && s[i] != ',') ++i;
    }
    if (i < n) ++i;  // ','

    if (name.empty()) {
      Error(a.location, "empty action", "remove the extra ','");
      ok = false;
      continue;
    }
    const ActionInfo* info = FindAction(name);
    if (info == nullptr) {
      Error(a.location, "unknown action '" + std::string(name) + "'",
            Suggest(name, kActionNames, "see the ModSecurity v3 reference manual, Actions"));
      ok = false;
      continue;
    }
    a.id = info->id;
    if (info->value == ActionValue::kNone && has_value) {
      Error(a.location, "action '" + std::string(info->name) + "' takes no value");
      ok = false;
      continue;
    }
    if (info->value == ActionValue::kRequired && a.value.empty() && a.id != ActionId::kMsg &&
        a.id != ActionId::kLogdata && a.id != ActionId::kTag) {
      Error(a.location, "action '" + std::string(info->name) + "' needs a value",
            "write " + std::string(info->name) + ":VALUE");
      ok = false;
      continue;
    }
    if (!ParseActionValue(a, t, value_offset)) {
      ok = false;
      continue;
    }
    CheckMacros(a.value, a.location);
    out->push_back(std::move(a));
  }
  return ok;
}

bool DirectiveParser::ParseActionValue(Action& a, const Token& t, size_t value_offset) {
  const std::string name(GetAction(a.id).name);
  const std::string& v = a.value;
  SourceLocation vloc = LocIn(t, value_offset);
  auto bad = [&](std::string msg, std::string hint = {}) {
    Error(vloc, std::move(msg), std::move(hint));
    return false;
  };
  // "collection.name" -> (collection, name).
  auto split_collection = [&](std::string_view text, VariableId* coll, std::string* var) {
    size_t dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) {
      return bad(name + ": expected COLLECTION.NAME, got '" + std::string(text) + "'",
                 "e.g. tx.anomaly_score");
    }
    const VariableInfo* info = FindVariable(text.substr(0, dot));
    if (info == nullptr || !IsWritableCollection(info->id)) {
      return bad(name + ": '" + std::string(text.substr(0, dot)) + "' is not a writable collection",
                 "use TX, IP, GLOBAL, SESSION, USER or RESOURCE");
    }
    *coll = info->id;
    *var = std::string(text.substr(dot + 1));
    return true;
  };

  switch (a.id) {
    case ActionId::kId: {
      auto id = ParseUnsigned(v);
      if (!id || *id == 0) {
        return bad("invalid rule id '" + v.substr(0, 40) + "'",
                   "ids are positive integers, e.g. id:1000001");
      }
      a.parsed = *id;
      return true;
    }
    case ActionId::kPhase: {
      int64_t phase = 0;
      if (EqualsIgnoreCase(v, "request")) {
        phase = 2;
      } else if (EqualsIgnoreCase(v, "response")) {
        phase = 4;
      } else if (EqualsIgnoreCase(v, "logging")) {
        phase = 5;
      } else {
        phase = ParseUnsigned(v, 1000).value_or(0);
      }
      if (phase < 1 || phase > 5) {
        return bad("invalid phase '" + v + "'", "phases are 1..5, request, response or logging");
      }
      a.parsed = phase;
      return true;
    }
    case ActionId::kSeverity: {
      auto sev = ParseSeverity(v);
      if (!sev) {
        return bad("invalid severity '" + v + "'",
                   "use 0..7 or EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG");
      }
      a.parsed = static_cast<int64_t>(*sev);
      return true;
    }
    case ActionId::kSkip: {
      auto n = ParseUnsigned(v, 1000000);
      if (!n || *n == 0) return bad("skip needs a positive number of rules, got '" + v + "'");
      a.parsed = *n;
      return true;
    }
    case ActionId::kStatus: {
      auto n = ParseUnsigned(v, 999);
      if (!n || *n < 100) return bad("invalid HTTP status '" + v + "'", "use 100..999");
      a.parsed = *n;
      return true;
    }
    case ActionId::kAccuracy:
    case ActionId::kMaturity: {
      auto n = ParseUnsigned(v, 9);
      if (!n) return bad(name + " must be 0..9, got '" + v + "'");
      a.parsed = *n;
      return true;
    }
    case ActionId::kT: {
      const TransformationInfo* info = FindTransformation(v);
      if (info == nullptr) {
        Error(vloc, "unknown transformation '" + v + "'",
              Suggest(v, kTransformationNames, "see the ModSecurity v3 transformation list"));
        return false;
      }
      a.parsed = info->id;
      return true;
    }
    case ActionId::kSetvar: {
      SetVar sv;
      std::string_view text = v;
      if (!text.empty() && text.front() == '!') {
        sv.op = SetVar::Op::kDelete;
        text.remove_prefix(1);
        if (text.find('=') != std::string_view::npos) {
          return bad("setvar:!NAME deletes a variable and takes no value");
        }
      }
      size_t eq = text.find('=');
      std::string_view target = Trim(text.substr(0, eq));
      if (!split_collection(target, &sv.collection, &sv.name)) return false;
      if (eq != std::string_view::npos) {
        std::string_view val = text.substr(eq + 1);
        sv.has_value = true;
        if (!val.empty() && val.front() == '+') {
          sv.op = SetVar::Op::kAdd;
          val.remove_prefix(1);
        } else if (!val.empty() && val.front() == '-') {
          sv.op = SetVar::Op::kSubtract;
          val.remove_prefix(1);
        }
        sv.value = std::string(val);
      }
      a.parsed = std::move(sv);
      return true;
    }
    case ActionId::kExpirevar:
    case ActionId::kDeprecatevar: {
      CollectionVar cv;
      size_t eq = v.find('=');
      if (eq == std::string::npos || eq + 1 == v.size()) {
        return bad(name + " needs COLLECTION.NAME=VALUE", "e.g. " + name + ":ip.blocked=3600");
      }
      if (!split_collection(Trim(std::string_view(v).substr(0, eq)), &cv.collection, &cv.name)) {
        return false;
      }
      cv.value = v.substr(eq + 1);
      if (cv.value.find("%{") == std::string::npos) {
        std::string_view num = cv.value;
        if (a.id == ActionId::kDeprecatevar) num = num.substr(0, num.find('/'));
        if (!ParseUnsigned(num)) return bad(name + ": '" + cv.value + "' is not a number");
      }
      a.parsed = std::move(cv);
      return true;
    }
    case ActionId::kInitcol: {
      size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) {
        return bad("initcol needs COLLECTION=KEY", "e.g. initcol:ip=%{REMOTE_ADDR}");
      }
      const VariableInfo* info = FindVariable(Trim(std::string_view(v).substr(0, eq)));
      if (info == nullptr || !IsWritableCollection(info->id) || info->id == VariableId::kTx) {
        return bad("initcol: '" + v.substr(0, eq) + "' is not a persistent collection",
                   "use IP, GLOBAL, SESSION, USER or RESOURCE");
      }
      a.parsed = InitCol{info->id, v.substr(eq + 1)};
      return true;
    }
    case ActionId::kCtl: {
      size_t eq = v.find('=');
      if (eq == std::string::npos) {
        return bad("ctl needs OPTION=VALUE", "e.g. ctl:ruleEngine=Off");
      }
      std::string_view opt = Trim(std::string_view(v).substr(0, eq));
      const CtlInfo* info = FindCtlOption(opt);
      if (info == nullptr) {
        Error(vloc, "unknown ctl option '" + std::string(opt) + "'",
              Suggest(opt, kCtlNames, "see the ctl action options"));
        return false;
      }
      Ctl ctl;
      ctl.option = info->id;
      ctl.value = v.substr(eq + 1);
      auto one_of = [&](std::initializer_list<std::string_view> allowed) {
        for (std::string_view x : allowed) {
          if (EqualsIgnoreCase(x, ctl.value)) return true;
        }
        std::string list;
        for (std::string_view x : allowed) list += (list.empty() ? "" : ", ") + std::string(x);
        return bad("invalid value '" + ctl.value + "' for ctl:" + std::string(info->name),
                   "expected one of: " + list);
      };
      bool ok = true;
      switch (ctl.option) {
        case CtlOption::kRuleEngine:
          ok = one_of({"On", "Off", "DetectionOnly"});
          break;
        case CtlOption::kAuditEngine:
          ok = one_of({"On", "Off", "RelevantOnly"});
          break;
        case CtlOption::kRequestBodyAccess:
        case CtlOption::kResponseBodyAccess:
        case CtlOption::kForceRequestBodyVariable:
        case CtlOption::kParseXmlIntoArgs:
        case CtlOption::kHashEngine:
        case CtlOption::kHashEnforcement:
          ok = one_of({"On", "Off", "true", "false", "OnlyArgs"});
          break;
        case CtlOption::kRequestBodyProcessor:
          ok = one_of({"URLENCODED", "MULTIPART", "XML", "JSON"});
          break;
        case CtlOption::kRequestBodyLimit:
        case CtlOption::kResponseBodyLimit:
        case CtlOption::kDebugLogLevel:
          if (!ParseUnsigned(ctl.value))
            ok = bad("ctl:" + std::string(info->name) + " needs a number");
          break;
        case CtlOption::kAuditLogParts: {
          std::string_view parts = ctl.value;
          if (!parts.empty() && (parts.front() == '+' || parts.front() == '-'))
            parts.remove_prefix(1);
          if (parts.empty() || parts.find_first_not_of("ABCDEFGHIJKZ") != std::string_view::npos) {
            ok = bad("invalid audit log parts '" + ctl.value + "'", "e.g. ctl:auditLogParts=+E");
          }
          break;
        }
        case CtlOption::kRuleRemoveById: {
          std::vector<std::pair<int64_t, int64_t>> ranges;
          ok = ParseIdRanges(ctl.value, vloc, &ranges);
          break;
        }
        case CtlOption::kRuleRemoveByTag:
        case CtlOption::kRuleRemoveByMsg:
          if (ctl.value.empty()) ok = bad("ctl:" + std::string(info->name) + " needs a value");
          break;
        case CtlOption::kRuleRemoveTargetById:
        case CtlOption::kRuleRemoveTargetByTag:
        case CtlOption::kRuleRemoveTargetByMsg: {
          size_t semi = ctl.value.find(';');
          if (semi == std::string::npos || semi == 0 || semi + 1 == ctl.value.size()) {
            ok = bad("ctl:" + std::string(info->name) + " needs SELECTOR;TARGETS",
                     "e.g. ctl:ruleRemoveTargetById=942100;ARGS:password");
            break;
          }
          ctl.selector = ctl.value.substr(0, semi);
          if (ctl.option == CtlOption::kRuleRemoveTargetById) {
            std::vector<std::pair<int64_t, int64_t>> ranges;
            ok = ParseIdRanges(ctl.selector, vloc, &ranges);
          }
          // Positions of the targets inside the token: value start + "option=" + selector;.
          size_t base = value_offset + eq + 1 + semi + 1;
          ok &= ParseVariables(t, std::string_view(ctl.value).substr(semi + 1), base, &ctl.targets);
          break;
        }
      }
      if (!ok) return false;
      a.parsed = std::move(ctl);
      return true;
    }
    case ActionId::kExec:
      return bad("action 'exec' is not supported: GovShield runs no Lua or external scripts",
                 "remove the exec action; express the logic as SecRules");
    case ActionId::kXmlns: {
      size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) {
        return bad("xmlns needs PREFIX=URI",
                   "e.g. xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/");
      }
      std::string_view href = std::string_view(v).substr(eq + 1);
      if (href.size() >= 2 && href.front() == '\'' && href.back() == '\'') {
        href = href.substr(1, href.size() - 2);
      }
      if (href.find("://") == std::string_view::npos && href.rfind("urn:", 0) != 0) {
        return bad("xmlns: '" + std::string(href) + "' is not a namespace URI",
                   "e.g. xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/");
      }
      return true;
    }
    case ActionId::kSetenv:
      if (v.find('=') == std::string::npos || v.front() == '=') {
        return bad("setenv needs NAME=VALUE");
      }
      return true;
    case ActionId::kSkipAfter:
    case ActionId::kRedirect:
      if (v.empty()) return bad(name + " needs a value");
      return true;
    default:
      return true;
  }
}

Parser::Parser(ParseOptions options) : options_(std::move(options)) {}

std::string Parser::ResolvePath(const std::string& dir, std::string_view path) const {
  std::string primary = Resolve(dir, path);
  if (IsAbsolute(path) || !options_.allow_file_access || dir == options_.base_dir) return primary;
  // Globs are checked by their directory part.
  std::string probe = HasGlobChars(primary) ? platform::DirName(primary) : primary;
  if (platform::PathExists(probe)) return primary;
  std::string fallback = Resolve(options_.base_dir, path);
  std::string fprobe = HasGlobChars(fallback) ? platform::DirName(fallback) : fallback;
  return platform::PathExists(fprobe) ? fallback : primary;
}

void Parser::Warning(SourceLocation loc, std::string message, std::string hint) {
  if (warnings_.size() < options_.max_errors) {
    warnings_.push_back({std::move(loc), std::move(message), std::move(hint)});
  }
}

void Parser::Error(SourceLocation loc, std::string message, std::string hint) {
  ++error_count_;
  if (errors_.size() < options_.max_errors) {
    errors_.push_back({std::move(loc), std::move(message), std::move(hint)});
  }
}

void Parser::CloseOpenChain(const SourceLocation& where) {
  if (!open_chain_) return;
  const Rule& r = set_.rules[*open_chain_];
  Error(r.location, "rule has 'chain' but no SecRule follows it",
        "the next directive (at " + where.ToString() +
            ") must be the chained SecRule; remove 'chain' otherwise");
  open_chain_.reset();
}

void Parser::ParseText(std::string_view text, const std::string& file, const std::string& dir,
                       int depth) {
  std::vector<LogicalLine> lines = SplitLogicalLines(text);
  for (const LogicalLine& line : lines) {
    DirectiveParser dp(*this, line, file, dir, depth);
    dp.Run();
  }
  if (open_chain_) {
    // ModSecurity v3 accepts this and the rule can never complete; keep it loadable.
    Warning(set_.rules[*open_chain_].location,
            "rule has 'chain' but the file ends before the chained SecRule",
            "the rule can never match; remove 'chain' or add the chained rule");
    open_chain_.reset();
  }
}

void Parser::ParseString(std::string_view text, std::string_view pseudo_file) {
  std::string file(pseudo_file);
  if (text.size() > options_.max_file_bytes) {
    Error({file, 1, 1}, "input too large (" + std::to_string(text.size()) + " bytes)",
          "limit is " + std::to_string(options_.max_file_bytes) + " bytes");
    return;
  }
  ParseText(text, file, options_.base_dir, 0);
}

void Parser::ParseFile(const std::string& path_or_glob) {
  SourceLocation where{path_or_glob, 0, 0};
  ParseInclude(path_or_glob, options_.base_dir, 0, where);
}

void Parser::ParseInclude(const std::string& pattern, const std::string& dir, int depth,
                          const SourceLocation& where, bool optional) {
  if (!options_.allow_file_access) {
    Error(where, "Include is disabled for this input", "file access is off (fuzzing mode)");
    return;
  }
  if (depth >= options_.max_include_depth) {
    Error(where, "Include nested deeper than " + std::to_string(options_.max_include_depth),
          "check for an Include loop");
    return;
  }
  if (IsRemote(pattern)) {
    Error(where, "Include of a URL is not supported: " + pattern, "Include a local file");
    return;
  }
  std::string full = ResolvePath(dir, pattern);
  std::vector<std::string> paths;
  if (HasGlobChars(full)) {
    glob_t g;
    std::memset(&g, 0, sizeof(g));
    int rc = glob(full.c_str(), GLOB_ERR, nullptr, &g);
    if (rc == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
    }
    globfree(&g);
    if (paths.empty() && optional) return;
    if (paths.empty()) {
      Error(where, "Include: no file matches '" + full + "'",
            "relative paths resolve against the including file's directory");
      return;
    }
  } else {
    if (optional && !platform::PathExists(full)) return;
    paths.push_back(full);
  }
  for (const std::string& p : paths) ParseOneFile(p, depth, where);
}

void Parser::ParseOneFile(const std::string& path, int depth, const SourceLocation& where) {
  char real[PATH_MAX];
  if (realpath(path.c_str(), real) == nullptr) {
    Error(where, "cannot open rules file '" + path + "': " + std::strerror(errno),
          "relative paths resolve against the including file's directory");
    return;
  }
  std::string canonical(real);
  if (std::find(include_stack_.begin(), include_stack_.end(), canonical) != include_stack_.end()) {
    std::string cycle;
    for (const std::string& s : include_stack_) cycle += s + " -> ";
    Error(where, "Include cycle: " + cycle + canonical, "remove one of the Include directives");
    return;
  }
  if (platform::IsDirectory(canonical)) {
    Error(where, "'" + path + "' is a directory", "Include a file or a glob like dir/*.conf");
    return;
  }
  auto size = platform::FileSize(canonical);
  if (size.ok() && *size > options_.max_file_bytes) {
    Error(where, "rules file '" + path + "' is too large (" + std::to_string(*size) + " bytes)");
    return;
  }
  auto content = platform::ReadFile(canonical);
  if (!content.ok()) {
    Error(where,
          "cannot read rules file '" + path + "': " + std::string(content.status().message()));
    return;
  }
  set_.files.push_back(path);
  include_stack_.push_back(canonical);
  ParseText(*content, path, platform::DirName(path), depth + 1);
  include_stack_.pop_back();
}

void Parser::Finish() {
  if (open_chain_) CloseOpenChain({"<end of input>", 0, 0});
  // skipAfter to a marker that does not exist skips to the end of the phase in ModSecurity;
  // almost always a typo, so say so.
  std::set<std::string> markers;
  for (const Directive& d : set_.directives) {
    if (d.id == DirectiveId::kSecMarker && !d.args.empty()) markers.insert(d.args[0]);
  }
  for (const Rule& r : set_.rules) {
    for (const Action& a : r.actions) {
      if (a.id == ActionId::kSkipAfter && !a.value.empty() && !markers.count(a.value)) {
        Warning(a.location, "skipAfter target '" + a.value + "' has no SecMarker in this rule set",
                "the rule then skips to the end of the phase; check the marker name");
      }
    }
  }
}

Status Parser::ToStatus() const {
  if (ok()) return Status::Ok();
  std::string msg = std::to_string(error_count_) + " error(s) in rules:";
  for (const Diagnostic& d : errors_) msg += "\n" + d.ToString();
  if (error_count_ > errors_.size()) {
    msg += "\n... and " + std::to_string(error_count_ - errors_.size()) + " more";
  }
  return InvalidArgumentError(std::move(msg));
}

Result<RuleSet> ParseString(std::string_view text, std::string_view pseudo_file,
                            ParseOptions options) {
  Parser p(std::move(options));
  p.ParseString(text, pseudo_file);
  p.Finish();
  if (!p.ok()) return p.ToStatus();
  return p.TakeRuleSet();
}

Result<RuleSet> ParseFiles(const std::vector<std::string>& paths_or_globs, ParseOptions options) {
  Parser p(std::move(options));
  for (const std::string& path : paths_or_globs) p.ParseFile(path);
  p.Finish();
  if (!p.ok()) return p.ToStatus();
  return p.TakeRuleSet();
}

}  // namespace gs::seclang
