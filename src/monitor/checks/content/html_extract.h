// HTML extraction for the content check: turns a fetched page (untrusted bytes, any encoding
// libxml2 can detect) into the facts the check compares — normalised visible text, DOM structure
// paths, external scripts and iframes, links with the reason each is hidden (dark links, 暗链),
// links written by inline JavaScript, and the calendar dates the visible text mentions.
// Parsed with libxml2's HTML parser (error-recovering, no network). Fuzzed by `html_extract`.
//
// "Hidden" follows what browsers render: display:none, visibility:hidden, opacity:0, the hidden
// attribute, off-screen positioning or text-indent (<= -500px), font-size <= 1px, zero width or
// height, and text coloured like its background. Inline styles and simple `.class`, `#id` and
// `tag` rules from <style> blocks are applied; hiding is inherited by descendants.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::monitor {

struct PageLink {
  std::string href;           // absolute when it could be resolved against the page URL
  std::string host;           // lower-case host of href ("" for relative/unknown schemes)
  std::string text;           // visible text of the anchor (whitespace collapsed)
  std::string hidden_reason;  // "" when rendered visibly
};

struct PageFacts {
  std::string title;
  std::string text;                    // visible text, whitespace collapsed, at most 256 KiB
  std::vector<std::string> structure;  // one "html/body/div/ul/li" path per element (depth <= 12)
  std::vector<std::string> scripts;    // external <script src>, absolute, query/fragment dropped
  std::vector<std::string> iframes;    // <iframe>/<frame> src, same form
  std::vector<PageLink> links;
  std::vector<std::string> js_links;  // URLs inside <a ...> markup written by inline scripts
  int zero_width_chars = 0;           // U+200B..U+200D, U+2060, U+FEFF in visible text
  std::vector<int64_t> dates;         // days since 1970-01-01 of dates in visible text
};

// Never fails on bad markup (the parser recovers); INVALID_ARGUMENT only for empty input or
// input larger than 8 MiB. `page_url` resolves relative links; `charset` ("" = detect from
// the document) names the encoding from the Content-Type header.
Result<PageFacts> ExtractPage(std::string_view html, std::string_view page_url,
                              std::string_view charset = "");

// Dates written as 2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日 in `text`, as days since
// 1970-01-01 (invalid calendar dates are skipped).
std::vector<int64_t> FindDates(std::string_view text);

// The host of an absolute http(s) URL, lower case, without port; "" otherwise.
std::string UrlHost(std::string_view url);

// Must run once before any ExtractPage from several threads (libxml2 global init).
void InitHtmlParser();

}  // namespace gs::monitor
