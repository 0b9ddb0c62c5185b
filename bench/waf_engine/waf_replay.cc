// Deterministic replay of the gateway benchmark's WAF work (bench/gateway.sh side d), for
// profiling the engine as the gateway drives it, without the proxy, the kernel or wrk:
//   - the same configuration as gateway.sh's modsec-main.conf (Debian's modsecurity.conf with
//     SecRuleEngine On, then CRS 3.3.4 PL1), or the file given with --config;
//   - the same request as wrk sends (GET /index.html?id=42&q=hello+world with Host, User-Agent
//     and Accept; or the 2 KB / 28-field urlencoded POST), and the same upstream response as the
//     gateway hands the WAF filter (backend nginx's "200 ok\n", text/plain, its hop-by-hop
//     fields dropped), through phases 1-5 in src/gateway/waf_filter.cc's call order, with the
//     gateway's request id, and the filter's work after phase 5 (the logged rule ids);
//   - K transactions in flight at once (--interleave, default 16 = wrk's 16 connections on one
//     worker): every request side runs, then every response side, so each transaction's state is
//     touched again only after K-1 others, as in the gateway;
//   - with --evict-kb N, N KiB of other memory are written before each request and response side,
//     as the gateway's kernel and proxy work between two WAF calls push the rule set's and the
//     transaction's cache lines out (what a layout or prefetch change is for; the default 0
//     measures the engine with warm caches).
//
// Prints the outcome of the first transaction (verdict, matched rule ids), then CPU time per
// transaction. Instruction counts are what to compare on a shared machine:
//   valgrind --tool=callgrind build/release/bench/waf_engine/waf_replay --iters 2000
// (the first --warmup transactions fill the engine's pools; callgrind's totals include the
// compile, so compare runs with the same --iters, or use --toggle-collect=RunTransactions).
//
// Usage: waf_replay [--config FILE] [--shape get|post] [--iters N] [--interleave K]
//                   [--warmup N] [--evict-kb N] [--quiet]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "waf/waf.h"

