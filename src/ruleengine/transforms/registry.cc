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

constexpr Transform kTransforms[] = {
    {"base64Decode", &Base64Decode, false},
    {"base64DecodeExt", &Base64DecodeExt, false},
    {"base64Encode", &Base64Encode, false},
    {"cmdLine", &CmdLine, false},
    {"compressWhitespace", &CompressWhitespace, false},
    {"cssDecode", &CssDecode, false},
    {"escapeSeqDecode", &EscapeSeqDecode, false},
    {"hexDecode", &HexDecode, false},
    {"hexEncode", &HexEncode, false},
    {"htmlEntityDecode", &HtmlEntityDecode, false},
    {"jsDecode", &JsDecode, false},
    {"length", &Length, false},
    {"lowercase", &Lowercase, false},
    {"md5", &Md5, false},
    {"none", &None, true},
    {"normalisePath", &NormalisePath, false},
    {"normalizePath", &NormalisePath, false},
    {"normalisePathWin", &NormalisePathWin, false},
    {"normalizePathWin", &NormalisePathWin, false},
    {"parityEven7bit", &ParityEven7bit, false},
    {"parityOdd7bit", &ParityOdd7bit, false},
    {"parityZero7bit", &ParityZero7bit, false},
    {"phpArgsNames", &PhpArgsNames, false},
    {"removeComments", &RemoveComments, false},
    {"removeCommentsChar", &RemoveCommentsChar, false},
    {"removeNulls", &RemoveNulls, false},
    {"removeWhitespace", &RemoveWhitespace, false},
    {"replaceComments", &ReplaceComments, false},
    {"replaceNulls", &ReplaceNulls, false},
    {"sha1", &Sha1, false},
    {"sqlHexDecode", &SqlHexDecode, false},
    {"trim", &Trim, false},
    {"trimLeft", &TrimLeft, false},
    {"trimRight", &TrimRight, false},
    {"uppercase", &Uppercase, false},
    {"urlDecode", &UrlDecode, false},
    {"urlDecodeUni", &UrlDecodeUni, false},
    {"urlEncode", &UrlEncode, false},
    {"utf8toUnicode", &Utf8ToUnicode, false},
};

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
