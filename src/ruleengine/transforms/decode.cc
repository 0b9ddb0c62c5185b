// Decoding transformations: URL (%xx, %uXXXX, '+'), HTML entities, JavaScript, CSS and C escape
// sequences, hex, SQL hex literals, Base64 (strict and forgiving) and utf8toUnicode.
//
// Each one first scans for the byte that starts an escape; input without one is returned as
// unchanged without touching the output buffer. Decoders never read past the input: where
// ModSecurity relies on the NUL after std::string's data, the missing byte is treated as 0.
#include <cstring>

#include "ruleengine/transforms/internal.h"
#include "ruleengine/transforms/transforms.h"

namespace gs::transforms {

using internal::Bytes;
using internal::HexPair;
using internal::IsAlnum;
using internal::IsDigit;
using internal::IsHex;
using internal::IsOctal;
using internal::IsSpace;
using internal::Writer;

namespace {

size_t FindByte(std::string_view in, char c) {
  if (in.empty()) return 0;  // memchr(nullptr, ...) is undefined even for size 0
  const void* p = std::memchr(in.data(), c, in.size());
  return p ? static_cast<size_t>(static_cast<const char*>(p) - in.data()) : in.size();
}

// First position of a or b; two memchr passes (vectorised in libc) beat a byte loop on the
// common input that contains neither.
size_t FindEither(std::string_view in, char a, char b) {
  const size_t first_a = FindByte(in, a);
  return FindByte(in.substr(0, first_a), b);
}

bool IsF(uint8_t c) { return c == 'f' || c == 'F'; }

// Copies in[i, next occurrence of `c`) to w and returns the new position.
size_t CopyUntil(std::string_view in, size_t i, char c, Writer* w) {
  const size_t next = i + FindByte(in.substr(i), c);
  w->Copy(Bytes(in) + i, next - i);
  return next;
}

// Full-width ASCII U+FF01..U+FF5E: ModSecurity keeps the low byte and adds 0x20, turning it into
// the ASCII character it looks like. `hi` points at the two high hex digits.
uint8_t FullWidthAdjust(uint8_t low, const uint8_t* hi) {
  if (low > 0x00 && low < 0x5f && IsF(hi[0]) && IsF(hi[1])) return low + 0x20;
  return low;
}

// strtol() over a run of digits, narrowed to a byte the way ModSecurity narrows it: values that
// overflow a long saturate to LONG_MAX, whose low byte is 0xFF.
uint8_t ParseNumberByte(const uint8_t* p, size_t n, unsigned base) {
  constexpr uint64_t kLongMax = 0x7fffffffffffffffULL;
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t d = internal::LooseDigit(p[i]);
    if (v > (kLongMax - d) / base) return 0xff;
    v = v * base + d;
  }
  return static_cast<uint8_t>(v);
}

// Up to three octal digits starting at s[at] (s[at] is known to be one); `*len` gets how many.
// This is the common loop of jsDecode and escapeSeqDecode.
unsigned ReadOctal(const uint8_t* s, size_t n, size_t at, size_t* len) {
  size_t j = 0;
  while (at + j < n && j < 3) {
    ++j;
    if (!(at + j < n && IsOctal(s[at + j]))) break;
  }
  *len = j;
  unsigned v = 0;
  for (size_t k = 0; k < j; ++k) v = v * 8 + (s[at + k] - '0');
  return v;
}

int NamedEntity(const uint8_t* p, size_t n) {
  auto eq = [&](const char* name) {
    size_t len = std::strlen(name);
    if (len != n) return false;
    for (size_t i = 0; i < n; ++i) {
      if (internal::ToLower(p[i]) != static_cast<uint8_t>(name[i])) return false;
    }
    return true;
  };
  if (eq("quot")) return '"';
  if (eq("amp")) return '&';
  if (eq("lt")) return '<';
  if (eq("gt")) return '>';
  if (eq("nbsp")) return 0xa0;
  return -1;
}

// Shared by urlDecode (uni == false) and urlDecodeUni.
bool UrlDecodeImpl(std::string_view in, std::string* out, const TransformContext* ctx, bool uni) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindEither(in, '%', '+');
  if (i == n) return false;
  const UnicodeMap* map = (uni && ctx) ? ctx->unicode_map : nullptr;
  Writer w(out, n);
  w.Copy(s, i);
  bool changed = false;
  while (i < n) {
    const uint8_t c = s[i];
    if (c == '%') {
      if (uni && i + 1 < n && (s[i + 1] == 'u' || s[i + 1] == 'U')) {
        // IIS-style %uXXXX.
        if (i + 5 < n && IsHex(s[i + 2]) && IsHex(s[i + 3]) && IsHex(s[i + 4]) && IsHex(s[i + 5])) {
          int mapped = -1;
          if (map != nullptr) {
            uint32_t code = (internal::LooseDigit(s[i + 2]) << 12) |
                            (internal::LooseDigit(s[i + 3]) << 8) |
                            (internal::LooseDigit(s[i + 4]) << 4) | internal::LooseDigit(s[i + 5]);
            mapped = map->Lookup(code);
          }
          w.Put(mapped != -1 ? static_cast<uint8_t>(mapped)
                             : FullWidthAdjust(HexPair(s + i + 4), s + i + 2));
          i += 6;
          changed = true;
        } else {
          w.Put(s[i]);
          w.Put(s[i + 1]);
          i += 2;
        }
      } else if (i + 2 < n && IsHex(s[i + 1]) && IsHex(s[i + 2])) {
        w.Put(HexPair(s + i + 1));
        i += 3;
        changed = true;
      } else {
        w.Put(c);
        ++i;
      }
    } else if (c == '+') {
      w.Put(' ');
      ++i;
      changed = true;
    } else {
      w.Put(c);
      ++i;
      // Copy the following ordinary bytes eight at a time up to the next '%' or '+'.
      while (i + 8 <= n) {
        const uint64_t x = internal::Load8(s + i);
        const uint64_t special = internal::ZeroByteMask(x ^ (internal::kOnes * '%')) |
                                 internal::ZeroByteMask(x ^ (internal::kOnes * '+'));
        const size_t k = special == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(special)) / 8;
        w.PutWord(x, k);
        i += k;
        if (k < 8) break;
      }
    }
  }
  if (!changed) return false;
  w.Finish();
  return true;
}

