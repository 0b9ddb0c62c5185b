// Guarded static content (核心内嵌, issue 5): for a site whose web root the tamper guard
// protects, the gateway serves the static files itself, and every body it sends has first been
// checked against the signed baseline. Tampered bytes never reach a client: a file that differs
// from its baseline is answered with the verified baseline copy (the vault's) or with a 503 block
// page.
//
// The gateway only defines the hook, ContentGuard; src/cli fills it with the tamper module's
// ServeChecker (so the gateway does not depend on the tamper module), the way policies arrive
// through a PolicyBuilder. The filter made here sits at FilterStage::kContent: after access
// control, CC defence and the WAF have passed the request, it answers GET/HEAD for the guarded
// URL prefixes in place of the upstream:
//   intact / restored  200 with the verified bytes (ETag = the baseline digest; HEAD, a single
//                      byte Range -> 206/416, If-None-Match -> 304, If-Range)
//   blocked            503 bilingual block page (blocked_by "tamper")
//   not in baseline    404, or the upstream when `unknown_to_upstream`; "/dir" whose
//                      "dir/index.html" is guarded -> 301 to "/dir/"
//   unprotected / too large   the upstream, as without the guard
//   error              500 block page
// Other methods, requests with a body and paths outside the prefixes go to the upstream.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/filter.h"

namespace gs::gateway {

enum class GuardVerdict : uint8_t {
  kIntact,         // body = the file's bytes, equal to the baseline
  kRestored,       // the file differs (or is missing); body = the baseline copy
  kBlocked,        // the file differs and no verified copy may be served: 503
  kNotInBaseline,  // no such protected file (unknown name, directory, symlink entry)
  kUnprotected,    // excluded from protection: served as without the guard (upstream)
  kTooLarge,       // too large to serve from memory: served as without the guard (upstream)
  kError,          // I/O error or a path the guard refuses: 500
};
inline constexpr size_t kGuardVerdicts = 7;
std::string_view GuardVerdictName(GuardVerdict v);

struct GuardedFile {
  GuardVerdict verdict = GuardVerdict::kError;
  std::shared_ptr<const std::string> body;  // set for kIntact and kRestored
  std::string etag;                         // the baseline content's digest (hex), or ""
  std::string error;
};

// Counters of one guard, kept across reloads as long as the guard is (the CLI reuses a site's
// guard when its config is unchanged).
struct GuardCounters {
  std::array<std::atomic<uint64_t>, kGuardVerdicts> verdicts = {};
  std::atomic<uint64_t> not_modified{0}, partial{0};
};

class ContentGuard {
 public:
  virtual ~ContentGuard() = default;
  // The bytes that may be sent for relative path `rel` ("index.html", "news/a.html": decoded,
  // no leading '/', no "", "." or ".." segments). Thread-safe: every worker calls it.
  virtual GuardedFile Fetch(std::string_view rel) = 0;
  // Extra Prometheus lines labelled with `site` (cache hits, files hashed, ...). Default: none.
  virtual void AppendMetrics(std::string_view site, std::string* out) const {}
  GuardCounters& counters() { return counters_; }

 private:
  GuardCounters counters_;
};

struct GuardedContentOptions {
  // URL path prefixes served through the guard (decoded paths, each starting with '/').
  std::vector<std::string> prefixes = {"/"};
  // A path the baseline does not know goes to the upstream instead of getting 404.
  bool unknown_to_upstream = false;
  std::string index = "index.html";  // served for "/" and ".../"
};

// The kContent filter factory for one site (name "tamper").
std::shared_ptr<FilterFactory> MakeGuardedContentFactory(std::shared_ptr<ContentGuard> guard,
                                                         GuardedContentOptions options);

}  // namespace gs::gateway
