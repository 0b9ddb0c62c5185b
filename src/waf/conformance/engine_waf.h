// Our WAF engine (waf/waf.h) behind the conformance runners' WafUnderTest interface.
#pragma once

#include <memory>

#include "waf/conformance/suite.h"
#include "waf/waf.h"

namespace gs::waf::conformance {

// A WafUnderTest backed by gs::waf::Engine. `options` is passed to the engine on every Load
// (a Load builds a new Engine, so persistent collections start empty). Not thread-safe.
std::unique_ptr<WafUnderTest> NewEngineWaf(EngineOptions options = {});

}  // namespace gs::waf::conformance