// Base64 alphabet values; 64 marks '=', 127 anything else (the table of mbedtls, which
// ModSecurity's base64Decode uses).
constexpr std::array<uint8_t, 256> MakeStrictTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 127;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = c - 'A';
  for (int c = 'a'; c <= 'z'; ++c) t[c] = c - 'a' + 26;
  for (int c = '0'; c <= '9'; ++c) t[c] = c - '0' + 52;
  t['+'] = 62;
  t['/'] = 63;
  t['='] = 64;
  return t;
}
constexpr std::array<uint8_t, 256> kStrictB64 = MakeStrictTable();

// Forgiving table: -1 for skipped whitespace (\t \n \r space), -2 for other non-alphabet bytes.
constexpr std::array<int8_t, 256> MakeForgivingTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -2;
  t['\t'] = t['\n'] = t['\r'] = t[' '] = -1;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<int8_t>(c - 'A');
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<int8_t>(c - 'a' + 26);
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0' + 52);
  t['+'] = 62;
  t['/'] = 63;
  return t;
}
constexpr std::array<int8_t, 256> kForgivingB64 = MakeForgivingTable();

bool FinishCompared(std::string_view in, std::string* out) { return std::string_view(*out) != in; }

void PutUnicodeEscape(Writer* w, uint32_t d) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint8_t digits[8];
  int len = 0;
  do {
    digits[len++] = kHex[d & 0xf];
    d >>= 4;
  } while (d != 0);
  w->Put('%');
  w->Put('u');
  for (int pad = len; pad < 4; ++pad) w->Put('0');
  while (len > 0) w->Put(digits[--len]);
}

}  // namespace

bool UrlDecode(std::string_view in, std::string* out, const TransformContext* ctx) {
  return UrlDecodeImpl(in, out, ctx, /*uni=*/false);
}

// With a SecUnicodeMapFile table, %uXXXX maps through it; code points the table lacks (and all
// of them without a table) decode to their low byte, full-width ASCII shifted down to ASCII.
bool UrlDecodeUni(std::string_view in, std::string* out, const TransformContext* ctx) {
  return UrlDecodeImpl(in, out, ctx, /*uni=*/true);
}

