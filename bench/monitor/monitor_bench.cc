// bench/monitor (issue 6, acceptance 5): one monitor round over N simulated government sites on
// loopback, then page-fetch speed against LinkChecker (Debian `linkchecker`) on the same site.
//
//   monitor_bench [SITES=10000] [PEER_PAGES=2000] [ROUNDS=2]
//
// The sites: site<i>.bench.gov.cn, all answered by one local HTTP server (by Host header), four
// TLS servers with a *.bench.gov.cn certificate from a test CA, and a real nsd serving the
// bench.gov.cn zone with every site's A record, queried directly and through a real unbound.
// Every target has availability, TLS, DNS (A at the authoritative server and the resolver,
// zone NS/SOA drift, wildcard probe; DNSSEC off) and content (browser, Baiduspider and
// search-referer views) checks. Round 1 creates every baseline; later rounds are steady state.
// Prints per round: wall seconds, CPU seconds (user+sys) of this process (the monitor alone:
// the HTTP/TLS servers run in a forked child), CPU seconds of the servers (that child, nsd and
// unbound), the estimate (monitor CPU + server CPU) / 2 of the wall time on two otherwise idle
// cores, and peak RSS; then both fetchers' pages/s and the ratio last.
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "monitor/checks/content/html_extract.h"
#include "monitor/http_fetcher.h"
#include "monitor/monitor.h"
#include "monitor/testing/dns_lab.h"
#include "monitor/testing/page_server.h"
#include "monitor/testing/tls_test_server.h"
#include "tests/testlib/subprocess.h"
#include "tests/testlib/temp_dir.h"

namespace {

using gs::monitor::testing::HttpRequest;
using gs::monitor::testing::HttpResponse;
using gs::testing::BackgroundProcess;
using gs::testing::RunProcess;
using gs::testing::WaitFor;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// User+system CPU seconds of the processes `roots` and all their descendants (live ones from
// /proc/<pid>/stat, exited ones through their parents' reaped-children times).
double TreeCpuSeconds(const std::vector<pid_t>& roots) {
  struct Proc {
    pid_t ppid = 0;
    double cpu = 0;
  };
  std::map<pid_t, Proc> procs;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  DIR* d = opendir("/proc");
  if (d == nullptr) return 0;
  while (dirent* e = readdir(d)) {
    pid_t pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::ifstream f("/proc/" + std::string(e->d_name) + "/stat");
    std::string line;
    if (!std::getline(f, line)) continue;
    size_t close_paren = line.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream in(line.substr(close_paren + 2));
    std::string field;
    std::vector<std::string> v;  // from field 3 (state) on
    while (in >> field && v.size() < 15) v.push_back(field);
    if (v.size() < 15) continue;
    // Fields 4 ppid, 14 utime, 15 stime, 16 cutime, 17 cstime.
    procs[pid] = Proc{static_cast<pid_t>(std::atoi(v[1].c_str())),
                      (std::atof(v[11].c_str()) + std::atof(v[12].c_str()) +
                       std::atof(v[13].c_str()) + std::atof(v[14].c_str())) /
                          tick};
  }
  closedir(d);
  double sum = 0;
  for (const auto& [pid, p] : procs) {
    for (pid_t q = pid; q > 1;) {
      if (std::find(roots.begin(), roots.end(), q) != roots.end()) {
        sum += p.cpu;
        break;
      }
      auto it = procs.find(q);
      if (it == procs.end()) break;
      q = it->second.ppid;
    }
  }
  return sum;
}

long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// The simulated home page of one site (~3 KiB, Chinese text, news list with dates).
std::string SitePage(const std::string& host) {
  std::string p =
      "<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + host +
      " 人民政府门户网站</title><script src='/js/main.js'></script></head><body>"
      "<div class='nav'><a href='/'>首页</a><a href='/zwgk/'>政务公开</a><a href='/bsfw/'>办事服务"
      "</a><a href='/hdjl/'>互动交流</a></div><div class='news'><h2>要闻动态</h2><ul>";
  for (int i = 0; i < 12; ++i) {
    // News of the last 12 days, so the page stays fresh (no content_stale) whenever it runs.
    char date[16];
    const time_t t = time(nullptr) - static_cast<time_t>(i) * 86400;
    tm day{};
    gmtime_r(&t, &day);
    std::strftime(date, sizeof date, "%Y-%m-%d", &day);
    p += "<li><a href='/xw/" + std::to_string(i) +
         ".html'>关于进一步优化政务服务提升行政效能的通知（第" + std::to_string(i) +
         "号）</a><span>" + date + "</span></li>";
  }
  p += "</ul></div><div class='footer'>主办单位：" + host + " 人民政府办公室</div></body></html>";
  return p;
}

struct Dns {
  gs::testing::TempDir dir;
  std::unique_ptr<BackgroundProcess> nsd, unbound;
  int nsd_port = 0, unbound_port = 0;

