// Helpers for the gateway tests: a real upstream on 127.0.0.1 (port 0) that records every byte
// it receives and answers with a scripted response, a raw client that sends bytes and reads the
// answer, and an in-process gateway writing into a real AuditStore.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/query.h"
#include "audit/store.h"
#include "crypto/crypto.h"
#include "gateway/gateway.h"
#include "net/http_parser.h"
#include "platform/file.h"
#include "testlib/subprocess.h"
#include "testlib/temp_dir.h"

namespace gs::gateway::testing {

inline int ConnectTo(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

inline bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads until the peer closes or nothing arrives for `quiet_ms` (or `total_ms` passes).
inline std::string ReadUntilClose(int fd, int quiet_ms = 2000, int total_ms = 10000) {
  std::string out;
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(total_ms);
  char buf[16384];
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, quiet_ms);
    if (r <= 0) break;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Reads until `pred(out)` holds, the peer closes or `total_ms` passes.
inline std::string ReadUntil(int fd, const std::function<bool(const std::string&)>& pred,
                             int total_ms = 5000) {
  std::string out;
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(total_ms);
  char buf[16384];
  while (!pred(out) && std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Sends `raw` on a fresh connection, half-closes nothing, reads the whole answer.
inline std::string Exchange(uint16_t port, std::string_view raw, int quiet_ms = 1500) {
  int fd = ConnectTo(port);
  if (fd < 0) return "<connect failed>";
  SendAll(fd, raw);
  std::string out = ReadUntilClose(fd, quiet_ms);
  close(fd);
  return out;
}

// A loopback port that was free a moment ago (for configs that need a fixed port).
inline uint16_t FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// The first number after `key` in the ports-file JSON.
inline int PortFrom(const std::string& json, const std::string& key) {
  size_t p = json.find("\"" + key + "\":");
  if (p == std::string::npos) return 0;
  p += key.size() + 3;
  while (p < json.size() && (json[p] == '[' || json[p] == ' ')) ++p;
  return std::atoi(json.c_str() + p);
}

// A signed audit store made with the CLI (`keys gen`, `audit init`) under `dir`; empty paths
// when a step failed.
struct CliStore {
  std::string key, store;
  bool ok() const { return !store.empty(); }
};
inline CliStore MakeCliStore(const std::string& dir) {
  std::string bin = gs::testing::GovshieldBinary();
  std::string keys = platform::JoinPath(dir, "keys");
  if (gs::testing::RunProcess({bin, "keys", "gen", "--out", keys}).exit_code != 0) return {};
  CliStore s{keys + "/sm2-private.pem", platform::JoinPath(dir, "store")};
  if (gs::testing::RunProcess({bin, "audit", "init", "--store", s.store, "--key", s.key})
          .exit_code != 0) {
    return {};
  }
  return s;
}

// `govshield gateway run -c cfg` in the background (logs and its ports file in `dir`). port()
// is the first listener once the process has written its ports file, 0 if it did not within
// 20 s (then stderr() says why).
class GatewayRunProcess {
 public:
  GatewayRunProcess(const std::string& cfg, const std::string& dir)
      : ports_(platform::JoinPath(dir, "ports.json")),
        proc_({gs::testing::GovshieldBinary(), "gateway", "run", "-c", cfg, "--ports-file", ports_},
              dir) {
    if (gs::testing::WaitFor([&] { return platform::PathExists(ports_); }, 20000)) {
      port_ = static_cast<uint16_t>(PortFrom(platform::ReadFile(ports_).value_or(""), "gateway"));
    }
  }
  uint16_t port() const { return port_; }
  int admin_port() const { return PortFrom(platform::ReadFile(ports_).value_or(""), "admin"); }
  std::string stderr_text() const { return platform::ReadFile(proc_.StderrPath()).value_or(""); }
  gs::testing::BackgroundProcess& process() { return proc_; }

 private:
  std::string ports_;
  gs::testing::BackgroundProcess proc_;
  uint16_t port_ = 0;
};

inline int StatusOf(std::string_view response) {
  if (response.size() < 12 || response.substr(0, 7) != "HTTP/1.") return 0;
  return std::atoi(std::string(response.substr(9, 3)).c_str());
}

// A real upstream server: each connection is parsed with the strict request parser; for every
// complete request `respond(request_bytes)` gives the raw response to send. Everything received
// is recorded.
class RecordingUpstream {
 public:
  using Responder = std::function<std::string(const std::string& head, const std::string& body)>;

  explicit RecordingUpstream(Responder respond = nullptr) : respond_(std::move(respond)) {
    if (!respond_) {
      respond_ = [](const std::string&, const std::string& body) {
        std::string b = "upstream-ok:" + std::to_string(body.size());
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
               std::to_string(b.size()) + "\r\n\r\n" + b;
      };
    }
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    listen(listen_fd_, 128);
    socklen_t len = sizeof(a);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~RecordingUpstream() { Stop(); }
  void Stop() {
    if (stop_.exchange(true)) return;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& t : conn_threads_) t.join();
    conn_threads_.clear();
  }
  uint16_t port() const { return port_; }
  std::string received() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }
  std::vector<std::string> heads() const {
    std::lock_guard<std::mutex> lock(mu_);
    return heads_;
  }
  std::vector<std::string> bodies() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      connections_++;
      std::lock_guard<std::mutex> lock(mu_);
      conn_threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }
  void Serve(int fd) {
    net::HttpRequestParser parser;
    std::string buf, head, body;
    char tmp[16384];
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      ssize_t n = recv(fd, tmp, sizeof(tmp), 0);
      if (n <= 0) break;
      {
        std::lock_guard<std::mutex> lock(mu_);
        received_.append(tmp, static_cast<size_t>(n));
      }
      buf.append(tmp, static_cast<size_t>(n));
      bool close_conn = false;
      for (;;) {
        net::HttpStep s = parser.Execute(buf);
        if (s.event == net::HttpEvent::kError) {
          close_conn = true;
          break;
        }
        if (s.event == net::HttpEvent::kHead) {
          head.assign(buf.data(), s.consumed);
        } else if (s.event == net::HttpEvent::kBody) {
          body.append(s.data);
        } else if (s.event == net::HttpEvent::kDone) {
          requests_++;
          {
            std::lock_guard<std::mutex> lock(mu_);
            heads_.push_back(head);
            bodies_.push_back(body);
          }
          std::string resp = respond_(head, body);
          if (resp.empty()) {
            close_conn = true;
            break;
          }
          SendAll(fd, resp);
          if (resp.find("Connection: close") != std::string::npos) close_conn = true;
          head.clear();
          body.clear();
        }
        buf.erase(0, s.consumed);
        if (s.event == net::HttpEvent::kNeedMore && s.consumed == 0) break;
        if (close_conn) break;
      }
      if (close_conn) break;
    }
    close(fd);
  }

  Responder respond_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0}, requests_{0};
  mutable std::mutex mu_;
  std::string received_;
  std::vector<std::string> heads_, bodies_;
  std::thread thread_;
  std::vector<std::thread> conn_threads_;
};

