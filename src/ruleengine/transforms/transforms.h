// SecLang transformation functions (`t:lowercase`, `t:urlDecodeUni`, ...) with ModSecurity v3
// semantics, shaped for a data plane that runs them per request variable.
//
// Every transformation is a plain function `bool Fn(std::string_view in, std::string* out,
// const TransformContext* ctx)`:
//   * it returns true iff the transformed value differs from `in`; only then does `*out` hold the
//     result. When it returns false the value is `in` itself and `*out` must be ignored (it may
//     have been used as scratch). This lets the engine skip copies when nothing changed, and the
//     common cases (lowercase on lower-case text, urlDecode without '%' or '+', ...) do not touch
//     `*out` at all, so they never allocate.
//   * `in` must not point into `*out`. `*out` keeps its capacity across calls, so an engine that
//     reuses two buffers per thread (see TransformScratch) stops allocating after warm-up.
//   * `ctx` may be null; it carries configuration a few transformations consult
//     (SecUnicodeMapFile for urlDecodeUni).
// The byte-level behaviour, quirks included, follows ModSecurity v3 and the
// secrules-language-tests suite (run by transforms_test), because rule sets such as the OWASP CRS
// were tuned against exactly that behaviour. Deviations from libmodsecurity 3.0.9 (its bugs) and
// kept quirks are documented at the function and in docs/transforms.md.
//
// Thread-safety: all functions are pure and thread-safe; the registry is immutable constant data.
// A TransformScratch belongs to one thread. UnicodeMap is immutable after Parse and shareable.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::transforms {

// The SecUnicodeMapFile table: Unicode code point (0..0xFFFF) -> byte, for urlDecodeUni's %uXXXX.
class UnicodeMap {
 public:
  // Parses the ModSecurity unicode.mapping format: whitespace-separated tokens; the section that
  // starts with the token `code_page` (e.g. 20127) lists `XXXX:YY` hex pairs until the first
  // token without ':'. As ModSecurity does, U+002E, U+3002, U+FF0E and U+FF61 always map to '.'.
  // Errors: INVALID_ARGUMENT if the code page is not in the text or has no mappings.
  static Result<UnicodeMap> Parse(std::string_view text, uint32_t code_page);

  // The mapped byte for `code_point`, or -1 when the map has no entry (the caller then falls back
  // to the low byte, as ModSecurity does).
  int Lookup(uint32_t code_point) const {
    return code_point < table_.size() ? table_[code_point] : -1;
  }
  size_t entry_count() const { return entries_; }

 private:
  UnicodeMap();
  std::vector<int16_t> table_;  // 65536 entries, -1 = unmapped
  size_t entries_ = 0;
};

// Configuration some transformations consult. All members are optional.
struct TransformContext {
  const UnicodeMap* unicode_map = nullptr;  // not owned
};

using TransformFn = bool (*)(std::string_view in, std::string* out, const TransformContext* ctx);

// What a value contains, as far as the transformations care: one bit per kind of byte (A-Z,
// '%' or '+', '&', '\\', NUL, bytes >= 0x80, '/', '.', whitespace ...) and byte pair (two spaces,
// "/*") that some transformation acts on, from one pass over the value (ValueFeatures). Every
// transformation has a trigger set (Transform::triggers, TriggersOf): a value whose features
// miss it is returned unchanged, so a chain can pass over the steps a value cannot trigger
// without running them (the data plane runs ~20 chains per request value, and on ordinary
// form values nearly every step is a no-op). transforms_test checks the contract exhaustively on
// short values and on random ones.
using Features = uint32_t;
Features ValueFeatures(std::string_view in);

struct Transform {
  std::string_view name;  // canonical spelling, as in the ModSecurity reference manual
  TransformFn fn;
  // True only for `none`: in SecLang it discards the transformations inherited so far (from
  // SecDefaultAction or earlier in the action list); the compiler acts on it, it is never run.
  bool resets_chain;
  // Features (ValueFeatures) without which `fn` leaves a value unchanged; all bits when the
  // transformation changes (nearly) every value, such as sha1 or length.
  Features triggers;
};

// Looks up a transformation by its SecLang name (without the `t:`), e.g. "urlDecodeUni",
// "normalizePath". Returns null for an unknown name. Matching ignores ASCII case, because
// ModSecurity's does (v3's lexer matches `(?i:t:lowercase)`, v2 used apr_table_get; checked:
// libmodsecurity 3.0.9 loads t:LOWERCASE and t:base64decode), so rule sets that spell a name
// differently load and behave the same.
const Transform* FindTransform(std::string_view name);

// Every registered transformation, aliases included (normalisePath and normalizePath share fn).
std::span<const Transform> AllTransforms();

// The trigger set of a registered transformation's function; all bits for any other function.
Features TriggersOf(TransformFn fn);

// Two reusable buffers for running a chain without per-call allocation. One per thread.
class TransformScratch {
 public:
  // Runs `chain` over `in` and returns the final value: `in` itself when no step changed it,
  // otherwise a view into this scratch, valid until the next Run on this object. `in` must not
  // point into this scratch (copy a previous result out before feeding it back).
  std::string_view Run(std::span<const Transform* const> chain, std::string_view in,
                       const TransformContext* ctx = nullptr);

 private:
  std::string a_;
  std::string b_;
};

// ---- The transformations ------------------------------------------------------------------
// Each follows the TransformFn contract above.

bool None(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);

// Decoders.
bool Base64Decode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool Base64DecodeExt(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool CssDecode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool EscapeSeqDecode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool HexDecode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool HtmlEntityDecode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool JsDecode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool SqlHexDecode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool UrlDecode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool UrlDecodeUni(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool Utf8ToUnicode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);

// Encoders and digests.
bool Base64Encode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool HexEncode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool UrlEncode(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool Length(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool Md5(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool Sha1(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);

// Text normalisation.
bool CmdLine(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool CompressWhitespace(std::string_view in, std::string* out,
                        const TransformContext* ctx = nullptr);
bool Lowercase(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool Uppercase(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool NormalisePath(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool NormalisePathWin(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool ParityEven7bit(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool ParityOdd7bit(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool ParityZero7bit(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool PhpArgsNames(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool RemoveComments(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool RemoveCommentsChar(std::string_view in, std::string* out,
                        const TransformContext* ctx = nullptr);
bool RemoveNulls(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool RemoveWhitespace(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool ReplaceComments(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool ReplaceNulls(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool Trim(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool TrimLeft(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);
bool TrimRight(std::string_view in, std::string* out, const TransformContext* ctx = nullptr);

}  // namespace gs::transforms
