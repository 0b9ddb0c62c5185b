// SM2 key-pair files as `govshield keys gen` writes them; also used by `govshield up` to create
// the demo default's key on first start.
#pragma once

#include <string>

#include "core/status.h"

namespace gs::cli {

// Writes DIR/sm2-private.pem (0600) and DIR/sm2-public.pem and prints their paths and the key
// fingerprint. ALREADY_EXISTS if either file exists and !force.
Status WriteSm2KeyPair(const std::string& out_dir, bool force);

}  // namespace gs::cli
