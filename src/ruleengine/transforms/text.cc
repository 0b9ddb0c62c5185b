// Text-normalising transformations (case, whitespace, NULs, comments, cmdLine, parity,
// phpArgsNames) and the encoders and digests (urlEncode, hexEncode, base64Encode, length, md5,
// sha1).
//
// The normalisers first look for a byte they would change and return "unchanged" without
// touching the output when there is none, which is the common case for most request values.
#include <cstring>

#include "crypto/crypto.h"
#include "ruleengine/transforms/internal.h"
#include "ruleengine/transforms/transforms.h"

namespace gs::transforms {

using internal::Bytes;
using internal::IsSpace;
using internal::Writer;

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr uint8_t kNbsp = 0xa0;

bool Differs(std::string_view in, const std::string& out) { return std::string_view(out) != in; }

template <typename Pred>
size_t FindIf(const uint8_t* s, size_t n, Pred pred) {
  size_t i = 0;
  while (i < n && !pred(s[i])) ++i;
  return i;
}

// Applies a byte-to-byte mapping; `needs(c)` says whether c changes.
template <typename Needs, typename Map>
bool MapBytes(std::string_view in, std::string* out, Needs needs, Map map) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindIf(s, n, needs);
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  for (; i < n; ++i) w.Put(map(s[i]));
  w.Finish();
  return true;
}

// Drops bytes for which `drop(c)` holds.
template <typename Drop>
bool DropBytes(std::string_view in, std::string* out, Drop drop) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = FindIf(s, n, drop);
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  for (; i < n; ++i) {
    if (!drop(s[i])) w.Put(s[i]);
  }
  w.Finish();
  return true;
}

// Parity of all eight bits of c. ModSecurity computes the parity bit over the whole byte,
// including bit 7, before replacing bit 7; kept for identical results on 8-bit input.
bool OddParity(uint8_t c) {
  c ^= c >> 4;
  return (0x6996 >> (c & 0xf)) & 1;
}

bool TrimImpl(std::string_view in, std::string* out, bool left, bool right) {
  const uint8_t* s = Bytes(in);
  size_t b = 0;
  size_t e = in.size();
  if (left) {
    while (b < e && IsSpace(s[b])) ++b;
  }
  if (right) {
    while (e > b && IsSpace(s[e - 1])) --e;
  }
  if (b == 0 && e == in.size()) return false;
  out->assign(in.data() + b, e - b);
  return true;
}

// ASCII case mapping, eight bytes per step: it runs in almost every CRS chain.
bool FlipCase(std::string_view in, std::string* out, uint8_t lo, uint8_t hi) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = 0;
  while (i + 8 <= n && internal::InRangeMask(internal::Load8(s + i), lo, hi) == 0) i += 8;
  while (i < n && !(s[i] >= lo && s[i] <= hi)) ++i;
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, n);
  uint8_t* d = reinterpret_cast<uint8_t*>(out->data());
  // 0x80 >> 2 == 0x20, the ASCII case bit.
  for (; i + 8 <= n; i += 8) {
    const uint64_t x = internal::Load8(s + i);
    internal::Store8(d + i, x ^ (internal::InRangeMask(x, lo, hi) >> 2));
  }
  for (; i < n; ++i) d[i] = (s[i] >= lo && s[i] <= hi) ? s[i] ^ 0x20 : s[i];
  return true;
}

size_t FindNul(std::string_view in) {
  if (in.empty()) return 0;  // memchr(nullptr, ..., 0) is undefined
  const void* p = std::memchr(in.data(), '\0', in.size());
  return p ? static_cast<size_t>(static_cast<const char*>(p) - in.data()) : in.size();
}

}  // namespace

bool None(std::string_view, std::string*, const TransformContext*) { return false; }

bool Lowercase(std::string_view in, std::string* out, const TransformContext*) {
  return FlipCase(in, out, 'A', 'Z');
}

bool Uppercase(std::string_view in, std::string* out, const TransformContext*) {
  return FlipCase(in, out, 'a', 'z');
}

bool RemoveNulls(std::string_view in, std::string* out, const TransformContext*) {
  size_t i = FindNul(in);
  if (i == in.size()) return false;
  out->assign(in.data(), i);
  while (i < in.size()) {
    const size_t next = i + 1 + FindNul(in.substr(i + 1));
    out->append(in.data() + i + 1, next - i - 1);
    i = next;
  }
  return true;
}

