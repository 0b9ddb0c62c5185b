// DnsLab implementation (see dns_lab.h).
#include "monitor/testing/dns_lab.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "platform/file.h"

namespace gs::monitor::testing {
namespace {

using gs::testing::BackgroundProcess;
using gs::testing::RunProcess;
using gs::testing::WaitFor;

bool BindPort(int type, int port, int* out_port) {
  int fd = socket(AF_INET, type, 0);
  if (fd < 0) return false;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (ok && out_port) {
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    *out_port = ntohs(a.sin_port);
  }
  close(fd);
  return ok;
}

// True once something accepts TCP connections on 127.0.0.1:port (refused connects fail fast).
bool TcpListening(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

std::string Slurp(const std::string& path) {
  auto r = platform::ReadFile(path);
  return r.ok() ? *r : "";
}

}  // namespace

int FreeDualPort() {
  for (int i = 0; i < 50; ++i) {
    int port = 0;
    if (!BindPort(SOCK_DGRAM, 0, &port)) continue;
    if (BindPort(SOCK_STREAM, port, nullptr)) return port;
  }
  return 0;
}

DnsLab::DnsLab() = default;

DnsLab::~DnsLab() {
  Stop(unbound_);
  Stop(nsd_);
}

void DnsLab::Stop(std::unique_ptr<BackgroundProcess>& p) {
  if (!p) return;
  pid_t pid = p->pid();
  if (p->running()) {
    p->Signal(SIGTERM);
    p->Wait(10000);
  }
  // nsd forks workers into the process group BackgroundProcess created; make sure none stay.
  if (pid > 0) kill(-pid, SIGKILL);
  p.reset();
}

std::string DnsLab::Drill(int port, const std::string& name) {
  auto r = RunProcess({"drill", "-p", std::to_string(port), "@127.0.0.1", name, "A"}, "", 10000);
  size_t pos = r.out.find(";; ANSWER SECTION:");
  if (r.exit_code != 0 || pos == std::string::npos) return "";
  size_t end = r.out.find("\n\n", pos);
  return r.out.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

std::string DnsLab::ZoneText(const std::vector<std::string>& ns_names, const std::string& soa_mname,
                             unsigned serial) const {
  std::ostringstream z;
  z << "$ORIGIN example.gov.cn.\n$TTL 300\n@ IN SOA " << soa_mname << " hostmaster " << serial
    << " 3600 600 86400 300\n";
  for (const auto& ns : ns_names) z << "@ IN NS " << ns << "\n";
  z << "ns1 IN A 127.0.0.1\n"
       "ns2 IN A 127.0.0.1\n"
       "www IN A 192.0.2.10\n"
       "www IN AAAA 2001:db8::10\n"
       "@ IN MX 10 mail\n"
       "mail IN A 192.0.2.25\n"
       "@ IN CAA 0 issue \"ca.example.cn\"\n"
    << extra_records_;
  return z.str();
}

std::string DnsLab::Sign() {
  const std::string d = dir_.path();
  auto sign = RunProcess(
      {"sh", "-c", "cd '" + d + "' && ldns-signzone -f zone.signed zone " + ksk_ + " " + zsk_});
  if (sign.exit_code != 0) return "ldns-signzone failed: " + sign.err;
  return "";
}

std::string DnsLab::ResignApex(const std::vector<std::string>& ns_names,
                               const std::string& soa_mname, unsigned serial) {
  std::ofstream(dir_.path() + "/zone") << ZoneText(ns_names, soa_mname, serial);
  std::string err = Sign();
  if (err.empty()) err = RestartNsd();
  return err;
}

std::string DnsLab::Start(const std::string& extra_records) {
  const std::string d = dir_.path();
  extra_records_ = extra_records;
  std::ofstream(d + "/zone") << ZoneText({"ns1"}, "ns1", 2026112501);
  // ldns-keygen writes into the current directory; run it through sh with cd.
  auto ksk = RunProcess(
      {"sh", "-c", "cd '" + d + "' && ldns-keygen -k -a ECDSAP256SHA256 example.gov.cn"});
  auto zsk =
      RunProcess({"sh", "-c", "cd '" + d + "' && ldns-keygen -a ECDSAP256SHA256 example.gov.cn"});
  if (ksk.exit_code != 0 || zsk.exit_code != 0) return "ldns-keygen failed: " + ksk.err + zsk.err;
  std::string kname = ksk.out.substr(0, ksk.out.find_first_of("\r\n"));
  std::string zname = zsk.out.substr(0, zsk.out.find_first_of("\r\n"));
  ksk_ = kname;
  zsk_ = zname;
  if (std::string err = Sign(); !err.empty()) return err;
  // The KSK's DNSKEY record is the trust anchor (unbound's trust-anchor-file format).
  std::ofstream(d + "/ta.key") << Slurp(d + "/" + kname + ".key");
  std::ofstream(d + "/parent.zone") << "$ORIGIN gov.cn.\n"
                                       "$TTL 300\n"
                                       "@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n"
                                       "@ IN NS ns1\n"
                                       "ns1 IN A 127.0.0.1\n"
                                       "example IN NS ns1.example\n"
                                       "ns1.example IN A 127.0.0.1\n"
                                    << Slurp(d + "/" + kname + ".ds");
  nsd_port_ = FreeDualPort();
  unbound_port_ = FreeDualPort();
  while (unbound_port_ == nsd_port_) unbound_port_ = FreeDualPort();
  if (nsd_port_ == 0 || unbound_port_ == 0) return "no free port";
  std::ofstream(d + "/nsd.conf") << "server:\n"
                                    "  ip-address: 127.0.0.1@"
                                 << nsd_port_
                                 << "\n"
                                    "  username: \"\"\n"
                                    "  chroot: \"\"\n"
                                    "  zonesdir: \""
                                 << d
                                 << "\"\n"
                                    "  pidfile: \""
                                 << d
                                 << "/nsd.pid\"\n"
                                    "  xfrdfile: \""
                                 << d
                                 << "/xfrd.state\"\n"
                                    "  zonelistfile: \""
                                 << d
                                 << "/zone.list\"\n"
                                    "  database: \"\"\n"
                                    "  logfile: \""
                                 << d
                                 << "/nsd.log\"\n"
                                    "  server-count: 1\n"
                                    "  do-ip6: no\n"
                                    "remote-control:\n"
                                    "  control-enable: no\n"
                                    "zone:\n"
                                    "  name: gov.cn\n"
                                    "  zonefile: \""
                                 << d
                                 << "/parent.zone\"\n"
                                    "zone:\n"
                                    "  name: example.gov.cn\n"
                                    "  zonefile: \""
                                 << d << "/zone.signed\"\n";
  std::string err = StartNsd();
  if (!err.empty()) return err;
  WriteUnboundConf({}, {});
  return StartUnbound();
}

std::string DnsLab::StartNsd() {
  nsd_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{"nsd", "-d", "-c", dir_.path() + "/nsd.conf"}, dir_.path());
  // drill waits out its full timeout against a port nobody listens on yet, so first wait
  // (cheaply) until the server accepts TCP on the port.
  WaitFor([&] { return TcpListening(nsd_port_) || !nsd_->running(); }, 15000);
  if (!WaitFor([&] { return !Drill(nsd_port_, kWww).empty() || !nsd_->running(); }, 15000) ||
      !nsd_->running())
    return "nsd did not start: " + Slurp(nsd_->StderrPath()) + Slurp(dir_.path() + "/nsd.log");
  return "";
}

void DnsLab::WriteUnboundConf(const std::vector<std::string>& local_data,
                              const std::vector<std::string>& local_zones) {
  const std::string d = dir_.path();
  std::ostringstream c;
  c << "server:\n"
       "  interface: 127.0.0.1\n"
       "  port: "
    << unbound_port_
    << "\n"
       "  username: \"\"\n"
       "  chroot: \"\"\n"
       "  directory: \""
    << d
    << "\"\n"
       "  pidfile: \""
    << d
    << "/unbound.pid\"\n"
       "  use-syslog: no\n"
       "  logfile: \"\"\n"
       "  num-threads: 1\n"
       "  do-ip6: no\n"
       "  do-not-query-localhost: no\n"
       "  access-control: 127.0.0.0/8 allow\n"
       "  module-config: \"validator iterator\"\n"
       "  trust-anchor-file: \""
    << d << "/ta.key\"\n";
  for (const auto& z : local_zones) c << "  local-zone: " << z << "\n";
  for (const auto& l : local_data) c << "  local-data: \"" << l << "\"\n";
  c << "remote-control:\n"
       "  control-enable: no\n"
       "stub-zone:\n"
       "  name: \"example.gov.cn\"\n"
       "  stub-addr: 127.0.0.1@"
    << nsd_port_ << "\n";
  std::ofstream(d + "/unbound.conf") << c.str();
}

std::string DnsLab::StartUnbound() {
  unbound_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{"unbound", "-d", "-c", dir_.path() + "/unbound.conf"}, dir_.path());
  WaitFor([&] { return TcpListening(unbound_port_) || !unbound_->running(); }, 15000);
  if (!WaitFor([&] { return !Drill(unbound_port_, kWww).empty() || !unbound_->running(); },
               15000) ||
      !unbound_->running())
    return "unbound did not start: " + Slurp(unbound_->StderrPath());
  return "";
}

std::string DnsLab::SetResolverOverride(const std::vector<std::string>& local_data,
                                        const std::string& expect,
                                        const std::vector<std::string>& local_zones) {
  WriteUnboundConf(local_data, local_zones);
  unbound_->Signal(SIGHUP);  // unbound re-reads its config and flushes its cache on SIGHUP
  if (!WaitFor([&] { return Drill(unbound_port_, kWww).find(expect) != std::string::npos; }, 15000))
    return "unbound did not pick up the override: " + Drill(unbound_port_, kWww);
  return "";
}

std::string DnsLab::RestartNsd() {
  Stop(nsd_);
  return StartNsd();
}

std::string DnsLab::ChangeParentDs() {
  const std::string path = dir_.path() + "/parent.zone";
  std::string z = Slurp(path);
  size_t ds = z.find("\tDS\t");
  if (ds == std::string::npos) return "no DS in the parent zone";
  size_t eol = z.find('\n', ds);
  size_t digest = z.rfind(' ', eol == std::string::npos ? z.size() : eol);
  if (digest == std::string::npos || digest < ds) return "cannot parse the DS record";
  // Flip the first digest digit: a DS for a key the zone does not have.
  char& c = z[digest + 1];
  c = c == '0' ? '1' : '0';
  std::ofstream(path) << z;
  return RestartNsd();
}

std::string DnsLab::CorruptSignedZone(const std::string& new_address) {
  const std::string path = dir_.path() + "/zone.signed";
  std::istringstream in(Slurp(path));
  std::ostringstream out;
  std::string line;
  bool changed = false;
  while (std::getline(in, line)) {
    if (line.rfind("www.example.gov.cn.", 0) == 0 && line.find("\tA\t") != std::string::npos) {
      line = line.substr(0, line.rfind('\t') + 1) + new_address;
      changed = true;
    }
    out << line << "\n";
  }
  if (!changed) return "no A record for www in the signed zone";
  std::ofstream(path) << out.str();
  std::string err = RestartNsd();
  if (!err.empty()) return err;
  if (Drill(nsd_port_, kWww).find(new_address) == std::string::npos)
    return "nsd does not serve the change";
  return "";
}

std::string DnsLab::WriteMonitorConfig(int mismatch_rounds, const std::string& state_name) {
  const std::string path = dir_.path() + "/monitor.yaml";
  std::ofstream(path) << "interval: 1s\n"
                         "jitter: 100ms\n"
                         "state: "
                      << state_name
                      << "\n"
                         "dns:\n"
                         "  resolvers: [\"127.0.0.1:"
                      << unbound_port_
                      << "\"]\n"
                         "  trust_anchor_file: ta.key\n"
                         "  mismatch_rounds: "
                      << mismatch_rounds
                      << "\n"
                         "targets:\n"
                         "  - name: portal\n"
                         "    dns:\n"
                         "      names: [www.example.gov.cn, example.gov.cn]\n"
                         "      authoritative: [\"127.0.0.1:"
                      << nsd_port_
                      << "\"]\n"
                         "      parent: [\"127.0.0.1:"
                      << nsd_port_
                      << "\"]\n"
                         "      dnssec: required\n";
  return path;
}

}  // namespace gs::monitor::testing
