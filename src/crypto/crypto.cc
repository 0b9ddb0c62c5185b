// OpenSSL 3 EVP implementation of crypto.h. Algorithm handles (EVP_MD, EVP_CIPHER) are fetched
// once per process; per-call contexts are cheap.
#include "crypto/crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cstring>

#include "platform/file.h"

namespace gs::crypto {

struct Sm2PublicKey::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

std::string OpenSslError(std::string_view what) {
  std::string m(what);
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    m += " (";
    m += buf;
    m += ")";
  }
  ERR_clear_error();
  return m;
}

const EVP_MD* Md(HashAlgorithm alg) {
  static const EVP_MD* sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  static const EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return alg == HashAlgorithm::kSm3 ? sm3 : sha256;
}

const EVP_CIPHER* Sm4Cipher(const char* name) {
  static const EVP_CIPHER* ecb = EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr);
  static const EVP_CIPHER* cbc = EVP_CIPHER_fetch(nullptr, "SM4-CBC", nullptr);
  return std::strcmp(name, "ECB") == 0 ? ecb : cbc;
}

std::shared_ptr<Sm2PublicKey::Key> WrapKey(EVP_PKEY* p) {
  auto k = std::make_shared<Sm2PublicKey::Key>();
  k->pkey = p;
  return k;
}

bool IsSm2(EVP_PKEY* p) { return p && EVP_PKEY_is_a(p, "SM2"); }

Result<std::shared_ptr<Sm2PublicKey::Key>> KeyFromData(const Bytes* priv, const Bytes& pub_point) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  BIGNUM* d = nullptr;
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_point.data(),
                                   pub_point.size());
  if (priv) {
    d = BN_bin2bn(priv->data(), int(priv->size()), nullptr);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d);
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr);
  EVP_PKEY* pkey = nullptr;
  int ok =
      ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_clear_free(d);
  if (!ok) return InvalidArgumentError(OpenSslError("invalid SM2 key material"));
  // fromdata does not check that the point is on the curve; do it here.
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  bool valid = check && EVP_PKEY_public_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  if (!valid) {
    EVP_PKEY_free(pkey);
    return InvalidArgumentError(OpenSslError("SM2 public point is not on the curve"));
  }
  return WrapKey(pkey);
}

}  // namespace

std::optional<Digest> DigestFromHex(std::string_view hex) {
  auto b = HexDecode(hex);
  if (!b || b->size() != kDigestSize) return std::nullopt;
  Digest d;
  std::memcpy(d.data(), b->data(), kDigestSize);
  return d;
}

// ---- Hashes -------------------------------------------------------------------------------

struct Hasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
  const EVP_MD* md = nullptr;
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(HashAlgorithm alg) : impl_(std::make_unique<Impl>()) {
  impl_->md = Md(alg);
  impl_->ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex2(impl_->ctx, impl_->md, nullptr);
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::Update(std::string_view data) {
  EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}

Digest Hasher::Final() {
  Digest d;
  unsigned int n = 0;
  EVP_DigestFinal_ex(impl_->ctx, d.data(), &n);
  EVP_DigestInit_ex2(impl_->ctx, impl_->md, nullptr);
  return d;
}

Digest Hash(HashAlgorithm alg, std::string_view data) {
  Digest d;
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &n, Md(alg), nullptr);
  return d;
}
std::array<uint8_t, 16> Md5(std::string_view data) {
  static const EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  std::array<uint8_t, 16> d{};
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &n, md5, nullptr);
  return d;
}

std::array<uint8_t, 20> Sha1(std::string_view data) {
  static const EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  std::array<uint8_t, 20> d{};
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &n, sha1, nullptr);
  return d;
}

Digest Sm3(std::string_view data) { return Hash(HashAlgorithm::kSm3, data); }
Digest Sha256(std::string_view data) { return Hash(HashAlgorithm::kSha256, data); }

