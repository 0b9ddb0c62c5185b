// `govshield audit serve`: the audit log as a service. Opens the store as its single writer and
// runs the syslog (RFC 5424/3164 over UDP and TCP) and HTTP/JSON ingest listeners in front of
// it. Retention is enforced while it runs: expired sealed segments are purged (with a signed
// purge entry) at start and every hour.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "audit/store.h"
#include "cli/audit_service.h"
#include "cli/cli.h"
#include "core/log.h"
#include "logingest/ingest_server.h"
#include "platform/file.h"

namespace gs::cli {

namespace {

std::string Endpoint(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

}  // namespace

Status RunAuditService(const AuditServiceOptions& o) {
  // Block the stop signals before any thread starts so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  if (o.on_reload) sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  audit::AuditStore::OpenOptions open_options;
  if (!o.fsync.empty()) {
    GS_ASSIGN_OR_RETURN(open_options.fsync, audit::ParseFsyncPolicy(o.fsync));
    open_options.override_fsync = true;
  }
  auto store = audit::AuditStore::Open(o.store, open_options);
  if (!store.ok()) return store.status().WithContext("open audit store " + o.store);
  for (const auto& t : (*store)->recovery().torn) {
    std::fprintf(stderr,
                 "audit serve: recovered torn tail of %s at offset %llu (%llu bytes, kept as %s)\n",
                 t.file.c_str(), (unsigned long long)t.offset, (unsigned long long)t.bytes,
                 t.evidence.c_str());
  }

  auto purge = [&] {
    auto purged = (*store)->Purge(SystemTime().Now());
    if (!purged.ok()) {
      LogWarning("audit", "retention purge failed: " + purged.status().ToString());
    } else if (!purged->empty()) {
      LogInfo("audit", "retention purge removed " + std::to_string(purged->size()) + " segment(s)");
    }
  };
  purge();

  logingest::IngestOptions io;
  io.bind_host = o.bind;
  io.udp_port = o.syslog_udp;
  io.tcp_port = o.syslog_tcp;
  io.http_port = o.http;
  auto server = logingest::IngestServer::Start(io, store->get(), SystemTime());
  if (!server.ok()) {
    return server.status().WithContext(
        "start listeners (is another audit serve running? "
        "choose other ports with --syslog-udp/--syslog-tcp/--http)");
  }
  int udp = (*server)->udp_port(), tcp = (*server)->tcp_port(), http = (*server)->http_port();
  if (!o.ports_file.empty()) {
    std::string json = "{\"syslog_udp\":" + std::to_string(udp) +
                       ",\"syslog_tcp\":" + std::to_string(tcp) +
                       ",\"http\":" + std::to_string(http) + "}\n";
    GS_RETURN_IF_ERROR(platform::WriteFileAtomic(o.ports_file, json));
  }
  if (o.on_started) {
    Status started = o.on_started(store->get());
    if (!started.ok()) {
      (*server)->Stop();
      (*store)->Close().IgnoreError();
      return started;
    }
  }
  std::printf("govshield audit serve: store %s\n", o.store.c_str());
  if (udp >= 0) std::printf("  syslog UDP   %s\n", Endpoint(o.bind, udp).c_str());
  if (tcp >= 0)
    std::printf("  syslog TCP   %s (octet-counting or newline framing)\n",
                Endpoint(o.bind, tcp).c_str());
  if (http >= 0)
    std::printf("  HTTP ingest  http://%s/v1/records (POST JSON/NDJSON), /healthz\n",
                Endpoint(o.bind, http).c_str());
  if (o.print_banner) {
    if (tcp >= 0) {
      std::printf("try:    logger -n %s -P %d -T --rfc5424 hello\n", o.bind.c_str(), tcp);
    }
    std::printf("query:  govshield audit query --store %s --source syslog\n", o.store.c_str());
    std::printf("verify: govshield audit verify --store %s\n", o.store.c_str());
    std::printf("stop:   Ctrl-C\n");
  }
  std::fflush(stdout);

  // Hourly retention purge on its own thread; the main thread waits for a stop signal.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread purger([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(o.purge_every_s), [&] { return stopping; })) {
      lock.unlock();
      purge();
      lock.lock();
    }
  });
  int sig = 0;
  for (;;) {
    sigwait(&stop_signals, &sig);
    if (sig == SIGHUP && o.on_reload) {
      o.on_reload();
      continue;
    }
    break;
  }
  if (o.on_stopping) o.on_stopping();
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
  }
  cv.notify_all();
  purger.join();
  (*server)->Stop();
  auto c = (*server)->counters();
  Status closed = (*store)->Close();
  std::fprintf(stderr,
               "audit serve: stopped (received %llu, stored %llu, anomalies %llu, errors %llu)\n",
               (unsigned long long)c.received, (unsigned long long)c.stored,
               (unsigned long long)c.anomalies, (unsigned long long)c.errors);
  return closed;
}

void RegisterAuditServe(CLI::App& audit) {
  auto o = std::make_shared<AuditServiceOptions>();
  auto* c = audit.add_subcommand(
      "serve", "Run the store as a service: syslog (UDP/TCP) and HTTP/JSON ingest");
  c->add_option("--store", o->store, "Store directory (created by audit init)")->required();
  c->add_option("--bind", o->bind, "Address to listen on")->capture_default_str();
  c->add_option("--syslog-udp", o->syslog_udp, "Syslog UDP port (0 = any free, -1 = off)")
      ->capture_default_str();
  c->add_option("--syslog-tcp", o->syslog_tcp, "Syslog TCP port (0 = any free, -1 = off)")
      ->capture_default_str();
  c->add_option("--http", o->http, "HTTP ingest port (0 = any free, -1 = off)")
      ->capture_default_str();
  c->add_option("--ports-file", o->ports_file, "Write the bound ports as JSON to this file");
  c->add_option("--fsync", o->fsync, "Override the store's fsync policy: always|interval|batch");
  c->add_option("--purge-every", o->purge_every_s, "Seconds between retention purges")
      ->capture_default_str()
      ->check(CLI::Range(int64_t(1), int64_t(86400 * 7)));
  c->callback(Action([o] { return RunAuditService(*o); }));
}

}  // namespace gs::cli
