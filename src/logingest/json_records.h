// Turns the body of an HTTP/JSON ingest request into audit records. Accepted bodies: one JSON
// object, a JSON array of objects, or NDJSON (one object per non-empty line). Every record is
// re-serialised compactly (one line, member order kept) and gets "ts" (RFC 3339, receive time)
// when it has none. Validation is all-or-nothing: one bad element rejects the whole body, so a
// client never has to guess which part was stored.
//
// This file is the one adapter around nlohmann_json in the module; no exception leaves it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace gs::logingest {

// InvalidArgument with a reason code first in the message ("invalid_json: line 3: ...",
// "not_an_object: element 2", "invalid_ts: element 0", "empty_body"); ResourceExhausted
// ("too_many_records") over `max_records`.
Result<std::vector<std::string>> JsonBodyToRecords(std::string_view body, UnixNanos receive_time,
                                                   size_t max_records = 100000);

}  // namespace gs::logingest