Digest Hmac(HashAlgorithm alg, std::string_view key, std::string_view data) {
  Digest d;
  unsigned int n = 0;
  HMAC(Md(alg), key.data(), int(key.size()), reinterpret_cast<const uint8_t*>(data.data()),
       data.size(), d.data(), &n);
  return d;
}
Digest HmacSm3(std::string_view key, std::string_view data) {
  return Hmac(HashAlgorithm::kSm3, key, data);
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Bytes RandomBytes(size_t n) {
  Bytes out(n);
  if (n > 0 && RAND_bytes(out.data(), int(n)) != 1) {
    // RAND_bytes only fails when the OS entropy source is broken; continuing would be unsafe.
    std::abort();
  }
  return out;
}

// ---- SM2 ----------------------------------------------------------------------------------

Result<Sm2PrivateKey> Sm2PrivateKey::Generate() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr);
  EVP_PKEY* pkey = nullptr;
  bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_generate(ctx, &pkey) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return InternalError(OpenSslError("SM2 key generation failed"));
  Sm2PrivateKey k;
  k.key_ = WrapKey(pkey);
  return k;
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!pkey) return InvalidArgumentError(OpenSslError("not a PEM private key"));
  if (!IsSm2(pkey)) {
    EVP_PKEY_free(pkey);
    return InvalidArgumentError("private key is not an SM2 key");
  }
  Sm2PrivateKey k;
  k.key_ = WrapKey(pkey);
  return k;
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromScalar(const Bytes& d) {
  if (d.size() != 32) return InvalidArgumentError("SM2 private scalar must be 32 bytes");
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_sm2);
  EC_POINT* pub = EC_POINT_new(group);
  BIGNUM* bn = BN_bin2bn(d.data(), 32, nullptr);
  Bytes point(65);
  bool ok = group && pub && bn && !BN_is_zero(bn) &&
            EC_POINT_mul(group, pub, bn, nullptr, nullptr, nullptr) == 1 &&
            EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, point.data(), 65,
                               nullptr) == 65;
  BN_clear_free(bn);
  EC_POINT_free(pub);
  EC_GROUP_free(group);
  if (!ok) return InvalidArgumentError(OpenSslError("invalid SM2 private scalar"));
  GS_ASSIGN_OR_RETURN(auto key, KeyFromData(&d, point));
  Sm2PrivateKey k;
  k.key_ = std::move(key);
  return k;
}

Result<std::string> Sm2PrivateKey::ToPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  bool ok = PEM_write_bio_PrivateKey(bio, key_->pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out = ok ? std::string(data, size_t(n)) : "";
  BIO_free(bio);
  if (!ok) return InternalError(OpenSslError("cannot encode private key"));
  return out;
}

Sm2PublicKey Sm2PrivateKey::PublicKey() const {
  Sm2PublicKey pub;
  pub.key_ = key_;  // EVP_PKEY of a key pair verifies like a public key
  return pub;
}

Result<std::string> Sm2PrivateKey::Sign(std::string_view message, std::string_view id) const {
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;  // owned by mctx
  std::string sig(128, '\0');
  size_t len = sig.size();
  // OpenSSL 3.0 refuses the distinguishing ID as an init parameter; it must be set on the
  // context after init and before the first update.
  bool ok = mctx &&
            EVP_DigestSignInit_ex(mctx, &pctx, "SM3", nullptr, nullptr, key_->pkey, nullptr) == 1 &&
            EVP_PKEY_CTX_set1_id(pctx, id.data(), int(id.size())) == 1 &&
            EVP_DigestSign(mctx, reinterpret_cast<uint8_t*>(sig.data()), &len,
                           reinterpret_cast<const uint8_t*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(mctx);
  if (!ok) return InternalError(OpenSslError("SM2 signing failed"));
  sig.resize(len);
  return sig;
}

Result<Sm2PublicKey> Sm2PublicKey::FromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!pkey) return InvalidArgumentError(OpenSslError("not a PEM public key"));
  if (!IsSm2(pkey)) {
    EVP_PKEY_free(pkey);
    return InvalidArgumentError("public key is not an SM2 key");
  }
  Sm2PublicKey k;
  k.key_ = WrapKey(pkey);
  return k;
}

Result<Sm2PublicKey> Sm2PublicKey::FromAffine(const Bytes& x, const Bytes& y) {
  if (x.size() != 32 || y.size() != 32) {
    return InvalidArgumentError("SM2 coordinates must be 32 bytes each");
  }
  Bytes point;
  point.reserve(65);
  point.push_back(0x04);
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  GS_ASSIGN_OR_RETURN(auto key, KeyFromData(nullptr, point));
  Sm2PublicKey k;
  k.key_ = std::move(key);
  return k;
}

Result<std::string> Sm2PublicKey::ToPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  bool ok = PEM_write_bio_PUBKEY(bio, key_->pkey) == 1;
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out = ok ? std::string(data, size_t(n)) : "";
  BIO_free(bio);
  if (!ok) return InternalError(OpenSslError("cannot encode public key"));
  return out;
}

Bytes Sm2PublicKey::RawPoint() const {
  Bytes point(65);
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key_->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                      point.size(), &len) != 1) {
    ERR_clear_error();
    return {};
  }
  point.resize(len);
  return point;
}

std::string Sm2PublicKey::Fingerprint() const {
  Bytes p = RawPoint();
  return DigestHex(Sm3(AsStringView(p)));
}

