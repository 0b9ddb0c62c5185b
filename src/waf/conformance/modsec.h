// Suite (b): the ModSecurity v3 regression cases (test/test-cases/regression/*.json), run in
// process against a WafUnderTest with the call sequence of ModSecurity's own regression harness
// (every phase runs; Content-Length set to the body size; each body line ends with LF).
//
// Judged only on what a WAF's behaviour shows, never on debug-log text:
//   * parser_error: the rules must fail to load (the message text is not compared);
//   * http_code (200 when absent) and redirect_url;
//   * rule ids named in error_log / audit_log expectations (`id "N"`) must have been logged;
//   * captures named in debug_log expectations ("Added regex subexpression TX.n: v") must be
//     the TX values after the transaction.
// A case whose debug_log holds other text is judged on the rest (at least the status); the
// report counts how many cases had an id or capture check. Cases needing Lua, remote resources
// (curl), ssdeep or a legacy GeoIP database are skipped with that reason; disabled cases too.
#pragma once

#include <string>

#include "waf/conformance/suite.h"

namespace gs::waf::conformance {

struct ModsecOptions {
  // The ModSecurity test/ directory: cases under test-cases/regression, fixtures under
  // test-cases/data (rules name them relative to this directory).
  std::string test_dir;
  std::string filter;  // ECMAScript regex over "file:title"; empty: all
};

SuiteReport RunModsecSuite(WafUnderTest& waf, const ModsecOptions& options);

}  // namespace gs::waf::conformance
