// The top-level GovShield configuration: what `govshield up -c FILE` and
// `govshield config check -c FILE` read. It holds exactly the sections this build implements
// (`audit`, `serve`, `gateway`); a section for a component this build lacks is an error, not
// silently ignored. docs/config.md describes every key.
//
// Each section is a plain struct whose member initialisers are the documented defaults, with a
// BindConfig declaring its keys (reader.h). The loaded config is immutable and shareable.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/node.h"
#include "config/reader.h"
#include "config/units.h"
#include "core/status.h"

namespace gs::config {

// When the audit store makes appended records durable.
enum class FsyncPolicy {
  kAlways,    // fsync after every record before acknowledging it
  kInterval,  // fsync at most every fsync_interval (records in between can be lost on power loss)
  kBatch,     // fsync once per appended batch (an NDJSON chunk, a TCP read, an HTTP request)
};
constexpr std::array<std::pair<std::string_view, FsyncPolicy>, 3> ConfigEnumEntries(FsyncPolicy) {
  return {{{"always", FsyncPolicy::kAlways},
           {"interval", FsyncPolicy::kInterval},
           {"batch", FsyncPolicy::kBatch}}};
}

// The minimum retention: the Regulation (Art. 20) requires logs to be kept at least one year.
inline constexpr int kMinRetentionDays = 365;

struct AuditSection {
  std::filesystem::path store;                  // required: the store directory
  std::filesystem::path key;                    // required: SM2 private key (PEM) for checkpoints
  std::optional<std::filesystem::path> pubkey;  // public key; derived from `key` when absent
  int retention_days = 400;
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  std::chrono::nanoseconds fsync_interval = std::chrono::milliseconds(100);
  ByteSize segment_max_bytes = MiB(64);
  std::chrono::nanoseconds segment_max_age = std::chrono::hours(24);
  int64_t checkpoint_every = 1000;  // records
  std::chrono::nanoseconds checkpoint_interval = std::chrono::seconds(1);
};
void BindConfig(MapReader& r, AuditSection* c);

// The audit ingest listeners. Ports: -1 disables the listener, 0 picks any free port.
struct ServeSection {
  std::string bind = "127.0.0.1";
  int syslog_udp_port = 0;
  int syslog_tcp_port = 0;
  int http_port = 0;
};
void BindConfig(MapReader& r, ServeSection* c);

// One upstream pool of a gateway site. Either `servers` (host:port, numeric) or `static_root`
// (a directory served by the gateway's built-in static file server, for the demo site).
struct GatewayUpstreamSection {
  std::vector<std::string> servers;
  std::optional<std::filesystem::path> static_root;
  std::string health_path = "/";
  std::chrono::nanoseconds health_interval = std::chrono::seconds(2);  // 0s: passive only
  int max_fails = 2;
  std::chrono::nanoseconds fail_timeout = std::chrono::seconds(10);
  int keepalive = 64;  // idle connections kept per server per worker
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds(3);
  std::chrono::nanoseconds response_timeout = std::chrono::seconds(30);
  std::chrono::nanoseconds read_timeout = std::chrono::seconds(60);
};
void BindConfig(MapReader& r, GatewayUpstreamSection* c);

struct GatewayWafSection {
  bool enabled = true;
  // Rule files or globs, in load order; relative paths resolve against the config file's dir.
  std::vector<std::filesystem::path> rules;
};
void BindConfig(MapReader& r, GatewayWafSection* c);

struct GatewaySecurityHeadersSection {
  bool enabled = true;
  std::string hsts = "max-age=31536000; includeSubDomains";
  std::string content_type_options = "nosniff";
  std::string frame_options = "SAMEORIGIN";
  std::string referrer_policy = "strict-origin-when-cross-origin";
  std::string csp = "default-src 'self'; frame-ancestors 'self'; object-src 'none'";
};
void BindConfig(MapReader& r, GatewaySecurityHeadersSection* c);

// Whether a site with `tls.client_ca` asks TLS clients for a certificate (mTLS).
enum class ClientCertMode {
  kRequest,  // asked for; a missing or unverifiable one is no handshake error (policies decide)
  kRequire,  // the handshake fails without a certificate that verifies against client_ca
};
constexpr std::array<std::pair<std::string_view, ClientCertMode>, 2> ConfigEnumEntries(
    ClientCertMode) {
  return {{{"request", ClientCertMode::kRequest}, {"require", ClientCertMode::kRequire}}};
}

struct GatewayTlsSection {
  std::filesystem::path cert;                      // PEM certificate chain
  std::filesystem::path key;                       // PEM private key
  std::optional<std::filesystem::path> client_ca;  // PEM CA certificate(s) for client certs
  ClientCertMode client_cert = ClientCertMode::kRequest;
};

// What the gateway does with a guarded file whose bytes differ from the signed baseline.
enum class TamperMismatchAction { kVault, kBlock };
constexpr std::array<std::pair<std::string_view, TamperMismatchAction>, 2> ConfigEnumEntries(
    TamperMismatchAction) {
  return {{{"vault", TamperMismatchAction::kVault}, {"block", TamperMismatchAction::kBlock}}};
}
// What the gateway does with a path under a guarded prefix that the baseline does not know.
enum class TamperUnknownAction { kNotFound, kUpstream };
constexpr std::array<std::pair<std::string_view, TamperUnknownAction>, 2> ConfigEnumEntries(
    TamperUnknownAction) {
  return {{{"not_found", TamperUnknownAction::kNotFound},
           {"upstream", TamperUnknownAction::kUpstream}}};
}

// Serve-time check (核心内嵌): the gateway serves this site's static files itself from the
// protected root, each checked against the tamper guard's signed baseline.
struct GatewayTamperSection {
  std::filesystem::path root;                      // required: the baselined web root
  std::filesystem::path vault;                     // required: the tamper vault of that root
  std::filesystem::path pubkey;                    // required: SM2 key that signed the baseline
  std::optional<std::filesystem::path> vault_key;  // SM4 key file of an encrypted vault
  TamperMismatchAction on_mismatch = TamperMismatchAction::kVault;
  std::vector<std::string> paths = {"/"};  // guarded URL path prefixes
  TamperUnknownAction unknown = TamperUnknownAction::kNotFound;
  ByteSize cache = MiB(64);     // verified content kept in memory
  ByteSize max_file = MiB(64);  // larger files go to the upstream unchecked
};
void BindConfig(MapReader& r, GatewayTamperSection* c);
void BindConfig(MapReader& r, GatewayTlsSection* c);

struct GatewaySiteSection {
  std::string name;                       // required, unique
  std::vector<std::string> server_names;  // required: host names, "*.suffix" or "*"
  bool default_site = false;              // key `default`: serves hosts no site names
  GatewayUpstreamSection upstream;        // required
  GatewayWafSection waf;
  ByteSize inspection_limit = KiB(128);
  ByteSize max_body = MiB(100);
  bool access_log = true;
  GatewaySecurityHeadersSection security_headers;
  std::optional<GatewayTlsSection> tls;        // certificate for this site's names (SNI)
  bool https_redirect = false;                 // plain HTTP -> 301 https://
  std::optional<GatewayTamperSection> tamper;  // serve-time check of a protected root
  // `access:` and `cc:` are decoded by the gateway policy module (docs/gateway-policy.md);
  // the config layer keeps their nodes so their errors still point at FILE:LINE:COL.
  std::shared_ptr<const Node> access;
  std::shared_ptr<const Node> cc;
};
void BindConfig(MapReader& r, GatewaySiteSection* c);

struct GatewaySection {
  std::vector<std::string> listen = {"127.0.0.1:8080"};  // host:port, numeric
  std::vector<std::string> tls_listen;                   // HTTPS listeners (sites' tls certs)
  int workers = 0;                                       // 0: one per CPU
  std::string admin_listen = "127.0.0.1:9180";           // loopback only; "" disables /metrics
  ByteSize max_request_line = KiB(8);
  ByteSize max_header_line = KiB(8);
  ByteSize max_header_bytes = KiB(64);
  int max_headers = 100;
  int max_connections_per_worker = 10'000;
  std::chrono::nanoseconds header_timeout = std::chrono::seconds(10);
  std::chrono::nanoseconds body_timeout = std::chrono::seconds(30);
  std::chrono::nanoseconds idle_timeout = std::chrono::seconds(60);
  std::chrono::nanoseconds websocket_idle_timeout = std::chrono::seconds(300);
  std::shared_ptr<const Node> geo;        // decoded by the gateway policy module
  std::vector<GatewaySiteSection> sites;  // required, at least one
};
void BindConfig(MapReader& r, GatewaySection* c);

inline constexpr int kConfigVersion = 1;

struct GovShieldConfig {
  int version = 0;  // required; must be kConfigVersion
  AuditSection audit;
  ServeSection serve;
  std::optional<GatewaySection> gateway;
};
void BindConfig(MapReader& r, GovShieldConfig* c);

// Loads and validates FILE. On failure returns INVALID_ARGUMENT listing every problem, and
// fills *report (when given) with them one by one.
Result<std::shared_ptr<const GovShieldConfig>> LoadGovShieldConfig(const std::string& path,
                                                                   LoadReport* report = nullptr,
                                                                   const LoadOptions& options = {});

// A commented example config that passes validation (`govshield config example`).
std::string_view ExampleConfigYaml();

// One line describing a loaded config, for `config check` and startup logs.
std::string Summarize(const GovShieldConfig& c);

}  // namespace gs::config