bool Sm2PublicKey::Verify(std::string_view message, std::string_view der_signature,
                          std::string_view id) const {
  if (!key_) return false;
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;  // owned by mctx
  bool ok =
      mctx &&
      EVP_DigestVerifyInit_ex(mctx, &pctx, "SM3", nullptr, nullptr, key_->pkey, nullptr) == 1 &&
      EVP_PKEY_CTX_set1_id(pctx, id.data(), int(id.size())) == 1 &&
      EVP_DigestVerify(mctx, reinterpret_cast<const uint8_t*>(der_signature.data()),
                       der_signature.size(), reinterpret_cast<const uint8_t*>(message.data()),
                       message.size()) == 1;
  EVP_MD_CTX_free(mctx);
  ERR_clear_error();
  return ok;
}

bool Sm2PublicKey::VerifyDigest(const Bytes& e, std::string_view der_signature) const {
  if (!key_) return false;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key_->pkey, nullptr);
  bool ok = ctx && EVP_PKEY_verify_init(ctx) == 1 &&
            EVP_PKEY_verify(ctx, reinterpret_cast<const uint8_t*>(der_signature.data()),
                            der_signature.size(), e.data(), e.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

Result<Sm2PrivateKey> LoadSm2PrivateKey(const std::string& path) {
  auto pem = platform::ReadFile(path);
  if (!pem.ok()) return pem.status().WithContext("private key");
  auto k = Sm2PrivateKey::FromPem(*pem);
  if (!k.ok()) return k.status().WithContext(path);
  return k;
}

Result<Sm2PublicKey> LoadSm2PublicKey(const std::string& path) {
  auto pem = platform::ReadFile(path);
  if (!pem.ok()) return pem.status().WithContext("public key");
  auto k = Sm2PublicKey::FromPem(*pem);
  if (!k.ok()) return k.status().WithContext(path);
  return k;
}

// ---- SM4 ----------------------------------------------------------------------------------

namespace {

Result<std::string> Sm4Run(const char* mode, bool encrypt, bool padding, std::string_view key,
                           std::string_view iv, std::string_view in) {
  if (key.size() != kSm4KeySize) return InvalidArgumentError("SM4 key must be 16 bytes");
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  std::string out(in.size() + kSm4BlockSize, '\0');
  int n1 = 0, n2 = 0;
  bool ok = ctx &&
            EVP_CipherInit_ex2(ctx, Sm4Cipher(mode), reinterpret_cast<const uint8_t*>(key.data()),
                               iv.empty() ? nullptr : reinterpret_cast<const uint8_t*>(iv.data()),
                               encrypt ? 1 : 0, nullptr) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx, padding ? 1 : 0) == 1 &&
            EVP_CipherUpdate(ctx, reinterpret_cast<uint8_t*>(out.data()), &n1,
                             reinterpret_cast<const uint8_t*>(in.data()), int(in.size())) == 1 &&
            EVP_CipherFinal_ex(ctx, reinterpret_cast<uint8_t*>(out.data()) + n1, &n2) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) {
    return encrypt
               ? InternalError(OpenSslError("SM4 encryption failed"))
               : DataLossError(OpenSslError("SM4 decryption failed (wrong key or corrupt data)"));
  }
  out.resize(size_t(n1 + n2));
  return out;
}

// GF(2^128) multiply for GHASH (bit-reflected convention of SP 800-38D).
struct Block128 {
  uint64_t hi, lo;
};

Block128 Load(const uint8_t* p) {
  Block128 b{0, 0};
  for (int i = 0; i < 8; ++i) b.hi = b.hi << 8 | p[i];
  for (int i = 8; i < 16; ++i) b.lo = b.lo << 8 | p[i];
  return b;
}

void Store(Block128 b, uint8_t* p) {
  for (int i = 7; i >= 0; --i, b.hi >>= 8) p[i] = uint8_t(b.hi);
  for (int i = 15; i >= 8; --i, b.lo >>= 8) p[i] = uint8_t(b.lo);
}

// Shoup's 4-bit table method: 16 precomputed multiples of H.
class Ghash {
 public:
  explicit Ghash(const uint8_t h[16]) {
    Block128 H = Load(h);
    table_[0] = {0, 0};
    table_[8] = H;
    Block128 v = H;
    for (int i = 4; i > 0; i >>= 1) {
      uint64_t carry = v.lo & 1;
      v.lo = (v.lo >> 1) | (v.hi << 63);
      v.hi >>= 1;
      if (carry) v.hi ^= 0xe100000000000000ULL;
      table_[i] = v;
    }
    for (int i = 2; i < 16; i <<= 1) {
      for (int j = 1; j < i; ++j) {
        table_[i + j] = {table_[i].hi ^ table_[j].hi, table_[i].lo ^ table_[j].lo};
      }
    }
  }

