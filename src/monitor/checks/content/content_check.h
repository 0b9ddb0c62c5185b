// The content check (网页防篡改监测 from outside): per target, the configured page is fetched as a
// browser, as each search-engine crawler (Baiduspider by default) and as a browser arriving
// from a search result (Referer), and compared with the page's accepted baseline:
//   content_defaced            visible-text similarity below `text_similarity` (critical)
//   content_structure_changed  DOM-path similarity below `structure_similarity` (high)
//   content_keywords           more gambling/porn/fraud/defacement keywords than the baseline
//   content_new_script/iframe  an external script or iframe not in the baseline (挂马)
//   content_dark_link          a link to another host hidden by CSS or zero-width text (暗链)
//   content_js_link            a link to another host written by inline script
//   content_cloaking           crawler or search-referer view differs from the browser view
//   content_stale              the newest date on the page is older than `freshness_days`
//   content_unreachable        the page could not be fetched or parsed (low; availability
//                              measures outages)
// The first successful round records the baseline (trust on first use); `monitor accept`
// replaces it. While text and structure stay above `roll_similarity` and nothing new was
// found, the baseline follows the page, so gradual editing never becomes a finding; digits
// are folded (see sketch.h), so clocks and counters never do.
#pragma once

#include <span>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "monitor/config.h"
#include "monitor/finding.h"
#include "monitor/http_fetcher.h"
#include "monitor/state_store.h"

namespace gs::monitor {

class ContentCheck {
 public:
  ContentCheck(StateStore* state, const TimeSource& clock) : state_(state), clock_(clock) {}

  // The fetches `target` needs this round, in the order Evaluate expects their results.
  // Empty when the target has no content section.
  static std::vector<FetchRequest> Requests(const TargetConfig& target);

  // Findings from the results of Requests(target) (same order and size). Error only when the
  // state store fails.
  Result<std::vector<Finding>> Evaluate(const TargetConfig& target,
                                        std::span<const FetchResult> results);

  // Fetches the page now and records it as the accepted baseline. Returns 1, or 0 without a
  // content section; UNAVAILABLE if the page cannot be fetched or parsed.
  Result<int> Accept(const TargetConfig& target);

 private:
  StateStore* state_;
  const TimeSource& clock_;
};

}  // namespace gs::monitor
