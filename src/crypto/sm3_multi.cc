// Eight-lane SM3 (GB/T 32905-2016) with AVX2; see sm3_multi.h.
#include "crypto/sm3_multi.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace gs::crypto {
namespace {

constexpr size_t kLanes = 8;
constexpr size_t kBlock = 64;
constexpr uint32_t kIv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                             0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

// One message in a lane: its full blocks straight from the caller's buffer, then one or two
// padded tail blocks (rest || 0x80 || zeros || 64-bit big-endian bit length).
struct Lane {
  const uint8_t* data = nullptr;
  size_t full_blocks = 0, total_blocks = 0;
  alignas(32) uint8_t tail[2 * kBlock];

  void Init(std::string_view m) {
    data = reinterpret_cast<const uint8_t*>(m.data());
    full_blocks = m.size() / kBlock;
    size_t rest = m.size() % kBlock;
    size_t tail_blocks = rest + 1 + 8 <= kBlock ? 1 : 2;
    total_blocks = full_blocks + tail_blocks;
    std::memset(tail, 0, sizeof tail);
    std::memcpy(tail, data + full_blocks * kBlock, rest);
    tail[rest] = 0x80;
    uint64_t bits = uint64_t(m.size()) * 8;
    uint8_t* len = tail + tail_blocks * kBlock - 8;
    for (int i = 0; i < 8; ++i) len[i] = uint8_t(bits >> (56 - 8 * i));
  }
  const uint8_t* Block(size_t b) const {
    return b < full_blocks ? data + b * kBlock : tail + (b - full_blocks) * kBlock;
  }
};

__attribute__((target("avx2"))) inline __m256i Rotl(__m256i x, int n) {
  return _mm256_or_si256(_mm256_slli_epi32(x, n), _mm256_srli_epi32(x, 32 - n));
}
__attribute__((target("avx2"))) inline __m256i Xor3(__m256i a, __m256i b, __m256i c) {
  return _mm256_xor_si256(a, _mm256_xor_si256(b, c));
}
__attribute__((target("avx2"))) inline __m256i P0(__m256i x) {
  return Xor3(x, Rotl(x, 9), Rotl(x, 17));
}
__attribute__((target("avx2"))) inline __m256i P1(__m256i x) {
  return Xor3(x, Rotl(x, 15), Rotl(x, 23));
}

// rotl(T_j, j mod 32) of the standard.
struct RoundConstants {
  uint32_t t[64];
  constexpr RoundConstants() : t() {
    for (int j = 0; j < 64; ++j) {
      uint32_t x = j < 16 ? 0x79cc4519u : 0x7a879d8au;
      int r = j % 32;
      t[j] = r == 0 ? x : (x << r) | (x >> (32 - r));
    }
  }
};
constexpr RoundConstants kT;

// Words [off/4, off/4 + 8) of the blocks p[0..7], big-endian, transposed: out[k] holds word
// off/4 + k of every lane.
__attribute__((target("avx2"))) inline void Load8x8(const uint8_t* const* p, int off, __m256i bswap,
                                                    __m256i* out) {
  __m256i r[8];
  for (int l = 0; l < 8; ++l)
    r[l] = _mm256_shuffle_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p[l] + off)),
                               bswap);
  __m256i t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_epi32(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_epi32(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
    u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
    u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
    u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
  }
  for (int k = 0; k < 4; ++k) {
    out[k] = _mm256_permute2x128_si256(u[k], u[k + 4], 0x20);
    out[k + 4] = _mm256_permute2x128_si256(u[k], u[k + 4], 0x31);
  }
}

