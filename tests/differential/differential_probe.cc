// Reproduces one differential-test difference: regenerates the traffic (same seed and count as
// the test), runs exchange #INDEX through both engines at paranoia level PL, and prints the
// request and both outcomes (matched ids, verdict, log lines). EXTRA SecLang, when given, is
// appended to both configurations (e.g. "SecPcreMatchLimit 100000") to test a hypothesis.
//
// Usage: differential_probe PL INDEX [EXTRA]   (GS_DIFF_SEED / GS_DIFF_COUNT as in the test)
#include <cstdio>
#include <cstdlib>
#include <set>

#include "tests/differential/generator.h"
#include "tests/modsec_peer/modsec_peer.h"
#include "waf/waf.h"

namespace {

void Print(const char* who, const gs::waf::Outcome& out) {
  std::printf("%s: %s status %d (rule %lld, phase %d)\n  ids:", who,
              out.disruptive ? "DENY" : "pass", out.status,
              static_cast<long long>(out.deciding_rule_id), out.decided_in_phase);
  for (int64_t id : out.matched_rule_ids) std::printf(" %lld", static_cast<long long>(id));
  std::printf("\n");
  for (const std::string& line : out.log_lines) std::printf("  %s\n", line.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PL INDEX [EXTRA-SECLANG]\n", argv[0]);
    return 2;
  }
  const int pl = std::atoi(argv[1]);
  const size_t index = std::strtoull(argv[2], nullptr, 10);
  const std::string extra = argc > 3 ? std::string(argv[3]) + "\n" : "";

  auto corpus = gs::differential::LoadCrsCorpus(
      GS_SOURCE_DIR "/../shared/conformance/crs-v3.3.4/tests", "/usr/share/modsecurity-crs/rules");
  if (!corpus.ok()) {
    std::fprintf(stderr, "%s\n", corpus.status().ToString().c_str());
    return 1;
  }
  gs::differential::GeneratorOptions options;
  if (const char* s = std::getenv("GS_DIFF_SEED")) options.seed = std::strtoull(s, nullptr, 10);
  if (const char* c = std::getenv("GS_DIFF_COUNT")) options.count = std::strtoull(c, nullptr, 10);
  auto traffic = gs::differential::Generate(corpus.value(), options);
  if (index >= traffic.size()) {
    std::fprintf(stderr, "index out of range (%zu exchanges)\n", traffic.size());
    return 2;
  }
  const gs::differential::Generated& g = traffic[index];
  std::printf("#%zu %s (%s)\n%s\n\n", index, g.kind.c_str(), g.source.c_str(),
              gs::differential::ToHttpText(g.exchange).c_str());

  const std::string config = gs::modsec_peer::CrsConfigText(pl) + extra;
  gs::modsec_peer::ModsecPeer peer;
  if (gs::Status st = peer.LoadText(config, "probe.conf"); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  gs::waf::CompileReport compiled = gs::waf::CompileString(config, "probe.conf");
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s\n", compiled.ToStatus().ToString().c_str());
    return 1;
  }
  gs::waf::Engine engine(compiled.rules);
  const gs::waf::Outcome theirs = peer.Evaluate(g.exchange);
  const gs::waf::Outcome ours = gs::waf::RunExchange(engine, g.exchange);
  Print("libmodsecurity", theirs);
  Print("ours", ours);
  std::set<int64_t> a(ours.matched_rule_ids.begin(), ours.matched_rule_ids.end());
  std::set<int64_t> b(theirs.matched_rule_ids.begin(), theirs.matched_rule_ids.end());
  return a == b && ours.disruptive == theirs.disruptive ? 0 : 1;
}