bool ReplaceNulls(std::string_view in, std::string* out, const TransformContext*) {
  size_t i = FindNul(in);
  if (i == in.size()) return false;
  out->assign(in.data(), in.size());
  for (; i < in.size(); i += 1 + FindNul(in.substr(i + 1))) (*out)[i] = ' ';
  return true;
}

// Removes C whitespace and NBSP. Like ModSecurity it also removes every 0xC2 byte (meant as the
// lead of UTF-8 NBSP, it hits all of U+0080..U+00BF).
bool RemoveWhitespace(std::string_view in, std::string* out, const TransformContext*) {
  return DropBytes(in, out, [](uint8_t c) { return IsSpace(c) || c == kNbsp || c == 0xc2; });
}

// Runs of C whitespace become one space. (ModSecurity 2 also compressed NBSP; v3 does not.)
bool CompressWhitespace(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  auto ws = [](uint8_t c) { return IsSpace(c); };
  // Unchanged unless some whitespace byte is not a plain space or two whitespace bytes touch.
  size_t i = 0;
  for (; i < n; ++i) {
    if (ws(s[i]) && (s[i] != ' ' || (i + 1 < n && ws(s[i + 1])))) break;
  }
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  bool in_space = false;
  for (; i < n; ++i) {
    if (ws(s[i])) {
      if (!in_space) w.Put(' ');
      in_space = true;
    } else {
      w.Put(s[i]);
      in_space = false;
    }
  }
  w.Finish();
  return true;
}

bool Trim(std::string_view in, std::string* out, const TransformContext*) {
  return TrimImpl(in, out, true, true);
}
bool TrimLeft(std::string_view in, std::string* out, const TransformContext*) {
  return TrimImpl(in, out, true, false);
}
bool TrimRight(std::string_view in, std::string* out, const TransformContext*) {
  return TrimImpl(in, out, false, true);
}

// Windows/Unix command-line evasion normaliser: drops " ' \ ^, turns runs of space , ; \t \r \n
// into one space, removes that space before '/' or '(', lower-cases the rest.
bool CmdLine(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  auto special = [](uint8_t c) {
    switch (c) {
      case '"':
      case '\'':
      case '\\':
      case '^':
      case ',':
      case ';':
      case '\t':
      case '\r':
      case '\n':
      case '/':
      case '(':
      case ' ':
        return true;
      default:
        return internal::IsUpper(c);
    }
  };
  if (FindIf(s, n, special) == n) return false;
  Writer w(out, n);
  bool space = false;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t c = s[i];
    switch (c) {
      case '"':
      case '\'':
      case '\\':
      case '^':
        break;
      case ' ':
      case ',':
      case ';':
      case '\t':
      case '\r':
      case '\n':
        if (!space) w.Put(' ');
        space = true;
        break;
      case '/':
      case '(':
        if (space) w.Unput();
        space = false;
        w.Put(c);
        break;
      default:
        w.Put(internal::ToLower(c));
        space = false;
        break;
    }
  }
  w.Finish();
  return Differs(in, *out);
}

bool ParityEven7bit(std::string_view in, std::string* out, const TransformContext*) {
  auto map = [](uint8_t c) -> uint8_t { return OddParity(c) ? (c | 0x80) : (c & 0x7f); };
  return MapBytes(
      in, out, [&](uint8_t c) { return map(c) != c; }, map);
}

bool ParityOdd7bit(std::string_view in, std::string* out, const TransformContext*) {
  auto map = [](uint8_t c) -> uint8_t { return OddParity(c) ? (c & 0x7f) : (c | 0x80); };
  return MapBytes(
      in, out, [&](uint8_t c) { return map(c) != c; }, map);
}

bool ParityZero7bit(std::string_view in, std::string* out, const TransformContext*) {
  return MapBytes(
      in, out, [](uint8_t c) { return (c & 0x80) != 0; }, [](uint8_t c) { return c & 0x7f; });
}

