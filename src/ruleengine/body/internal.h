// Helpers shared by the body processors; not part of the module's interface.
#pragma once

#include <string_view>

#include "ruleengine/body/body.h"

namespace gs::body {

// Appends one ARGS entry, honouring limits.arguments_limit (returns false and raises
// kArgumentsLimitExceeded when the limit is reached).
bool AddArg(std::string_view name, std::string_view value, Origin origin, const Limits& limits,
            BodyResult* result);

}  // namespace gs::body
