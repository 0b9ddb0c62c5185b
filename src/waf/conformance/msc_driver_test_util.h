// Test-only: a minimal libmodsecurity3 driver implementing WafUnderTest, so the conformance
// runners' request building, emulation and judging can be validated against the reference
// implementation (if the runner is right, libmodsecurity3 passes the suites it was written
// for). Linked only into test binaries; the product never links libmodsecurity.
#pragma once

#include <memory>

#include "waf/conformance/suite.h"

namespace gs::waf::conformance {

// A fresh libmodsecurity3 instance. Not thread-safe.
std::unique_ptr<WafUnderTest> NewLibModsecurityWaf();

}  // namespace gs::waf::conformance