// Decodes &#DDD; &#xHH; and the five named entities ModSecurity knows (quot amp lt gt nbsp,
// case-insensitive); the ';' is optional. Numeric values keep only their low byte.
bool HtmlEntityDecode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindByte(in, '&');
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  bool changed = false;
  auto skip_semicolon = [&](size_t j) { return (j < n && s[j] == ';') ? j + 1 : j; };
  while (i < n) {
    size_t copy = 1;  // bytes to pass through when no entity is decoded here
    if (s[i] == '&' && i + 1 < n) {
      size_t j = i + 1;
      if (s[j] == '#') {
        ++copy;
        if (j + 1 < n) {
          ++j;
          const bool hex = s[j] == 'x' || s[j] == 'X';
          if (hex) ++copy;
          if (!hex || j + 1 < n) {
            if (hex) ++j;
            const size_t k = j;
            while (j < n && (hex ? IsHex(s[j]) : IsDigit(s[j]))) ++j;
            if (j > k) {
              w.Put(ParseNumberByte(s + k, j - k, hex ? 16 : 10));
              i = skip_semicolon(j);
              changed = true;
              continue;
            }
          }
        }
      } else {
        const size_t k = j;
        while (j < n && IsAlnum(s[j])) ++j;
        if (j > k) {
          const int c = NamedEntity(s + k, j - k);
          if (c >= 0) {
            w.Put(static_cast<uint8_t>(c));
            i = skip_semicolon(j);
            changed = true;
            continue;
          }
          copy = j - k + 1;
        }
      }
    }
    if (s[i] != '&') {
      i = CopyUntil(in, i, '&', &w);
      continue;
    }
    for (size_t z = 0; z < copy && i < n; ++z) w.Put(s[i++]);
  }
  if (!changed) return false;
  w.Finish();
  return true;
}

// JavaScript escapes: \uHHHH (low byte, full-width ASCII adjusted), \xHH, \OOO (at most one
// byte: a fourth-digit-making value above \377 stops after two digits), \a \b \f \n \r \t \v,
// and \C -> C for any other C. A lone trailing backslash stays.
bool JsDecode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindByte(in, '\\');
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  bool changed = false;
  while (i < n) {
    if (s[i] != '\\') {
      i = CopyUntil(in, i, '\\', &w);
      continue;
    }
    if (i + 5 < n && s[i + 1] == 'u' && IsHex(s[i + 2]) && IsHex(s[i + 3]) && IsHex(s[i + 4]) &&
        IsHex(s[i + 5])) {
      w.Put(FullWidthAdjust(HexPair(s + i + 4), s + i + 2));
      i += 6;
    } else if (i + 3 < n && s[i + 1] == 'x' && IsHex(s[i + 2]) && IsHex(s[i + 3])) {
      w.Put(HexPair(s + i + 2));
      i += 4;
    } else if (i + 1 < n && IsOctal(s[i + 1])) {
      size_t len;
      ReadOctal(s, n, i + 1, &len);
      if (len == 3 && s[i + 1] > '3') len = 2;
      unsigned v = 0;
      for (size_t k = 0; k < len; ++k) v = v * 8 + (s[i + 1 + k] - '0');
      w.Put(static_cast<uint8_t>(v));
      i += 1 + len;
    } else if (i + 1 < n) {
      uint8_t c = s[i + 1];
      switch (c) {
        case 'a':
          c = '\a';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        case 'v':
          c = '\v';
          break;
        default:
          break;
      }
      w.Put(c);
      i += 2;
    } else {
      w.Put(s[i++]);  // trailing backslash
      continue;
    }
    changed = true;
  }
  if (!changed) return false;
  w.Finish();
  return true;
}

// CSS 2 escapes: a backslash and 1-6 hex digits (the last two give the byte; 4-digit values and
// 5-6 digit values with leading zeros get the full-width check), one whitespace after a hex
// escape is swallowed, backslash-newline is a continuation, backslash-C gives C, a trailing
// backslash is dropped. NUL bytes are kept (libmodsecurity 3.0.9 cut the value at the first one).
bool CssDecode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindByte(in, '\\');
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  while (i < n) {
    if (s[i] != '\\') {
      i = CopyUntil(in, i, '\\', &w);
      continue;
    }
    if (i + 1 >= n) {
      ++i;  // continuation to nothing
      continue;
    }
    ++i;
    size_t j = 0;
    while (j < 6 && i + j < n && IsHex(s[i + j])) ++j;
    if (j > 0) {
      uint8_t b;
      bool full_check = false;
      if (j == 1) {
        b = internal::LooseDigit(s[i]);
      } else {
        b = HexPair(s + i + j - 2);
        if (j == 4) full_check = true;
        if (j == 5) full_check = s[i] == '0';
        if (j == 6) full_check = s[i] == '0' && s[i + 1] == '0';
      }
      if (full_check) b = FullWidthAdjust(b, s + i + j - 4);
      w.Put(b);
      if (i + j < n && IsSpace(s[i + j])) ++j;
      i += j;
    } else if (s[i] == '\n') {
      ++i;
    } else {
      w.Put(s[i++]);
    }
  }
  // Every escape removes at least the backslash, so output and input differ.
  w.Finish();
  return true;
}

