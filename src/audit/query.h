// Record filtering for `audit query` and JSON helpers for `audit append`, over simdjson.
// Streaming: records are read segment by segment and handed to the caller one at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/verify.h"
#include "core/status.h"
#include "core/time.h"

namespace gs::audit {

struct QueryFilter {
  // Time range [since, until) on the record's "ts" (RFC 3339) when it has a parseable one,
  // otherwise on the store's ingest time.
  std::optional<UnixNanos> since, until;
  std::string source;  // top-level "source" equals this (empty: any)
  std::string type;    // top-level "type" equals this (empty: any)
  std::string grep;    // substring of the raw JSON text (empty: any)
  // key=value: top-level key whose string value equals value, or whose non-string value's
  // JSON text (42, true, null) equals value. All must match.
  std::vector<std::pair<std::string, std::string>> fields;
};

// "key=value" -> pair; INVALID_ARGUMENT without '=' or with an empty key.
Result<std::pair<std::string, std::string>> ParseFieldFilter(std::string_view kv);

// Streams the matching records in seq order. `fn` returns false to stop.
Status QueryStore(const std::string& dir, const QueryFilter& filter,
                  const std::function<bool(const StoredRecord&)>& fn);

// Validates `json` as one object; sets *has_key to whether it has top-level `key`.
Status JsonObjectHasKey(std::string_view json, std::string_view key, bool* has_key);

// Inserts "key":"value" (value JSON-escaped) as the object's first member. `json` must be a
// valid object.
std::string InsertStringField(std::string_view json, std::string_view key, std::string_view value);

// JSON string literal (with quotes) for arbitrary bytes.
std::string JsonQuote(std::string_view s);

}  // namespace gs::audit
