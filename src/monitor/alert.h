// Webhook alerts: finding events (new, repeated, resolved) POSTed as JSON to each configured
// receiver, signed so the receiver can tell them from forgeries:
//   X-GovShield-Timestamp: <unix seconds>
//   X-GovShield-Signature: hmac-sm3=<hex of HMAC-SM3(secret, timestamp + "." + body)>
// Body: {"source":"govshield-monitor","events":[<audit records>]}. A delivery that fails
// (transport error or HTTP status outside 2xx) is retried `retries` times, waiting `backoff`,
// then twice that, and so on. Delivery never fails a monitor round; the report says what
// happened. Not thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/time.h"
#include "monitor/config.h"

namespace gs::monitor {

struct WebhookDelivery {
  std::string url;
  int events = 0;
  int attempts = 0;
  bool delivered = false;
  long last_status = 0;
  std::string last_error;
};

// The signature header value for `body` sent at `unix_seconds` with `secret`.
std::string WebhookSignature(const std::string& secret, int64_t unix_seconds,
                             const std::string& body);

// Sends `events` (audit-record JSON objects) to every webhook whose min_severity they reach;
// "finding_resolved" events go to every webhook. Webhooks with nothing to send are skipped.
std::vector<WebhookDelivery> SendWebhooks(const std::vector<WebhookConfig>& hooks,
                                          const std::vector<nlohmann::json>& events,
                                          const TimeSource& clock);

}  // namespace gs::monitor
