#include "core/bytes.h"

#include <gtest/gtest.h>

namespace gs {
namespace {

TEST(HexTest, RoundTrip) {
  Bytes b = {0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(HexEncode(b), "007f80ff");
  EXPECT_EQ(*HexDecode("007F80ff"), b);
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

// RFC 3720 appendix B.4 test vectors for CRC32C.
TEST(Crc32cTest, Rfc3720Vectors) {
  std::string zeros(32, '\0');
  EXPECT_EQ(Crc32c(zeros.data(), zeros.size()), 0x8a9136aau);
  std::string ones(32, '\xff');
  EXPECT_EQ(Crc32c(ones.data(), ones.size()), 0x62a8ab43u);
  std::string inc(32, 0);
  for (int i = 0; i < 32; ++i) inc[i] = char(i);
  EXPECT_EQ(Crc32c(inc.data(), inc.size()), 0x46dd794eu);
  std::string dec(32, 0);
  for (int i = 0; i < 32; ++i) dec[i] = char(31 - i);
  EXPECT_EQ(Crc32c(dec.data(), dec.size()), 0x113fdb5cu);
  EXPECT_EQ(Crc32c("123456789", 9), 0xe3069283u);
}

TEST(Crc32cTest, ContinuesAcrossChunks) {
  std::string s = "The quick brown fox jumps over the lazy dog, twice over.";
  uint32_t whole = Crc32c(s.data(), s.size());
  uint32_t part = Crc32c(s.data(), 13);
  EXPECT_EQ(Crc32c(s.data() + 13, s.size() - 13, part), whole);
}

TEST(Crc32cTest, MaskRoundTrip) {
  for (uint32_t v : {0u, 1u, 0xdeadbeefu, 0xffffffffu}) EXPECT_EQ(UnmaskCrc(MaskCrc(v)), v);
  EXPECT_NE(MaskCrc(0x12345678u), 0x12345678u);
}

TEST(FixedTest, LittleEndian) {
  std::string s;
  PutFixed32LE(&s, 0x01020304u);
  PutFixed64LE(&s, 0x1122334455667788ull);
  ASSERT_EQ(s.size(), 12u);
  EXPECT_EQ(uint8_t(s[0]), 0x04);
  EXPECT_EQ(DecodeFixed32LE(s.data()), 0x01020304u);
  EXPECT_EQ(DecodeFixed64LE(s.data() + 4), 0x1122334455667788ull);
}

}  // namespace
}  // namespace gs