  std::string Start(int sites) {
    const std::string d = dir.path();
    std::ofstream z(d + "/bench.zone");
    z << "$ORIGIN bench.gov.cn.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n"
         "@ IN NS ns1\nns1 IN A 127.0.0.1\n";
    for (int i = 0; i < sites; ++i) z << "site" << i << " IN A 127.0.0.1\n";
    z.close();
    nsd_port = gs::monitor::testing::FreeDualPort();
    unbound_port = gs::monitor::testing::FreeDualPort();
    std::ofstream(d + "/nsd.conf")
        << "server:\n  ip-address: 127.0.0.1@" << nsd_port << "\n  username: \"\"\n  chroot: \"\"\n"
        << "  zonesdir: \"" << d << "\"\n  pidfile: \"" << d << "/nsd.pid\"\n  xfrdfile: \"" << d
        << "/xfrd.state\"\n  zonelistfile: \"" << d << "/zone.list\"\n  database: \"\"\n"
        << "  logfile: \"" << d << "/nsd.log\"\n  server-count: 1\n  do-ip6: no\n"
        << "remote-control:\n  control-enable: no\nzone:\n  name: bench.gov.cn\n  zonefile: \"" << d
        << "/bench.zone\"\n";
    std::ofstream(d + "/unbound.conf")
        << "server:\n  interface: 127.0.0.1\n  port: " << unbound_port
        << "\n  username: \"\"\n  chroot: \"\"\n  directory: \"" << d << "\"\n  pidfile: \"" << d
        << "/unbound.pid\"\n  use-syslog: no\n  logfile: \"\"\n  num-threads: 1\n  do-ip6: no\n"
        << "  do-not-query-localhost: no\n  access-control: 127.0.0.0/8 allow\n"
        << "  module-config: \"iterator\"\n  msg-cache-size: 64m\n  rrset-cache-size: 64m\n"
        << "  ratelimit: 0\n  ip-ratelimit: 0\n"
        << "remote-control:\n  control-enable: no\nstub-zone:\n  name: \"bench.gov.cn\"\n"
        << "  stub-addr: 127.0.0.1@" << nsd_port << "\n";
    nsd = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"nsd", "-d", "-c", d + "/nsd.conf"}, d);
    unbound = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"unbound", "-d", "-c", d + "/unbound.conf"}, d);
    auto answers = [](int port) {
      auto r = RunProcess(
          {"drill", "-p", std::to_string(port), "@127.0.0.1", "site0.bench.gov.cn", "A"}, "", 3000);
      return r.exit_code == 0 && r.out.find("127.0.0.1") != std::string::npos &&
             r.out.find(";; ANSWER SECTION:\nsite0") != std::string::npos;
    };
    if (!WaitFor([&] { return answers(nsd_port); }, 30000)) return "nsd did not start";
    if (!WaitFor([&] { return answers(unbound_port); }, 30000)) return "unbound did not start";
    return "";
  }
  ~Dns() {
    for (auto* p : {&unbound, &nsd}) {
      if (!*p) continue;
      pid_t pid = (*p)->pid();
      (*p)->Signal(SIGTERM);
      (*p)->Wait(5000);
      if (pid > 0) kill(-pid, SIGKILL);
    }
  }
};

