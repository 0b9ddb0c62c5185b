// Loading the GovShield config for commands that take -c FILE: every problem is printed as
// FILE:LINE:COL: error: message (hint) before the error is returned.
#pragma once

#include <memory>
#include <string>

#include "config/govshield_config.h"
#include "core/status.h"

namespace gs::cli {

Result<std::shared_ptr<const config::GovShieldConfig>> LoadConfigOrPrintErrors(
    const std::string& path);

}  // namespace gs::cli
