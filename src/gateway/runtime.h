// The gateway's configuration in two forms:
//  - GatewaySpec: plain data (what the YAML `gateway:` section or a test describes);
//  - Runtime: the validated, built, immutable form the workers use (sites with their filter
//    chains, compiled WAF rules, upstream server lists with shared health state).
// A reload builds a new Runtime from a new spec and swaps it in atomically; requests already
// running keep the Runtime they started with (they hold a shared_ptr).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "gateway/filter.h"
#include "gateway/tls.h"
#include "net/socket.h"

namespace gs::gateway {

struct UpstreamSpec {
  std::vector<std::string> servers;   // "127.0.0.1:9000", "[::1]:9000" (numeric only)
  std::string health_path = "/";      // active check: GET health_path, healthy if status < 500
  int64_t health_interval_ms = 2000;  // 0: no active checks (passive only)
  int max_fails = 2;                  // consecutive failures that mark a server down ...
  int64_t fail_timeout_ms = 10'000;   // ... for this long (or until an active check passes)
  size_t max_idle_per_worker = 64;    // keep-alive connections kept per server per worker
  int64_t connect_timeout_ms = 3000;
  int64_t response_timeout_ms = 30'000;  // request sent -> response head complete
  int64_t read_timeout_ms = 60'000;      // between response body bytes
};

struct SecurityHeadersSpec {
  bool enabled = true;
  std::string hsts = "max-age=31536000; includeSubDomains";  // sent on TLS only; "" = off
  std::string content_type_options = "nosniff";
  std::string frame_options = "SAMEORIGIN";
  std::string referrer_policy = "strict-origin-when-cross-origin";
  std::string csp = "default-src 'self'; frame-ancestors 'self'; object-src 'none'";
};

struct SiteSpec {
  std::string name;
  // Host names served ("www.example.gov.cn", "*.example.gov.cn"); "*" matches any host. The
  // first site whose names match the request's Host serves it; requests matching no site get
  // the site marked default, else 404.
  std::vector<std::string> server_names;
  bool default_site = false;
  UpstreamSpec upstream;
  // WAF rule files/globs in order (e.g. a CRS setup file then rules/*.conf). Empty: no WAF.
  std::vector<std::string> waf_rules;
  uint64_t inspection_limit = 128 * 1024;  // request body bytes buffered for the filters
  uint64_t max_body = 100ull << 20;        // larger request bodies: 413
  bool access_log = true;                  // one audit record per request
  SecurityHeadersSpec security_headers;
  // Filters supplied by other modules (access control, CC defence). Built by the caller.
  std::vector<StagedFilterFactory> extra_filters;
  // TLS certificate chain and key (PEM) served for this site's names (SNI). Empty: none.
  std::string tls_cert, tls_key;
  // mTLS: PEM CA certificate(s) that issue client certificates. Non-empty: clients are asked
  // for a certificate; a verified one fills ConnectionInfo::client_cert*. With
  // `client_cert_required` the handshake fails without one.
  std::string tls_client_ca;
  bool client_cert_required = false;
  // Plain-HTTP requests get 301 to https:// (the first tls_listen port).
  bool https_redirect = false;
};

struct GatewaySpec {
  std::vector<std::string> listen = {"127.0.0.1:8080"};  // "host:port"; port 0 = any free port
  std::vector<std::string> tls_listen;       // TLS listeners; need at least one site with tls_cert
  int workers = 0;                           // 0: one per online CPU
  std::string admin_listen = "127.0.0.1:0";  // loopback only; "" = no admin port
  // Client side limits and timeouts.
  size_t max_request_line = 8192;
  size_t max_header_line = 8192;
  size_t max_header_bytes = 64 * 1024;
  size_t max_headers = 100;
  size_t max_connections_per_worker = 10'000;
  int64_t header_timeout_ms = 10'000;           // first byte of a request -> head complete
  int64_t body_timeout_ms = 30'000;             // between request body bytes
  int64_t idle_timeout_ms = 60'000;             // keep-alive wait for the next request
  int64_t websocket_idle_timeout_ms = 300'000;  // a tunnel without a byte either way closes
  std::vector<SiteSpec> sites;
};

// Shared, mutable health of one upstream server (atomics: all workers and the checker use it).
struct ServerState {
  net::SocketAddress addr;
  std::string name;  // "127.0.0.1:9000"
  std::atomic<int> consecutive_fails{0};
  std::atomic<int64_t> down_until_ns{0};  // monotonic; 0 = up
  std::atomic<bool> active_down{false};   // last active check failed
  bool Healthy(int64_t now_ns) const {
    return !active_down.load(std::memory_order_relaxed) &&
           down_until_ns.load(std::memory_order_relaxed) <= now_ns;
  }
};

class Site {
 public:
  const SiteSpec& spec() const { return spec_; }
  const std::vector<StagedFilterFactory>& chain() const { return chain_; }
  const std::vector<std::unique_ptr<ServerState>>& servers() const { return servers_; }
  bool Matches(std::string_view host) const;
  SSL_CTX* tls_ctx() const { return tls_ctx_.get(); }

 private:
  friend Result<std::shared_ptr<const class Runtime>> BuildRuntime(const GatewaySpec& spec);
  SiteSpec spec_;
  SslCtxPtr tls_ctx_;
  std::vector<StagedFilterFactory> chain_;  // sorted by stage
  std::vector<std::unique_ptr<ServerState>> servers_;
};

class Runtime {
 public:
  const GatewaySpec& spec() const { return spec_; }
  const std::vector<std::unique_ptr<Site>>& sites() const { return sites_; }
  // The site serving `host` (lower-case, no port), or nullptr.
  const Site* FindSite(std::string_view host) const;
  // The context new TLS connections start with (SNI may switch it), or nullptr without TLS.
  SSL_CTX* default_tls_ctx() const { return default_tls_ctx_; }

 private:
  friend Result<std::shared_ptr<const Runtime>> BuildRuntime(const GatewaySpec& spec);
  GatewaySpec spec_;
  SSL_CTX* default_tls_ctx_ = nullptr;
  std::vector<std::unique_ptr<Site>> sites_;
  const Site* default_site_ = nullptr;
};

// Validates and builds. INVALID_ARGUMENT naming the site and field for every problem found
// (no sites, bad addresses, duplicate names, WAF rules that do not compile, ...).
Result<std::shared_ptr<const Runtime>> BuildRuntime(const GatewaySpec& spec);

// "127.0.0.1:80", "[::1]:80" -> address. INVALID_ARGUMENT otherwise.
Result<net::SocketAddress> ParseHostPort(std::string_view s);

}  // namespace gs::gateway
