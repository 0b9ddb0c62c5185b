// The gateway's per-site filter chain (Envoy style). Every request of a site passes through the
// site's filters in a fixed order:
//
//   access control -> rate limiting (CC) -> WAF -> [content | upstream] -> response filters
//   -> logging
//
// A FilterFactory is built once per site from the immutable config (it may hold shared state,
// e.g. token buckets, and must then be thread-safe: every worker thread calls Create() and the
// filters it makes concurrently). Create() makes one Filter per request; a Filter instance is
// used by one thread only and lives until OnLog has returned.
//
// Call sequence for one request (any callback may be skipped when an earlier filter stopped):
//   OnRequestHeaders
//   OnRequestBody*   (only for requests with a body; pieces of the DECODED body, in order, up to
//                     the site's inspection limit; the last call has end_of_inspection = true
//                     and may carry no data. Bytes beyond the limit are streamed to the upstream
//                     uninspected and RequestContext::body_truncated is set.)
//   OnResponseHeaders (upstream response or a local response from a later filter)
//   OnResponseBody*   (pieces of the decoded response body as they stream to the client; the
//                     gateway does not buffer responses, so a filter cannot stop here any more
//                     - a StopWithResponse from OnResponseBody closes the connection)
//   OnLog             (always, exactly once, also for requests stopped early or failed)
//
// Returning kStopWithResponse from a request callback ends the chain: the filter must have
// filled ctx.local_response first. Later request filters and the upstream are skipped; the
// response filters and OnLog of ALL filters created for the request still run (so security
// headers are added to block pages and every decision is logged).
//
// Filters report decisions worth an audit record (block, ban, access-control refusal) with
// ctx.Event(...); the gateway writes them, together with the per-request access record, through
// the audit RecordSink on a background thread (never on the event loop).
//
// Stability: this header is implemented by src/gateway/policy/ (access control, CC defence) on
// another branch. Change it only compatibly (add members with defaults, add virtuals with
// default implementations).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"

namespace gs::gateway {

enum class FilterStatus : uint8_t {
  kContinue,          // go on with the next filter
  kStopWithResponse,  // answer with ctx.local_response; skip later request filters + upstream
};

// An ordered header list (names as sent, case preserved; lookups are case-insensitive).
class HeaderList {
 public:
  // First value of `name`, or nullptr.
  const std::string* Get(std::string_view name) const;
  // Replaces every field `name` with one field (appends if absent).
  void Set(std::string_view name, std::string_view value);
  void Add(std::string_view name, std::string_view value) { fields_.emplace_back(name, value); }
  // Removes every field `name`; returns how many were removed.
  size_t Remove(std::string_view name);
  bool Has(std::string_view name) const { return Get(name) != nullptr; }

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  std::vector<std::pair<std::string, std::string>>& mutable_fields() { return fields_; }
  void clear() { fields_.clear(); }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// What the gateway sends instead of (or before reaching) the upstream.
struct LocalResponse {
  int status = 403;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  HeaderList headers;  // extra headers (e.g. Retry-After, Location)
  // Close the client connection after this response (always done when the request body was
  // not read completely).
  bool close_connection = false;
  // The response is the content itself (a kContent filter answering in place of the upstream),
  // not a refusal: the request is not counted or logged as blocked.
  bool content = false;
};

// Facts about the client connection. Immutable for the connection's lifetime.
struct ConnectionInfo {
  std::string client_ip;  // textual, e.g. "203.0.113.9" or "2001:db8::1"
  int client_port = 0;
  std::string server_ip;
  int server_port = 0;
  bool tls = false;
  std::string sni;                 // TLS server name, empty without TLS/SNI
  bool client_cert = false;        // a client certificate was presented and verified (mTLS)
  std::string client_cert_cn;      // its subject CN
  std::string client_cert_sha256;  // hex fingerprint (a "device" identity for whitelists)
  std::string tls_site;            // the site whose TLS context the handshake used (SNI)
  uint64_t connection_id = 0;      // unique within the process
};

// The request as the filters see it. Filters may change headers (e.g. add X-Forwarded-For,
// strip a header) before the request goes upstream.
struct RequestInfo {
  std::string method;
  std::string target;  // as sent on the request line (path + "?" + query)
  std::string path;    // target up to '?', NOT percent-decoded
  std::string query;   // after '?', without it
  int version_minor = 1;
  std::string host;  // Host header without port, lower-cased
  HeaderList headers;
  bool has_body = false;
  int64_t content_length = -1;  // -1: chunked or no body
};

struct ResponseInfo {
  int status = 0;
  HeaderList headers;
  bool local = false;  // produced by the gateway (block page, error), not the upstream
};

// One audit event reported by a filter: type (e.g. "block", "ban", "access_denied") plus
// pre-rendered JSON members without the surrounding braces, e.g. "\"rule_id\":942100".
struct FilterEvent {
  std::string type;
  std::string fields_json;
};

// Per-request state shared by all filters of the chain.
struct RequestContext {
  const ConnectionInfo* connection = nullptr;  // never null inside a callback
  std::string site;                            // site name from the config
  std::string request_id;                      // unique id; shown as the incident id on block pages
  const TimeSource* time = nullptr;  // the gateway's clock (tests inject a ManualTimeSource)
  UnixNanos start_time = 0;

