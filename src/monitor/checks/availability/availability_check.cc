// libcurl probe and rolling-window evaluation of the availability check.
#include "monitor/checks/availability/availability_check.h"

#include <curl/curl.h>

#include <cmath>
#include <memory>

namespace gs::monitor {
namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

struct UrlParts {
  std::string host;
  std::string port;
};

bool SplitUrl(const std::string& url, UrlParts* out) {
  CURLU* u = curl_url();
  if (u == nullptr) return false;
  bool ok = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
  char* host = nullptr;
  char* port = nullptr;
  ok = ok && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
       curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK;
  if (ok) {
    out->host = host;
    out->port = port;
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return ok;
}

}  // namespace

ProbeOutcome ProbePage(const AvailabilityTargetConfig& cfg, const TimeSource& clock) {
  ProbeOutcome o;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    o.error = "curl_easy_init failed";
    return o;
  }
  curl_slist* connect_to = nullptr;
  if (!cfg.connect.empty()) {
    UrlParts p;
    if (!SplitUrl(cfg.url, &p)) {
      curl_easy_cleanup(curl);
      o.error = "bad url " + cfg.url;
      return o;
    }
    std::string c = p.host + ":" + p.port + ":" + cfg.connect + ":" + p.port;
    connect_to = curl_slist_append(nullptr, c.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to);
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, cfg.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  // "Loaded within 15 s" covers connecting, redirects and the whole body.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg.timeout_nanos / 1'000'000));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "GovShield-Monitor/0.1");
  // Certificate problems are the TLS check's findings; availability asks "did the page load".
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  int64_t start = clock.MonotonicNanos();
  CURLcode rc = curl_easy_perform(curl);
  o.latency_ms = (clock.MonotonicNanos() - start) / 1'000'000;
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &o.http_status);
    o.ok = o.http_status > 0 && o.http_status < 400;
    if (!o.ok) o.error = "HTTP status " + std::to_string(o.http_status);
  } else {
    o.error = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
  }
  curl_slist_free_all(connect_to);
  curl_easy_cleanup(curl);
  return o;
}

FetchRequest AvailabilityCheck::Request(const TargetConfig& target) {
  FetchRequest r;
  r.url = target.availability.url;
  r.connect = target.availability.connect;
  r.timeout_nanos = target.availability.timeout_nanos;
  r.keep_body = false;
  r.user_agent = "GovShield-Monitor/0.1";
  return r;
}

ProbeOutcome AvailabilityCheck::FromFetch(const FetchResult& r) {
  ProbeOutcome o;
  o.latency_ms = r.latency_ms;
  o.http_status = r.http_status;
  o.ok = r.Ok();
  if (!r.transport_ok)
    o.error = r.error;
  else if (!o.ok)
    o.error = "HTTP status " + std::to_string(r.http_status);
  return o;
}

Result<std::vector<Finding>> AvailabilityCheck::Run(const TargetConfig& target) {
  if (!target.availability.enabled) return std::vector<Finding>{};
  return Evaluate(target, ProbePage(target.availability, clock_));
}

Result<std::vector<Finding>> AvailabilityCheck::Evaluate(const TargetConfig& target,
                                                         const ProbeOutcome& probe) {
  std::vector<Finding> out;
  const AvailabilityTargetConfig& cfg = target.availability;
  if (!cfg.enabled) return out;
  const UnixNanos now = clock_.Now();
  GS_RETURN_IF_ERROR(state_->RecordProbe(target.name, now, probe.ok, probe.latency_ms));
  GS_ASSIGN_OR_RETURN(auto stats, state_->GetProbeStats(target.name, now - cfg.window_nanos, now));
  if (stats.total < cfg.min_probes) return out;
  const double ratio = static_cast<double>(stats.failed) / static_cast<double>(stats.total);
  nlohmann::json ev = {{"url", cfg.url},
                       {"window_days", static_cast<double>(cfg.window_nanos) / kNanosPerDay},
                       {"probes", stats.total},
                       {"failed", stats.failed},
                       {"failure_ratio", ratio},
                       {"last_probe_ok", probe.ok}};
  if (!probe.ok) ev["last_error"] = probe.error;
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.2f%%", ratio * 100);
  // Compare in integers (failed * 1e6 >= ratio * 1e6 * total) so 5% of 100 is exactly a veto.
  auto at_least = [&](double r) {
    return stats.failed * 1'000'000 >= std::llround(r * 1'000'000) * stats.total;
  };
  if (at_least(cfg.veto_ratio)) {
    out.push_back(
        Finding{"availability_veto", target.name, cfg.url, Severity::kCritical,
                std::string("page failed ") + pct + " of probes in the window (veto level)", ev});
  } else if (at_least(cfg.warn_ratio)) {
    out.push_back(Finding{
        "availability_warning", target.name, cfg.url, Severity::kMedium,
        std::string("page failed ") + pct + " of probes in the window (early warning)", ev});
  }
  return out;
}

}  // namespace gs::monitor
