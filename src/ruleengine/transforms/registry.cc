// The name -> function table of SecLang transformations, the chain runner, and the
// SecUnicodeMapFile parser.
//
// The table is constant data (constexpr, no static initialiser to run or to be dropped by the
// linker); lookups happen only while a rule set is compiled, so a linear scan is enough.
#include <cstdlib>
#include <string>

#include "ruleengine/transforms/internal.h"
#include "ruleengine/transforms/transforms.h"

namespace gs::transforms {
namespace {

// Feature bits (ValueFeatures). kEvery is set on every value, so a trigger set containing it
// (kAlways) makes the transformation run whatever the value holds.
constexpr Features kUpper = 1u << 0;         // A-Z
constexpr Features kLower = 1u << 1;         // a-z
constexpr Features kPercentPlus = 1u << 2;   // % +
constexpr Features kAmp = 1u << 3;           // &
constexpr Features kBackslash = 1u << 4;     // '\\'
constexpr Features kNul = 1u << 5;           // 0x00
constexpr Features kHigh = 1u << 6;          // 0x80-0xff
constexpr Features kSlash = 1u << 7;         // /
constexpr Features kDot = 1u << 8;           // .
constexpr Features kSpace = 1u << 9;         // ' '
constexpr Features kOtherSpace = 1u << 10;   // \t \n \v \f \r
constexpr Features kCmdPunct = 1u << 11;     // " ' ^ , ; (   (what cmdLine drops or rewrites)
constexpr Features kSpaceRun = 1u << 12;     // "  "
constexpr Features kCommentOpen = 1u << 13;  // "/*"
constexpr Features kEvery = 1u << 31;
constexpr Features kAlways = ~Features{0};
constexpr Features kWhitespace = kSpace | kOtherSpace;

constexpr Transform kTransforms[] = {
    {"base64Decode", &Base64Decode, false, kAlways},
    {"base64DecodeExt", &Base64DecodeExt, false, kAlways},
    {"base64Encode", &Base64Encode, false, kAlways},
    // Drops " ' \\ ^; a run of space , ; \t \r \n becomes one space (so a single space among
    // other bytes stays), which goes before '/' or '('; lower-cases.
    {"cmdLine", &CmdLine, false,
     kUpper | kBackslash | kCmdPunct | kSlash | kOtherSpace | kSpaceRun},
    {"compressWhitespace", &CompressWhitespace, false, kOtherSpace | kSpaceRun},
    {"cssDecode", &CssDecode, false, kBackslash},
    {"escapeSeqDecode", &EscapeSeqDecode, false, kBackslash},
    {"hexDecode", &HexDecode, false, kAlways},
    {"hexEncode", &HexEncode, false, kAlways},
    {"htmlEntityDecode", &HtmlEntityDecode, false, kAmp},
    {"jsDecode", &JsDecode, false, kBackslash},
    {"length", &Length, false, kAlways},
    {"lowercase", &Lowercase, false, kUpper},
    {"md5", &Md5, false, kAlways},
    {"none", &None, true, 0},
    // Only '/' separators and '.' segments (a ".." after any segment, as in ModSecurity) change.
    {"normalisePath", &NormalisePath, false, kSlash | kDot},
    {"normalizePath", &NormalisePath, false, kSlash | kDot},
    {"normalisePathWin", &NormalisePathWin, false, kSlash | kDot | kBackslash},
    {"normalizePathWin", &NormalisePathWin, false, kSlash | kDot | kBackslash},
    {"parityEven7bit", &ParityEven7bit, false, kAlways},
    {"parityOdd7bit", &ParityOdd7bit, false, kAlways},
    {"parityZero7bit", &ParityZero7bit, false, kHigh},
    {"phpArgsNames", &PhpArgsNames, false, kAlways},
    {"removeComments", &RemoveComments, false, kAlways},
    {"removeCommentsChar", &RemoveCommentsChar, false, kAlways},
    {"removeNulls", &RemoveNulls, false, kNul},
    {"removeWhitespace", &RemoveWhitespace, false, kWhitespace | kHigh},  // NBSP, 0xC2
    {"replaceComments", &ReplaceComments, false, kCommentOpen},
    {"replaceNulls", &ReplaceNulls, false, kNul},
    {"sha1", &Sha1, false, kAlways},
    {"sqlHexDecode", &SqlHexDecode, false, kAlways},
    {"trim", &Trim, false, kWhitespace},
    {"trimLeft", &TrimLeft, false, kWhitespace},
    {"trimRight", &TrimRight, false, kWhitespace},
    {"uppercase", &Uppercase, false, kLower},
    {"urlDecode", &UrlDecode, false, kPercentPlus},
    {"urlDecodeUni", &UrlDecodeUni, false, kPercentPlus},
    {"urlEncode", &UrlEncode, false, kAlways},
    {"utf8toUnicode", &Utf8ToUnicode, false, kNul | kHigh},
};

// Byte -> features, built at compile time.
struct FeatureTable {
  Features bits[256];
  constexpr FeatureTable() : bits{} {
    for (int c = 0; c < 256; ++c) {
      Features f = 0;
      if (c >= 'A' && c <= 'Z') f |= kUpper;
      if (c >= 'a' && c <= 'z') f |= kLower;
      if (c == '%' || c == '+') f |= kPercentPlus;
      if (c == '&') f |= kAmp;
      if (c == '\\') f |= kBackslash;
      if (c == 0) f |= kNul;
      if (c >= 0x80) f |= kHigh;
      if (c == '/') f |= kSlash;
      if (c == '.') f |= kDot;
      if (c == ' ') f |= kSpace;
      if (c >= '\t' && c <= '\r') f |= kOtherSpace;
      if (c == '"' || c == '\'' || c == '^' || c == ',' || c == ';' || c == '(') f |= kCmdPunct;
      bits[c] = f;
    }
  }
};
constexpr FeatureTable kFeatureTable;

}  // namespace

const Transform* FindTransform(std::string_view name) {
  auto equal_ignoring_case = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (internal::ToLower(static_cast<uint8_t>(a[i])) !=
          internal::ToLower(static_cast<uint8_t>(b[i]))) {
        return false;
      }
    }
    return true;
  };
  for (const Transform& t : kTransforms) {
    if (equal_ignoring_case(t.name, name)) return &t;
  }
  return nullptr;
}

