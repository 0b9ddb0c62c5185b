// WAF engine benchmark (issue 3, acceptance 3): our engine and libmodsecurity 3.0.9 load the same
// CRS 3.3.4 PL1 configuration (modsec_peer::CrsConfigText) and evaluate the same requests in the
// same process, one whole transaction (phases 1-5) per iteration. Request shapes: the GET and the
// 2 KB / 28-field form POST of ../shared/docs/BENCHMARKS.md, a 4 KB JSON body, a multipart upload
// with a 100 KB file, a Chinese-text form in UTF-8 and in GBK, and an SQL injection.
//
// Before timing, each shape runs once through both engines and the verdicts and matched rule ids
// are compared (a mismatch is printed loudly and makes the exit status 1). Then the two sides run
// alternately (A B A B ...) for GS_BENCH_ROUNDS rounds (default 3); the summary prints the median
// and range per side and, last, the ratio libmodsecurity / ours per shape.
//
// Usage: waf_bench [google-benchmark flags]; GS_BENCH_ROUNDS=5 waf_bench; --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/modsec_peer/modsec_peer.h"
#include "waf/exchange.h"

#ifdef GS_HAVE_WAF_ENGINE
#include "waf/waf.h"
#endif

namespace {

using gs::waf::Exchange;
using gs::waf::Outcome;

struct Shape {
  std::string name;
  Exchange exchange;
};

std::string FormEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void SetBody(Exchange& ex, const std::string& content_type, std::string body) {
  ex.method = "POST";
  ex.request_body = std::move(body);
  ex.request_headers.emplace_back("Content-Type", content_type);
  ex.request_headers.emplace_back("Content-Length", std::to_string(ex.request_body.size()));
}

Exchange Base(std::string uri) {
  Exchange ex;
  ex.uri = std::move(uri);
  ex.request_headers = {{"Host", "localhost"}};
  return ex;
}

// The same phrases in GBK, as bytes (checked with iconv -t GBK), so the benchmark does not
// depend on iconv.
std::string Utf8ToGbkPhrase(int i) {
  // 您好 请问 办理 营业执照 需要 哪些 材料 谢谢
  static const char* kGbk[] = {"\xC4\xFA\xBA\xC3", "\xC7\xEB\xCE\xCA",
                               "\xB0\xEC\xC0\xED", "\xD3\xAA\xD2\xB5\xD6\xB4\xD5\xD5",
                               "\xD0\xE8\xD2\xAA", "\xC4\xC4\xD0\xA9",
                               "\xB2\xC4\xC1\xCF", "\xD0\xBB\xD0\xBB"};
  return kGbk[i % 8];
}

std::string Utf8Phrase(int i) {
  static const char* kUtf8[] = {"您好", "请问", "办理", "营业执照", "需要", "哪些", "材料", "谢谢"};
  return kUtf8[i % 8];
}

std::vector<Shape> Shapes() {
  std::vector<Shape> shapes;
  shapes.push_back({"get", Base("/index.html?id=42&q=hello+world")});

  {  // 2 KB urlencoded, 28 fields
    Exchange ex = Base("/form");
    std::string body;
    for (int i = 0; i < 28; ++i) {
      if (!body.empty()) body += '&';
      body += "field" + std::to_string(i) + "=";
      std::string value = "value number " + std::to_string(i) + " lorem ipsum dolor sit amet";
      while (value.size() < 64) value += " x";
      body += FormEncode(value);
    }
    SetBody(ex, "application/x-www-form-urlencoded", body);
    shapes.push_back({"post_2k_form", ex});
  }
  {  // 4 KB JSON
    Exchange ex = Base("/api/v1/apply");
    std::string body =
        "{\"applicant\":{\"name\":\"Zhang Wei\",\"phone\":\"13800000000\"},\"items\":[";
    for (int i = 0; body.size() < 4000; ++i) {
      if (i) body += ',';
      body += "{\"id\":" + std::to_string(i) + ",\"title\":\"item " + std::to_string(i) +
              " description text\",\"qty\":" + std::to_string(i % 7 + 1) + ",\"ok\":true}";
    }
    body += "]}";
    SetBody(ex, "application/json", body);
    shapes.push_back({"json_4k", ex});
  }
  {  // multipart with a 100 KB file
    Exchange ex = Base("/upload");
    const std::string boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    std::string file = "%PDF-1.4\n";
    uint64_t x = 0x9e3779b97f4a7c15ull;
    while (file.size() < 100 * 1024) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      file += static_cast<char>('A' + (x % 26));  // letters: a compressed stream would do too
      if (x % 64 == 0) file += '\n';
    }
    std::string body =
        "--" + boundary +
        "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nannual report\r\n"
        "--" +
        boundary +
        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n" +
        file + "\r\n--" + boundary + "--\r\n";
    SetBody(ex, "multipart/form-data; boundary=" + boundary, body);
    shapes.push_back({"multipart_100k", ex});
  }
  {  // Chinese form, UTF-8 and GBK
    Exchange utf8 = Base("/hudong/liuyan/submit");
    Exchange gbk = utf8;
    std::string body_utf8 = "name=" + FormEncode("张伟") + "&phone=13800000000&content=";
    std::string body_gbk = "name=%D5%C5%CE%B0&phone=13800000000&content=";
    std::string text_utf8, text_gbk;
    for (int i = 0; i < 40; ++i) {
      text_utf8 += Utf8Phrase(i);
      text_gbk += Utf8ToGbkPhrase(i);
    }
    SetBody(utf8, "application/x-www-form-urlencoded", body_utf8 + FormEncode(text_utf8));
    SetBody(gbk, "application/x-www-form-urlencoded", body_gbk + FormEncode(text_gbk));
    shapes.push_back({"form_zh_utf8", utf8});
    shapes.push_back({"form_zh_gbk", gbk});
  }
  shapes.push_back(
      {"attack_sqli",
       Base("/index.html?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20")});
  return shapes;
}

