// Webhook delivery with retries and HMAC-SM3 signatures (see alert.h).
#include "monitor/alert.h"

#include <chrono>
#include <thread>

#include "core/bytes.h"
#include "crypto/crypto.h"
#include "monitor/http_fetcher.h"

namespace gs::monitor {

std::string WebhookSignature(const std::string& secret, int64_t unix_seconds,
                             const std::string& body) {
  crypto::Digest d = crypto::HmacSm3(secret, std::to_string(unix_seconds) + "." + body);
  return "hmac-sm3=" + crypto::DigestHex(d);
}

std::vector<WebhookDelivery> SendWebhooks(const std::vector<WebhookConfig>& hooks,
                                          const std::vector<nlohmann::json>& events,
                                          const TimeSource& clock) {
  std::vector<WebhookDelivery> out;
  for (const auto& hook : hooks) {
    nlohmann::json batch = nlohmann::json::array();
    for (const auto& e : events) {
      if (e.value("type", "") != "finding") {
        batch.push_back(e);
        continue;
      }
      auto sev = ParseSeverity(e.value("severity", ""));
      if (sev.ok() && *sev >= hook.min_severity) batch.push_back(e);
    }
    if (batch.empty()) continue;
    WebhookDelivery d;
    d.url = hook.url;
    d.events = static_cast<int>(batch.size());
    const std::string body =
        nlohmann::json{{"source", "govshield-monitor"}, {"events", batch}}.dump();
    int64_t backoff = hook.backoff_nanos;
    for (int attempt = 0; attempt <= hook.retries; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(backoff));
        backoff *= 2;
      }
      const int64_t ts = clock.Now() / kNanosPerSecond;
      FetchRequest r;
      r.url = hook.url;
      r.method = "POST";
      r.post_body = body;
      r.timeout_nanos = hook.timeout_nanos;
      r.user_agent = "GovShield-Monitor/0.1";
      r.headers = {"Content-Type: application/json",
                   "X-GovShield-Timestamp: " + std::to_string(ts)};
      if (!hook.secret.empty())
        r.headers.push_back("X-GovShield-Signature: " + WebhookSignature(hook.secret, ts, body));
      FetchResult res = FetchOne(r);
      ++d.attempts;
      d.last_status = res.http_status;
      d.last_error = res.transport_ok ? "" : res.error;
      if (res.transport_ok && res.http_status >= 200 && res.http_status < 300) {
        d.delivered = true;
        break;
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace gs::monitor