std::span<const Transform> AllTransforms() { return kTransforms; }

Features TriggersOf(TransformFn fn) {
  for (const Transform& t : kTransforms) {
    if (t.fn == fn) return t.triggers;
  }
  return kAlways;
}

Features ValueFeatures(std::string_view in) {
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  const size_t n = in.size();
  Features f = kEvery;
  for (size_t i = 0; i < n; ++i) f |= kFeatureTable.bits[s[i]];
  // The pairs: only where their first byte occurs at all.
  if ((f & kSpace) && in.find("  ") != std::string_view::npos) f |= kSpaceRun;
  if ((f & kSlash) && in.find("/*") != std::string_view::npos) f |= kCommentOpen;
  return f;
}

std::string_view TransformScratch::Run(std::span<const Transform* const> chain, std::string_view in,
                                       const TransformContext* ctx) {
  std::string_view cur = in;
  for (const Transform* t : chain) {
    // Write into whichever buffer does not hold the current value.
    std::string* out = (!cur.empty() && cur.data() == a_.data()) ? &b_ : &a_;
    if (t->fn(cur, out, ctx)) cur = *out;
  }
  return cur;
}

// ---- UnicodeMap ---------------------------------------------------------------------------

UnicodeMap::UnicodeMap() : table_(65536, -1) {}

Result<UnicodeMap> UnicodeMap::Parse(std::string_view text, uint32_t code_page) {
  UnicodeMap map;
  // RFC 3490 section 3.1 full stops, always mapped as ModSecurity does.
  for (uint32_t dot : {0x002eu, 0x3002u, 0xff0eu, 0xff61u}) map.table_[dot] = '.';

  auto is_sep = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  bool found = false;
  bool processing = false;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_sep(text[pos])) ++pos;
    const size_t start = pos;
    while (pos < text.size() && !is_sep(text[pos])) ++pos;
    if (start == pos) break;
    const std::string_view token = text.substr(start, pos - start);
    const size_t colon = token.find(':');
    if (!found) {
      // A section header is a decimal code page number (atol semantics: leading digits).
      uint64_t v = 0;
      size_t k = 0;
      while (k < token.size() && internal::IsDigit(token[k]) && v <= 0xffffffffULL) {
        v = v * 10 + (token[k++] - '0');
      }
      if (k > 0 && v == code_page) found = true;
      if (!found || colon == std::string_view::npos) continue;
    }
    if (colon == std::string_view::npos) {
      if (processing) break;
      continue;
    }
    processing = true;
    auto hex = [](std::string_view s, uint32_t* out) {
      uint32_t v = 0;
      size_t k = 0;
      while (k < s.size() && internal::IsHex(s[k]) && k < 8) {
        v = v * 16 + internal::LooseDigit(static_cast<uint8_t>(s[k]));
        ++k;
      }
      *out = v;
      return k > 0;
    };
    uint32_t code = 0;
    uint32_t value = 0;
    if (!hex(token.substr(0, colon), &code) || !hex(token.substr(colon + 1), &value)) {
      return InvalidArgumentError("unicode map: malformed entry '" + std::string(token) +
                                  "' in code page " + std::to_string(code_page));
    }
    if (code <= 0xffff) {
      map.table_[code] = static_cast<int16_t>(value & 0xff);
      ++map.entries_;
    }
  }
  if (!found) {
    return InvalidArgumentError("unicode map: code page " + std::to_string(code_page) +
                                " not found");
  }
  if (map.entries_ == 0) {
    return InvalidArgumentError("unicode map: code page " + std::to_string(code_page) +
                                " has no entries");
  }
  return map;
}

}  // namespace gs::transforms
