// Minimal HTTP/1.1 response writing (status line, a few fixed headers, a body with
// Content-Length). Enough for the audit ingest endpoint and the gateway's own error pages.
#pragma once

#include <string>
#include <string_view>

namespace gs::net {

// Standard reason phrase for `status` ("OK", "Bad Request", ...), "Unknown" otherwise.
std::string_view HttpReasonPhrase(int status);

// Serialises a complete response. `content_type` may be empty (no Content-Type header).
// Adds Content-Length, "Connection: close" when !keep_alive, and "Cache-Control: no-store".
std::string FormatHttpResponse(int status, std::string_view content_type, std::string_view body,
                               bool keep_alive);

}  // namespace gs::net
