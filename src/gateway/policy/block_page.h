// The page a refused client sees: bilingual (Simplified Chinese first, then English) HTML with
// an incident id the visitor can quote to the site's administrators, who find the matching
// audit record by it.
//
// The page reflects no request data at all (no path, no header, no address): only the
// incident id we generated, the time, and operator-configured text, which is HTML-escaped.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"

namespace gs::gateway::policy {

enum class BlockKind {
  kAccessDenied,  // 403, Art. 19 access control
  kRateLimited,   // 429, CC defence
  kBanned,        // 429, temporary ban
};

struct BlockResponse {
  int status = 403;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type, Cache-Control, ...
  std::string body;
};

struct BlockPageOptions {
  std::string site_name;  // shown in the page title, escaped; may be empty
  std::string contact;    // e.g. "网站管理员 010-12345678"; escaped; may be empty
};

// Renders the page. `retry_after_ns` > 0 adds Retry-After (rounded up to whole seconds).
BlockResponse RenderBlockPage(BlockKind kind, std::string_view incident_id, UnixNanos now,
                              const BlockPageOptions& options = {}, int64_t retry_after_ns = 0);

// Incident ids: "20261125T032400123Z-1a2b3c4d5e6f" = UTC time to the millisecond, then 48 bits
// of which the first 16 are a per-process counter (unique within a millisecond) and the rest
// random (unique across processes). Lexicographic order is time order. Thread-safe.
class IncidentIdGenerator {
 public:
  IncidentIdGenerator();
  std::string Next(UnixNanos now);

 private:
  std::atomic<uint64_t> counter_{0};
  uint64_t seed_ = 0;
};

// &, <, >, ", ' escaped.
std::string HtmlEscape(std::string_view s);

}  // namespace gs::gateway::policy