namespace {

// bench/gateway.sh's request bodies and headers.
std::string PostBody() {
  std::string b = "name=%E5%BC%A0%E4%B8%89&id_card=110101199003071234&phone=13800138000";
  b += "&email=zhangsan%40example.com&address=%E5%8C%97%E4%BA%AC%E5%B8%82%E4%B8%9C%E5%9F%8E%E5%8C"
       "%BA%E6%99%AF%E5%B1%B1%E5%89%8D%E8%A1%974%E5%8F%B7";
  for (int i = 6; i <= 28; ++i) {
    b += "&field" + std::to_string(i) + "=value+" + std::to_string(i) +
         "+%E6%94%BF%E5%8A%A1%E6%9C%8D%E5%8A%A1+lorem+ipsum+dolor+sit+amet+" + std::to_string(i);
  }
  while (b.size() < 2048) b += 'x';
  return b.substr(0, 2048);
}

struct Request {
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

Request MakeRequest(bool post) {
  Request r;
  r.method = post ? "POST" : "GET";
  r.target = post ? "/form" : "/index.html?id=42&q=hello+world";
  r.headers = {{"Host", "localhost"},
               {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) wrk-bench"},
               {"Accept", "text/html"}};
  if (post) {
    r.body = PostBody();
    r.headers.emplace_back("Content-Length", std::to_string(r.body.size()));
    r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  return r;
}

// What the gateway's WAF filter sees of bench/peer-nginx/backend.conf's answer.
const std::vector<std::pair<std::string, std::string>> kResponseHeaders = {
    {"Server", "nginx/1.22.1"},
    {"Date", "Sun, 06 Dec 2026 21:30:00 GMT"},
    {"Content-Type", "text/plain"},
    {"Content-Length", "3"}};
const char kResponseBody[] = "ok\n";

// The default configuration: what ../shared/bench/peer-nginx/make-modsec-main.sh writes, minus
// the file paths of the audit log and temporary directories.
std::string DefaultConfig() {
  return "Include /etc/nginx/modsecurity.conf\n"
         "SecRuleEngine On\n"
         "SecAuditLog /dev/null\n"
         "SecUnicodeMapFile /etc/nginx/unicode.mapping 20127\n"
         "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=1\"\n"
         "Include /etc/modsecurity/crs/crs-setup.conf\n"
         "Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf\n"
         "Include /usr/share/modsecurity-crs/rules/*.conf\n"
         "Include /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf\n";
}

struct Slot {
  std::unique_ptr<gs::waf::Transaction> tx;
  bool blocked = false;
};

uint64_t g_request_counter = 0;

// waf_filter.cc OnRequestHeaders (+ OnRequestBody for the POST).
void RequestSide(gs::waf::Engine& engine, const Request& req, Slot* s) {
  char id[32];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(++g_request_counter));
  s->tx = engine.NewTransaction(id);
  s->blocked = false;
  gs::waf::Transaction& t = *s->tx;
  t.ProcessConnection("127.0.0.1", 40000 + static_cast<int>(g_request_counter % 20000), "127.0.0.1",
                      18484);
  t.ProcessUri(req.target, req.method, "1.1");
  for (const auto& [n, v] : req.headers) t.AddRequestHeader(n, v);
  if (t.ProcessRequestHeaders() && t.intervention().disruptive()) {
    s->blocked = true;
    return;
  }
  if (!req.body.empty()) t.AppendRequestBody(req.body);
  if (t.ProcessRequestBody() && t.intervention().disruptive()) s->blocked = true;
}

size_t g_sink = 0;

// OnResponseHeaders, OnResponseBody, OnLog (the logged rule ids), then the filter's destruction.
void ResponseSide(Slot* s) {
  gs::waf::Transaction& t = *s->tx;
  if (!s->blocked) {
    for (const auto& [n, v] : kResponseHeaders) t.AddResponseHeader(n, v);
    if (!t.ProcessResponseHeaders(200, "HTTP/1.1")) {
      t.AppendResponseBody(kResponseBody);
      t.ProcessResponseBody();
    }
  }
  t.ProcessLogging();
  for (const gs::waf::MatchedRule& m : t.matched_rules()) {
    if (m.log || m.disruptive) g_sink += static_cast<size_t>(m.id);
  }
  s->tx.reset();
}

// --evict-kb: memory written between WAF calls.
std::vector<uint64_t> g_evict;

void Evict() {
  for (size_t i = 0; i < g_evict.size(); i += 8) g_evict[i] += i;  // one write per cache line
}

// Runs `n` transactions, `k` in flight: request sides of a batch, then their response sides.
void __attribute__((noinline))
RunTransactions(gs::waf::Engine& engine, const Request& req, size_t n, size_t k) {
  std::vector<Slot> slots(k);
  for (size_t done = 0; done < n;) {
    size_t batch = std::min(k, n - done);
    for (size_t i = 0; i < batch; ++i) {
      Evict();
      RequestSide(engine, req, &slots[i]);
    }
    for (size_t i = 0; i < batch; ++i) {
      Evict();
      ResponseSide(&slots[i]);
    }
    done += batch;
  }
}

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_file, shape = "get";
  size_t iters = 20000, interleave = 16, warmup = 256;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "waf_replay: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--config") {
      config_file = next();
    } else if (a == "--shape") {
      shape = next();
    } else if (a == "--iters") {
      iters = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--interleave") {
      interleave = std::max<size_t>(1, std::strtoull(next().c_str(), nullptr, 10));
    } else if (a == "--warmup") {
      warmup = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--evict-kb") {
      g_evict.assign(std::strtoull(next().c_str(), nullptr, 10) * 1024 / sizeof(uint64_t), 0);
    } else if (a == "--quiet") {
      quiet = true;
    } else {
      std::fprintf(stderr,
                   "usage: waf_replay [--config FILE] [--shape get|post] [--iters N] "
                   "[--interleave K] [--warmup N] [--evict-kb N] [--quiet]\n");
      return 2;
    }
  }
  if (shape != "get" && shape != "post") {
    std::fprintf(stderr, "waf_replay: --shape get or post\n");
    return 2;
  }
  gs::waf::CompileReport report = config_file.empty()
                                      ? gs::waf::CompileString(DefaultConfig(), "modsec-main.conf")
                                      : gs::waf::CompileFiles({config_file});
  if (!report.ok()) {
    std::fprintf(stderr, "waf_replay: %s\n", report.ToStatus().ToString().c_str());
    return 2;
  }
  gs::waf::Engine engine(report.rules);
  const Request req = MakeRequest(shape == "post");

  {  // The outcome, once.
    Slot s;
    RequestSide(engine, req, &s);
    gs::waf::Transaction& t = *s.tx;
    for (const auto& [n, v] : kResponseHeaders) t.AddResponseHeader(n, v);
    t.ProcessResponseHeaders(200, "HTTP/1.1");
    t.AppendResponseBody(kResponseBody);
    t.ProcessResponseBody();
    t.ProcessLogging();
    if (!quiet) {
      std::printf("waf_replay %s: %s", shape.c_str(),
                  t.intervention().disruptive() ? "DENY" : "pass");
      std::printf(", matched:");
      for (int64_t id : t.matched_rule_ids()) std::printf(" %lld", static_cast<long long>(id));
      std::printf("\n");
    }
    s.tx.reset();
  }
  RunTransactions(engine, req, warmup, interleave);
  double t0 = CpuSeconds();
  RunTransactions(engine, req, iters, interleave);
  double t1 = CpuSeconds();
  // The eviction's own cost is measured alone and taken out.
  double e0 = CpuSeconds();
  for (size_t i = 0; i < 2 * iters; ++i) Evict();
  double evict = CpuSeconds() - e0;
  std::printf(
      "waf_replay %s: %zu transactions, %zu in flight, %zu KiB evicted per call: %.2f us CPU per "
      "transaction\n",
      shape.c_str(), iters, interleave, g_evict.size() * sizeof(uint64_t) / 1024,
      iters ? (t1 - t0 - evict) * 1e6 / iters : 0.0);
  return g_sink == 1 ? 3 : 0;
}