// Deletes /* ... */ and <!-- ... --> comments (an unterminated one becomes a single space) and
// cuts the value at "--" or "#" (SQL line comments). ModSecurity copies the byte after a
// comment's end without looking at it, and when the comment closes at the very end that byte is
// std::string's terminating NUL; the quirk is kept (the suite expects it).
bool RemoveComments(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = 0;
  for (; i < n; ++i) {
    const uint8_t c = s[i];
    if (c == '#' || ((c == '/' || c == '-' || c == '<') && i + 1 < n)) {
      if (c == '#' || (c == '/' && s[i + 1] == '*') || (c == '-' && s[i + 1] == '-') ||
          (c == '<' && i + 3 < n && s[i + 1] == '!' && s[i + 2] == '-' && s[i + 3] == '-')) {
        break;
      }
    }
  }
  if (i == n) return false;
  Writer w(out, n + 1);
  w.Copy(s, i);
  auto at = [&](size_t k) -> uint8_t { return k < n ? s[k] : 0; };
  bool in_comment = false;
  while (i < n) {
    if (!in_comment) {
      if (s[i] == '/' && at(i + 1) == '*' && i + 1 < n) {
        in_comment = true;
        i += 2;
      } else if (s[i] == '<' && i + 3 < n && s[i + 1] == '!' && s[i + 2] == '-' &&
                 s[i + 3] == '-') {
        in_comment = true;
        i += 4;
      } else if ((s[i] == '-' && i + 1 < n && s[i + 1] == '-') || s[i] == '#') {
        break;
      } else {
        w.Put(s[i++]);
      }
    } else {
      if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
        in_comment = false;
        i += 2;
        w.Put(at(i));
        ++i;
      } else if (s[i] == '-' && i + 2 < n && s[i + 1] == '-' && s[i + 2] == '>') {
        in_comment = false;
        i += 3;
        w.Put(at(i));
        ++i;
      } else {
        ++i;
      }
    }
  }
  if (in_comment) w.Put(' ');
  w.Finish();
  return Differs(in, *out);
}

// Deletes the comment markers themselves (/* */ <!-- --> -- #), keeping the text between them.
bool RemoveCommentsChar(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  // Length of the marker starting at i, or 0.
  auto marker = [&](size_t i) -> size_t {
    const uint8_t c = s[i];
    const bool has1 = i + 1 < n;
    if (c == '/' && has1 && s[i + 1] == '*') return 2;
    if (c == '*' && has1 && s[i + 1] == '/') return 2;
    if (c == '<' && i + 3 < n && s[i + 1] == '!' && s[i + 2] == '-' && s[i + 3] == '-') return 4;
    if (c == '-' && has1 && s[i + 1] == '-') return (i + 2 < n && s[i + 2] == '>') ? 3 : 2;
    if (c == '#') return 1;
    return 0;
  };
  size_t i = 0;
  while (i < n && marker(i) == 0) ++i;
  if (i == n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  while (i < n) {
    const size_t m = marker(i);
    if (m != 0) {
      i += m;
    } else {
      w.Put(s[i++]);
    }
  }
  w.Finish();
  return true;
}

// Each /* ... */ becomes one space; an unterminated one too. A stray */ stays.
bool ReplaceComments(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  size_t i = 0;
  while (i + 1 < n && !(s[i] == '/' && s[i + 1] == '*')) ++i;
  if (i + 1 >= n) return false;
  Writer w(out, n);
  w.Copy(s, i);
  bool in_comment = false;
  while (i < n) {
    if (!in_comment) {
      if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
        in_comment = true;
        i += 2;
      } else {
        w.Put(s[i++]);
      }
    } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
      in_comment = false;
      i += 2;
      w.Put(' ');
    } else {
      ++i;
    }
  }
  if (in_comment) w.Put(' ');
  w.Finish();
  return true;
}

