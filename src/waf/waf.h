// The WAF engine's public surface: compile SecLang rules once, then run transactions against
// them with ModSecurity v3 semantics (phases 1-5, chains, flow control, collections, ctl,
// anomaly scoring through TX, interventions).
//
// Lifecycle:
//   1. Compile(): SecLang files/strings -> an immutable CompiledRules (operators compiled,
//      transformations resolved, SecRuleRemove*/SecRuleUpdate* applied, markers resolved,
//      prefilters built). Every error is collected with file:line; nothing is ignored silently.
//   2. Engine: owns a shared_ptr<const CompiledRules> (swappable for reload) and the persistent
//      collections (IP, GLOBAL, SESSION, USER, RESOURCE) with expiry. Thread-safe.
//   3. Transaction: one per HTTP exchange, used by one thread at a time. The call sequence
//      mirrors libmodsecurity's (ProcessConnection, ProcessUri, AddRequestHeader...,
//      ProcessRequestHeaders, AppendRequestBody..., ProcessRequestBody, AddResponseHeader...,
//      ProcessResponseHeaders, AppendResponseBody..., ProcessResponseBody, ProcessLogging), so
//      the gateway, the conformance runners and the differential test drive it the same way.
//      Inputs are copied or referenced only for the transaction's lifetime; the caller may free
//      its buffers after each call returns.
//
// Hostile input never makes a call fail: malformed bodies become flags (REQBODY_ERROR ...),
// runtime trouble (PCRE2 limits) becomes MSC_PCRE_* flags, exactly as in ModSecurity.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "seclang/ast.h"

