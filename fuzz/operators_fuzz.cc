// Fuzz target for the SecLang operators: the first byte selects one of a fixed set of operators
// compiled once (CRS-like arguments), the rest of the input is the value they inspect. Also
// exercises captures and the dynamic-argument path (the input split in two: argument, value).
// @pm is checked against a naive phrase search (verdict and TX.0).
// Selector bytes whose low six bits are all ones (0x3f, 0x7f dynamic excluded, 0xbf, 0xff) go to
// @detectSQLi, so the older seeds keep their operator; the sqli_* seeds use them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "ruleengine/operators/operator.h"

namespace {

using gs::operators::MatchContext;
using gs::operators::Operator;
using gs::operators::OperatorOptions;
using gs::operators::OperatorRegistry;

struct Fixture {
  OperatorRegistry registry;
  std::vector<std::unique_ptr<const Operator>> ops;
  std::vector<std::unique_ptr<const Operator>> dynamic_ops;
  std::unique_ptr<const Operator> detect_sqli;

  Fixture() {
    gs::operators::RegisterBuiltinOperators(&registry);
    OperatorOptions o;
    o.pcre_match_limit = 5000;
    const std::pair<const char*, const char*> kStatic[] = {
        {"rx", "(?i)(?:union\\s+(all\\s+)?select|<script[^>]*>)"},
        {"rx", "^(a+)+$"},
        {"rxGlobal", "([a-z]*)(\\d?)"},
        {"pm", "select union insert \"|3c 73|\" <script javascript:"},
        {"streq", "GET"},
        {"strmatch", "passwd"},
        {"beginsWith", "/admin"},
        {"endsWith", ".php"},
        {"contains", "../"},
        {"containsWord", "select"},
        {"within", "GET HEAD POST OPTIONS"},
        {"eq", "0"},
        {"ge", "5"},
        {"lt", "-3"},
        {"validateByteRange", "9,10,13,32-126"},
        {"validateUrlEncoding", ""},
        {"validateUtf8Encoding", ""},
        {"ipMatch", "127.0.0.1,10.0.0.0/8,::1,2001:db8::/32,192.168.1.0/24"},
        {"verifyCC", "(?:^|[^\\d])(\\d{4}\\-?\\d{4}\\-?\\d{2}\\-?\\d{2}\\-?\\d(?:\\d)?)"},
        {"verifySSN", "\\d{3}-?\\d{2}-?\\d{4}"},
        {"verifyCPF", "([0-9]{3}\\.){2}[0-9]{3}-[0-9]{2}"},
        {"verifySVNR", "([0-9]{4} ?[0-9]{6})"},
        {"unconditionalMatch", ""},
        {"noMatch", ""},
    };
    for (const auto& [name, arg] : kStatic) {
      auto op = registry.Create(name, arg, o);
      if (!op.ok()) std::abort();  // the fixed set must compile: a failure is a bug
      ops.push_back(std::move(op).value());
    }
    auto sqli = registry.Create("detectSQLi", "", o);
    if (!sqli.ok()) std::abort();
    detect_sqli = std::move(sqli).value();
    OperatorOptions d = o;
    d.dynamic_argument = true;
    for (const char* name : {"rx", "pm", "ipMatch", "validateByteRange", "within", "eq"}) {
      auto op = registry.Create(name, "%{tx.x}", d);
      if (!op.ok()) std::abort();
      dynamic_ops.push_back(std::move(op).value());
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();  // built once; leaked on purpose (process lifetime)
  static MatchContext* ctx = new MatchContext();
  if (size == 0 || fixture->ops.empty()) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  uint8_t selector = data[0];
  ctx->want_captures = (selector & 0x80) != 0;
  ctx->ResetFlags();
  if ((selector & 0x3f) == 0x3f && (selector & 0xc0) != 0x40) {
    bool matched = fixture->detect_sqli->Evaluate(input, ctx);
    // On a match with captures, TX.0 is the fingerprint: 1-5 type characters.
    if (matched && ctx->want_captures &&
        (ctx->captures.size() != 1 || ctx->captures[0].value.empty() ||
         ctx->captures[0].value.size() > 5)) {
      std::abort();
    }
    return 0;
  }
  if ((selector & 0x40) != 0 && !fixture->dynamic_ops.empty()) {
    // Dynamic path: "argument\0value".
    size_t nul = input.find('\0');
    std::string_view arg = input.substr(0, nul);
    std::string_view value = nul == input.npos ? std::string_view() : input.substr(nul + 1);
    const auto& op = fixture->dynamic_ops[selector % fixture->dynamic_ops.size()];
    op->EvaluateExpanded(arg, value, ctx);
    return 0;
  }
  const auto& op = fixture->ops[selector % fixture->ops.size()];
  bool matched = op->Evaluate(input, ctx);
  if (op->name() == "pm") {
    // Oracle for @pm (Vectorscan once missed phrases near the end of inputs): the verdict and
    // TX.0 must be the earliest-ending, then longest, phrase found by a naive caseless search.
    // The quotes around |3c 73| are not the argument's outer quotes, so they stay in the phrase.
    static const char* const kPhrases[] = {"select", "union",   "insert",
                                           "\"<s\"", "<script", "javascript:"};
    auto fold = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    std::string_view expected;
    for (size_t end = 1; end <= input.size() && expected.empty(); ++end) {
      for (std::string_view p : kPhrases) {
        if (p.size() > end || p.size() <= expected.size()) continue;
        bool eq = true;
        for (size_t k = 0; k < p.size() && eq; ++k) eq = fold(input[end - p.size() + k]) == p[k];
        if (eq) expected = p;
      }
    }
    if (matched != !expected.empty()) std::abort();
    if (matched && ctx->want_captures &&
        (ctx->captures.size() != 1 || ctx->captures[0].value != expected)) {
      std::abort();
    }
  }
  // Captures must point inside the input or the operator's own storage; touch them.
  size_t total = 0;
  if (matched) {
    for (const auto& c : ctx->captures) total += c.value.size();
  }
  (void)total;
  return 0;
}
