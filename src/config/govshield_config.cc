// Bindings of the top-level GovShield config (see govshield_config.h and docs/config.md).
#include "config/govshield_config.h"

namespace gs::config {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

void BindConfig(MapReader& r, AuditSection* c) {
  r.Field("store", &c->store, Required());
  r.Field("key", &c->key, Required());
  r.Field("pubkey", &c->pubkey);
  r.Field("retention_days", &c->retention_days,
          Range(kMinRetentionDays, 36500)
              .Because("the Regulation (Art. 20) requires logs to be kept at least one year"));
  r.Field("fsync", &c->fsync);
  r.Field("fsync_interval", &c->fsync_interval, Range(milliseconds(1), milliseconds(60'000)));
  r.Field("segment_max_bytes", &c->segment_max_bytes, Range(KiB(4), GiB(4)));
  r.Field("segment_max_age", &c->segment_max_age, Range<seconds>(seconds(1), hours(24 * 31)));
  r.Field("checkpoint_every", &c->checkpoint_every, Range<int64_t>(1, 10'000'000));
  r.Field("checkpoint_interval", &c->checkpoint_interval,
          Range(milliseconds(10), milliseconds(3'600'000)));
  if (c->pubkey && *c->pubkey == c->key) {
    r.Error("pubkey", "is the same file as key",
            "pubkey is the public half; leave it out to derive it from the private key");
  }
}

void BindConfig(MapReader& r, ServeSection* c) {
  r.Field("bind", &c->bind, IpAddress());
  auto port = Range(-1, 65535);
  bool udp = r.Field("syslog_udp_port", &c->syslog_udp_port, port);
  bool tcp = r.Field("syslog_tcp_port", &c->syslog_tcp_port, port);
  bool http = r.Field("http_port", &c->http_port, port);
  // UDP and TCP may share a number; two TCP listeners may not.
  if ((tcp || http) && c->syslog_tcp_port > 0 && c->syslog_tcp_port == c->http_port) {
    r.Error(http ? "http_port" : "syslog_tcp_port",
            "port " + std::to_string(c->http_port) + " is also syslog_tcp_port",
            "two TCP listeners cannot share a port; use 0 for any free port");
  }
  (void)udp;
}

void BindConfig(MapReader& r, GovShieldConfig* c) {
  if (r.Field("version", &c->version, Required()) && c->version != kConfigVersion) {
    r.Error("version", "unsupported config version " + std::to_string(c->version),
            "this build reads version " + std::to_string(kConfigVersion));
  }
  r.Field("audit", &c->audit, Required());
  r.Field("serve", &c->serve);
  r.AllowPrefix("x-");  // top-level "x-name:" blocks hold anchors for "<<: *name" merges
  r.SetUnknownKeyHint([](std::string_view key) -> std::string {
    for (std::string_view planned : {"gateway", "tamper", "monitor", "console", "check"}) {
      if (key == planned) {
        return "section '" + std::string(key) +
               "' is not supported by this build (supported: version, audit, serve)";
      }
    }
    return {};
  });
}

Result<std::shared_ptr<const GovShieldConfig>> LoadGovShieldConfig(const std::string& path,
                                                                   LoadReport* report,
                                                                   const LoadOptions& options) {
  return LoadConfig<GovShieldConfig>(path, options, report);
}

std::string_view ExampleConfigYaml() {
  return R"yaml(# GovShield configuration (govshield up -c FILE). Reference: docs/config.md.
# Relative paths are resolved against the directory of this file.
version: 1

# The tamper-evident audit log (Regulation Art. 20; GB/T 22239 level 3).
audit:
  store: audit-store              # store directory (created by `govshield audit init`)
  key: keys/sm2-private.pem       # SM2 private key that signs checkpoints (govshield keys gen)
  # pubkey: keys/sm2-public.pem   # optional; derived from the private key when absent
  retention_days: 400             # at least 365: logs must be kept one year (Art. 20)
  fsync: interval                 # always | interval | batch
  fsync_interval: 100ms           # with fsync: interval, the longest a record waits for fsync
  segment_max_bytes: 64MiB        # seal a segment at this size ...
  segment_max_age: 1d             # ... or at this age, whichever comes first
  checkpoint_every: 1000          # sign a checkpoint every N records ...
  checkpoint_interval: 1s         # ... or at least this often while records arrive

# Ingest listeners of the audit log. -1 disables a listener, 0 picks any free port.
serve:
  bind: 127.0.0.1
  syslog_udp_port: 0              # syslog RFC 5424 / RFC 3164 over UDP
  syslog_tcp_port: 0              # syslog over TCP (octet counting or newline framing)
  http_port: 0                    # HTTP/JSON ingest for GovShield's own components
)yaml";
}

namespace {
std::string Port(int p) { return p < 0 ? "off" : p == 0 ? "any" : std::to_string(p); }
}  // namespace

std::string Summarize(const GovShieldConfig& c) {
  const AuditSection& a = c.audit;
  std::string s = "version " + std::to_string(c.version) + "; audit: store " + a.store.string() +
                  ", retention " + std::to_string(a.retention_days) + "d, fsync " +
                  std::string(EnumName(a.fsync));
  if (a.fsync == FsyncPolicy::kInterval) s += " " + FormatValue(a.fsync_interval);
  s += ", segments " + FormatByteSize(a.segment_max_bytes) + "/" + FormatValue(a.segment_max_age);
  s += ", checkpoint every " + std::to_string(a.checkpoint_every) + " records or " +
       FormatValue(a.checkpoint_interval);
  s += "; serve: " + c.serve.bind + " syslog udp " + Port(c.serve.syslog_udp_port) + " tcp " +
       Port(c.serve.syslog_tcp_port) + " http " + Port(c.serve.http_port);
  return s;
}

}  // namespace gs::config