// ANSI C escapes: \a \b \f \n \r \t \v \\ \? \' \", \xHH, \O to \OOO (low byte kept). An
// unrecognised or malformed escape drops the backslash (\xZZ -> xZZ).
bool EscapeSeqDecode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindByte(in, '\\');
  if (i + 1 >= n) return false;  // none, or only a trailing backslash
  Writer w(out, n);
  w.Copy(s, i);
  bool changed = false;
  while (i < n) {
    if (s[i] != '\\') {
      i = CopyUntil(in, i, '\\', &w);
      continue;
    }
    if (i + 1 >= n) {
      w.Put(s[i++]);  // trailing backslash
      continue;
    }
    int c = -1;
    switch (s[i + 1]) {
      case 'a':
        c = '\a';
        break;
      case 'b':
        c = '\b';
        break;
      case 'f':
        c = '\f';
        break;
      case 'n':
        c = '\n';
        break;
      case 'r':
        c = '\r';
        break;
      case 't':
        c = '\t';
        break;
      case 'v':
        c = '\v';
        break;
      case '\\':
        c = '\\';
        break;
      case '?':
        c = '?';
        break;
      case '\'':
        c = '\'';
        break;
      case '"':
        c = '"';
        break;
      default:
        break;
    }
    if (c != -1) {
      i += 2;
    } else if (s[i + 1] == 'x' || s[i + 1] == 'X') {
      if (i + 3 < n && IsHex(s[i + 2]) && IsHex(s[i + 3])) {
        c = HexPair(s + i + 2);
        i += 4;
      }
    } else if (IsOctal(s[i + 1])) {
      size_t len;
      c = static_cast<int>(ReadOctal(s, n, i + 1, &len));
      i += 1 + len;
    }
    if (c == -1) {
      w.Put(s[i + 1]);
      i += 2;
    } else {
      w.Put(static_cast<uint8_t>(c));
    }
    changed = true;
  }
  if (!changed) return false;
  w.Finish();
  return true;
}

// Pairs of hex digits -> bytes. As in ModSecurity, pairs are not validated (non-hex digits give
// arithmetic garbage rather than an error) and an odd last digit is dropped.
bool HexDecode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  if (n == 0) return false;
  Writer w(out, n / 2);
  for (size_t i = 0; i + 1 < n; i += 2) w.Put(HexPair(s + i));
  w.Finish();
  return true;
}

// 0xHHHH... (MySQL hex literals): each run of hex pairs after "0x" becomes bytes. As in later
// ModSecurity releases; 3.0.9 lost the last byte of most values and stopped at NUL.
bool SqlHexDecode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindByte(in, '0');
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  bool changed = false;
  while (i < n) {
    if (i + 3 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && IsHex(s[i + 2]) &&
        IsHex(s[i + 3])) {
      i += 2;
      while (i + 1 < n && IsHex(s[i]) && IsHex(s[i + 1])) {
        w.Put(HexPair(s + i));
        i += 2;
      }
      changed = true;
    } else {
      w.Put(s[i++]);
    }
  }
  if (!changed) return false;
  w.Finish();
  return true;
}

// Strict RFC 4648 decoding as ModSecurity does it (through mbedtls): the input ends at its first
// NUL; line breaks and spaces at line ends are allowed; any other invalid byte, a space inside a
// line, more than two '=' or data after '=' make the whole result empty; a final incomplete
// quantum is dropped.
bool Base64Decode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t len = FindByte(in, '\0');
  size_t symbols = 0;
  size_t equals = 0;
  bool valid = true;
  for (size_t i = 0; i < len; ++i) {
    size_t spaces = 0;
    while (i < len && s[i] == ' ') {
      ++i;
      ++spaces;
    }
    if (i == len) break;
    if (len - i >= 2 && s[i] == '\r' && s[i + 1] == '\n') continue;
    if (s[i] == '\n') continue;
    const uint8_t v = kStrictB64[s[i]];
    if (spaces != 0 || (s[i] == '=' && ++equals > 2) || v == 127 || (v < 64 && equals != 0)) {
      valid = false;
      break;
    }
    ++symbols;
  }
  out->clear();
  if (valid && symbols != 0) {
    Writer w(out, (symbols * 3) / 4 + 3);
    int keep = 3;
    uint32_t x = 0;
    int digits = 0;
    for (size_t i = 0; i < len; ++i) {
      const uint8_t c = s[i];
      if (c == '\r' || c == '\n' || c == ' ') continue;
      keep -= kStrictB64[c] == 64;
      x = (x << 6) | (kStrictB64[c] & 0x3f);
      if (++digits == 4) {
        digits = 0;
        if (keep > 0) w.Put(static_cast<uint8_t>(x >> 16));
        if (keep > 1) w.Put(static_cast<uint8_t>(x >> 8));
        if (keep > 2) w.Put(static_cast<uint8_t>(x));
      }
    }
    w.Finish();
  }
  return FinishCompared(in, out);
}