namespace gs::waf {

class CompiledRules;  // immutable compiled rule set; defined in waf/compiled.h (internal)

struct CompileOptions {
  // Relative paths in string input (Include, @pmFromFile ...) resolve against this directory.
  std::string base_dir;
  bool allow_file_access = true;
  // MaxMind database for @geoLookup when the rules do not name one (SecGeoLookupDb wins).
  std::string geo_db_path;
};

// The outcome of a compile: the rules (null when there were errors), every error and warning.
struct CompileReport {
  std::shared_ptr<const CompiledRules> rules;
  std::vector<seclang::Diagnostic> errors;
  std::vector<seclang::Diagnostic> warnings;
  // Per-rule compile facts for `waf lint`: id, file:line, whether a prefilter guards it and
  // why not when it does not.
  struct RuleInfo {
    int64_t id = 0;
    std::string location;  // "file:line"
    int phase = 2;
    bool prefiltered = false;
    std::string note;  // e.g. "no required literal in /(?i)a|\w+/"
  };
  std::vector<RuleInfo> rule_info;
  bool ok() const { return rules != nullptr && errors.empty(); }
  Status ToStatus() const;  // OK, or INVALID_ARGUMENT listing every error, one per line
};

// Compiles the files/globs in order as one rule set (as consecutive Include lines would).
CompileReport CompileFiles(const std::vector<std::string>& paths_or_globs,
                           const CompileOptions& options = {});
// Compiles text as if it were a file named `pseudo_file`.
CompileReport CompileString(std::string_view text, std::string_view pseudo_file,
                            const CompileOptions& options = {});

// What a transaction decided. kNone: let it through.
struct Intervention {
  enum class Kind : uint8_t { kNone, kDeny, kRedirect, kDrop, kAllow };
  Kind kind = Kind::kNone;
  int status = 200;     // HTTP status for deny/redirect (deny defaults to 403)
  std::string url;      // redirect target
  int64_t rule_id = 0;  // the rule whose disruptive action decided it
  int phase = 0;        // phase in which it was decided
  std::string log;      // ModSecurity-style log line of the deciding rule
  bool disruptive() const {
    return kind == Kind::kDeny || kind == Kind::kRedirect || kind == Kind::kDrop;
  }
};

// One rule that matched (a chain counts once, under its head's id, when the whole chain
// matched). Only rules that log (not `nolog`) or that are disruptive are listed, as in
// ModSecurity's error log; `matched_rule_ids()` also lists nolog matches.
struct MatchedRule {
  int64_t id = 0;
  int phase = 0;
  std::string file;
  int line = 0;
  std::string msg;    // macro-expanded
  std::string data;   // logdata, macro-expanded
  int severity = -1;  // -1: none
  std::vector<std::string> tags;
  std::string ver, rev;
  int maturity = -1, accuracy = -1;
  std::string matched_var_name;  // e.g. "ARGS:q"
  std::string matched_var;       // value that matched (after transformations), truncated
  bool disruptive = false;
  bool log = true;  // false for nolog
  // `[file "..."] [line "..."] [id "..."] [msg "..."] [data "..."] [severity "..."] [tag ...]`
  std::string ModsecLogLine() const;
};

struct EngineOptions {
  // Clock for DURATION, TIME*, collection expiry. Must outlive the engine. Null: system clock.
  const TimeSource* time_source = nullptr;
  // Upper bound of stored persistent-collection records (IP, GLOBAL ...); oldest evicted.
  size_t max_collection_records = 1u << 20;
};

class Transaction;

// Shared by all threads of a process. Rules can be swapped atomically (reload): transactions
// already started keep the rules they began with.
class Engine {
 public:
  explicit Engine(std::shared_ptr<const CompiledRules> rules, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void SwapRules(std::shared_ptr<const CompiledRules> rules);
  std::shared_ptr<const CompiledRules> rules() const;

  // A fresh transaction. `id` is the unique id (UNIQUE_ID); empty: one is generated.
  // Transactions reuse pooled per-transaction resources (match contexts, scratch, buffers), so
  // steady-state creation sets nothing up. Every Transaction must be destroyed before its Engine.
  std::unique_ptr<Transaction> NewTransaction(std::string id = {});

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

class Transaction {
 public:
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Connection facts (REMOTE_ADDR, REMOTE_PORT, SERVER_ADDR, SERVER_PORT). Phase 0.
  void ProcessConnection(std::string_view client_ip, int client_port, std::string_view server_ip,
                         int server_port);
  // The request line: URI exactly as sent (path + "?" + query), method, version ("1.1").
  void ProcessUri(std::string_view uri, std::string_view method, std::string_view http_version);
  void AddRequestHeader(std::string_view name, std::string_view value);
  // Runs phase 1. Returns true when an intervention is pending (see intervention()).
  bool ProcessRequestHeaders();
  // Body bytes as they arrive; bytes beyond the request body limit are handled per
  // SecRequestBodyLimitAction (reject -> intervention, ProcessPartial -> inspect the prefix).
  void AppendRequestBody(std::string_view data);
  // Runs the body processor and phase 2. Returns true when an intervention is pending.
  bool ProcessRequestBody();
  void AddResponseHeader(std::string_view name, std::string_view value);
  // Runs phase 3. `protocol` like "HTTP/1.1".
  bool ProcessResponseHeaders(int status, std::string_view protocol);
  void AppendResponseBody(std::string_view data);
  // Runs phase 4 (response body inspected only for SecResponseBodyMimeType types).
  bool ProcessResponseBody();
  // Runs phase 5 (always runs, even after an intervention).
  void ProcessLogging();

  const Intervention& intervention() const;
  const std::vector<MatchedRule>& matched_rules() const;
  // Ids of every rule (chain head) that matched, including nolog rules, in match order.
  const std::vector<int64_t>& matched_rule_ids() const;
  // A JSON object for the audit log: transaction id, client, request line, verdict, matched
  // rules, anomaly scores (tx.anomaly_score, tx.inbound_anomaly_score ...).
  std::string AuditJson() const;
  const std::string& id() const;

  // Current value of a TX variable (lower-case name), for tests and the gateway's scoring.
  // Empty optional string semantics: returns false when unset.
  bool GetTxVariable(std::string_view name, std::string* value) const;

  struct Impl;

 private:
  friend class Engine;
  explicit Transaction(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gs::waf
