// The CRS suite over the wire through the gateway (waf_conformance_gateway.h).
#include "cli/waf_conformance_gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "audit/sink.h"
#include "gateway/service.h"
#include "net/http_response_parser.h"
#include "platform/file.h"
#include "waf/conformance/echo_backend.h"
#include "waf/conformance/ftw.h"

namespace gs::cli {
namespace {

namespace wc = waf::conformance;

// The gateway's audit records, indexed by what a stage needs: the ids the WAF logged and the
// parser's refusals, per client port; and whether the access record of a marker has arrived.
class RecordIndex final : public audit::RecordSink {
 public:
  Result<uint64_t> Append(std::string_view json_object) override {
    nlohmann::json r = nlohmann::json::parse(json_object, nullptr, /*allow_exceptions=*/false);
    std::lock_guard<std::mutex> lock(mu_);
    if (!r.is_object()) return seq_++;
    std::string type = r.value("type", "");
    int port = r.value("client_port", 0);
    if ((type == "waf_match" || type == "block") && r.contains("rule_ids")) {
      for (const auto& id : r["rule_ids"]) {
        if (id.is_number_integer()) by_port_[port].ids.push_back(id.get<int64_t>());
      }
    } else if (type == "http_reject") {
      by_port_[port].reject = r.value("reason", "?");
    } else if (type == "access" && r.value("target", "") == marker_) {
      marker_seen_ = true;
      cv_.notify_all();
    }
    return seq_++;
  }
  Status Sync() override { return Status::Ok(); }

  struct PortRecords {
    std::vector<int64_t> ids;
    std::string reject;  // http_reject reason; empty: the parser accepted the request
  };