// PHP's mangling of request variable names (php_register_variable_ex): leading spaces dropped,
// ' ' and '.' become '_', the first '[' without a matching ']' becomes '_', and for array names
// the text after the last complete [...] group is cut. A name starting with '[' or '=' becomes
// empty. Searches for ']' stop at a NUL byte, as PHP's strchr does.
bool PhpArgsNames(std::string_view in, std::string* out, const TransformContext*) {
  const size_t n = in.size();
  auto at = [&](size_t k) -> char { return k < n ? in[k] : '\0'; };
  auto find_close = [&](size_t from) -> size_t {
    for (size_t k = from; k < n && in[k] != '\0'; ++k) {
      if (in[k] == ']') return k;
    }
    return std::string_view::npos;
  };
  out->clear();
  if (at(0) == '[' || at(0) == '=') return Differs(in, *out);
  size_t i = 0;
  while (at(i) == ' ') ++i;
  bool is_array = false;
  bool open_bracket = false;
  for (; i < n; ++i) {
    const char c = in[i];
    if (c == '[' && !open_bracket) {
      if (find_close(i) != std::string_view::npos) {
        is_array = true;
        break;
      }
      out->push_back('_');
      open_bracket = true;
    } else if (!open_bracket && (c == ' ' || c == '.')) {
      out->push_back('_');
    } else {
      out->push_back(c);
    }
  }
  while (is_array) {
    const size_t close = find_close(i);
    if (close == std::string_view::npos) break;
    if (close + 1 - i == 3 && at(i + 1) == ' ') {
      out->push_back('[');
      i += 2;
    }
    for (; i <= close; ++i) out->push_back(in[i]);
    if (i >= n || in[i] != '[') break;
  }
  return Differs(in, *out);
}

// Alphanumerics and '*' stay, space becomes '+', everything else %xx (lowercase).
bool UrlEncode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  auto keep = [](uint8_t c) { return internal::IsAlnum(c) || c == '*'; };
  size_t i = FindIf(s, n, [&](uint8_t c) { return !keep(c); });
  if (i == n) return false;
  Writer w(out, n * 3);
  w.Copy(s, i);
  for (; i < n; ++i) {
    const uint8_t c = s[i];
    if (keep(c)) {
      w.Put(c);
    } else if (c == ' ') {
      w.Put('+');
    } else {
      w.Put('%');
      w.Put(kHexDigits[c >> 4]);
      w.Put(kHexDigits[c & 0xf]);
    }
  }
  w.Finish();
  return true;
}

bool HexEncode(std::string_view in, std::string* out, const TransformContext*) {
  const uint8_t* s = Bytes(in);
  Writer w(out, in.size() * 2);
  for (size_t i = 0; i < in.size(); ++i) {
    w.Put(kHexDigits[s[i] >> 4]);
    w.Put(kHexDigits[s[i] & 0xf]);
  }
  w.Finish();
  return !in.empty();
}

bool Base64Encode(std::string_view in, std::string* out, const TransformContext*) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const uint8_t* s = Bytes(in);
  const size_t n = in.size();
  Writer w(out, (n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < n; i += 3) {
    const uint32_t x = (s[i] << 16) | (s[i + 1] << 8) | s[i + 2];
    w.Put(kAlphabet[x >> 18]);
    w.Put(kAlphabet[(x >> 12) & 63]);
    w.Put(kAlphabet[(x >> 6) & 63]);
    w.Put(kAlphabet[x & 63]);
  }
  if (i < n) {
    const uint32_t x = (s[i] << 16) | (i + 1 < n ? s[i + 1] << 8 : 0);
    w.Put(kAlphabet[x >> 18]);
    w.Put(kAlphabet[(x >> 12) & 63]);
    w.Put(i + 1 < n ? kAlphabet[(x >> 6) & 63] : '=');
    w.Put('=');
  }
  w.Finish();
  return !in.empty();
}

// The decimal byte length of the value.
bool Length(std::string_view in, std::string* out, const TransformContext*) {
  char buf[24];
  size_t v = in.size();
  int len = 0;
  do {
    buf[len++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out->clear();
  while (len > 0) out->push_back(buf[--len]);
  return Differs(in, *out);
}

// Raw 16-byte MD5 digest (not hex), as ModSecurity produces it.
bool Md5(std::string_view in, std::string* out, const TransformContext*) {
  const auto digest = crypto::Md5(in);
  out->assign(reinterpret_cast<const char*>(digest.data()), digest.size());
  return Differs(in, *out);
}

// Raw 20-byte SHA-1 digest.
bool Sha1(std::string_view in, std::string* out, const TransformContext*) {
  const auto digest = crypto::Sha1(in);
  out->assign(reinterpret_cast<const char*>(digest.data()), digest.size());
  return Differs(in, *out);
}

}  // namespace gs::transforms
