// Byte helpers shared by the transformation implementations (not part of the module's API).
//
// Character classes are the C locale's, written out so they neither depend on the process
// locale nor take a branch through the C library per byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace gs::transforms::internal {

inline bool IsHex(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }
inline bool IsOctal(uint8_t c) { return c >= '0' && c <= '7'; }
inline bool IsAlnum(uint8_t c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// C isspace(): space, \t, \n, \v, \f, \r.
inline bool IsSpace(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool IsUpper(uint8_t c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(uint8_t c) { return c >= 'a' && c <= 'z'; }
inline uint8_t ToLower(uint8_t c) { return IsUpper(c) ? c + 32 : c; }

// Value of one hex digit. Mirrors ModSecurity's arithmetic for non-hex bytes too (it decodes
// pairs without validating them in hexDecode), so it must not be "fixed".
inline uint8_t LooseDigit(uint8_t c) {
  return c >= 'A' ? static_cast<uint8_t>((c & 0xdf) - 'A' + 10) : static_cast<uint8_t>(c - '0');
}
// Two hex digits -> byte (ModSecurity's x2c).
inline uint8_t HexPair(const uint8_t* p) {
  return static_cast<uint8_t>(LooseDigit(p[0]) * 16 + LooseDigit(p[1]));
}

// ---- SWAR (8 bytes per step) helpers for the hottest fast paths ----
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

inline uint64_t Load8(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline void Store8(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }

// High bit set in each byte of `x` that lies in [lo, hi] (ASCII bounds; bytes >= 0x80 never
// match). Adding to the low seven bits cannot carry into the next byte.
inline uint64_t InRangeMask(uint64_t x, uint8_t lo, uint8_t hi) {
  const uint64_t low7 = x & ~kHighBits;
  const uint64_t ge_lo = low7 + kOnes * (0x80 - lo);
  const uint64_t gt_hi = low7 + kOnes * (0x7f - hi);
  return (ge_lo ^ gt_hi) & ~x & kHighBits;
}
// High bit set in each zero byte of `x` (exact: no false positives).
inline uint64_t ZeroByteMask(uint64_t x) {
  return ~(((x & ~kHighBits) + ~kHighBits) | x | ~kHighBits);
}

inline const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// Output cursor over *out: sized up front to an upper bound, trimmed at the end. Reuses the
// string's capacity, so a warmed-up buffer does not allocate.
class Writer {
 public:
  Writer(std::string* out, size_t capacity) : out_(out) {
    out_->resize(capacity);
    p_ = reinterpret_cast<uint8_t*>(out_->data());
    begin_ = p_;
  }
  // Starts the output with the unchanged prefix in[0, n).
  void Copy(const uint8_t* src, size_t n) {
    if (n != 0) std::memcpy(p_, src, n);
    p_ += n;
  }
  void Put(uint8_t c) { *p_++ = c; }
  // Stores all eight bytes of `word` but advances by `keep` (<= 8); the caller guarantees room
  // for eight bytes (decoders: output position <= input position, input has eight left).
  void PutWord(uint64_t word, size_t keep) {
    Store8(p_, word);
    p_ += keep;
  }
  size_t size() const { return static_cast<size_t>(p_ - begin_); }
  void Unput() { --p_; }
  uint8_t Last() const { return p_[-1]; }
  void Finish() { out_->resize(size()); }

 private:
  std::string* out_;
  uint8_t* begin_;
  uint8_t* p_;
};

}  // namespace gs::transforms::internal
