// Byte-string vocabulary: hex encoding, little/big-endian fixed-width coding, CRC32C.
// Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

using Bytes = std::vector<uint8_t>;

inline std::string_view AsStringView(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string HexEncode(const uint8_t* data, size_t n);
inline std::string HexEncode(const Bytes& b) { return HexEncode(b.data(), b.size()); }
inline std::string HexEncode(std::string_view s) {
  return HexEncode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
// Accepts upper or lower case; returns nullopt on odd length or a non-hex character.
// Whitespace is not allowed.
std::optional<Bytes> HexDecode(std::string_view hex);

inline void PutFixed32LE(std::string* dst, uint32_t v) {
  char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
  dst->append(b, 4);
}
inline void PutFixed64LE(std::string* dst, uint64_t v) {
  PutFixed32LE(dst, uint32_t(v));
  PutFixed32LE(dst, uint32_t(v >> 32));
}
inline uint32_t DecodeFixed32LE(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return uint32_t(u[0]) | uint32_t(u[1]) << 8 | uint32_t(u[2]) << 16 | uint32_t(u[3]) << 24;
}
inline uint64_t DecodeFixed64LE(const char* p) {
  return uint64_t(DecodeFixed32LE(p)) | uint64_t(DecodeFixed32LE(p + 4)) << 32;
}

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI, ext4 and LevelDB.
// Uses the SSE4.2 crc32 instruction when the CPU has it. `init` continues a running CRC.
uint32_t Crc32c(const void* data, size_t n, uint32_t init = 0);

// Masking as in LevelDB: a CRC stored inside data that is itself CRC'd is masked so the
// CRC of a string containing its own CRC is not trivially related.
inline uint32_t MaskCrc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
inline uint32_t UnmaskCrc(uint32_t masked) {
  uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace gs
