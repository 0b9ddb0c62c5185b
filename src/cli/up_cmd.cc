// `govshield up [-c FILE]`: runs what the config file enables, in one process. In this build
// that is the audit log service (store + syslog/HTTP ingest); the gateway, tamper agent and
// monitor join here as they land. With no file it starts the embedded demo default: keys and
// store under ./govshield-data (created on first start), listeners on 127.0.0.1.
#include <cstdio>

#include "audit/store.h"
#include "cli/audit_service.h"
#include "cli/cli.h"
#include "cli/config_load.h"
#include "cli/keys.h"
#include "platform/file.h"

namespace gs::cli {
namespace {

struct UpOptions {
  std::string config;
  std::string data_dir = "govshield-data";
};

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
  }
  GS_RETURN_IF_ERROR(EnsureStore(svc.store, key, store_options));
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
  c->callback(Action([o] { return RunUp(*o); }));
}

}  // namespace gs::cli
