// National (SM2/SM3/SM4) and international (SHA-256) cryptography for GovShield.
//
// This module is the only place that includes OpenSSL's crypto headers. Everything goes through
// OpenSSL 3 EVP (Debian 12 ships SM2, SM3, SM4-ECB/CBC/CTR in the default provider). OpenSSL 3.0
// has no SM4-GCM, so GCM (NIST SP 800-38D) is composed here from OpenSSL's SM4 block cipher
// and a GHASH of our own; it is checked against the RFC 8998 SM4-GCM vector.
//
// Thread-safety: free functions are thread-safe. Hasher objects are not; use one per thread.
// Key objects are immutable after construction and may be shared across threads.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/status.h"

namespace gs::crypto {

constexpr size_t kDigestSize = 32;  // SM3 and SHA-256 both produce 32 bytes
using Digest = std::array<uint8_t, kDigestSize>;

inline std::string_view AsView(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}
inline std::string DigestHex(const Digest& d) { return HexEncode(d.data(), d.size()); }
std::optional<Digest> DigestFromHex(std::string_view hex);

// ---- Hashes -------------------------------------------------------------------------------

enum class HashAlgorithm { kSm3, kSha256 };

Digest Sm3(std::string_view data);
Digest Sha256(std::string_view data);
Digest Hash(HashAlgorithm alg, std::string_view data);

// Legacy digests, only for compatibility (SecLang's t:md5 and t:sha1 transformations): never use
// them for integrity or signatures.
std::array<uint8_t, 16> Md5(std::string_view data);
std::array<uint8_t, 20> Sha1(std::string_view data);

// Incremental hashing. Reusable: Final() resets it for the next message.
class Hasher {
 public:
  explicit Hasher(HashAlgorithm alg = HashAlgorithm::kSm3);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  void Update(std::string_view data);
  void Update(const void* data, size_t n) {
    Update(std::string_view(static_cast<const char*>(data), n));
  }
  Digest Final();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HMAC (RFC 2104) over SM3 or SHA-256.
Digest HmacSm3(std::string_view key, std::string_view data);
Digest Hmac(HashAlgorithm alg, std::string_view key, std::string_view data);

// Constant-time comparison.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// Cryptographically secure random bytes (OpenSSL RAND_bytes).
Bytes RandomBytes(size_t n);

// ---- SM2 ----------------------------------------------------------------------------------

// The default signer identity of GB/T 32918 / GM/T 0009: the ASCII string "1234567812345678".
inline constexpr std::string_view kSm2DefaultId = "1234567812345678";

class Sm2PublicKey {
 public:
  // PEM "PUBLIC KEY" (SubjectPublicKeyInfo).
  static Result<Sm2PublicKey> FromPem(std::string_view pem);
  // Uncompressed point coordinates, 32 bytes each, big-endian (as in published vectors).
  static Result<Sm2PublicKey> FromAffine(const Bytes& x, const Bytes& y);

  Result<std::string> ToPem() const;
  // 65-byte uncompressed point 04||X||Y.
  Bytes RawPoint() const;
  // SM3 of the raw point: a short, stable key identifier for records and file names.
  std::string Fingerprint() const;

  // Verifies a DER-encoded SM2 signature over `message` (Z-value computed from `id`).
  // Returns false for a bad signature, a wrong message or a malformed signature.
  bool Verify(std::string_view message, std::string_view der_signature,
              std::string_view id = kSm2DefaultId) const;
  // Verifies a DER signature over a precomputed digest e = SM3(Z || M). For published vectors
  // that give e directly.
  bool VerifyDigest(const Bytes& e, std::string_view der_signature) const;

  struct Key;
  std::shared_ptr<Key> key_;  // EVP_PKEY, shared and immutable
};

class Sm2PrivateKey {
 public:
  static Result<Sm2PrivateKey> Generate();
  // PEM "PRIVATE KEY" (PKCS#8, unencrypted).
  static Result<Sm2PrivateKey> FromPem(std::string_view pem);
  // Builds a key from the 32-byte private scalar d (for vectors and tests).
  static Result<Sm2PrivateKey> FromScalar(const Bytes& d);

  Result<std::string> ToPem() const;
  Sm2PublicKey PublicKey() const;

  // Signs `message` with SM3 and the given identity; returns the DER signature (~71-72 bytes).
  Result<std::string> Sign(std::string_view message, std::string_view id = kSm2DefaultId) const;

  std::shared_ptr<Sm2PublicKey::Key> key_;
};

// Loads keys from files, with errors that name the file.
Result<Sm2PrivateKey> LoadSm2PrivateKey(const std::string& path);
Result<Sm2PublicKey> LoadSm2PublicKey(const std::string& path);

// ---- SM4 ----------------------------------------------------------------------------------

constexpr size_t kSm4KeySize = 16;
constexpr size_t kSm4BlockSize = 16;
constexpr size_t kGcmTagSize = 16;

// SM4-CBC with PKCS#7 padding. key and iv are 16 bytes.
Result<std::string> Sm4CbcEncrypt(std::string_view key, std::string_view iv,
                                  std::string_view plaintext);
Result<std::string> Sm4CbcDecrypt(std::string_view key, std::string_view iv,
                                  std::string_view ciphertext);
// SM4-ECB on exactly one block, no padding (for known-answer tests of the block cipher).
Result<std::string> Sm4EncryptBlock(std::string_view key, std::string_view block);

// SM4-GCM. Returns ciphertext || 16-byte tag. iv is 12 bytes (recommended; other lengths go
// through GHASH as the standard says).
Result<std::string> Sm4GcmSeal(std::string_view key, std::string_view iv, std::string_view aad,
                               std::string_view plaintext);
// Verifies the tag (constant time) and returns the plaintext; DATA_LOSS if it does not verify.
Result<std::string> Sm4GcmOpen(std::string_view key, std::string_view iv, std::string_view aad,
                               std::string_view sealed);

namespace internal {
// GCM composed by this module over any OpenSSL ECB block cipher ("AES-128-ECB", "SM4-ECB").
// Exposed so tests can check the GCM composition against OpenSSL's native AES-GCM.
Result<std::string> GcmSealWithEcb(std::string_view ecb_cipher_name, std::string_view key,
                                   std::string_view iv, std::string_view aad,
                                   std::string_view plaintext);
}  // namespace internal

}  // namespace gs::crypto