// Every record of `type` ("" = all) in the store at `store_dir`, after flushing `gw`'s queue.
inline std::vector<std::string> StoreRecords(Gateway& gw, audit::AuditStore& store,
                                             const std::string& store_dir,
                                             const std::string& type) {
  gw.audit().Flush();
  store.Sync().IgnoreError();
  std::vector<std::string> out;
  audit::QueryFilter f;
  f.type = type;
  audit::QueryStore(store_dir, f, [&](const audit::StoredRecord& r) {
    out.emplace_back(r.json);
    return true;
  }).IgnoreError();
  return out;
}

// A real AuditStore in a temp dir (fresh SM2 key) plus a gateway in front of `upstream_ports`.
class GatewayFixture {
 public:
  explicit GatewayFixture(GatewaySpec spec) {
    key_ = platform::JoinPath(dir_.path(), "key.pem");
    auto key = crypto::Sm2PrivateKey::Generate();
    if (!key.ok() || !platform::WriteFileAtomic(key_, *key->ToPem(), 0600).ok()) return;
    store_dir_ = platform::JoinPath(dir_.path(), "store");
    if (!audit::InitStore(store_dir_, key_, audit::StoreOptions{}).ok()) return;
    auto store = audit::AuditStore::Open(store_dir_);
    if (!store.ok()) return;
    store_ = std::move(*store);
    auto rt = BuildRuntime(spec);
    if (!rt.ok()) {
      error_ = rt.status().ToString();
      return;
    }
    GatewayDeps deps;
    deps.audit_sink = store_.get();
    auto gw = Gateway::Start(*rt, deps);
    if (!gw.ok()) {
      error_ = gw.status().ToString();
      return;
    }
    gw_ = std::move(*gw);
  }
  ~GatewayFixture() {
    gw_.reset();
    store_.reset();
  }
  bool ok() const { return gw_ != nullptr; }
  const std::string& error() const { return error_; }
  Gateway& gw() { return *gw_; }
  uint16_t port() const { return gw_->ports()[0]; }
  // Every audit record (JSON text) written so far, after flushing the gateway's queue.
  std::vector<std::string> Records(const std::string& type = "") {
    return StoreRecords(*gw_, *store_, store_dir_, type);
  }

