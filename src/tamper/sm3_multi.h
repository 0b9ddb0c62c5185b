// SM3 of many messages at once: eight messages per pass through one AVX2 register set (eight
// 32-bit lanes), about 3-4x the throughput of one-at-a-time SM3 on one core. The baseline
// hashes every file of a web root, which is where SM3 dominates its CPU time.
//
// Results are bit-identical to crypto::Sm3 (checked against it in tamper_test). Without AVX2
// (checked at run time) each message is hashed with crypto::Sm3. Thread-safe (no shared state).
// Belongs in src/crypto once that module takes it; it only depends on crypto.h's Digest.
#pragma once

#include <cstddef>
#include <string_view>

#include "crypto/crypto.h"

namespace gs::tamper {

// out[i] = SM3(msgs[i]) for i in [0, n). Messages of similar length hash fastest together
// (a pass runs as many blocks as its longest message); the caller groups them.
void Sm3Many(const std::string_view* msgs, size_t n, crypto::Digest* out);

}  // namespace gs::tamper
