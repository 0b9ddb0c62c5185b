// Test-only: the differential test's libmodsecurity3 peer (tests/modsec_peer, gs::modsec_peer)
// behind WafUnderTest, so the CRS suite can be run through a second, independently written
// libmodsecurity driver as a cross-check of msc_driver_test_util. It supports only the
// RunExchange call sequence (stop_at_disruption) and reads no TX variables, so it is not used
// for the ModSecurity regression suite.
#pragma once

#include <memory>

#include "waf/conformance/suite.h"

namespace gs::waf::conformance {

std::unique_ptr<WafUnderTest> NewModsecPeerWaf();

}  // namespace gs::waf::conformance
