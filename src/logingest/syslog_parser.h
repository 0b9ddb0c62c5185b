// Syslog message parsing (RFC 5424 and RFC 3164/BSD) and conversion of one message into one
// audit record (a JSON object). Malformed input is data, not an error: every problem found is
// recorded as an anomaly reason code, and a record with anomalies carries the exact raw bytes,
// so nothing a sender sent is ever lost.
//
// Reason codes (stable; used by queries and tests):
//   missing_pri, invalid_pri, pri_leading_zero, unsupported_version, truncated_header,
//   invalid_header_field, field_too_long, invalid_timestamp, invalid_structured_data,
//   duplicate_sd_id, invalid_utf8, empty_message
// plus the framing codes of syslog_framing.h and "truncated_datagram".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace gs::logingest {

enum class SyslogFormat { kUnknown, kRfc5424, kRfc3164 };

struct SdParam {
  std::string_view name;
  std::string value;  // with \" \\ \] escapes resolved
};

struct SdElement {
  std::string_view id;
  std::vector<SdParam> params;
};

// Views point into the parsed input; absent (or nil "-") fields are empty.
struct SyslogMessage {
  SyslogFormat format = SyslogFormat::kUnknown;
  bool has_pri = false;
  int facility = 0;                    // 0..23
  int severity = 0;                    // 0..7
  std::optional<UnixNanos> timestamp;  // only when present and valid
  std::string_view hostname, app_name, procid, msgid;
  std::vector<SdElement> sd;
  std::string_view msg;
  std::vector<std::string_view> anomalies;  // reason codes (static strings)
};

// Parses one syslog message (one datagram or one TCP frame). Never fails. `receive_time` gives
// RFC 3164 timestamps (which have no year) their year: the one that puts the time closest to,
// and not more than a day after, the receive time.
SyslogMessage ParseSyslog(std::string_view raw, UnixNanos receive_time);

struct SyslogContext {
  std::string_view transport;  // "udp" or "tcp"
  std::string_view peer;       // "ip:port"
  UnixNanos receive_time = 0;
  // Framing-level anomaly codes to add (e.g. "frame_split", "truncated_datagram").
  std::vector<std::string_view> extra_anomalies;
};

// One JSON object: ts, source, type, transport, peer, received_at, format, facility, severity,
// hostname, app_name, procid, msgid, sd, msg, and — when there is any anomaly — "anomaly":[...]
// and the raw bytes as "raw" (JSON string, when valid UTF-8) or "raw_b64". Always valid JSON.
// `*anomaly_count` (optional) receives the number of anomaly codes.
std::string SyslogToRecord(std::string_view raw, const SyslogMessage& m, const SyslogContext& ctx,
                           size_t* anomaly_count = nullptr);

}  // namespace gs::logingest
