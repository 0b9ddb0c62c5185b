// Transformation-chain micro-benchmarks on realistic request values, for the OWASP CRS's most
// common chains. Informative only: the engine-level comparison with libmodsecurity3 is
// bench/waf_engine. BM_Chain runs a chain through one warm TransformScratch, as the engine does
// per worker thread, and reports bytes/s of input. When built with libmodsecurity 3.0.9,
// BM_ModSecurityChain runs the same chain through ModSecurity's own transformation objects; the
// program first checks that both produce identical values for every (chain, input) and prints a
// per-case time ratio at the end.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "ruleengine/transforms/transforms.h"
#ifdef GS_HAVE_MODSECURITY_PEER
#include "bench/transforms_modsec_peer.h"
#endif

namespace {

using gs::transforms::FindTransform;
using gs::transforms::Transform;
using gs::transforms::TransformScratch;

struct Chain {
  const char* label;
  std::vector<const char*> names;  // t:none is implied, as CRS always starts with it
};

const std::vector<Chain>& Chains() {
  static const std::vector<Chain> chains = {
      {"urlDecodeUni", {"urlDecodeUni"}},
      {"lowercase", {"lowercase"}},
      {"urlDecodeUni,lowercase", {"urlDecodeUni", "lowercase"}},
      {"urlDecodeUni,htmlEntityDecode,lowercase",
       {"urlDecodeUni", "htmlEntityDecode", "lowercase"}},
      // REQUEST-941 (XSS) rules.
      {"utf8toUnicode,urlDecodeUni,htmlEntityDecode,jsDecode,cssDecode,removeNulls",
       {"utf8toUnicode", "urlDecodeUni", "htmlEntityDecode", "jsDecode", "cssDecode",
        "removeNulls"}},
      // REQUEST-932 (RCE) rules.
      {"cmdLine,normalizePath", {"cmdLine", "normalizePath"}},
      // REQUEST-942 (SQLi) rules.
      {"urlDecodeUni,removeNulls,removeComments",
       {"urlDecodeUni", "removeNulls", "removeComments"}},
      {"sha1,hexEncode", {"sha1", "hexEncode"}},
  };
  return chains;
}

struct Input {
  const char* label;
  std::string value;
};

const std::vector<Input>& Inputs() {
  static const std::vector<Input> inputs = [] {
    std::vector<Input> v;
    v.push_back({"query_param", "page=2&sort=name&q=hello+world&lang=zh-CN"});
    v.push_back({"user_agent",
                 "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/120.0.0.0 Safari/537.36"});
    v.push_back({"chinese_form_urlenc",
                 "name=%E5%BC%A0%E4%B8%89&addr=%E5%8C%97%E4%BA%AC%E5%B8%82%E6%B5%B7%E6%B7%80%E5%8C%"
                 "BA&memo=%E6%94%BF%E5%8A%A1%E6%9C%8D%E5%8A%A1%E5%92%A8%E8%AF%A2"});
    v.push_back({"chinese_text_utf8",
                 "\xe6\x94\xbf\xe5\x8a\xa1\xe6\x9c\x8d\xe5\x8a\xa1\xe7\xbd\x91\xe4\xb8\x8a\xe5\x8a"
                 "\x9e\xe4\xba\x8b\xe5\xa4\xa7\xe5\x8e\x85\xef\xbc\x8c\xe6\xac\xa2\xe8\xbf\x8e\xe6"
                 "\x82\xa8\xe3\x80\x82"});
    v.push_back(
        {"xss_attack",
         "%3Cscript%3Ealert(%27XSS%27)%3C%2Fscript%3E&lt;img src=x onerror=\\u0061lert(1)&gt;"});
    v.push_back(
        {"sqli_attack", "1%27%20UNION/**/SELECT%20password,0x61646d696e%20FROM%20users--%20"});
    // A 2 KB urlencoded POST body value, mostly benign text with a few escapes.
    std::string post;
    while (post.size() < 2048)
      post += "comment=This+is+a+normal+comment+about+the+service%2C+thanks%21&";
    post.resize(2048);
    v.push_back({"post_2k", post});
    return v;
  }();
  return inputs;
}

void BM_Chain(benchmark::State& state) {
  const Chain& chain = Chains()[state.range(0)];
  const Input& input = Inputs()[state.range(1)];
  std::vector<const Transform*> fns;
  for (const char* name : chain.names) fns.push_back(FindTransform(name));
  TransformScratch scratch;
  size_t out_bytes = 0;
  for (auto _ : state) {
    std::string_view v = scratch.Run(fns, input.value);
    out_bytes += v.size();
    benchmark::DoNotOptimize(v.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.value.size()));
  state.SetLabel(std::string(chain.label) + " | " + input.label);
  benchmark::DoNotOptimize(out_bytes);
}

void ChainArgs(benchmark::internal::Benchmark* b) {
  for (size_t c = 0; c < Chains().size(); ++c) {
    for (size_t i = 0; i < Inputs().size(); ++i) {
      b->Args({static_cast<int64_t>(c), static_cast<int64_t>(i)});
    }
  }
}

BENCHMARK(BM_Chain)->Apply(ChainArgs);

#ifdef GS_HAVE_MODSECURITY_PEER
std::vector<std::string> Names(const Chain& chain) {
  return std::vector<std::string>(chain.names.begin(), chain.names.end());
}

void BM_ModSecurityChain(benchmark::State& state) {
  const Chain& chain = Chains()[state.range(0)];
  const Input& input = Inputs()[state.range(1)];
  gs::bench::ModSecurityChain peer(Names(chain));
  for (auto _ : state) {
    std::string v = peer.Run(input.value);
    benchmark::DoNotOptimize(v.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.value.size()));
  state.SetLabel(std::string(chain.label) + " | " + input.label);
}
BENCHMARK(BM_ModSecurityChain)->Apply(ChainArgs);

// Known, documented differences from 3.0.9 (fixed upstream later): none occur on these inputs.
int CheckIdenticalResults() {
  int differences = 0;
  for (const Chain& chain : Chains()) {
    gs::bench::ModSecurityChain peer(Names(chain));
    if (!peer.ok()) {
      std::printf("libmodsecurity does not know chain %s\n", chain.label);
      ++differences;
      continue;
    }
    std::vector<const Transform*> fns;
    for (const char* name : chain.names) fns.push_back(FindTransform(name));
    TransformScratch scratch;
    for (const Input& input : Inputs()) {
      const std::string ours(scratch.Run(fns, input.value));
      if (ours != peer.Run(input.value)) {
        std::printf("DIFFERENT RESULT: %s | %s\n", chain.label, input.label);
        ++differences;
      }
    }
  }
  std::printf("results identical to libmodsecurity 3.0.9: %s (%d differences)\n\n",
              differences == 0 ? "yes" : "NO", differences);
  return differences;
}

// Remembers CPU time per run so main() can print ours/theirs side by side.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const std::string name = r.benchmark_name();
      const size_t slash = name.find('/');
      if (slash == std::string::npos) continue;
      times_[name.substr(slash)][name.substr(0, slash)] = r.GetAdjustedCPUTime();
      labels_[name.substr(slash)] = r.report_label;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintRatios() const {
    std::printf("\n%-10s %-10s %-7s  %s\n", "ours", "modsec", "ratio", "chain | input");
    for (const auto& [args, by_name] : times_) {
      auto ours = by_name.find("BM_Chain");
      auto theirs = by_name.find("BM_ModSecurityChain");
      if (ours == by_name.end() || theirs == by_name.end() || ours->second <= 0) continue;
      std::printf("%8.0fns %8.0fns %6.1fx  %s\n", ours->second, theirs->second,
                  theirs->second / ours->second, labels_.at(args).c_str());
    }
  }

 private:
  std::map<std::string, std::map<std::string, double>> times_;
  std::map<std::string, std::string> labels_;
};
#endif

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
#ifdef GS_HAVE_MODSECURITY_PEER
  const int differences = CheckIdenticalResults();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return differences == 0 ? 0 : 1;
#else
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
#endif
}
