// `govshield waf ...`: the WAF command group.
//
//   waf lint --rules FILE...   loads SecLang rule files in the order given (as consecutive Include
//                              directives would), prints every error and warning as
//                              file:line:col, one summary line per rule, then compiles the set and
//                              says for every rule whether a literal prefilter guards it.
//   waf eval --rules FILE... --request RAW [--response RAW] [--json]
//                              runs one raw HTTP request (and optionally its response) through
//                              the engine and prints the verdict, every matched rule as a
//                              ModSecurity log line and the anomaly scores.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "net/http_parser.h"
#include "platform/file.h"
#include "seclang/format.h"
#include "seclang/parser.h"
#include "waf/exchange.h"
#include "waf/waf.h"

namespace gs::cli {
namespace {

struct WafLintOptions {
  std::vector<std::string> rules;
  bool quiet = false;
};

void PrintDiagnostics(const std::vector<seclang::Diagnostic>& ds, const char* kind) {
  for (const seclang::Diagnostic& d : ds) {
    std::fprintf(stderr, "%s: %s: %s%s%s\n", d.location.ToString().c_str(), kind, d.message.c_str(),
                 d.hint.empty() ? "" : "\n    hint: ", d.hint.c_str());
  }
}

int RunWafLint(const WafLintOptions& o) {
  seclang::Parser parser;
  for (const std::string& r : o.rules) parser.ParseFile(r);
  parser.Finish();
  const seclang::RuleSet& set = parser.rule_set();
  if (!o.quiet) {
    for (const seclang::Rule& rule : set.rules) {
      std::printf("%s\n", seclang::FormatRuleSummary(rule).c_str());
    }
  }
  PrintDiagnostics(parser.warnings(), "warning");
  PrintDiagnostics(parser.errors(), "error");
  size_t chained = 0;
  for (const seclang::Rule& rule : set.rules) chained += rule.parent ? 1 : 0;
  std::printf(
      "%zu file(s), %zu directive(s), %zu rule(s) (%zu chained), %zu error(s), "
      "%zu warning(s)\n",
      set.files.size(), set.directives.size(), set.rules.size(), chained, parser.error_count(),
      parser.warnings().size());
  if (!parser.ok()) {
    return Fail(InvalidArgumentError(std::to_string(parser.error_count()) +
                                     " error(s) in the rules; see above"));
  }
  // The rule compiler: operators, transformation chains, removals, markers, prefilters.
  waf::CompileReport report = waf::CompileFiles(o.rules);
  size_t prefiltered = 0;
  for (const auto& info : report.rule_info) {
    prefiltered += info.prefiltered ? 1 : 0;
    if (!o.quiet) {
      std::printf("compile: id %lld %s phase %d: %s%s%s\n", static_cast<long long>(info.id),
                  info.location.c_str(), info.phase,
                  info.prefiltered ? "prefiltered" : "not prefiltered",
                  info.note.empty() ? "" : " - ", info.note.c_str());
    }
  }
  size_t parse_errors = parser.errors().size();
  std::vector<seclang::Diagnostic> compile_errors(
      report.errors.begin() +
          static_cast<std::ptrdiff_t>(std::min(parse_errors, report.errors.size())),
      report.errors.end());
  PrintDiagnostics(compile_errors, "error");
  size_t parse_warnings = parser.warnings().size();
  std::vector<seclang::Diagnostic> compile_warnings(
      report.warnings.begin() +
          static_cast<std::ptrdiff_t>(std::min(parse_warnings, report.warnings.size())),
      report.warnings.end());
  PrintDiagnostics(compile_warnings, "warning");
  std::printf("compiled: %zu rule(s), %zu prefiltered, %zu compile error(s)\n",
              report.rule_info.size(), prefiltered, compile_errors.size());
  if (!report.ok()) {
    return Fail(InvalidArgumentError(std::to_string(report.errors.size()) +
                                     " compile error(s) in the rules; see above"));
  }
  return 0;
}

struct WafEvalOptions {
  std::vector<std::string> rules;
  std::string request;
  std::string response;
  bool json = false;
};

// Raw files are often written with bare LF line ends; the strict parser wants CRLF in the head.
std::string NormalizeHead(std::string raw) {
  size_t end = raw.find("\r\n\r\n");
  if (end != std::string::npos) return raw;
  size_t lf = raw.find("\n\n");
  std::string head = lf == std::string::npos ? raw : raw.substr(0, lf + 2);
  std::string body = lf == std::string::npos ? "" : raw.substr(lf + 2);
  std::string out;
  for (char c : head) {
    if (c == '\n')
      out += "\r\n";
    else
      out.push_back(c);
  }
  if (lf == std::string::npos) out += "\r\n";
  return out + body;
}

Status ParseRawRequest(const std::string& raw_in, waf::Exchange* ex) {
  std::string raw = NormalizeHead(raw_in);
  net::HttpParserLimits limits;
  limits.max_body = 64u << 20;
  net::HttpRequestParser parser(limits);
  std::string_view in = raw;
  bool head_seen = false;
  while (true) {
    net::HttpStep step = parser.Execute(in);
    if (step.event == net::HttpEvent::kError) {
      return InvalidArgumentError("request: " + std::string(net::HttpErrorName(parser.error())));
    }
    if (step.event == net::HttpEvent::kHead && !head_seen) {
      head_seen = true;
      const net::HttpRequestHead& h = parser.head();
      ex->method = std::string(h.method);
      ex->uri = std::string(h.target);
      ex->http_version = h.version_minor == 0 ? "1.0" : "1.1";
      ex->request_headers.clear();
      for (size_t i = 0; i < h.header_count; ++i) {
        ex->request_headers.emplace_back(std::string(h.headers[i].name),
                                         std::string(h.headers[i].value));
      }
    }
    if (step.event == net::HttpEvent::kBody) ex->request_body.append(step.data);
    in.remove_prefix(step.consumed);
    if (step.event == net::HttpEvent::kDone) return Status::Ok();
    if (step.event == net::HttpEvent::kNeedMore) {
      if (!head_seen) return InvalidArgumentError("request: incomplete head");
      return InvalidArgumentError("request: body shorter than declared");
    }
  }
}

Status ParseRawResponse(const std::string& raw_in, waf::Exchange* ex) {
  std::string raw = NormalizeHead(raw_in);
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return InvalidArgumentError("response: no end of head");
  std::string_view head = std::string_view(raw).substr(0, end);
  size_t eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  size_t sp1 = status_line.find(' ');
  if (sp1 == std::string_view::npos) return InvalidArgumentError("response: bad status line");
  ex->response_protocol = std::string(status_line.substr(0, sp1));
  int code = 0;
  for (size_t i = sp1 + 1; i < status_line.size() && status_line[i] >= '0' && status_line[i] <= '9';
       ++i) {
    code = code * 10 + (status_line[i] - '0');
  }
  if (code < 100 || code > 999) return InvalidArgumentError("response: bad status code");
  ex->response_status = code;
  size_t pos = eol == std::string_view::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string_view::npos) e = head.size();
    std::string_view line = head.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      ex->response_headers.emplace_back(std::string(line.substr(0, colon)), std::string(v));
    }
    pos = e + 2;
  }
  ex->response_body = raw.substr(end + 4);
  return Status::Ok();
}