std::set<int64_t> IdSet(const Outcome& o) {
  return std::set<int64_t>(o.matched_rule_ids.begin(), o.matched_rule_ids.end());
}

std::string Ids(const std::set<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    // Skip CRS bookkeeping (initialisation, PL skips, correlation) for brevity; compared anyway.
    if ((id >= 900000 && id < 902000) || id >= 980000 || (id >= 910000 && id % 1000 < 100)) {
      continue;
    }
    out += (out.empty() ? "" : " ") + std::to_string(id);
  }
  return out;
}

// Records every run's time per iteration while printing the usual console output.
class Collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      const std::string name = run.benchmark_name();
      // name: side/shape/rN
      const size_t a = name.find('/');
      const size_t b = name.find('/', a + 1);
      times[name.substr(a + 1, b - a - 1)][name.substr(0, a)].push_back(
          run.GetAdjustedCPUTime());  // us of CPU: fair on a shared, loaded machine
    }
  }
  std::map<std::string, std::map<std::string, std::vector<double>>> times;  // shape->side->us
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const std::vector<Shape> shapes = Shapes();
  const char* rounds_env = std::getenv("GS_BENCH_ROUNDS");
  const int rounds = rounds_env != nullptr ? std::max(1, std::atoi(rounds_env)) : 3;

  gs::modsec_peer::ModsecPeer modsec;
  gs::Status st = modsec.LoadText(gs::modsec_peer::CrsConfigText(1), "crs-pl1.conf");
  if (!st.ok()) {
    std::fprintf(stderr, "libmodsecurity: %s\n", st.ToString().c_str());
    return 2;
  }
  std::printf("WAF engine benchmark: CRS 3.3.4 (Debian modsecurity-crs) PL1, blocking; peer %s\n",
              gs::modsec_peer::ModsecVersion().c_str());
  bool mismatch = false;

#ifdef GS_HAVE_WAF_ENGINE
  gs::waf::CompileReport compiled =
      gs::waf::CompileString(gs::modsec_peer::CrsConfigText(1), "crs-pl1.conf");
  if (!compiled.ok()) {
    std::fprintf(stderr, "our engine: %s\n", compiled.ToStatus().ToString().c_str());
    return 2;
  }
  gs::waf::Engine engine(compiled.rules);