// One compression round j on state s = {A..H}.
template <bool kFirst16>
__attribute__((target("avx2"), always_inline)) inline void Round(__m256i* s, const __m256i* w,
                                                                 int j) {
  __m256i a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  __m256i a12 = Rotl(a, 12);
  __m256i ss1 =
      Rotl(_mm256_add_epi32(_mm256_add_epi32(a12, e), _mm256_set1_epi32(int(kT.t[j]))), 7);
  __m256i ss2 = _mm256_xor_si256(ss1, a12);
  __m256i ff, gg;
  if constexpr (kFirst16) {
    ff = Xor3(a, b, c);
    gg = Xor3(e, f, g);
  } else {
    ff = _mm256_or_si256(_mm256_and_si256(a, _mm256_or_si256(b, c)), _mm256_and_si256(b, c));
    gg = _mm256_or_si256(_mm256_and_si256(e, f), _mm256_andnot_si256(e, g));
  }
  __m256i tt1 = _mm256_add_epi32(_mm256_add_epi32(ff, d),
                                 _mm256_add_epi32(ss2, _mm256_xor_si256(w[j], w[j + 4])));
  __m256i tt2 = _mm256_add_epi32(_mm256_add_epi32(gg, h), _mm256_add_epi32(ss1, w[j]));
  s[3] = c;
  s[2] = Rotl(b, 9);
  s[1] = a;
  s[0] = tt1;
  s[7] = g;
  s[6] = Rotl(f, 19);
  s[5] = e;
  s[4] = P0(tt2);
}

// Hashes n <= 8 messages in lock step; lanes past their last block run on a dummy block and
// their state is taken right after their last block.
__attribute__((target("avx2"))) void Sm3x8(const std::string_view* msgs, size_t n, Digest* out) {
  Lane lanes[kLanes];
  size_t max_blocks = 0;
  for (size_t i = 0; i < n; ++i) {
    lanes[i].Init(msgs[i]);
    max_blocks = std::max(max_blocks, lanes[i].total_blocks);
  }
  static const uint8_t kZero[kBlock] = {};
  __m256i v[8];
  for (int k = 0; k < 8; ++k) v[k] = _mm256_set1_epi32(int(kIv[k]));
  const __m256i bswap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2,
                                         1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  const uint8_t* p[kLanes];
  __m256i w[68];
  for (size_t b = 0; b < max_blocks; ++b) {
    for (size_t l = 0; l < kLanes; ++l)
      p[l] = l < n && b < lanes[l].total_blocks ? lanes[l].Block(b) : kZero;
    for (int half = 0; half < 2; ++half) Load8x8(p, half * 32, bswap, w + half * 8);
    for (int k = 16; k < 68; ++k)
      w[k] = _mm256_xor_si256(
          _mm256_xor_si256(P1(Xor3(w[k - 16], w[k - 9], Rotl(w[k - 3], 15))), Rotl(w[k - 13], 7)),
          w[k - 6]);
    __m256i st[8] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
    for (int j = 0; j < 16; ++j) Round<true>(st, w, j);
    for (int j = 16; j < 64; ++j) Round<false>(st, w, j);
    for (int k = 0; k < 8; ++k) v[k] = _mm256_xor_si256(v[k], st[k]);
    for (size_t l = 0; l < n; ++l) {
      if (lanes[l].total_blocks != b + 1) continue;
      alignas(32) uint32_t state[8][kLanes];
      for (int k = 0; k < 8; ++k) _mm256_store_si256(reinterpret_cast<__m256i*>(state[k]), v[k]);
      for (int k = 0; k < 8; ++k)
        for (int i = 0; i < 4; ++i) out[l][4 * k + i] = uint8_t(state[k][l] >> (24 - 8 * i));
    }
  }
}

bool HaveAvx2() {
  static const bool have = __builtin_cpu_supports("avx2");
  return have;
}

}  // namespace

void Sm3Many(const std::string_view* msgs, size_t n, Digest* out) {
  if (!HaveAvx2()) {
    for (size_t i = 0; i < n; ++i) out[i] = Sm3(msgs[i]);
    return;
  }
  // A pass costs the same for one message as for eight: two or fewer go one at a time.
  for (size_t i = 0; i < n; i += kLanes) {
    size_t m = std::min(kLanes, n - i);
    if (m > 2) {
      Sm3x8(msgs + i, m, out + i);
    } else {
      for (size_t k = i; k < i + m; ++k) out[k] = Sm3(msgs[k]);
    }
  }
}

}  // namespace gs::crypto
