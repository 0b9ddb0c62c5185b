// `govshield monitor once|run|accept`: the site and domain monitor from the command line.
//
//   monitor once -c FILE [--json] [--fail-on SEV] [--audit-store DIR] [--lang zh|en] [--progress]
//                                                   one round; prints findings
//   monitor run -c FILE [same options]              rounds every interval ± jitter until
//                                                   SIGTERM/SIGINT (then exits 0)
//   monitor accept -c FILE --target NAME            current DNS answers and certificate of
//                                                   NAME become its legitimate baseline
//   monitor checks                                  the checks, their findings and config keys
// Output: one line per finding, in Simplified Chinese by default ("[严重] 域名解析被劫持
// dns_hijack 目标 portal：www/A@...") or English with --lang en ("critical dns_hijack portal
// www/A@...: summary"); with --json one JSON object per line (the audit record: source, type,
// check, target, severity, evidence). --audit-store writes deduplicated finding events into a
// tamper-evident audit store (created with `audit init`); --progress prints one summary line
// per round on stderr.
// Exit codes of `once`: 0 no finding at/above the fail-on severity (default: the file's
// `fail_on`, itself defaulting to "low", so info-only findings still exit 0), 1 such findings,
// 2 errors (bad config, state database unusable).
#include <csignal>
#include <cstdio>

#include "audit/store.h"
#include "cli/cli.h"
#include "monitor/check.h"
#include "monitor/monitor.h"
#include "monitor/report.h"