int RunWafEval(const WafEvalOptions& o) {
  waf::CompileReport report = waf::CompileFiles(o.rules);
  if (!report.ok()) {
    PrintDiagnostics(report.errors, "error");
    return Fail(report.ToStatus());
  }
  waf::Exchange ex;
  auto raw = platform::ReadFile(o.request);
  if (!raw.ok()) return Fail(raw.status());
  if (Status s = ParseRawRequest(raw.value(), &ex); !s.ok()) return Fail(s);
  if (!o.response.empty()) {
    auto rr = platform::ReadFile(o.response);
    if (!rr.ok()) return Fail(rr.status());
    if (Status s = ParseRawResponse(rr.value(), &ex); !s.ok()) return Fail(s);
  }
  waf::Engine engine(report.rules);
  // Driven step by step (as RunExchange does) to read the anomaly scores afterwards.
  std::unique_ptr<waf::Transaction> t = engine.NewTransaction();
  t->ProcessConnection(ex.client_ip, ex.client_port, ex.server_ip, ex.server_port);
  t->ProcessUri(ex.uri, ex.method, ex.http_version);
  for (const auto& [n, v] : ex.request_headers) t->AddRequestHeader(n, v);
  bool stop = t->ProcessRequestHeaders();
  if (!stop) {
    if (!ex.request_body.empty()) t->AppendRequestBody(ex.request_body);
    stop = t->intervention().disruptive() || t->ProcessRequestBody();
  }
  if (!stop && ex.response_status != 0) {
    for (const auto& [n, v] : ex.response_headers) t->AddResponseHeader(n, v);
    stop = t->ProcessResponseHeaders(ex.response_status, ex.response_protocol);
    if (!stop) {
      if (!ex.response_body.empty()) t->AppendResponseBody(ex.response_body);
      stop = t->intervention().disruptive() || t->ProcessResponseBody();
    }
  }
  t->ProcessLogging();

  const waf::Intervention& it = t->intervention();
  const char* verdict = "pass";
  switch (it.kind) {
    case waf::Intervention::Kind::kDeny:
      verdict = "deny";
      break;
    case waf::Intervention::Kind::kDrop:
      verdict = "drop";
      break;
    case waf::Intervention::Kind::kRedirect:
      verdict = "redirect";
      break;
    case waf::Intervention::Kind::kAllow:
      verdict = "allow";
      break;
    default:
      break;
  }
  int status = it.disruptive() ? it.status : (ex.response_status ? ex.response_status : 200);
  static const char* kScores[] = {"anomaly_score",
                                  "inbound_anomaly_score",
                                  "outbound_anomaly_score",
                                  "sql_injection_score",
                                  "xss_score",
                                  "rfi_score",
                                  "lfi_score",
                                  "rce_score",
                                  "php_injection_score",
                                  "http_violation_score",
                                  "session_fixation_score"};
  if (o.json) {
    nlohmann::json j;
    j["verdict"] = verdict;
    j["status"] = status;
    j["deciding_rule_id"] = it.rule_id;
    j["phase"] = it.phase;
    if (!it.url.empty()) j["redirect_url"] = it.url;
    j["matched_rule_ids"] = t->matched_rule_ids();
    nlohmann::json rules = nlohmann::json::array();
    for (const waf::MatchedRule& m : t->matched_rules()) {
      rules.push_back({{"id", m.id},
                       {"phase", m.phase},
                       {"msg", m.msg},
                       {"data", m.data},
                       {"severity", m.severity},
                       {"tags", m.tags},
                       {"matched_var_name", m.matched_var_name},
                       {"disruptive", m.disruptive},
                       {"log", m.ModsecLogLine()}});
    }
    j["matched_rules"] = rules;
    nlohmann::json scores = nlohmann::json::object();
    for (const char* k : kScores) {
      std::string v;
      if (t->GetTxVariable(k, &v)) scores[k] = std::atoll(v.c_str());
    }
    j["anomaly_scores"] = scores;
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::printf("verdict: %s status %d", verdict, status);
    if (it.rule_id != 0)
      std::printf(" by rule %lld in phase %d", static_cast<long long>(it.rule_id), it.phase);
    if (!it.url.empty()) std::printf(" -> %s", it.url.c_str());
    std::printf("\n");
    for (const waf::MatchedRule& m : t->matched_rules()) {
      std::printf("matched: %s\n", m.ModsecLogLine().c_str());
    }
    std::printf("matched ids:");
    for (int64_t id : t->matched_rule_ids()) std::printf(" %lld", static_cast<long long>(id));
    std::printf("\n");
    for (const char* k : kScores) {
      std::string v;
      if (t->GetTxVariable(k, &v)) std::printf("score: %s=%s\n", k, v.c_str());
    }
  }
  return 0;
}

}  // namespace

