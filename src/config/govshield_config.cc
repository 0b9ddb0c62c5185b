// Bindings of the top-level GovShield config (see govshield_config.h and docs/config.md).
#include "config/govshield_config.h"

#include <algorithm>

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

namespace {

// "host:port" with a numeric host ("127.0.0.1:80", "[::1]:80", "0.0.0.0:8080").
std::optional<Problem> CheckHostPort(const std::string& v) {
  size_t colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= v.size())
    return Problem{"'" + v + "' is not host:port", "e.g. 127.0.0.1:8080 or [::1]:8080"};
  std::string host = v.substr(0, colon);
  std::string port = v.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  else if (host.find(':') != std::string::npos)
    return Problem{"'" + v + "': write an IPv6 address in brackets", "e.g. [::1]:8080"};
  if (auto p = IpAddressRule{}.Check(host))
    return Problem{"'" + v + "': host " + p->message, "a numeric address; no DNS names"};
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535)
    return Problem{"'" + v + "': bad port", "0..65535 (0 = any free port)"};
  return std::nullopt;
}

std::optional<Problem> CheckHostPorts(const std::vector<std::string>& v) {
  for (const std::string& s : v)
    if (auto p = CheckHostPort(s)) return p;
  return std::nullopt;
}

}  // namespace

void BindConfig(MapReader& r, GatewayUpstreamSection* c) {
  bool servers_ok = r.Field("servers", &c->servers, Satisfies(CheckHostPorts));
  r.Field("static_root", &c->static_root);
  r.Field("health_path", &c->health_path,
          Satisfies([](const std::string& p) -> std::optional<Problem> {
            if (p.empty() || p[0] != '/') return Problem{"must start with '/'", {}};
            return std::nullopt;
          }));
  r.Field("health_interval", &c->health_interval, Range(milliseconds(0), hours(1)));
  r.Field("max_fails", &c->max_fails, Range(1, 1000));
  r.Field("fail_timeout", &c->fail_timeout, Range(milliseconds(100), hours(1)));
  r.Field("keepalive", &c->keepalive, Range(0, 100'000));
  r.Field("connect_timeout", &c->connect_timeout, Range(milliseconds(10), seconds(600)));
  r.Field("response_timeout", &c->response_timeout, Range(milliseconds(10), seconds(3600)));
  r.Field("read_timeout", &c->read_timeout, Range(milliseconds(10), seconds(3600)));
  bool servers = !c->servers.empty(), root = c->static_root.has_value();
  if (servers == root && (servers_ok || !r.Has("servers"))) {
    r.Error(root ? "static_root" : "servers",
            root ? "give either servers or static_root, not both"
                 : "an upstream needs servers (or static_root)",
            "servers: [127.0.0.1:9000]");
  }
}

void BindConfig(MapReader& r, GatewayWafSection* c) {
  r.Field("enabled", &c->enabled);
  r.Field("rules", &c->rules);
  if (c->enabled && c->rules.empty() && r.Has("enabled")) {
    r.Error("enabled", "the WAF is enabled but no rules are given",
            "rules: [crs-setup.conf, rules/*.conf]");
  }
}

void BindConfig(MapReader& r, GatewaySecurityHeadersSection* c) {
  r.Field("enabled", &c->enabled);
  r.Field("hsts", &c->hsts);
  r.Field("content_type_options", &c->content_type_options);
  r.Field("frame_options", &c->frame_options);
  r.Field("referrer_policy", &c->referrer_policy);
  r.Field("csp", &c->csp);
}

void BindConfig(MapReader& r, GatewayTlsSection* c) {
  r.Field("cert", &c->cert, Required());
  r.Field("key", &c->key, Required());
  r.Field("client_ca", &c->client_ca);
  r.Field("client_cert", &c->client_cert);
  if (r.Has("client_cert") && !c->client_ca) {
    r.Error("client_cert", "needs client_ca (the CA that issues the client certificates)",
            "client_ca: /etc/govshield/staff-ca.pem");
  }
}

void BindConfig(MapReader& r, GatewayTamperSection* c) {
  r.Field("root", &c->root, Required());
  r.Field("vault", &c->vault, Required());
  r.Field("pubkey", &c->pubkey, Required());
  r.Field("vault_key", &c->vault_key);
  r.Field("on_mismatch", &c->on_mismatch);
  r.Field("paths", &c->paths, NonEmpty(),
          Satisfies([](const std::vector<std::string>& v) -> std::optional<Problem> {
            for (const std::string& p : v)
              if (p.empty() || p[0] != '/') return Problem{"'" + p + "' must start with '/'", {}};
            return std::nullopt;
          }));
  r.Field("unknown", &c->unknown);
  r.Field("cache", &c->cache, Range(ByteSize{0}, GiB(64)));
  r.Field("max_file", &c->max_file, Range(KiB(1), GiB(4)));
}

void BindConfig(MapReader& r, GatewaySiteSection* c) {
  r.Field("name", &c->name, Required(), NonEmpty());
  r.Field("server_names", &c->server_names, Required(), NonEmpty());
  r.Field("default", &c->default_site);
  r.Field("upstream", &c->upstream, Required());
  r.Field("waf", &c->waf);
  r.Field("inspection_limit", &c->inspection_limit, Range(ByteSize{0}, GiB(1)));
  r.Field("max_body", &c->max_body, Range(ByteSize{0}, ByteSize{1ull << 40}));
  r.Field("access_log", &c->access_log);
  r.Field("security_headers", &c->security_headers);
  r.Field("tls", &c->tls);
  r.Field("https_redirect", &c->https_redirect);
  r.Field("tamper", &c->tamper);
  r.Allow("access");
  r.Allow("cc");
  if (const Node::Entry* e = r.node().Find("access")) c->access = e->value;
  if (const Node::Entry* e = r.node().Find("cc")) c->cc = e->value;
  if (c->inspection_limit > c->max_body) {
    r.Error("inspection_limit", "is larger than max_body (" + FormatByteSize(c->max_body) + ")",
            "the inspected prefix cannot exceed the largest accepted body");
  }
}

void BindConfig(MapReader& r, GatewaySection* c) {
  r.Field("listen", &c->listen, NonEmpty(), Satisfies(CheckHostPorts));
  r.Field("tls_listen", &c->tls_listen, Satisfies(CheckHostPorts));
  r.Field("workers", &c->workers, Range(0, 256));
  r.Field("admin_listen", &c->admin_listen,
          Satisfies([](const std::string& v) -> std::optional<Problem> {
            if (v.empty()) return std::nullopt;
            if (auto p = CheckHostPort(v)) return p;
            if (v.rfind("127.", 0) != 0 && v.rfind("[::1]:", 0) != 0)
              return Problem{"must be a loopback address",
                             "metrics are not for the public: "
                             "use 127.0.0.1:PORT"};
            return std::nullopt;
          }));
  r.Field("max_request_line", &c->max_request_line, Range(ByteSize{256}, MiB(1)));
  r.Field("max_header_line", &c->max_header_line, Range(ByteSize{256}, MiB(1)));
  r.Field("max_header_bytes", &c->max_header_bytes, Range(KiB(1), MiB(16)));
  r.Field("max_headers", &c->max_headers, Range(1, 10'000));
  r.Field("max_connections_per_worker", &c->max_connections_per_worker, Range(1, 10'000'000));
  r.Field("header_timeout", &c->header_timeout, Range(milliseconds(100), seconds(3600)));
  r.Field("body_timeout", &c->body_timeout, Range(milliseconds(100), seconds(3600)));
  r.Field("idle_timeout", &c->idle_timeout, Range(milliseconds(100), hours(24)));
  r.Field("websocket_idle_timeout", &c->websocket_idle_timeout,
          Range(milliseconds(100), hours(24)));
  r.Allow("geo");
  if (const Node::Entry* e = r.node().Find("geo")) c->geo = e->value;
  r.Field("sites", &c->sites, Required(), NonEmpty());
  std::vector<std::string> names;
  for (const auto& s : c->sites) {
    if (std::find(names.begin(), names.end(), s.name) != names.end())
      r.Error("sites", "two sites are named '" + s.name + "'", "site names must be unique");
    names.push_back(s.name);
  }
  int defaults = 0;
  for (const auto& s : c->sites) defaults += s.default_site;
  if (defaults > 1) r.Error("sites", "more than one site has default: true", {});
}

void BindConfig(MapReader& r, GovShieldConfig* c) {
  if (r.Field("version", &c->version, Required()) && c->version != kConfigVersion) {
    r.Error("version", "unsupported config version " + std::to_string(c->version),
            "this build reads version " + std::to_string(kConfigVersion));
  }
  r.Field("audit", &c->audit, Required());
  r.Field("serve", &c->serve);
  r.Field("gateway", &c->gateway);
  r.AllowPrefix("x-");  // top-level "x-name:" blocks hold anchors for "<<: *name" merges
  r.SetUnknownKeyHint([](std::string_view key) -> std::string {
    for (std::string_view planned : {"tamper", "monitor", "console", "check"}) {
      if (key == planned) {
        return "section '" + std::string(key) +
               "' is not supported by this build (supported: version, audit, serve, gateway)";
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

# The protecting reverse proxy (docs/config.md#gateway). Omit the section to run without it.
gateway:
  listen: [127.0.0.1:8080]        # host:port list; port 0 = any free port
  workers: 0                      # 0 = one worker per CPU (SO_REUSEPORT)
  admin_listen: 127.0.0.1:9180    # /healthz and Prometheus /metrics; loopback only
  header_timeout: 10s             # request head must arrive within this (slowloris)
  body_timeout: 30s               # longest pause between request body bytes
  idle_timeout: 60s               # keep-alive wait for the next request
  websocket_idle_timeout: 300s    # a WebSocket tunnel with no byte either way is closed
  sites:
    - name: portal
      server_names: [www.example.gov.cn, "*.example.gov.cn"]
      default: true               # also serves hosts no other site names
      upstream:
        servers: [127.0.0.1:9000] # the protected web server(s); failover in order
        health_path: /
        health_interval: 2s
      # waf:
      #   rules: [/etc/modsecurity/crs/crs-setup.conf, /usr/share/modsecurity-crs/rules/*.conf]
      inspection_limit: 128KiB    # request body bytes the WAF sees; the rest is streamed
      max_body: 100MiB
      access_log: true            # one audit record per request
      # tls: {cert: site.pem, key: site.key, client_ca: staff-ca.pem}  # client_ca: mTLS
      # tamper:                   # serve static files through the signed baseline (核心内嵌)
      #   {root: /var/www/portal, vault: /var/lib/govshield/vault, pubkey: keys/sm2-public.pem,
      #    on_mismatch: vault, paths: [/], unknown: not_found}
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
  if (c.gateway) {
    s += "; gateway: " + std::to_string(c.gateway->sites.size()) + " site(s) on";
    for (const auto& l : c.gateway->listen) s += " " + l;
  }
  s += "; serve: " + c.serve.bind + " syslog udp " + Port(c.serve.syslog_udp_port) + " tcp " +
       Port(c.serve.syslog_tcp_port) + " http " + Port(c.serve.http_port);
  return s;
}

}  // namespace gs::config
