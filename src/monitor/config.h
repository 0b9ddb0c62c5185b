// MonitorConfig: the compiled, immutable form of a monitor targets file. Built by
// LoadMonitorConfig (config_yaml.cc, the only file that touches YAML) and then read-only.
//
// File format (YAML):
//   interval: 5m            # round interval (duration), default 5m
//   jitter: 30s             # each sleep is interval ± up to jitter
//   state: monitor.db       # SQLite state; relative paths are relative to the file's folder
//   fail_on: low            # `monitor once` exits 1 if a finding is at/above this severity
//   dns: {resolvers: ["127.0.0.1:53"], trust_anchor_file: ta.key, mismatch_rounds: 1, ...}
//   targets:
//     - name: portal
//       dns: {names: [www.example.gov.cn], zone: example.gov.cn, authoritative: ["1.2.3.4:53"]}
//       tls: {host: www.example.gov.cn, port: 443, ca_bundle: ca.pem, http_port: 80}
// The allowed keys of each section are the check descriptors' schemas (see check.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "monitor/finding.h"

namespace gs::monitor {

// An IP literal and a port. "127.0.0.1:5353", "[::1]:53", "10.0.0.1" (default port).
struct Endpoint {
  std::string host;
  uint16_t port = 53;
  std::string ToString() const;       // "127.0.0.1:5353" / "[::1]:53"
  std::string ToUnboundAddr() const;  // "127.0.0.1@5353"
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};
Result<Endpoint> ParseEndpoint(std::string_view s, uint16_t default_port);

enum class DnssecMode { kOff, kValidate, kRequired };

struct DnsTargetConfig {
  bool enabled = false;
  std::vector<std::string> names;       // fully qualified, lower case, no trailing dot
  std::string zone;                     // the zone the names live in (for DNSSEC stub)
  std::vector<Endpoint> authoritative;  // queried directly, RD=0
  std::vector<uint16_t> types;          // RR type codes; default A AAAA CNAME NS MX CAA
  DnssecMode dnssec = DnssecMode::kValidate;
  std::vector<Endpoint> parent;  // the parent zone's servers: DS drift is checked there
};

struct TlsTargetConfig {
  bool enabled = false;
  std::string host;     // SNI, host-name match and Host header
  std::string connect;  // address to connect to; defaults to host
  uint16_t port = 443;
  std::string ca_bundle;   // PEM file; empty = system default paths
  uint16_t http_port = 0;  // plain-HTTP port for the redirect check; 0 = skip
  bool require_hsts = true;
  std::string path = "/";
  std::vector<int> expiry_warn_days = {30, 14, 7};
  int64_t timeout_nanos = 10LL * 1'000'000'000;
};

// National spot-check rule (政府网站与政务新媒体检查指标): a probe fails when the page has not
// loaded within 15 s; over a rolling 7 days a failure ratio >= 5% is a veto-level finding.
struct AvailabilityTargetConfig {
  bool enabled = false;
  std::string url;      // http(s)://host[:port]/path
  std::string connect;  // address to connect to instead of resolving the URL's host; "" = DNS
  int64_t timeout_nanos = 15LL * 1'000'000'000;
  int64_t window_nanos = 7LL * 86'400 * 1'000'000'000;
  double veto_ratio = 0.05;
  double warn_ratio = 0.03;  // early warning, well before the veto
  int min_probes = 20;       // no ratio verdict on fewer probes (one day at the minimum rate)
};

// Content integrity of the home page (defacement, 挂马, dark links, cloaking, freshness).
struct ContentTargetConfig {
  bool enabled = false;
  std::string url;      // page whose content is baselined
  std::string connect;  // address to connect to instead of resolving the URL's host
  int64_t timeout_nanos = 15LL * 1'000'000'000;
  double text_similarity = 0.5;       // below → content_defaced
  double structure_similarity = 0.4;  // below → content_structure_changed
  double roll_similarity = 0.85;      // at/above (text and structure) the baseline follows
  bool cloaking = true;
  std::vector<std::string> crawler_agents = {
      "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"};
  std::string search_referer = "https://www.baidu.com/s?wd=%E6%94%BF%E5%BA%9C";
  double cloaking_similarity = 0.6;  // crawler/referer view vs browser view below → cloaking
  int freshness_days = 14;           // newest date on the page older than this → stale; 0 = off
  std::string freshness_url;         // page carrying the dates ("" = url)
};

struct TargetConfig {
  std::string name;
  ContentTargetConfig content;
  DnsTargetConfig dns;
  TlsTargetConfig tls;
  AvailabilityTargetConfig availability;
};

struct DnsGlobalConfig {
  std::vector<Endpoint> resolvers;  // recursive resolvers queried with RD=1
  std::string trust_anchor_file;    // unbound format (DS or DNSKEY lines); empty = no DNSSEC
  int mismatch_rounds = 1;          // consecutive mismatching rounds before a finding
  int confirm_queries = 2;          // re-queries inside a round before a round counts as mismatch
  int64_t timeout_nanos = 3LL * 1'000'000'000;
};

// Alert delivery: every new / repeated / resolved finding event at or above `min_severity`
// is POSTed as JSON, signed with HMAC-SM3 over "<timestamp>.<body>" (header
// X-GovShield-Signature: sm3=<hex>, X-GovShield-Timestamp: <unix seconds>).
struct WebhookConfig {
  std::string url;
  std::string secret;  // read from secret_file at load time ("" = unsigned)
  Severity min_severity = Severity::kLow;
  int retries = 3;                              // attempts after the first
  int64_t backoff_nanos = 1LL * 1'000'000'000;  // doubles after each failed attempt
  int64_t timeout_nanos = 10LL * 1'000'000'000;
};

struct MonitorConfig {
  int workers = 16;            // threads running the blocking DNS/TLS checks of a round
  int http_concurrency = 256;  // transfers in flight in the round's libcurl multi
  int http_per_host = 8;       // connections to one host at once
  std::vector<WebhookConfig> webhooks;
  int64_t interval_nanos = 300LL * 1'000'000'000;
  int64_t jitter_nanos = 30LL * 1'000'000'000;
  std::string state_path;  // absolute after loading
  Severity fail_on = Severity::kLow;
  DnsGlobalConfig dns;
  std::vector<TargetConfig> targets;

  const TargetConfig* FindTarget(std::string_view name) const;
};

// Reads and validates a targets file. INVALID_ARGUMENT naming the key for bad or unknown keys,
// NOT_FOUND / IO errors when the file cannot be read. Never throws.
Result<MonitorConfig> LoadMonitorConfig(const std::string& path);
// Same from text; relative paths resolve against `base_dir`.
Result<MonitorConfig> ParseMonitorConfig(std::string_view yaml_text, const std::string& base_dir);

// RR type code for "A", "AAAA", ... (case-insensitive); 0 when unknown.
uint16_t RrTypeFromName(std::string_view name);
std::string RrTypeName(uint16_t type);

}  // namespace gs::monitor
