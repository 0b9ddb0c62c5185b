// Fuzz target for the webshell scanner: arbitrary file bytes through Scanner::ScanBuffer (PHP
// normaliser, decoder layers, taint heuristics, libyara) and the JSON rendering. The first byte
// picks the file name (and so the language guess); the rest is the content. Beyond "no crash,
// no out-of-bounds access, no hang" it checks invariants: results are deterministic, the
// verdict agrees with the score, evidence offsets lie inside the file, and the JSON parses.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "webshell/scanner.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "webshell invariant violated: %s\n", what);
    std::abort();
  }
}

const gs::webshell::Scanner& TheScanner() {
  static const gs::webshell::Scanner* scanner = [] {
    auto s = gs::webshell::Scanner::Create();
    Check(s.ok(), "scanner builds");
    return std::move(s).value().release();
  }();
  return *scanner;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* kNames[] = {"a.php", "a.jsp", "a.aspx", "a.txt",
                                           "a.gif", "a.inc", "a.asp",  "x\n\xff.php"};
  std::string_view name = kNames[data[0] % 8];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto& s = TheScanner();
  gs::webshell::FileResult r = s.ScanBuffer(name, body);
  gs::webshell::FileResult again = s.ScanBuffer(name, body);
  Check(r.score == again.score && r.findings.size() == again.findings.size(), "deterministic");
  const auto& o = s.options();
  if (!r.skipped) {
    Check((r.verdict == gs::webshell::Verdict::kWebshell) == (r.score >= o.webshell_score),
          "verdict matches score");
  }
  for (const auto& f : r.findings) {
    Check(f.offset <= body.size(), "offset inside the file");
    Check(f.excerpt.size() <= 80, "excerpt bounded");
  }
  auto j = nlohmann::json::parse(gs::webshell::FileResultJson(r), nullptr, false);
  Check(!j.is_discarded(), "JSON parses");
  return 0;
}