  void Update(const uint8_t* data, size_t n) {
    while (n > 0) {
      uint8_t block[16] = {0};
      size_t take = n < 16 ? n : 16;
      std::memcpy(block, data, take);
      for (int i = 0; i < 16; ++i) y_[i] ^= block[i];
      Multiply();
      data += take;
      n -= take;
    }
  }

  void Final(uint8_t out[16]) const { std::memcpy(out, y_, 16); }

 private:
  void Multiply() {
    static constexpr uint64_t kRem4[16] = {0x0000, 0x1C20, 0x3840, 0x2460, 0x7080, 0x6CA0,
                                           0x48C0, 0x54E0, 0xE100, 0xFD20, 0xD940, 0xC560,
                                           0x9180, 0x8DA0, 0xA9C0, 0xB5E0};
    uint8_t lo = y_[15] & 0xf;
    Block128 z = table_[lo];
    for (int i = 15; i >= 0; --i) {
      uint8_t nibbles[2] = {uint8_t(y_[i] & 0xf), uint8_t(y_[i] >> 4)};
      for (int k = (i == 15 ? 1 : 0); k < 2; ++k) {
        uint8_t rem = uint8_t(z.lo & 0xf);
        z.lo = (z.lo >> 4) | (z.hi << 60);
        z.hi = (z.hi >> 4) ^ (kRem4[rem] << 48);
        z.hi ^= table_[nibbles[k]].hi;
        z.lo ^= table_[nibbles[k]].lo;
      }
    }
    Store(z, y_);
  }

  Block128 table_[16];
  uint8_t y_[16] = {0};
};

void Inc32(uint8_t counter[16]) {
  for (int i = 15; i >= 12; --i) {
    if (++counter[i] != 0) break;
  }
}

// GCTR (SP 800-38D 6.5): XOR `in` with E_K(ICB), E_K(inc32(ICB)), ...
Status Gctr(EVP_CIPHER_CTX* ecb, const uint8_t icb[16], std::string_view in, std::string* out) {
  out->resize(in.size());
  uint8_t counter[16];
  std::memcpy(counter, icb, 16);
  constexpr size_t kBatch = 64;
  uint8_t counters[kBatch * 16];
  uint8_t stream[kBatch * 16];
  size_t pos = 0;
  while (pos < in.size()) {
    size_t blocks = (in.size() - pos + 15) / 16;
    if (blocks > kBatch) blocks = kBatch;
    for (size_t b = 0; b < blocks; ++b) {
      std::memcpy(counters + 16 * b, counter, 16);
      Inc32(counter);
    }
    int n = 0;
    if (EVP_EncryptUpdate(ecb, stream, &n, counters, int(blocks * 16)) != 1) {
      return InternalError(OpenSslError("SM4 block encryption failed"));
    }
    size_t take = std::min(in.size() - pos, blocks * 16);
    for (size_t i = 0; i < take; ++i) (*out)[pos + i] = char(uint8_t(in[pos + i]) ^ stream[i]);
    pos += take;
  }
  return Status::Ok();
}

void PutLengths(Ghash* g, uint64_t aad_len, uint64_t text_len) {
  uint8_t lens[16];
  uint64_t a = aad_len * 8, c = text_len * 8;
  for (int i = 7; i >= 0; --i, a >>= 8) lens[i] = uint8_t(a);
  for (int i = 15; i >= 8; --i, c >>= 8) lens[i] = uint8_t(c);
  g->Update(lens, 16);
}

