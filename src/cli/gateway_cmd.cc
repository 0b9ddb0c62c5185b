// `govshield gateway run|reload`: the protecting reverse proxy as a service, and how a running
// one is told to reload its config. `govshield up` uses AttachGateway() to run the same gateway
// beside the audit service (one process, one audit store writer).
//
//   gateway run -c FILE [--ports-file F]   gateway + its audit store (config audit section);
//                                          SIGHUP or `gateway reload` re-reads FILE
//   gateway reload -c FILE                 POST /-/reload to the admin port named in FILE;
//                                          prints "reloaded" or why the old config was kept
//   gateway reload --pid PID               the same via SIGHUP (no answer)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "audit/store.h"
#include "cli/audit_service.h"
#include "cli/cli.h"
#include "cli/config_load.h"
#include "cli/gateway_run.h"
#include "cli/tamper_guard.h"
#include "gateway/builtin_filters.h"
#include "gateway/policy/filters.h"
#include "gateway/runtime.h"
#include "gateway/service.h"
#include "platform/file.h"

namespace gs::cli {
namespace {

// The policy module (access control, CC defence) plugs in here once it is part of the build.
// Access control and CC defence (src/gateway/policy) for each site. One builder for the
// process, so country data and a site's CC buckets and bans survive reloads.
gateway::PolicyBuilder MakePolicyBuilder() {
  auto builder = std::make_shared<gateway::policy::PolicyBuilder>();
  return [builder](const config::GatewaySection& g, const config::GatewaySiteSection& site,
                   const std::string& file) {
    return builder->Build(
        {site.name, g.geo.get(), site.access.get(), site.cc.get(), file, &SystemTime(), {}});
  };
}

Status ReloadFromFile(gateway::GatewayService* svc, const std::string& file) {
  config::LoadReport report;
  auto loaded = config::LoadGovShieldConfig(file, &report);
  Status refused;
  if (!loaded.ok()) {
    std::string m = "config " + file + " refused:";
    for (const auto& d : report.errors) m += "\n  " + d.ToString();
    refused = InvalidArgumentError(m + "\n(old config kept)");
  } else if (!(*loaded)->gateway) {
    refused = InvalidArgumentError("config " + file + " has no gateway section; old config kept");
  }
  if (!refused.ok()) {
    // Same audit trail and counter as a refusal after loading (GatewayService::Reload).
    svc->gateway().metrics().reload_failures.fetch_add(1);
    svc->gateway().audit().Submit(gateway::ReloadRecord(svc->gateway().time(), refused));
    return refused;
  }
  Status s = svc->Reload(*(*loaded)->gateway);
  if (!s.ok()) return Status(s.code(), std::string(s.message()) + "\n(old config kept)");
  return s;
}

std::string PortsJson(const gateway::Gateway& gw) {
  std::string json = "{\"gateway\":[";
  for (size_t i = 0; i < gw.ports().size(); ++i) {
    if (i) json += ',';
    json += std::to_string(gw.ports()[i]);
  }
  json += "],\"tls\":[";
  for (size_t i = 0; i < gw.tls_ports().size(); ++i) {
    if (i) json += ',';
    json += std::to_string(gw.tls_ports()[i]);
  }
  json += "],\"admin\":" + std::to_string(gw.admin_port()) + "}\n";
  return json;
}

}  // namespace

void AttachGateway(AuditServiceOptions* svc, std::shared_ptr<GatewayRunState> state) {
  svc->on_started = [state](audit::RecordSink* sink) -> Status {
    gateway::ServiceOptions so;
    so.config_file = state->config_file;
    so.audit_sink = sink;
    so.policy = MakePolicyBuilder();
    so.content_guard = MakeTamperGuardBuilder();
    auto started = gateway::GatewayService::Start(state->section, std::move(so));
    if (!started.ok()) return started.status().WithContext("start gateway");
    state->service = std::move(*started);
    gateway::GatewayService* raw = state->service.get();
    if (!state->config_file.empty()) {
      std::string file = state->config_file;
      raw->gateway().SetReloadHandler([raw, file] { return ReloadFromFile(raw, file); });
    }
    const gateway::Gateway& gw = raw->gateway();
    std::printf("govshield gateway: %zu site(s), %zu worker(s), WAF engine %s\n",
                state->section.sites.size(),
                gw.runtime()->spec().workers == 0 ? size_t(sysconf(_SC_NPROCESSORS_ONLN))
                                                  : size_t(gw.runtime()->spec().workers),
                gateway::HaveWafEngine() ? "built in" : "not in this build");
    for (size_t i = 0; i < gw.ports().size(); ++i) {
      std::string host = state->section.listen[i].substr(0, state->section.listen[i].rfind(':'));
      std::printf("  site URL     http://%s:%u/\n", host.c_str(), gw.ports()[i]);
    }
    for (size_t i = 0; i < gw.tls_ports().size(); ++i) {
      const std::string& l = state->section.tls_listen[i];
      std::printf("  site URL     https://%s:%u/\n", l.substr(0, l.rfind(':')).c_str(),
                  gw.tls_ports()[i]);
    }
    if (gw.admin_port())
      std::printf("  admin        http://127.0.0.1:%u/healthz  /metrics\n", gw.admin_port());
    if (state->banner) state->banner(gw);
    std::fflush(stdout);
    // Written last: a waiting script may read our stdout as soon as the file exists.
    if (!state->ports_file.empty())
      GS_RETURN_IF_ERROR(platform::WriteFileAtomic(state->ports_file, PortsJson(gw)));
    return Status::Ok();
  };
  svc->on_reload = [state] {
    if (!state->service) return;
    if (state->config_file.empty()) {
      std::fprintf(stderr, "gateway: SIGHUP ignored: the demo default has no config file\n");
      return;
    }
    Status s = ReloadFromFile(state->service.get(), state->config_file);
    if (s.ok()) {
      std::fprintf(stderr, "gateway: reloaded %s\n", state->config_file.c_str());
    } else {
      std::fprintf(stderr, "gateway: reload failed: %s\n", std::string(s.message()).c_str());
    }
  };
  svc->on_stopping = [state] {
    if (state->service) state->service->gateway().Stop();
    state->service.reset();
  };
}

namespace {

struct RunOptions {
  std::string config;
  std::string ports_file;
};

Status RunGateway(const RunOptions& o) {
  GS_ASSIGN_OR_RETURN(auto cfg, LoadConfigOrPrintErrors(o.config));
  if (!cfg->gateway)
    return InvalidArgumentError(o.config +
                                " has no gateway section (see govshield config example)");
  AuditServiceOptions svc;
  svc.store = cfg->audit.store.string();
  // The gateway writes into the store directly; the ingest listeners are `audit serve`'s job.
  svc.syslog_udp = svc.syslog_tcp = svc.http = -1;
  svc.print_banner = false;
  if (!audit::LoadStoreConfig(svc.store).ok()) {
    return FailedPreconditionError("no audit store at " + svc.store +
                                   " (create it: govshield audit init --store " + svc.store +
                                   " --key " + cfg->audit.key.string() + ")");
  }
  auto state = std::make_shared<GatewayRunState>();
  state->section = *cfg->gateway;
  state->config_file = o.config;
  state->ports_file = o.ports_file;
  AttachGateway(&svc, state);
  return RunAuditService(svc);
}

struct ReloadOptions {
  std::string config;
  int pid = 0;
};

// POST /-/reload to the admin address; returns the response.
Result<std::string> PostReload(const std::string& admin) {
  GS_ASSIGN_OR_RETURN(net::SocketAddress addr, gateway::ParseHostPort(admin));
  int fd = socket(addr.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("socket", errno);
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  timeval tv{60, 0};  // compiling a large rule set takes a while
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  if (connect(fd, addr.sa(), addr.len) != 0)
    return UnavailableError("cannot reach the gateway admin port " + admin +
                            " (is `govshield gateway run` running with this config?)");
  std::string req = "POST /-/reload HTTP/1.1\r\nHost: " + admin +
                    "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) != ssize_t(req.size()))
    return ErrnoError("send", errno);
  std::string resp;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    resp.append(buf, size_t(n));
  }
  return resp;
}

Status RunReload(const ReloadOptions& o) {
  if (o.pid > 0) {
    if (kill(o.pid, SIGHUP) != 0) return ErrnoError("kill(SIGHUP)", errno);
    std::printf("sent SIGHUP to %d (the gateway prints the result on its stderr)\n", o.pid);
    return Status::Ok();
  }
  if (o.config.empty()) return InvalidArgumentError("give -c FILE (or --pid PID)");
  GS_ASSIGN_OR_RETURN(auto cfg, LoadConfigOrPrintErrors(o.config));
  if (!cfg->gateway) return InvalidArgumentError(o.config + " has no gateway section");
  if (cfg->gateway->admin_listen.empty())
    return InvalidArgumentError("gateway.admin_listen is off; use --pid PID (SIGHUP)");
  GS_ASSIGN_OR_RETURN(std::string resp, PostReload(cfg->gateway->admin_listen));
  size_t body = resp.find("\r\n\r\n");
  std::string text = body == std::string::npos ? resp : resp.substr(body + 4);
  if (resp.rfind("HTTP/1.1 200", 0) == 0) {
    std::printf("%s", text.c_str());
    return Status::Ok();
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return FailedPreconditionError("reload refused: " + text);
}

}  // namespace

void RegisterGateway(CLI::App& app) {
  auto* group = app.add_subcommand("gateway", "The protecting reverse proxy (WAF gateway)");
  group->require_subcommand(1);

  auto run = std::make_shared<RunOptions>();
  auto* r = group->add_subcommand(
      "run", "Run the gateway of a config file (SIGHUP or `gateway reload` re-reads it)");
  r->add_option("-c,--config", run->config, "GovShield YAML config with a gateway section")
      ->required();
  r->add_option("--ports-file", run->ports_file,
                "Write the bound ports as JSON ({\"gateway\":[..],\"admin\":N}) to this file");
  r->callback(Action([run] { return RunGateway(*run); }));

  auto reload = std::make_shared<ReloadOptions>();
  auto* l = group->add_subcommand(
      "reload", "Make a running gateway re-read its config; prints why if it was refused");
  l->add_option("-c,--config", reload->config, "The config file the gateway runs");
  l->add_option("--pid", reload->pid, "Send SIGHUP to this process instead");
  l->callback(Action([reload] { return RunReload(*reload); }));
}

}  // namespace gs::cli
