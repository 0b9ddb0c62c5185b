// `govshield up [-c FILE]`: runs what the config file enables, in one process: the audit log
// service (store + syslog/HTTP ingest) and, when the file has a gateway section, the gateway
// writing into the same store. With no file it starts the embedded demo default: keys and
// store under ./govshield-data (created on first start), audit listeners on 127.0.0.1, and the
// gateway on 127.0.0.1:8080 in front of the bundled demo government site with OWASP CRS 3.3.4
// (Debian's modsecurity-crs) in blocking mode.
#include <cstdio>
#include <cstdlib>

#include "audit/store.h"
#include "cli/audit_service.h"
#include "cli/cli.h"
#include "cli/config_load.h"
#include "cli/gateway_run.h"
#include "cli/keys.h"
#include "gateway/builtin_filters.h"
#include "platform/file.h"

namespace gs::cli {
namespace {

struct UpOptions {
  std::string config;
  std::string data_dir = "govshield-data";
  std::string site_dir;  // demo site; default: the bundled assets/demo-site
  std::string listen = "127.0.0.1:8080";
  std::string admin = "127.0.0.1:9180";
  bool no_waf = false;
  std::string ports_file;
  int syslog_port = 5514;  // demo default's audit ingest ports (0 = any free port)
  int http_port = 8514;
};

// Debian's locations of the ModSecurity recommended config and OWASP CRS 3.3.4.
constexpr const char* kModsecBase = "/etc/nginx/modsecurity.conf";
constexpr const char* kCrsSetup = "/etc/modsecurity/crs/crs-setup.conf";
constexpr const char* kCrsRules = "/usr/share/modsecurity-crs/rules/*.conf";

std::string AssetsDir() {
  if (const char* env = std::getenv("GOVSHIELD_ASSETS")) return env;
  return GS_SOURCE_ASSETS;
}

// The demo default's gateway: one site for every host, the bundled static site as upstream,
// CRS PL1 blocking.
Result<config::GatewaySection> DemoGateway(const UpOptions& o, std::string* waf_note) {
  config::GatewaySection g;
  g.listen = {o.listen};
  g.admin_listen = o.admin;
  g.workers = 0;
  config::GatewaySiteSection site;
  site.name = "demo";
  site.server_names = {"*"};
  site.default_site = true;
  std::string root = o.site_dir.empty() ? platform::JoinPath(AssetsDir(), "demo-site") : o.site_dir;
  if (!platform::PathExists(root))
    return NotFoundError("demo site " + root + " not found (give --site-dir DIR)");
  site.upstream.static_root = root;
  site.upstream.health_interval = std::chrono::seconds(5);
  if (o.no_waf) {
    *waf_note = "WAF off (--no-waf)";
  } else if (!gateway::HaveWafEngine()) {
    *waf_note = "WAF off: this build has no WAF engine";
  } else if (!platform::PathExists(kCrsSetup) || !platform::PathExists(kModsecBase)) {
    *waf_note =
        "WAF off: OWASP CRS not installed (apt-get install modsecurity-crs "
        "libnginx-mod-http-modsecurity)";
  } else {
    site.waf.rules = {kModsecBase, platform::JoinPath(AssetsDir(), "waf/engine-on.conf"), kCrsSetup,
                      kCrsRules};
    *waf_note = "WAF: OWASP CRS 3.3.4, paranoia level 1, blocking";
  }
  g.sites.push_back(std::move(site));
  return g;
}

audit::FsyncPolicy ToAuditPolicy(config::FsyncPolicy p) {
  switch (p) {
    case config::FsyncPolicy::kAlways:
      return audit::FsyncPolicy::kAlways;
    case config::FsyncPolicy::kBatch:
      return audit::FsyncPolicy::kBatch;
    case config::FsyncPolicy::kInterval:
      break;
  }
  return audit::FsyncPolicy::kInterval;
}

int64_t Millis(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

Status EnsureStore(const std::string& store, const std::string& key,
                   const audit::StoreOptions& options) {
  if (audit::LoadStoreConfig(store).ok()) return Status::Ok();
  GS_RETURN_IF_ERROR(audit::InitStore(store, key, options));
  std::printf("created audit store %s (retention %d days)\n", store.c_str(),
              options.retention_days);
  return Status::Ok();
}

Status RunUp(const UpOptions& o) {
  AuditServiceOptions svc;
  audit::StoreOptions store_options;
  std::string key;
  if (!o.config.empty()) {
    GS_ASSIGN_OR_RETURN(auto cfg, LoadConfigOrPrintErrors(o.config));
    const config::AuditSection& a = cfg->audit;
    svc.store = a.store.string();
    key = a.key.string();
    store_options.retention_days = a.retention_days;
    store_options.fsync = ToAuditPolicy(a.fsync);
    store_options.fsync_interval_ms = Millis(a.fsync_interval);
    store_options.segment_max_bytes = a.segment_max_bytes.bytes;
    store_options.segment_max_age_ms = Millis(a.segment_max_age);
    store_options.checkpoint_every_records = uint64_t(a.checkpoint_every);
    store_options.checkpoint_every_ms = Millis(a.checkpoint_interval);
    svc.bind = cfg->serve.bind;
    svc.syslog_udp = cfg->serve.syslog_udp_port;
    svc.syslog_tcp = cfg->serve.syslog_tcp_port;
    svc.http = cfg->serve.http_port;
  } else {
    std::printf("no config given (-c FILE): starting the embedded demo default in %s/\n",
                o.data_dir.c_str());
    std::string keys = platform::JoinPath(o.data_dir, "keys");
    key = platform::JoinPath(keys, "sm2-private.pem");
    if (!platform::PathExists(key)) GS_RETURN_IF_ERROR(WriteSm2KeyPair(keys, false));
    svc.store = platform::JoinPath(o.data_dir, "audit");
    svc.syslog_udp = svc.syslog_tcp = o.syslog_port;
    svc.http = o.http_port;
  }
  GS_RETURN_IF_ERROR(EnsureStore(svc.store, key, store_options));
  auto state = std::make_shared<GatewayRunState>();
  state->ports_file = o.ports_file;
  bool gateway = false;
  if (!o.config.empty()) {
    GS_ASSIGN_OR_RETURN(auto cfg, LoadConfigOrPrintErrors(o.config));
    if (cfg->gateway) {
      state->section = *cfg->gateway;
      state->config_file = o.config;
      gateway = true;
    }
  } else {
    std::string note;
    GS_ASSIGN_OR_RETURN(state->section, DemoGateway(o, &note));
    gateway = true;
    std::string store = svc.store;
    state->banner = [note, store](const gateway::Gateway& gw) {
      unsigned port = gw.ports().empty() ? 0 : gw.ports()[0];
      std::printf("  %s\n", note.c_str());
      std::printf("demo site (首页, 政务公开, 办事服务, 互动交流):\n");
      std::printf("  curl -s http://127.0.0.1:%u/ | head\n", port);
      std::printf("an attack the WAF blocks (SQL injection -> 403 page with an incident id):\n");
      std::printf("  curl -i \"http://127.0.0.1:%u/zwgk/?id=1%%27%%20OR%%20%%271%%27=%%271\"\n",
                  port);
      std::printf("see the event in the audit log:\n");
      std::printf("  govshield audit query --store %s --source gateway --type block\n",
                  store.c_str());
      std::printf("  govshield audit query --store %s --source gateway --type access\n",
                  store.c_str());
    };
  }
  if (gateway) AttachGateway(&svc, state);
  return RunAuditService(svc);
}

}  // namespace

void RegisterUp(CLI::App& app) {
  auto o = std::make_shared<UpOptions>();
  auto* c = app.add_subcommand(
      "up", "Run everything the config enables (demo default when no -c FILE is given)");
  c->add_option("-c,--config", o->config, "GovShield YAML config (see govshield config example)");
  c->add_option("--data-dir", o->data_dir, "Where the demo default keeps its keys and store")
      ->capture_default_str();
  c->add_option("--site-dir", o->site_dir, "Demo default: the static site to protect");
  c->add_option("--listen", o->listen, "Demo default: gateway address")->capture_default_str();
  c->add_option("--admin", o->admin, "Demo default: admin (metrics) address")
      ->capture_default_str();
  c->add_flag("--no-waf", o->no_waf, "Demo default: run the gateway without the WAF");
  c->add_option("--syslog-port", o->syslog_port, "Demo default: syslog UDP+TCP port (0 = any)")
      ->capture_default_str();
  c->add_option("--http-port", o->http_port, "Demo default: HTTP ingest port (0 = any)")
      ->capture_default_str();
  c->add_option("--ports-file", o->ports_file,
                "Write the gateway's bound ports as JSON to this file");
  c->callback(Action([o] { return RunUp(*o); }));
}

}  // namespace gs::cli