void RegisterWaf(CLI::App& app) {
  auto* waf = app.add_subcommand("waf", "Web application firewall: SecLang rules and engine");
  waf->require_subcommand(1);
  auto opts = std::make_shared<WafLintOptions>();
  auto* lint = waf->add_subcommand(
      "lint", "Load SecLang rules, print every error, a summary and the compile facts per rule");
  lint->add_option("--rules", opts->rules,
                   "Rules file or glob; repeat to load several in order (like Include)")
      ->required();
  lint->add_flag("--quiet,-q", opts->quiet, "Print only errors, warnings and the totals");
  lint->callback(Action([opts] { return RunWafLint(*opts); }));

  auto eval_opts = std::make_shared<WafEvalOptions>();
  auto* eval = waf->add_subcommand(
      "eval", "Run one raw HTTP request (and response) through the WAF and print the verdict");
  eval->add_option("--rules", eval_opts->rules,
                   "Rules file or glob; repeat to load several in order (like Include)")
      ->required();
  eval->add_option("--request", eval_opts->request, "File with the raw HTTP/1.x request")
      ->required();
  eval->add_option("--response", eval_opts->response,
                   "File with the raw HTTP response (status line, headers, body)");
  eval->add_flag("--json", eval_opts->json, "Print one JSON object instead of text");
  eval->callback(Action([eval_opts] { return RunWafEval(*eval_opts); }));
  RegisterWafConformance(*waf);
}

}  // namespace gs::cli
