// The gateway's serve-time check (核心内嵌) wired to the tamper module: a site's `tamper:`
// section becomes a gateway::ContentGuard backed by tamper::ServeChecker (the signed baseline
// and vault of the protected root). The gateway and the tamper module do not know each other;
// `gateway run` and `up` pass this builder in ServiceOptions::content_guard.
#pragma once

#include "gateway/service.h"

namespace gs::cli {

// One builder per process. On a reload a site whose tamper section is unchanged keeps its guard
// (verified-content cache and counters) and picks up the vault's current manifest when a
// `tamper publish` made a new version (signature checked with the configured pubkey); a changed
// section opens a new guard. Errors name the file or key at fault.
gateway::ContentGuardBuilder MakeTamperGuardBuilder();

}  // namespace gs::cli