// The child: HTTP server for every site (and LinkChecker's page), four TLS servers with a
// *.bench.gov.cn certificate. Writes its 6 ports, then answers each byte on `in` with the
// request and handshake counts, and returns when `in` closes.
int RunServers(const std::string& dir, int peer_pages, int out, int in) {
  std::signal(SIGPIPE, SIG_IGN);

  // One HTTP server for every site and for the LinkChecker site; the "LinkChecker" header lets
  // LinkChecker lift its 10 requests/s per-host limit (linkcheckerrc maxrequestspersecond).
  gs::monitor::testing::PageServer http([&](const HttpRequest& r) {
    HttpResponse resp;
    resp.headers.push_back("LinkChecker: allow");
    if (r.path == "/links.html") {
      std::string b = "<html><head><title>links</title></head><body><ul>";
      for (int i = 0; i < peer_pages; ++i)
        b += "<li><a href='/p/" + std::to_string(i) + ".html'>第" + std::to_string(i) +
             "号通知</a></li>";
      resp.body = b + "</ul></body></html>";
    } else if (r.path.rfind("/p/", 0) == 0) {
      // Peer pages carry no links, so both fetchers stop at depth 1.
      resp.body = "<html><head><title>" + r.path + "</title></head><body><p>" +
                  std::string(2000, 'x') + "</p></body></html>";
    } else if (r.path == "/" || r.path == "/index.html") {
      resp.body = SitePage(r.host);
    } else {
      resp.status = 404;
      resp.body = "not found";
    }
    return resp;
  });

  gs::monitor::testing::CertFactory ca(dir, "bench");
  gs::monitor::testing::TlsServerOptions to;
  to.cert = ca.Issue("wild", {"*.bench.gov.cn"}, -86400, 365 * 86400);
  std::vector<std::unique_ptr<gs::monitor::testing::TlsTestServer>> tls;
  for (int i = 0; i < 4; ++i)
    tls.push_back(std::make_unique<gs::monitor::testing::TlsTestServer>(to));
  for (auto& t : tls)
    if (!t->error().empty()) {
      std::fprintf(stderr, "tls server: %s\n", t->error().c_str());
      return 1;
    }
  int ports[6] = {http.port(), tls[0]->port(), tls[1]->port(), tls[2]->port(), tls[3]->port(), 1};
  if (write(out, ports, sizeof ports) != static_cast<ssize_t>(sizeof ports)) return 1;
  char c;
  while (read(in, &c, 1) == 1) {
    int hs = 0;
    for (auto& t : tls) hs += t->handshakes();
    int v[2] = {http.requests(), hs};
    if (write(out, v, sizeof v) != static_cast<ssize_t>(sizeof v)) return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int sites = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int peer_pages = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 2;
  std::signal(SIGPIPE, SIG_IGN);
  // CHECKS=availability,tls,dns,content (default all) picks the checks, to see each one's cost.
  const std::string checks =
      std::getenv("CHECKS") ? std::getenv("CHECKS") : "availability,tls,dns,content";
  auto on = [&](const char* c) { return checks.find(c) != std::string::npos; };
  gs::testing::TempDir dir;
  // The servers run in a child process forked before any thread exists, so this process's
  // CPU time and peak RSS are the monitor's alone. The child reports its ports on a pipe and
  // exits when the pipe back to it closes.
  int up[2], down[2];
  if (pipe2(up, O_CLOEXEC) != 0 || pipe2(down, O_CLOEXEC) != 0) return 1;
  pid_t servers = fork();
  if (servers == 0) {
    close(up[0]);
    close(down[1]);
    _exit(RunServers(dir.path(), peer_pages, up[1], down[0]));
  }
  close(up[1]);
  close(down[0]);
  int ports[6] = {0};
  if (read(up[0], ports, sizeof ports) != static_cast<ssize_t>(sizeof ports) || ports[0] == 0) {
    std::fprintf(stderr, "servers did not start\n");
    return 1;
  }
  const int http_port = ports[0];
  const std::vector<int> tls_ports(ports + 1, ports + 5);
  const std::string ca_pem = dir.path() + "/bench-ca.pem";
  auto server_requests = [&] {
    int v[2] = {0, 0};
    char c = 'q';
    if (write(down[1], &c, 1) != 1 || read(up[0], v, sizeof v) != static_cast<ssize_t>(sizeof v))
      return std::pair<int, int>{-1, -1};
    return std::pair<int, int>{v[0], v[1]};
  };
  Dns dns;
  if (std::string err = dns.Start(sites); !err.empty()) {
    std::fprintf(stderr, "dns: %s\n", err.c_str());
    return 1;
  }

  std::ostringstream y;
  y << "interval: 30m\njitter: 0s\nstate: bench.db\nworkers: 32\nhttp_concurrency: 256\n"
       "http_per_host: 1000\ndns:\n  resolvers: [\"127.0.0.1:"
    << dns.unbound_port << "\"]\n  mismatch_rounds: 1\n  timeout: 3s\ntargets:\n";
  for (int i = 0; i < sites; ++i) {
    std::string host = "site" + std::to_string(i) + ".bench.gov.cn";
    std::string url = "http://" + host + ":" + std::to_string(http_port) + "/";
    y << "  - name: s" << i << "\n";
    if (on("availability")) y << "    availability: {url: \"" << url << "\", connect: 127.0.0.1}\n";
    if (on("content")) y << "    content: {url: \"" << url << "\", connect: 127.0.0.1}\n";
    if (on("tls"))
      y << "    tls: {host: " << host
        << ", connect: 127.0.0.1, port: " << tls_ports[i % tls_ports.size()]
        << ", ca_bundle: " << ca_pem << "}\n";
    if (on("dns"))
      y << "    dns: {names: [" << host
        << "], zone: bench.gov.cn, authoritative: [\"127.0.0.1:" << dns.nsd_port
        << "\"], types: [A], dnssec: off}\n";
  }
  auto cfg = gs::monitor::ParseMonitorConfig(y.str(), dir.path());
  if (!cfg.ok()) {
    std::fprintf(stderr, "config: %s\n", cfg.status().ToString().c_str());
    return 1;
  }
  auto m = gs::monitor::Monitor::Create(std::move(*cfg), nullptr, gs::SystemTime());
  if (!m.ok()) {
    std::fprintf(stderr, "monitor: %s\n", m.status().ToString().c_str());
    return 1;
  }
  std::printf("monitor_bench: %d sites, checks %s\n", sites, checks.c_str());
  const std::vector<pid_t> server_pids = {servers, dns.nsd->pid(), dns.unbound->pid()};
  for (int r = 1; r <= rounds; ++r) {
    double load[1] = {0};
    getloadavg(load, 1);
    const double t0 = Now(), c0 = CpuSeconds(), s0 = TreeCpuSeconds(server_pids);
    const auto [h0, hs0] = server_requests();
    auto f = (*m)->RunOnce();
    const double secs = Now() - t0, cpu = CpuSeconds() - c0;
    const auto [h1, hs] = server_requests();
    const double server_cpu = TreeCpuSeconds(server_pids) - s0;
    if (!f.ok()) {
      std::fprintf(stderr, "round failed: %s\n", f.status().ToString().c_str());
      return 1;
    }
    std::map<std::string, int> by;
    for (const auto& x : *f)
      if (by[x.check]++ == 0)  // one example of each kind, to tell a bench artefact from a bug
        std::printf("  e.g. %s %s: %s\n", x.check.c_str(), x.subject.c_str(),
                    x.evidence.dump().substr(0, 300).c_str());
    std::string kinds;
    for (const auto& [k, n] : by) kinds += " " + k + "=" + std::to_string(n);
    std::printf(
        "round %d: %.1f s for %d sites (%.0f sites/s; HTTP phase %.1f s), CPU %.1f s (monitor "
        "process only), peak RSS %ld MB, %d HTTP requests, %d TLS handshakes, findings %zu%s\n",
        r, secs, sites, sites / secs, (*m)->last_round().fetch_seconds, cpu, PeakRssMb(), h1 - h0,
        hs - hs0, f->size(), kinds.c_str());
    std::printf(
        "round %d CPU: monitor %.1f s/round, servers (HTTP/TLS child, nsd, unbound) %.1f s/round; "
        "ESTIMATE of the round on 2 idle cores = (monitor + servers) / 2 = %.1f s (measured wall "
        "%.1f s at load average %.1f)\n",
        r, cpu, server_cpu, (cpu + server_cpu) / 2, secs, load[0]);
    std::fflush(stdout);
  }

  // Page-fetch speed on the same server: the start page and its peer_pages links, fetched and
  // parsed; LinkChecker does the same at depth 1 with its default 10 threads.
  const std::string start = "http://127.0.0.1:" + std::to_string(http_port) + "/links.html";
  gs::monitor::InitHtmlParser();
  const double o0 = Now();
  auto get = [](const std::string& url) {
    gs::monitor::FetchRequest r;
    r.url = url;
    return r;
  };
  auto first = gs::monitor::FetchOne(get(start));
  auto links = gs::monitor::ExtractPage(first.body, start);
  std::vector<gs::monitor::FetchRequest> reqs;
  for (const auto& l : links->links) reqs.push_back(get(l.href));
  gs::monitor::FetcherOptions fo;
  fo.max_concurrency = 10;  // LinkChecker's default thread count
  fo.max_per_host = 10;
  auto res = gs::monitor::FetchAll(reqs, fo);
  int ok = 0;
  for (const auto& r : res) {
    if (!r.Ok()) continue;
    ok += gs::monitor::ExtractPage(r.body, start).ok();
  }
  const double ours = Now() - o0;
  const std::string rc = dir.path() + "/linkcheckerrc";
  std::ofstream(rc) << "[checking]\nmaxrequestspersecond=1000\nthreads=10\n"
                       "[output]\nstatus=0\nwarnings=0\n";
  // LinkChecker's fixed cost (Python start-up, one page) is measured apart and subtracted, so
  // the ratio compares fetching, not interpreter start-up.
  const double s0 = Now();
  RunProcess({"linkchecker", "-f", rc, "-r", "0", "--no-status", "-o", "none",
              "http://127.0.0.1:" + std::to_string(http_port) + "/p/0.html"},
             "", 60000);
  const double lc_fixed = Now() - s0;
  const double l0 = Now();
  auto lc = RunProcess(
      {"linkchecker", "-f", rc, "-r", "1", "--no-status", "--verbose", "-o", "csv", start}, "",
      600000);
  const double theirs_total = Now() - l0;
  const double theirs = std::max(0.001, theirs_total - lc_fixed);
  // LinkChecker's CSV has one row per checked URL: count the peer pages it really fetched.
  std::set<std::string> lc_urls;
  for (size_t p = lc.out.find("/p/"); p != std::string::npos; p = lc.out.find("/p/", p + 1)) {
    size_t e = lc.out.find(".html", p);
    if (e != std::string::npos && e - p < 16) lc_urls.insert(lc.out.substr(p, e - p));
  }
  const int lc_pages = static_cast<int>(lc_urls.size());
  std::printf("linkchecker: %s\n",
              RunProcess({"linkchecker", "--version"}).out.substr(0, 18).c_str());
  if (lc.exit_code != 0)
    std::printf("linkchecker exit %d: %s\n", lc.exit_code, lc.err.substr(0, 300).c_str());
  std::printf(
      "page fetch (%d pages, 10 connections): govshield %.2f s (%.0f pages/s, %d ok), "
      "linkchecker %.2f s - %.2f s start-up = %.2f s (%.0f pages/s, %d page URLs in its "
      "report)\n",
      peer_pages + 1, ours, (peer_pages + 1) / ours, ok, theirs_total, lc_fixed, theirs,
      (peer_pages + 1) / theirs, lc_pages);
  close(down[1]);
  waitpid(servers, nullptr, 0);
  std::printf("ratio govshield/linkchecker pages/s: %.1f\n", theirs / ours);
  return 0;
}