  RequestInfo request;
  ResponseInfo response;
  LocalResponse local_response;  // filled by a filter that returns kStopWithResponse

  bool body_truncated = false;       // the body was longer than the inspection limit
  uint64_t request_body_bytes = 0;   // decoded request body bytes received so far
  uint64_t response_body_bytes = 0;  // decoded response body bytes sent so far

  // Set by the filter that stopped the request (its name()), e.g. "waf", "access", "cc".
  std::string blocked_by;
  // Short machine-readable reason of the block ("rule 942100", "staff_only", "rate").
  std::string block_reason;
  // Set when the upstream failed (connect error, timeout, bad response).
  std::string upstream_error;

  // Audit events; the gateway writes each as one record after every filter's OnLog. Event() is
  // const so that OnLog (which sees the context read-only) can report too, e.g. the WAF's
  // detections once phase 5 has run: the event list is the audit outbox, not request state.
  mutable std::vector<FilterEvent> events;
  void Event(std::string type, std::string fields_json) const {
    events.push_back(FilterEvent{std::move(type), std::move(fields_json)});
  }
};

class Filter {
 public:
  virtual ~Filter() = default;
  virtual FilterStatus OnRequestHeaders(RequestContext& ctx) { return FilterStatus::kContinue; }
  virtual FilterStatus OnRequestBody(RequestContext& ctx, std::string_view data,
                                     bool end_of_inspection) {
    return FilterStatus::kContinue;
  }
  virtual FilterStatus OnResponseHeaders(RequestContext& ctx) { return FilterStatus::kContinue; }
  virtual FilterStatus OnResponseBody(RequestContext& ctx, std::string_view data,
                                      bool end_of_stream) {
    return FilterStatus::kContinue;
  }
  virtual void OnLog(const RequestContext& ctx) {}
};

// Connection-level hooks (CC defence: connection caps per IP, bans). Optional.
class ConnectionFilter {
 public:
  virtual ~ConnectionFilter() = default;
  // A new client connection. false: close it at once (the gateway counts it as refused and
  // writes no response). Called on the worker thread that accepted it; must be thread-safe.
  virtual bool OnAccept(const ConnectionInfo& conn) { return true; }
  // The connection is gone (any reason). Called once for every accepted connection.
  virtual void OnClose(const ConnectionInfo& conn) {}
};

// Makes the per-request filters of one site. Thread-safe (see top of file).
class FilterFactory {
 public:
  virtual ~FilterFactory() = default;
  // Short stable name used in logs, metrics and ctx.blocked_by: "access", "cc", "waf", ...
  virtual std::string_view name() const = 0;
  virtual std::unique_ptr<Filter> Create() const = 0;
  // Connection hooks of this factory, or nullptr (default).
  virtual ConnectionFilter* connection_filter() { return nullptr; }
  // Appends this factory's own Prometheus metrics (text format, labelled with `site`) to the
  // gateway's /metrics. Default: none.
  virtual void AppendMetrics(std::string_view site, std::string* out) const {}
};

// Where a factory sits in the chain. The chain is sorted by stage, then by registration order.
enum class FilterStage : uint8_t {
  kAccessControl = 0,
  kRateLimit = 1,
  kWaf = 2,
  // Content served by the gateway itself in place of the upstream (the tamper guard's verified
  // static files, guarded_content.h): runs after every request-side check has passed.
  kContent = 3,
  kResponse = 4,  // response filters (security headers, response inspection)
  kLogging = 5,
};

// A factory with its place in the chain; a site's chain is a vector of these.
struct StagedFilterFactory {
  FilterStage stage = FilterStage::kWaf;
  std::shared_ptr<FilterFactory> factory;
};

}  // namespace gs::gateway
