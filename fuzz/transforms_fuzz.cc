// Fuzz target for every SecLang transformation. The first input byte selects the transformation
// (its low 7 bits index AllTransforms(), modulo its size; the high bit adds a unicode map
// context), the rest is the value. Beyond "no crash, no
// out-of-bounds access" (run it under ASan), it checks invariants that any correct
// implementation must keep: the changed flag agrees with the result, results are deterministic,
// a value without any of the transformation's trigger features is unchanged (the engine skips
// such steps), output sizes stay within each transformation's bound, and known identities hold
// (length, encode/decode round trips, idempotent normalisers). A violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ruleengine/transforms/transforms.h"

namespace {

using gs::transforms::AllTransforms;
using gs::transforms::FindTransform;
using gs::transforms::Transform;
using gs::transforms::TransformContext;
using gs::transforms::UnicodeMap;

void Check(bool ok, const char* what, std::string_view name) {
  if (!ok) {
    std::fprintf(stderr, "transforms invariant violated: %s (t:%.*s)\n", what,
                 static_cast<int>(name.size()), name.data());
    std::abort();
  }
}

std::string Run(std::string_view name, std::string_view in, const TransformContext* ctx) {
  std::string out;
  return FindTransform(name)->fn(in, &out, ctx) ? out : std::string(in);
}

// Upper bound of the output size for an input of n bytes.
size_t MaxOutput(std::string_view name, size_t n) {
  if (name == "utf8toUnicode") return n * 4 + 8;
  if (name == "urlEncode") return n * 3;
  if (name == "hexEncode") return n * 2;
  if (name == "base64Encode") return (n + 2) / 3 * 4;
  if (name == "md5") return 16;
  if (name == "sha1") return 20;
  if (name == "length") return 20;
  return n;  // every decoder and normaliser only shrinks or keeps the size
}

const TransformContext* Context() {
  static const UnicodeMap* map = [] {
    auto m = UnicodeMap::Parse("20127 00e9:45 4e2d:3f ff01:21", 20127);
    return m.ok() ? new UnicodeMap(std::move(*m)) : nullptr;
  }();
  static const TransformContext ctx{map};
  return &ctx;
}

bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto all = AllTransforms();
  const Transform& t = all[(data[0] & 0x7f) % all.size()];
  const std::string in(reinterpret_cast<const char*>(data + 1), size - 1);
  const TransformContext* ctx = (data[0] & 0x80) ? Context() : nullptr;

  std::string out1 = "stale";
  const bool changed1 = t.fn(in, &out1, ctx);
  const std::string r1 = changed1 ? out1 : in;
  Check(changed1 == (r1 != in), "changed flag disagrees with the result", t.name);
  if ((gs::transforms::ValueFeatures(in) & t.triggers) == 0) {
    Check(!changed1, "changed a value without any of its trigger features", t.name);
  }

  std::string out2;
  const bool changed2 = t.fn(in, &out2, ctx);
  Check(changed1 == changed2 && (!changed2 || out2 == out1), "not deterministic", t.name);
  Check(r1.size() <= MaxOutput(t.name, in.size()), "output larger than its bound", t.name);

  // Transformation-specific identities.
  if (t.name == "length") Check(r1 == std::to_string(in.size()), "length", t.name);
  if (t.name == "hexEncode") Check(Run("hexDecode", r1, ctx) == in, "hex round trip", t.name);
  if (t.name == "base64Encode") {
    Check(Run("base64Decode", r1, ctx) == in, "base64 round trip", t.name);
    Check(Run("base64DecodeExt", r1, ctx) == in, "base64Ext round trip", t.name);
  }
  if (t.name == "lowercase" || t.name == "uppercase" || t.name == "trim" || t.name == "trimLeft" ||
      t.name == "trimRight" || t.name == "removeNulls" || t.name == "replaceNulls" ||
      t.name == "removeWhitespace" || t.name == "compressWhitespace" ||
      t.name == "parityZero7bit" || t.name == "none") {
    Check(Run(t.name, r1, ctx) == r1, "not idempotent", t.name);
  }
  if (t.name == "removeNulls") Check(r1.find('\0') == std::string::npos, "NUL left", t.name);
  if (t.name == "compressWhitespace") {
    for (size_t i = 0; i + 1 < r1.size(); ++i) {
      Check(!(IsSpace(r1[i]) && IsSpace(r1[i + 1])), "whitespace run left", t.name);
    }
  }

  // The CRS's most common chain, through the scratch buffers, must equal step-by-step results.
  static const Transform* chain[] = {FindTransform("urlDecodeUni"),
                                     FindTransform("htmlEntityDecode"), FindTransform("jsDecode"),
                                     FindTransform("lowercase")};
  gs::transforms::TransformScratch scratch;
  const std::string via_scratch(scratch.Run(chain, in, ctx));
  std::string step = in;
  for (const Transform* c : chain) step = Run(c->name, step, ctx);
  Check(via_scratch == step, "chain result differs from step-by-step", "chain");
  return 0;
}
