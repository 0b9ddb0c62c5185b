// Known-answer tests from the published standards, plus round trips and rejection tests.
#include "crypto/crypto.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>

#include "crypto/sm3_multi.h"

namespace gs::crypto {
namespace {

std::string Unhex(std::string_view h) {
  auto b = HexDecode(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b ? std::string(AsStringView(*b)) : std::string();
}
std::string Hex(std::string_view s) { return HexEncode(s); }

// GB/T 32905-2016 appendix A, examples 1 and 2.
TEST(Sm3Test, GbT32905Vectors) {
  EXPECT_EQ(DigestHex(Sm3("abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd16;
  for (int i = 0; i < 16; ++i) abcd16 += "abcd";
  EXPECT_EQ(DigestHex(Sm3(abcd16)),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

TEST(Sm3Test, IncrementalMatchesOneShot) {
  Hasher h;
  h.Update("ab");
  h.Update("c");
  EXPECT_EQ(h.Final(), Sm3("abc"));
  h.Update("abc");  // reusable after Final
  EXPECT_EQ(h.Final(), Sm3("abc"));
}

// FIPS 180-2 example.
TEST(Sha256Test, Fips180Vector) {
  EXPECT_EQ(DigestHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// HMAC by its definition (RFC 2104) over SM3, to check the OpenSSL wiring.
TEST(LegacyDigestTest, Rfc1321AndFips180Vectors) {
  auto hex = [](const auto& d) { return HexEncode(d.data(), d.size()); };
  EXPECT_EQ(hex(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex(Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(Sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(HmacTest, Sm3MatchesDefinition) {
  std::string key = "govshield-key";
  std::string msg = "audit record";
  std::string k(64, '\0');
  std::copy(key.begin(), key.end(), k.begin());
  std::string ipad = k, opad = k;
  for (auto& c : ipad) c ^= 0x36;
  for (auto& c : opad) c ^= 0x5c;
  Digest inner = Sm3(ipad + msg);
  Digest expect = Sm3(opad + std::string(AsView(inner)));
  EXPECT_EQ(HmacSm3(key, msg), expect);
  EXPECT_NE(HmacSm3("other", msg), expect);
}

// GB/T 32907-2016 appendix A, example 1 and example 2 (1,000,000 encryptions).
TEST(Sm4Test, GbT32907Vectors) {
  std::string key = Unhex("0123456789abcdeffedcba9876543210");
  auto c = Sm4EncryptBlock(key, key);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Hex(*c), "681edf34d206965e86b3e94f536e4246");

  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex2(ctx, EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr),
                      reinterpret_cast<const uint8_t*>(key.data()), nullptr, nullptr);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  uint8_t block[16];
  std::memcpy(block, key.data(), 16);
  for (int i = 0; i < 1000000; ++i) {
    int n;
    EVP_EncryptUpdate(ctx, block, &n, block, 16);
  }
  EVP_CIPHER_CTX_free(ctx);
  EXPECT_EQ(HexEncode(block, 16), "595298c7c6fd271f0402f804c33d3f66");
}

TEST(Sm4Test, CbcRoundTripAndWrongKey) {
  std::string key = Unhex("0123456789abcdeffedcba9876543210");
  std::string iv = Unhex("000102030405060708090a0b0c0d0e0f");
  std::string msg = "政务网站防篡改 – SM4-CBC round trip with padding";
  auto ct = Sm4CbcEncrypt(key, iv, msg);
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(ct->size() % 16, 0u);
  EXPECT_EQ(*Sm4CbcDecrypt(key, iv, *ct), msg);
  // CBC decryption with a wrong key yields bad padding with high probability; either way the
  // plaintext must not come back.
  auto wrong = Sm4CbcDecrypt(Unhex("ffffffffffffffffffffffffffffffff"), iv, *ct);
  EXPECT_TRUE(!wrong.ok() || *wrong != msg);
  EXPECT_FALSE(Sm4CbcEncrypt("short", iv, msg).ok());
}

// RFC 8998 appendix A.1 (SM4-GCM).
TEST(Sm4GcmTest, Rfc8998Vector) {
  std::string key = Unhex("0123456789ABCDEFFEDCBA9876543210");
  std::string iv = Unhex("00001234567800000000ABCD");
  std::string aad = Unhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
  std::string pt = Unhex(
      "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
      "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
  auto sealed = Sm4GcmSeal(key, iv, aad, pt);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(Hex(*sealed),
            "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
            "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
            "83de3541e4c2b58177e065a9bf7b62ec");
  auto opened = Sm4GcmOpen(key, iv, aad, *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, pt);
}

TEST(Sm4GcmTest, RejectsTampering) {
  std::string key(16, 'k');
  std::string iv(12, 'i');
  auto sealed = Sm4GcmSeal(key, iv, "hdr", "vault file contents");
  ASSERT_TRUE(sealed.ok());
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string bad = *sealed;
    bad[i] ^= 0x01;
    auto r = Sm4GcmOpen(key, iv, "hdr", bad);
    ASSERT_FALSE(r.ok()) << "flip at " << i;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  }
  EXPECT_FALSE(Sm4GcmOpen(key, iv, "other-aad", *sealed).ok());
  EXPECT_FALSE(Sm4GcmOpen(std::string(16, 'K'), iv, "hdr", *sealed).ok());
}

// Our GCM composition over AES-128 must equal OpenSSL's native AES-128-GCM for any length of
// data, AAD and IV: this validates GHASH and GCTR independently of SM4.
TEST(Sm4GcmTest, CompositionMatchesOpenSslAesGcm) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    auto rnd = [&](size_t n) {
      std::string s(n, '\0');
      for (auto& c : s) c = char(rng());
      return s;
    };
    std::string key = rnd(16);
    std::string iv = rnd(round % 5 == 0 ? 1 + rng() % 40 : 12);
    std::string aad = rnd(rng() % 70);
    std::string pt = rnd(rng() % 300);
    auto ours = internal::GcmSealWithEcb("AES-128-ECB", key, iv, aad, pt);
    ASSERT_TRUE(ours.ok());

    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex2(ctx, EVP_aes_128_gcm(), nullptr, nullptr, nullptr);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, int(iv.size()), nullptr);
    EVP_EncryptInit_ex2(ctx, nullptr, reinterpret_cast<const uint8_t*>(key.data()),
                        reinterpret_cast<const uint8_t*>(iv.data()), nullptr);
    int n = 0;
    if (!aad.empty()) {
      EVP_EncryptUpdate(ctx, nullptr, &n, reinterpret_cast<const uint8_t*>(aad.data()),
                        int(aad.size()));
    }
    std::string ct(pt.size() + 16, '\0');
    int len = 0;
    EVP_EncryptUpdate(ctx, reinterpret_cast<uint8_t*>(ct.data()), &len,
                      reinterpret_cast<const uint8_t*>(pt.data()), int(pt.size()));
    int fin = 0;
    EVP_EncryptFinal_ex(ctx, reinterpret_cast<uint8_t*>(ct.data()) + len, &fin);
    ct.resize(size_t(len + fin));
    char tag[16];
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
    EVP_CIPHER_CTX_free(ctx);
    ASSERT_EQ(Hex(*ours), Hex(ct + std::string(tag, 16))) << "round " << round;
  }
}

// GB/T 32918.5-2017 (SM2 parameters, recommended curve) example: signer ID 1234567812345678,
// message "message digest".
TEST(Sm2Test, PublishedSignatureVerifies) {
  auto pub = Sm2PublicKey::FromAffine(
      *HexDecode("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"),
      *HexDecode("CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"));
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  // DER SEQUENCE { INTEGER r, INTEGER s }; r and s have their top bit set so get a 00 pad.
  std::string r = Unhex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3");
  std::string s = Unhex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");
  std::string der = std::string("\x30\x46\x02\x21\x00", 5) + r + std::string("\x02\x21\x00", 3) + s;
  EXPECT_TRUE(pub->Verify("message digest", der));
  EXPECT_FALSE(pub->Verify("message digesT", der));
  EXPECT_FALSE(pub->Verify("message digest", der, "ALICE123@YAHOO.COM"));
  std::string bad = der;
  bad[10] ^= 0x40;
  EXPECT_FALSE(pub->Verify("message digest", bad));

  // The same public key derives from the published private scalar.
  auto priv = Sm2PrivateKey::FromScalar(
      *HexDecode("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"));
  ASSERT_TRUE(priv.ok()) << priv.status().ToString();
  EXPECT_EQ(priv->PublicKey().RawPoint(), pub->RawPoint());
}

TEST(Sm2Test, SignVerifyRoundTripAndRejections) {
  auto a = Sm2PrivateKey::Generate();
  auto b = Sm2PrivateKey::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  auto sig = a->Sign("checkpoint 42");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(a->PublicKey().Verify("checkpoint 42", *sig));
  EXPECT_FALSE(a->PublicKey().Verify("checkpoint 43", *sig));
  EXPECT_FALSE(b->PublicKey().Verify("checkpoint 42", *sig));  // altered key
  EXPECT_FALSE(a->PublicKey().Verify("checkpoint 42", "not a signature"));
  auto custom = a->Sign("m", "govshield@example.gov.cn");
  ASSERT_TRUE(custom.ok());
  EXPECT_TRUE(a->PublicKey().Verify("m", *custom, "govshield@example.gov.cn"));
  EXPECT_FALSE(a->PublicKey().Verify("m", *custom));
}

TEST(Sm2Test, PemRoundTrip) {
  auto k = Sm2PrivateKey::Generate();
  ASSERT_TRUE(k.ok());
  auto priv_pem = k->ToPem();
  auto pub_pem = k->PublicKey().ToPem();
  ASSERT_TRUE(priv_pem.ok() && pub_pem.ok());
  auto k2 = Sm2PrivateKey::FromPem(*priv_pem);
  auto p2 = Sm2PublicKey::FromPem(*pub_pem);
  ASSERT_TRUE(k2.ok() && p2.ok());
  auto sig = k2->Sign("x");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(p2->Verify("x", *sig));
  EXPECT_EQ(p2->Fingerprint(), k->PublicKey().Fingerprint());
  EXPECT_FALSE(
      Sm2PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());
  EXPECT_FALSE(Sm2PrivateKey::FromPem("garbage").ok());
}

TEST(Sm2Test, PointNotOnCurveIsRejected) {
  auto r = Sm2PublicKey::FromAffine(Bytes(32, 1), Bytes(32, 2));
  EXPECT_FALSE(r.ok());
}

TEST(Sm3Many, MatchesSm3ForEveryLengthAndLaneMix) {
  std::mt19937_64 rng(32905);
  std::vector<std::string> msgs;
  for (size_t len = 0; len < 300; ++len) msgs.push_back(std::string(len, 'x'));
  for (int i = 0; i < 40; ++i) {
    std::string m(rng() % 70000, '\0');
    for (char& c : m) c = char(rng());
    msgs.push_back(m);
  }
  msgs.push_back("abc");  // GB/T 32905 example A.1
  for (size_t n : {size_t(1), size_t(3), size_t(8), size_t(13), msgs.size()}) {
    std::vector<std::string_view> views(msgs.end() - n, msgs.end());
    std::vector<Digest> out(n);
    Sm3Many(views.data(), n, out.data());
    for (size_t i = 0; i < n; ++i)
      ASSERT_EQ(DigestHex(out[i]), DigestHex(Sm3(views[i]))) << "length " << views[i].size();
  }
  Digest abc;
  std::string_view v = "abc";
  Sm3Many(&v, 1, &abc);
  EXPECT_EQ(DigestHex(abc), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

}  // namespace
}  // namespace gs::crypto