// Forgiving decoding (ModSecurity's base64DecodeExt): bytes outside the alphabet are skipped,
// a partial last quantum yields its complete bytes. Kept quirk: a lone symbol in the last
// quantum followed by '=' (or ending in '9', whose table value equals '=' in ModSecurity's
// code) makes the result empty.
bool Base64DecodeExt(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  Writer w(out, (n * 3) / 4 + 3);
  size_t count = 0;  // symbols consumed
  int last = 0;
  uint8_t cur = 0;
  bool empty = false;
  for (size_t p = 0; p < n && !empty; ++p) {
    const uint8_t c = s[p];
    if (c == '=') {
      last = '=';
      const uint8_t next = p + 1 < n ? s[p + 1] : 0;
      if (next != '=' && count % 4 == 1) empty = true;
      continue;
    }
    const int v = kForgivingB64[c];
    last = v;
    if (v < 0) continue;
    switch (count % 4) {
      case 0:
        cur = static_cast<uint8_t>(v << 2);
        break;
      case 1:
        w.Put(cur | static_cast<uint8_t>(v >> 4));
        cur = static_cast<uint8_t>((v & 0x0f) << 4);
        break;
      case 2:
        w.Put(cur | static_cast<uint8_t>(v >> 2));
        cur = static_cast<uint8_t>((v & 0x03) << 6);
        break;
      default:
        w.Put(cur | static_cast<uint8_t>(v));
        break;
    }
    ++count;
  }
  if (last == '=' && count % 4 == 1) empty = true;
  if (empty) {
    out->clear();
  } else {
    w.Finish();
  }
  return FinishCompared(in, out);
}

// Multi-byte UTF-8 sequences become %uXXXX (lowercase hex, at least four digits). As in
// ModSecurity: bytes of a malformed or truncated sequence's lead are dropped (its continuation
// bytes pass through), overlong forms and surrogates are encoded and then followed by their raw
// lead byte, leads F5..F7 are also copied raw, NUL bytes are dropped, other bytes pass through.
bool Utf8ToUnicode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = 0;
  // Plain ASCII (no NUL) is unchanged; skip it eight bytes at a time.
  while (i + 8 <= n) {
    const uint64_t x = internal::Load8(s + i);
    if (((x & internal::kHighBits) | internal::ZeroByteMask(x)) != 0) break;
    i += 8;
  }
  while (i < n && s[i] != 0 && s[i] < 0x80) ++i;
  if (i == n) return false;
  // Worst case per input byte: a 2-byte sequence -> "%u0XXX" + lead = 7 bytes for 2.
  Writer w(out, n * 4 + 8);
  w.Copy(s, i);
  bool changed = false;
  auto cont = [&](size_t k) { return k < n && (s[k] & 0xC0) == 0x80; };
  while (i < n) {
    const uint8_t c = s[i];
    int seq = 0;  // length of a valid sequence, 0 if none
    uint32_t d = 0;
    if (c < 0x80) {
      if (c == 0) {
        changed = true;
      } else {
        w.Put(c);
      }
    } else if ((c & 0xE0) == 0xC0) {
      if (cont(i + 1)) {
        seq = 2;
        d = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      }
      changed = true;
    } else if ((c & 0xF0) == 0xE0) {
      if (cont(i + 1) && cont(i + 2)) {
        seq = 3;
        d = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      }
      changed = true;
    } else if ((c & 0xF8) == 0xF0) {
      if (c >= 0xF5) w.Put(c);
      if (cont(i + 1) && cont(i + 2) && cont(i + 3)) {
        seq = 4;
        d = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
            (s[i + 3] & 0x3Fu);
        changed = true;
      } else if (c < 0xF5) {
        changed = true;  // lead dropped
      }
    } else {
      w.Put(c);
    }
    if (seq > 0) {
      PutUnicodeEscape(&w, d);
      if (d >= 0xD800 && d <= 0xDFFF) w.Put(c);
      if ((seq == 4 && d < 0x10000) || (seq == 3 && d < 0x800) || (seq == 2 && d < 0x80)) {
        w.Put(c);
      }
      i += seq;
    } else {
      ++i;
    }
  }
  if (!changed) return false;
  w.Finish();
  return true;
}

}  // namespace gs::transforms