  void ExpectMarker(std::string target) {
    std::lock_guard<std::mutex> lock(mu_);
    marker_ = std::move(target);
    marker_seen_ = false;
  }
  bool WaitMarker(int timeout_ms) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return marker_seen_; });
  }
  // Takes (and forgets) what was recorded for `port`.
  PortRecords Take(int port) {
    std::lock_guard<std::mutex> lock(mu_);
    PortRecords out;
    auto it = by_port_.find(port);
    if (it != by_port_.end()) {
      out = std::move(it->second);
      by_port_.erase(it);
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t seq_ = 0;
  std::map<int, PortRecords> by_port_;
  std::string marker_;
  bool marker_seen_ = false;
};

// A blocking loopback client connection; closes on destruction.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) return;
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    socklen_t len = sizeof(a);
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
      local_port_ = ntohs(a.sin_port);
    }
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return local_port_ != 0; }
  int local_port() const { return local_port_; }

  // Sends everything it can; the server may answer and close before the body is sent (a 400
  // for a bad head), which is not an error here: the answer is what counts.
  void Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads one response to `method`. Returns its status, or 0 when none came: the peer closed
  // without a status line, or nothing complete arrived within `timeout_ms`.
  int ReadStatus(std::string_view method, int timeout_ms) {
    net::HttpResponseParser parser;
    parser.ExpectResponseTo(method);
    std::string buf;
    int status = 0;
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    char chunk[16384];
    for (;;) {
      // Parse what is buffered.
      for (;;) {
        net::HttpStep s = parser.Execute(buf);
        if (s.event == net::HttpEvent::kHead && parser.head().status >= 200) {
          status = parser.head().status;
        }
        if (s.event == net::HttpEvent::kError) return status;
        if (s.event == net::HttpEvent::kDone && status != 0) return status;
        buf.erase(0, s.consumed);
        if (s.event == net::HttpEvent::kNeedMore) break;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      end - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return 0;  // never complete: like go-ftw's read timeout
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return status;  // closed: the status seen so far (0: no answer)
      buf.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  int local_port_ = 0;
};

std::string_view MethodOf(std::string_view wire) {
  size_t start = wire.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  wire.remove_prefix(start);
  return wire.substr(0, wire.find_first_of(" \t\r\n"));
}

config::GatewaySection GatewayFor(uint16_t backend_port, const std::string& rules_file) {
  config::GatewaySection g;
  g.listen = {"127.0.0.1:0"};
  g.workers = 1;
  g.admin_listen = "";
  // Longer than any read timeout: a request the server waits on stays unanswered, as in Apache.
  g.header_timeout = std::chrono::seconds(60);
  g.body_timeout = std::chrono::seconds(60);
  config::GatewaySiteSection site;
  site.name = "crs-regression";
  site.server_names = {"*"};
  site.default_site = true;
  site.upstream.servers = {"127.0.0.1:" + std::to_string(backend_port)};
  site.upstream.health_interval = std::chrono::seconds(0);
  site.waf.rules = {rules_file};
  // The WAF sees whole bodies, as in the CRS test setup (SecRequestBodyLimit decides).
  site.inspection_limit = config::MiB(16);
  g.sites.push_back(std::move(site));
  return g;
}

}  // namespace

wc::SuiteReport RunCrsViaGateway(const ViaGatewayOptions& o) {
  wc::SuiteReport report;
  report.suite = "crs";
  report.engine = "govshield gateway, over the wire";
  std::vector<wc::FtwTest> tests = wc::LoadFtwDir(o.crs.tests_dir, &report.errors);
  if (tests.empty()) {
    report.errors.push_back("no go-ftw tests found under " + o.crs.tests_dir);
    return report;
  }

  // The rule set goes into a file the site's `waf.rules` names.
  std::string tmpl = (std::filesystem::temp_directory_path() / "govshield-crs-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    report.errors.push_back("cannot create a temporary directory under " + tmpl);
    return report;
  }
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove_dir{tmpl};
  std::string rules_file = platform::JoinPath(tmpl, "crs-test.conf");
  if (Status s = platform::WriteFileAtomic(rules_file, wc::CrsTestConfig(o.crs)); !s.ok()) {
    report.errors.push_back(s.ToString());
    return report;
  }

  auto backend = wc::StartEchoBackend();
  if (!backend.ok()) {
    report.errors.push_back("echo backend: " + backend.status().ToString());
    return report;
  }
  RecordIndex records;
  gateway::ServiceOptions so;
  so.audit_sink = &records;
  auto service = gateway::GatewayService::Start(GatewayFor((*backend)->port(), rules_file), so);
  if (!service.ok()) {
    report.errors.push_back("starting the gateway with CRS failed: " + service.status().ToString());
    return report;
  }
  uint16_t port = (*service)->gateway().ports().at(0);
  report.notes.push_back(
      "gateway on 127.0.0.1:" + std::to_string(port) +
      " (1 worker), echo backend on 127.0.0.1:" + std::to_string((*backend)->port()) +
      ", read timeout " + std::to_string(o.read_timeout_ms) + " ms");

  uint64_t marker_seq = 0;
  int unsynced = 0;
  auto over_the_wire = [&](const wc::FtwStage&, const std::string& wire) {
    wc::StageOutcome out;
    int status = 0;
    int local_port = 0;
    {
      Client c(port);
      if (c.ok()) {
        local_port = c.local_port();
        records.Take(local_port);  // nothing old may be attributed to this connection
        c.Send(wire);
        status = c.ReadStatus(MethodOf(wire), o.read_timeout_ms);
      }
    }  // closed: a request the gateway still waits on ends now
    // The marker: once its access record is in, every record of the stage is too.
    std::string marker = "/?ftw_marker=" + std::to_string(++marker_seq);
    records.ExpectMarker(marker);
    int marker_port = 0;
    {
      Client m(port);
      marker_port = m.local_port();
      m.Send("GET " + marker +
             " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: govshield-conformance\r\n"
             "Accept: */*\r\nConnection: close\r\n\r\n");
      m.ReadStatus("GET", 10'000);
    }
    bool synced = records.WaitMarker(10'000);
    records.Take(marker_port);  // what the WAF made of the marker itself is of no interest
    RecordIndex::PortRecords got = records.Take(local_port);
    if (local_port == 0) {
      out.front.kind = wc::FrontResult::Kind::kNoResponse;
      out.front.reason = "could not connect to the gateway";
    } else if (status == 0) {
      out.front.kind = wc::FrontResult::Kind::kNoResponse;
      out.front.reason =
          "no answer from the gateway within " + std::to_string(o.read_timeout_ms) + " ms";
    } else if (!got.reject.empty()) {
      out.front.kind = wc::FrontResult::Kind::kRefused;
      out.front.status = status;
      out.front.reason = "gateway parser: " + got.reject;
    } else {
      out.waf_ran = true;
      out.eval.outcome.status = status;
      out.eval.logged_ids = std::move(got.ids);
    }
    if (!synced) ++unsynced;
    return out;
  };
  wc::RunFtwTests(tests, o.crs.filter, over_the_wire, &report);
  if (unsynced > 0) {
    report.errors.push_back(std::to_string(unsynced) +
                            " stages were judged without their audit records (the marker's "
                            "access record did not arrive within 10 s)");
  }
  return report;
}

}  // namespace gs::cli