// Computes H, J0 and the tag over (aad, ciphertext); also returns the ECB context for GCTR.
Result<std::string> GcmCore(const EVP_CIPHER* cipher, std::string_view key, std::string_view iv,
                            std::string_view aad, std::string_view text, bool encrypt,
                            std::string* tag_out) {
  if (key.size() != size_t(EVP_CIPHER_get_key_length(cipher))) {
    return InvalidArgumentError("SM4 key must be 16 bytes");
  }
  if (iv.empty()) return InvalidArgumentError("GCM IV must not be empty");
  if (text.size() > (uint64_t(1) << 36) - 32) return InvalidArgumentError("GCM input too long");
  EVP_CIPHER_CTX* ecb = EVP_CIPHER_CTX_new();
  if (!ecb || EVP_EncryptInit_ex2(ecb, cipher, reinterpret_cast<const uint8_t*>(key.data()),
                                  nullptr, nullptr) != 1) {
    EVP_CIPHER_CTX_free(ecb);
    return InternalError(OpenSslError("SM4 init failed"));
  }
  EVP_CIPHER_CTX_set_padding(ecb, 0);
  uint8_t zero[16] = {0}, h[16];
  int n = 0;
  EVP_EncryptUpdate(ecb, h, &n, zero, 16);
  Ghash iv_hash(h);
  uint8_t j0[16];
  if (iv.size() == 12) {
    std::memcpy(j0, iv.data(), 12);
    j0[12] = j0[13] = j0[14] = 0;
    j0[15] = 1;
  } else {
    iv_hash.Update(reinterpret_cast<const uint8_t*>(iv.data()), iv.size());
    PutLengths(&iv_hash, 0, iv.size());
    iv_hash.Final(j0);
  }
  uint8_t icb[16];
  std::memcpy(icb, j0, 16);
  Inc32(icb);
  std::string result;
  Status s = Gctr(ecb, icb, text, &result);
  if (s.ok()) {
    std::string_view ciphertext = encrypt ? std::string_view(result) : text;
    Ghash g(h);
    g.Update(reinterpret_cast<const uint8_t*>(aad.data()), aad.size());
    g.Update(reinterpret_cast<const uint8_t*>(ciphertext.data()), ciphertext.size());
    PutLengths(&g, aad.size(), ciphertext.size());
    uint8_t sblock[16];
    g.Final(sblock);
    s = Gctr(ecb, j0, std::string_view(reinterpret_cast<char*>(sblock), 16), tag_out);
  }
  EVP_CIPHER_CTX_free(ecb);
  if (!s.ok()) return s;
  return result;
}

}  // namespace

Result<std::string> Sm4CbcEncrypt(std::string_view key, std::string_view iv,
                                  std::string_view plaintext) {
  if (iv.size() != kSm4BlockSize) return InvalidArgumentError("SM4-CBC IV must be 16 bytes");
  return Sm4Run("CBC", true, true, key, iv, plaintext);
}

Result<std::string> Sm4CbcDecrypt(std::string_view key, std::string_view iv,
                                  std::string_view ciphertext) {
  if (iv.size() != kSm4BlockSize) return InvalidArgumentError("SM4-CBC IV must be 16 bytes");
  if (ciphertext.size() % kSm4BlockSize != 0 || ciphertext.empty()) {
    return DataLossError("SM4-CBC ciphertext is not a whole number of blocks");
  }
  return Sm4Run("CBC", false, true, key, iv, ciphertext);
}

Result<std::string> Sm4EncryptBlock(std::string_view key, std::string_view block) {
  if (block.size() != kSm4BlockSize) return InvalidArgumentError("SM4 block must be 16 bytes");
  return Sm4Run("ECB", true, false, key, "", block);
}

Result<std::string> Sm4GcmSeal(std::string_view key, std::string_view iv, std::string_view aad,
                               std::string_view plaintext) {
  std::string tag;
  GS_ASSIGN_OR_RETURN(std::string out,
                      GcmCore(Sm4Cipher("ECB"), key, iv, aad, plaintext, true, &tag));
  out += tag;
  return out;
}

Result<std::string> Sm4GcmOpen(std::string_view key, std::string_view iv, std::string_view aad,
                               std::string_view sealed) {
  if (sealed.size() < kGcmTagSize) return DataLossError("SM4-GCM input shorter than its tag");
  std::string_view ciphertext = sealed.substr(0, sealed.size() - kGcmTagSize);
  std::string_view tag = sealed.substr(sealed.size() - kGcmTagSize);
  std::string expected;
  GS_ASSIGN_OR_RETURN(std::string plain,
                      GcmCore(Sm4Cipher("ECB"), key, iv, aad, ciphertext, false, &expected));
  if (!ConstantTimeEqual(tag, expected)) {
    return DataLossError("SM4-GCM authentication failed (wrong key or tampered data)");
  }
  return plain;
}

namespace internal {

Result<std::string> GcmSealWithEcb(std::string_view ecb_cipher_name, std::string_view key,
                                   std::string_view iv, std::string_view aad,
                                   std::string_view plaintext) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, std::string(ecb_cipher_name).c_str(), nullptr);
  if (!c) return NotFoundError("no cipher " + std::string(ecb_cipher_name));
  std::string tag;
  auto out = GcmCore(c, key, iv, aad, plaintext, true, &tag);
  EVP_CIPHER_free(c);
  if (!out.ok()) return out.status();
  return *out + tag;
}

}  // namespace internal
}  // namespace gs::crypto