namespace gs::cli {
namespace {

std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop.store(true); }

struct MonitorOptions {
  std::string config;
  bool json = false;
  std::string fail_on;
  std::string target;
  std::string audit_store;
  std::string lang = "zh";
  bool progress = false;
};

// What a running monitor command holds open: the audit store (optional) and the monitor.
struct Session {
  std::unique_ptr<audit::AuditStore> store;
  std::unique_ptr<monitor::Monitor> monitor;
  monitor::Language lang = monitor::Language::kZh;
};

int Error(const Status& s) {
  Fail(s);
  return 2;
}

void PrintFindings(const std::vector<monitor::Finding>& findings, bool json,
                   monitor::Language lang) {
  UnixNanos now = SystemTime().Now();
  for (const auto& f : findings) {
    std::string line = json ? monitor::FindingToJson(f, now).dump() : FormatFinding(f, lang);
    line += '\n';
    std::fputs(line.c_str(), stdout);
  }
  std::fflush(stdout);
}

Result<Session> Open(const MonitorOptions& o) {
  // The monitor talks to servers that hang up at will; a write to a closed socket must be an
  // error on that probe, never the death of the process.
  std::signal(SIGPIPE, SIG_IGN);
  Session s;
  GS_ASSIGN_OR_RETURN(s.lang, monitor::ParseLanguage(o.lang));
  GS_ASSIGN_OR_RETURN(auto cfg, monitor::LoadMonitorConfig(o.config));
  if (!o.audit_store.empty()) {
    auto store = audit::AuditStore::Open(o.audit_store);
    if (!store.ok()) return store.status().WithContext("opening audit store " + o.audit_store);
    s.store = std::move(*store);
  }
  GS_ASSIGN_OR_RETURN(s.monitor,
                      monitor::Monitor::Create(std::move(cfg), s.store.get(), SystemTime()));
  return s;
}

void PrintProgress(const Session& s, const std::vector<monitor::Finding>& findings) {
  std::string line = monitor::FormatRoundSummary(s.monitor->config().targets.size(), findings,
                                                 s.monitor->last_round().seconds, s.lang);
  for (const auto& d : s.monitor->last_round().webhooks)
    line += (s.lang == monitor::Language::kZh
                 ? (d.delivered ? "；告警已推送 " : "；告警推送失败 ")
                 : (d.delivered ? "; webhook delivered " : "; webhook failed ")) +
            d.url;
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

int RunOnceCmd(const MonitorOptions& o) {
  auto m = Open(o);
  if (!m.ok()) return Error(m.status());
  monitor::Severity threshold = m->monitor->config().fail_on;
  if (!o.fail_on.empty()) {
    auto s = monitor::ParseSeverity(o.fail_on);
    if (!s.ok()) return Error(s.status());
    threshold = *s;
  }
  auto findings = m->monitor->RunOnce();
  if (!findings.ok()) return Error(findings.status());
  PrintFindings(*findings, o.json, m->lang);
  if (o.progress) PrintProgress(*m, *findings);
  if (m->store) {
    Status st = m->store->Close();
    if (!st.ok()) return Error(st);
  }
  return monitor::MaxSeverity(*findings) >= static_cast<int>(threshold) ? 1 : 0;
}

int RunDaemonCmd(const MonitorOptions& o) {
  auto m = Open(o);
  if (!m.ok()) return Error(m.status());
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  Status s = m->monitor->Run(g_stop, [&](const Result<std::vector<monitor::Finding>>& r) {
    if (r.ok()) {
      PrintFindings(*r, o.json, m->lang);
      if (o.progress) PrintProgress(*m, *r);
    } else {
      Fail(r.status());
    }
  });
  if (!s.ok()) return Error(s);
  if (m->store) {
    Status st = m->store->Close();
    if (!st.ok()) return Error(st);
  }
  return 0;
}

int AcceptCmd(const MonitorOptions& o) {
  auto m = Open(o);
  if (!m.ok()) return Error(m.status());
  auto n = m->monitor->Accept(o.target);
  if (!n.ok()) return Error(n.status());
  if (m->lang == monitor::Language::kZh)
    std::printf("已将目标 %s 的当前状态记录为基线（%d 项）\n", o.target.c_str(), *n);
  else
    std::printf("accepted %d baseline entr%s for target %s\n", *n, *n == 1 ? "y" : "ies",
                o.target.c_str());
  return 0;
}

std::string_view FieldTypeName(monitor::FieldType t) {
  switch (t) {
    case monitor::FieldType::kString:
      return "string";
    case monitor::FieldType::kInt:
      return "int";
    case monitor::FieldType::kBool:
      return "bool";
    case monitor::FieldType::kDuration:
      return "duration";
    case monitor::FieldType::kStringList:
      return "list of strings";
    case monitor::FieldType::kEndpointList:
      return "list of IP[:port]";
    case monitor::FieldType::kSeverity:
      return "severity";
    case monitor::FieldType::kRatio:
      return "ratio";
  }
  return "?";
}

int ChecksCmd() {
  std::string out;
  auto fields = [&](const std::string& where, std::span<const monitor::ConfigField> schema) {
    for (const auto& f : schema) {
      out += "    " + where + std::string(f.key) + " (" + std::string(FieldTypeName(f.type));
      if (!f.default_value.empty()) out += ", default " + std::string(f.default_value);
      out += "): " + std::string(f.help) + "\n";
    }
  };
  for (const auto* d : monitor::AllChecks()) {
    out += std::string(d->name) + ": " + std::string(d->summary) + "\n  findings:";
    for (auto f : d->findings) out += " " + std::string(f);
    out += "\n  config:\n";
    fields(std::string("targets[].") + std::string(d->section) + ".", d->target_schema);
    fields(std::string(d->section) + ".", d->global_schema);
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace

void RegisterMonitor(CLI::App& app) {
  auto* mon = app.add_subcommand(
      "monitor",
      "Site and domain monitor: DNS hijack, DNSSEC, TLS, availability, defacement, dark links");
  mon->require_subcommand(1);
  auto opts = std::make_shared<MonitorOptions>();

  auto* once = mon->add_subcommand("once",
                                   "Run one round over the targets and print findings "
                                   "(exit 0 none, 1 findings at/above --fail-on, 2 error)");
  once->add_option("-c,--config", opts->config, "Monitor targets file (YAML)")->required();
  once->add_flag("--json", opts->json, "Print findings as JSON objects, one per line");
  once->add_option("--fail-on", opts->fail_on,
                   "Lowest severity that makes the exit code 1 (info|low|medium|high|critical)");
  auto common = [&](CLI::App* c) {
    c->add_option("--audit-store", opts->audit_store,
                  "Also write finding events into this audit store (see `audit init`)");
    c->add_option("--lang", opts->lang, "Report language: zh (default, 简体中文) or en");
    c->add_flag("--progress", opts->progress, "Print a summary line per round on stderr");
  };
  common(once);
  once->callback(Action([opts] { return RunOnceCmd(*opts); }));

  auto* run = mon->add_subcommand("run", "Run rounds on the configured interval until SIGTERM");
  run->add_option("-c,--config", opts->config, "Monitor targets file (YAML)")->required();
  run->add_flag("--json", opts->json, "Print findings as JSON objects, one per line");
  common(run);
  run->callback(Action([opts] { return RunDaemonCmd(*opts); }));

  auto* accept = mon->add_subcommand(
      "accept", "Record the target's current DNS answers and certificate as legitimate");
  accept->add_option("-c,--config", opts->config, "Monitor targets file (YAML)")->required();
  accept->add_option("--target", opts->target, "Target name from the file")->required();
  accept->add_option("--lang", opts->lang, "Message language: zh (default) or en");
  accept->callback(Action([opts] { return AcceptCmd(*opts); }));

  auto* checks = mon->add_subcommand("checks", "List the checks, their findings and config keys");
  checks->callback(Action([] { return ChecksCmd(); }));
}

}  // namespace gs::cli
