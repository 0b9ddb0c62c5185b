// Fuzz target `baseline_manifest`: the baseline manifest parser (src/tamper/manifest.h) on
// arbitrary bytes. Besides "no crash", it checks the canonical-form property: whatever the
// parser accepts re-serialises to exactly the bytes it was given, so the signed text and the
// parsed value can never disagree. Seeds are signed by the fixed key below.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/crypto.h"
#include "tamper/manifest.h"

namespace {

const gs::crypto::Sm2PublicKey& FuzzKey() {
  static const auto* key = [] {
    gs::Bytes d(32, 0x11);  // fixed scalar: the seed corpus is signed with it
    auto k = gs::crypto::Sm2PrivateKey::FromScalar(d);
    if (!k.ok()) std::abort();
    return new gs::crypto::Sm2PublicKey(k->PublicKey());
  }();
  return *key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto m = gs::tamper::ParseManifestUnverified(text);
  if (m.ok()) {
    auto body = gs::tamper::SerializeManifestBody(*m);
    if (!body.ok() || text.substr(0, body->size()) != *body) std::abort();
  }
  auto signed_m = gs::tamper::ParseSignedManifest(text, FuzzKey());
  if (signed_m.ok() && !m.ok()) std::abort();
  return 0;
}
