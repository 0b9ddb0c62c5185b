// Shared vocabulary of the conformance runners (`govshield waf conformance`): the outcome of one
// case, the report of one suite, and WafUnderTest — the narrow interface through which a runner
// loads rules and evaluates an Exchange. Our engine implements it (engine_waf.h); the test-only
// libmodsecurity3 driver implements it too, so the same runner, request building and judging
// can be checked against the reference implementation.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "waf/exchange.h"

namespace gs::waf::conformance {

enum class Verdict : uint8_t { kPass, kFail, kSkip };
std::string_view VerdictName(Verdict v);  // "pass" / "fail" / "skip"

struct CaseResult {
  std::string id;    // e.g. "920100-2" or "variable-ARGS.json #3 Testing Variables :: ARGS"
  std::string file;  // the suite file the case came from
  Verdict verdict = Verdict::kPass;
  std::string klass;   // short failure/skip class for grouping, e.g. "missing id", "lua"
  std::string reason;  // human-readable reason (empty for a pass)
};

struct SuiteReport {
  std::string suite;   // "crs", "modsec", "secrules"
  std::string engine;  // the WafUnderTest name (or "operators/transforms")
  int pass = 0;
  int fail = 0;
  int skip = 0;
  std::vector<CaseResult> cases;    // every case, in run order
  std::vector<std::string> errors;  // problems that stopped (part of) the suite, e.g. load errors
  std::vector<std::string> notes;   // facts about how the suite was judged

  void Add(CaseResult r);
  int total() const { return pass + fail + skip; }
  // Counts per (verdict, class) over failures and skips, most frequent first.
  std::vector<std::pair<std::string, int>> Classes(Verdict v) const;
};

// Prints "suite engine: pass P  fail F  skip S  (P/(P+F) %)" then, per class, the count; with
// `list_failures` also every failing and skipped case with its reason.
std::string FormatReport(const SuiteReport& report, bool list_failures);
// The report as one JSON object (counts, classes, and every non-passing case).
std::string ReportJson(const std::vector<SuiteReport>& reports);

// What a WAF made of one Exchange, in the terms the suites judge.
struct Evaluation {
  Outcome outcome;                   // verdict as RunExchange reports it
  std::vector<int64_t> logged_ids;   // rules that wrote an error-log line (not nolog)
  std::vector<int64_t> matched_ids;  // every matched rule (chain head), nolog included
  int error_log_lines = 0;  // lines the WAF wrote to the error log (rule matches, interventions)
  std::map<std::string, std::string> tx;  // the TX variables asked for, when set
};

// A WAF the runners can drive. Not thread-safe; one runner at a time.
class WafUnderTest {
 public:
  virtual ~WafUnderTest() = default;
  virtual std::string name() const = 0;
  // Replaces the rule set by `seclang` (may use Include with absolute paths/globs; relative
  // paths resolve against `base_dir`). Persistent collections start empty. Returns
  // INVALID_ARGUMENT with the parser's message when the rules do not load.
  virtual Status Load(std::string_view seclang, std::string_view base_dir) = 0;
  // Runs every phase for `exchange` like waf::RunExchange (request side stops at the first
  // disruptive intervention; response side only without one; logging always) and reports the
  // result. `tx_names` lists TX variables (lower case, e.g. "0") to read afterwards.
  // With `stop_at_disruption` false it follows ModSecurity's regression harness instead: every
  // phase runs whatever happened, the response phases see the intervention status (or
  // exchange.response_status) as the response status, and outcome.status is the last
  // intervention's status, or 200.
  virtual Evaluation Evaluate(const Exchange& exchange, const std::vector<std::string>& tx_names,
                              bool stop_at_disruption = true) = 0;
};

}  // namespace gs::waf::conformance
