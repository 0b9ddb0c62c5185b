// Deterministic traffic for the differential test: benign browsing/forms/APIs/uploads (with
// Chinese text in UTF-8 and GBK) and attacks whose payloads come from the CRS 3.3.4 regression
// tests (../shared/conformance/crs-v3.3.4), mutated (case, whitespace, encodings) and placed in
// every part of a request (query, path, form, cookie, headers, JSON, XML, multipart). The same
// seed and corpus always give the same exchanges, byte for byte, so a difference found once can
// be reproduced by its index.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "waf/exchange.h"

namespace gs::differential {

// A small, portable PRNG (SplitMix64): identical sequences on every platform and library,
// unlike std:: distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  size_t Below(size_t n);  // uniform in [0, n); n > 0
  bool Chance(int percent) { return Below(100) < static_cast<size_t>(percent); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

// An attack string taken from one CRS regression test.
struct Payload {
  std::string family;  // "sqli", "xss", "rce", "lfi", "rfi", "php", "nodejs", "java", ...
  std::string source;  // CRS test title, e.g. "942100-3"
  std::string text;    // decoded value as the application would see it
};

// A CRS regression test input as an Exchange (replayed as-is or lightly mutated).
struct SeedExchange {
  std::string family;
  std::string source;
  gs::waf::Exchange exchange;
};

struct CrsCorpus {
  std::vector<Payload> payloads;
  std::vector<SeedExchange> seeds;
  std::vector<std::string> leak_lines;  // response-side leak samples (sql/php/java/iis errors)
};

// Reads every *.yaml under `tests_dir` (the CRS regression tests) and the response-leak data
// files in `crs_rules_dir` (*-errors.data). Errors: NOT_FOUND when nothing is there,
// INVALID_ARGUMENT naming the file when a YAML file does not parse.
Result<CrsCorpus> LoadCrsCorpus(const std::string& tests_dir, const std::string& crs_rules_dir);

struct Generated {
  std::string kind;    // e.g. "benign/json", "attack/sqli/cookie", "crs/920", "protocol/..."
  std::string source;  // payload or seed origin, empty for benign
  gs::waf::Exchange exchange;
};

struct GeneratorOptions {
  uint64_t seed = 20261125;
  size_t count = 10000;
};

// Exactly `options.count` exchanges; about 35% benign, 45% mutated payloads, 12% replayed CRS
// tests, 8% generated protocol violations and leaking responses.
std::vector<Generated> Generate(const CrsCorpus& corpus, const GeneratorOptions& options);

// The exchange as HTTP/1.1 text (request, then the response when it has one), for reports.
std::string ToHttpText(const gs::waf::Exchange& exchange);

// Percent-decoding as a form parser does ('+' -> space, invalid escapes kept).
std::string UrlDecode(std::string_view s);

// UTF-8 -> GBK (GB18030 for characters outside GBK); bytes that do not convert are dropped.
std::string Utf8ToGbk(std::string_view utf8);

}  // namespace gs::differential
