// Transformation-chain micro-benchmarks on realistic request values, for the OWASP CRS's most
// common chains. Informative only: the engine-level comparison with libmodsecurity3 is
// bench/waf_engine. Each benchmark runs the chain through one warm TransformScratch, as the
// engine does per worker thread, and reports bytes/s of input.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ruleengine/transforms/transforms.h"

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

}  // namespace

BENCHMARK_MAIN();