#endif

  for (const Shape& shape : shapes) {
    const Outcome theirs = modsec.Evaluate(shape.exchange);
    std::printf("%-15s %5zu bytes  libmodsecurity: %s %d [%s]\n", shape.name.c_str(),
                shape.exchange.request_body.size(), theirs.disruptive ? "DENY" : "pass",
                theirs.status, Ids(IdSet(theirs)).c_str());
#ifdef GS_HAVE_WAF_ENGINE
    const Outcome ours = gs::waf::RunExchange(engine, shape.exchange);
    const bool same = ours.disruptive == theirs.disruptive && ours.status == theirs.status &&
                      IdSet(ours) == IdSet(theirs);
    std::printf("%-15s %5s        ours:           %s %d [%s]%s\n", "", "",
                ours.disruptive ? "DENY" : "pass", ours.status, Ids(IdSet(ours)).c_str(),
                same ? "" : "   <<<<<<<<<< MISMATCH");
    if (!same) {
      mismatch = true;
      std::set<int64_t> a = IdSet(ours), b = IdSet(theirs), only_ours, only_theirs;
      std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                          std::inserter(only_ours, only_ours.end()));
      std::set_difference(b.begin(), b.end(), a.begin(), a.end(),
                          std::inserter(only_theirs, only_theirs.end()));
      std::string x, y;
      for (int64_t id : only_ours) x += " " + std::to_string(id);
      for (int64_t id : only_theirs) y += " " + std::to_string(id);
      std::printf("%-15s %5s        only ours:[%s ]  only libmodsecurity:[%s ]\n", "", "",
                  x.c_str(), y.c_str());
      std::fprintf(stderr, "\n!!!!! MISMATCH on %s: verdicts or matched rule ids differ !!!!!\n\n",
                   shape.name.c_str());
    }
#endif
  }

  // A B A B ...: each round runs every shape on both sides.
  for (int r = 0; r < rounds; ++r) {
    for (const Shape& shape : shapes) {
      const std::string suffix = "/" + shape.name + "/r" + std::to_string(r);
      benchmark::RegisterBenchmark(("libmodsecurity" + suffix).c_str(),
                                   [&modsec, &shape](benchmark::State& state) {
                                     for (auto _ : state) {
                                       benchmark::DoNotOptimize(modsec.Evaluate(shape.exchange));
                                     }
                                   })
          ->Unit(benchmark::kMicrosecond);
#ifdef GS_HAVE_WAF_ENGINE
      benchmark::RegisterBenchmark(("ours" + suffix).c_str(), [&engine,
                                                               &shape](benchmark::State& state) {
        for (auto _ : state) {
          benchmark::DoNotOptimize(gs::waf::RunExchange(engine, shape.exchange));
        }
      })->Unit(benchmark::kMicrosecond);
#endif
    }
  }
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::Shutdown();

  std::printf("\nper request CPU time, median of %d rounds (min..max), microseconds:\n", rounds);
  std::string ratios;
  for (const Shape& shape : shapes) {
    auto& sides = collector.times[shape.name];
    const auto& m = sides["libmodsecurity"];
    const auto& o = sides["ours"];
    if (m.empty()) continue;
    std::printf("  %-15s libmodsecurity %9.1f (%.1f..%.1f)", shape.name.c_str(), Median(m),
                *std::min_element(m.begin(), m.end()), *std::max_element(m.begin(), m.end()));
    if (!o.empty()) {
      std::printf("   ours %8.2f (%.2f..%.2f)", Median(o), *std::min_element(o.begin(), o.end()),
                  *std::max_element(o.begin(), o.end()));
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%s %.1fx", ratios.empty() ? "" : ", ", shape.name.c_str(),
                    Median(m) / Median(o));
      ratios += buf;
    }
    std::printf("\n");
  }
  if (mismatch) std::printf("\n!!!!! verdict/rule-id MISMATCH on some shape (see above) !!!!!\n");
  if (ratios.empty()) {
    std::printf("ratio libmodsecurity/ours: our engine not built (gs::waf missing)\n");
  } else {
    std::printf("ratio libmodsecurity/ours (higher = we are faster): %s\n", ratios.c_str());
  }
  return mismatch ? 1 : 0;
}