 private:
  gs::testing::TempDir dir_;
  std::string key_, store_dir_, error_;
  std::unique_ptr<audit::AuditStore> store_;
  std::unique_ptr<Gateway> gw_;
};

// Writes DIR/NAME.crt and DIR/NAME.key with the openssl CLI (P-256): self-signed when `ca` is
// empty (`ext` e.g. "subjectAltName=DNS:www.a.gov.cn", or "keyUsage=critical,keyCertSign" for
// a CA, which also gets CA:TRUE), else issued by DIR/CA.crt (`ext` e.g.
// "extendedKeyUsage=clientAuth").
inline bool MakeCert(const std::string& dir, const std::string& name, const std::string& cn,
                     const std::string& ext, const std::string& ca = "") {
  using gs::testing::RunProcess;
  std::string base = dir + "/" + name;
  std::vector<std::string> key = {
      "-newkey",   "ec",      "-pkeyopt",   "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
      "/CN=" + cn, "-keyout", base + ".key"};
  std::vector<std::string> req = {"openssl", "req"};
  if (ca.empty()) {
    req.insert(req.end(), {"-x509", "-days", "2", "-out", base + ".crt", "-addext", ext});
    if (ext.find("keyCertSign") != std::string::npos)
      req.insert(req.end(), {"-addext", "basicConstraints=critical,CA:TRUE"});
    req.insert(req.end(), key.begin(), key.end());
    return RunProcess(req).exit_code == 0;
  }
  req.insert(req.end(), {"-new", "-out", base + ".csr"});
  req.insert(req.end(), key.begin(), key.end());
  if (RunProcess(req).exit_code != 0 || !platform::WriteFileAtomic(base + ".ext", ext + "\n").ok())
    return false;
  return RunProcess({"openssl", "x509", "-req", "-in", base + ".csr", "-CA",
                     dir + "/" + ca + ".crt", "-CAkey", dir + "/" + ca + ".key", "-CAcreateserial",
                     "-days", "2", "-extfile", base + ".ext", "-out", base + ".crt"})
             .exit_code == 0;
}

inline GatewaySpec OneSiteSpec(uint16_t upstream_port, int workers = 1) {
  GatewaySpec spec;
  spec.listen = {"127.0.0.1:0"};
  spec.workers = workers;
  spec.admin_listen = "127.0.0.1:0";
  SiteSpec site;
  site.name = "demo";
  site.server_names = {"*"};
  site.upstream.servers = {"127.0.0.1:" + std::to_string(upstream_port)};
  site.upstream.health_interval_ms = 0;
  spec.sites.push_back(site);
  return spec;
}

}  // namespace gs::gateway::testing
