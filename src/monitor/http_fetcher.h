// HttpFetcher: concurrent page loads for the monitor's HTTP checks (availability, content), on one
// libcurl multi handle so thousands of targets are fetched per round from one thread with a
// bounded number of connections: `max_concurrency` transfers in flight overall and at most
// `max_per_host` connections to one host (CURLMOPT_MAX_HOST_CONNECTIONS), reusing keep-alive
// connections between transfers.
//
// Bodies are kept up to `max_body_bytes` (the rest is counted and dropped); certificate checks
// are off because certificate problems are the TLS check's findings, not availability's.
// Not thread-safe: one FetchAll at a time per fetcher.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gs::monitor {

struct FetchRequest {
  std::string url;         // http(s)://host[:port]/path
  std::string connect;     // IP to connect to instead of resolving the URL's host ("" = DNS)
  std::string user_agent;  // "" = the monitor's browser-like default
  std::string referer;     // "" = none
  int64_t timeout_nanos = 15LL * 1'000'000'000;  // whole transfer incl. redirects and body
  bool keep_body = true;
  std::string method = "GET";  // GET or POST
  std::string post_body;
  std::vector<std::string> headers;  // extra "Name: value" lines
};

struct FetchResult {
  bool transport_ok = false;  // a complete HTTP response arrived in time
  long http_status = 0;
  int64_t latency_ms = 0;  // libcurl's total time
  std::string body;        // first max_body_bytes bytes
  std::string content_type;
  std::string effective_url;
  std::string error;  // transport error text when !transport_ok
  bool Ok() const { return transport_ok && http_status > 0 && http_status < 400; }
};

struct FetcherOptions {
  int max_concurrency = 256;
  int max_per_host = 8;
  size_t max_body_bytes = 2 << 20;
};

// The browser User-Agent the monitor presents by default.
extern const char kBrowserUserAgent[];

// Runs every request (at most max_concurrency at once) and returns results in request order.
// Never fails as a whole: each request's problem is in its own result.
std::vector<FetchResult> FetchAll(const std::vector<FetchRequest>& requests,
                                  const FetcherOptions& options);

// One request, blocking.
FetchResult FetchOne(const FetchRequest& request, const FetcherOptions& options = {});

}  // namespace gs::monitor
