// Test fixture: a real DNS lab on loopback. Generates a DNSSEC-signed zone (ldns-keygen,
// ldns-signzone) in a TempDir, runs nsd (authoritative) and unbound (validating recursive, the
// zone as stub-zone, the zone's KSK as trust anchor) as foreground child processes on free
// ports, and stops them (SIGTERM, then SIGKILL of their process group) on destruction.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/testlib/subprocess.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor::testing {

class DnsLab {
 public:
  static constexpr char kZone[] = "example.gov.cn";
  static constexpr char kWww[] = "www.example.gov.cn";
  static constexpr char kWwwAddress[] = "192.0.2.10";

  DnsLab();
  ~DnsLab();

  // Signs the zone, starts both servers and waits until they answer. Returns "" or the reason.
  // `extra_records` are appended to the zone before signing (e.g. a wildcard).
  std::string Start(const std::string& extra_records = "");
  // Rewrites unbound's config with `local_data` lines (e.g. "www.example.gov.cn. 300 IN A
  // 203.0.113.66"), reloads it (SIGHUP) and waits until unbound serves `expect` for www A.
  // `local_zones` lines ("\"example.gov.cn.\" redirect") are added the same way.
  std::string SetResolverOverride(const std::vector<std::string>& local_data,
                                  const std::string& expect,
                                  const std::vector<std::string>& local_zones = {});
  // The lab's nsd also serves the parent zone gov.cn (unsigned) with the delegation and the
  // child's DS record. This replaces that DS's digest and restarts nsd.
  std::string ChangeParentDs();
  // Replaces www's A address inside the already signed zone (RRSIG left as is: bogus) and
  // restarts nsd on the same port.
  std::string CorruptSignedZone(const std::string& new_address);

  // Rewrites the zone apex — `ns_names` (relative to the zone) as its NS set and `soa_mname`
  // and `serial` in its SOA — re-signs it with the lab's keys and restarts nsd.
  std::string ResignApex(const std::vector<std::string>& ns_names, const std::string& soa_mname,
                         unsigned serial);

  const std::string& dir() const { return dir_.path(); }
  int nsd_port() const { return nsd_port_; }
  int unbound_port() const { return unbound_port_; }
  std::string trust_anchor() const { return dir_.path() + "/ta.key"; }

  // A monitor targets file for the lab (hysteresis `mismatch_rounds`), written into dir().
  std::string WriteMonitorConfig(int mismatch_rounds, const std::string& state_name = "state.db");

  // `drill` (not our code) asks server `port` for www A; returns the answer section text.
  static std::string Drill(int port, const std::string& name);

 private:
  std::string StartNsd();
  std::string RestartNsd();
  std::string StartUnbound();
  void WriteUnboundConf(const std::vector<std::string>& local_data,
                        const std::vector<std::string>& local_zones);
  static void Stop(std::unique_ptr<gs::testing::BackgroundProcess>& p);

  std::string ZoneText(const std::vector<std::string>& ns_names, const std::string& soa_mname,
                       unsigned serial) const;
  std::string Sign();

  gs::testing::TempDir dir_;
  std::string extra_records_, ksk_, zsk_;
  int nsd_port_ = 0;
  int unbound_port_ = 0;
  std::unique_ptr<gs::testing::BackgroundProcess> nsd_;
  std::unique_ptr<gs::testing::BackgroundProcess> unbound_;
};

// A free loopback port usable for both UDP and TCP (0 on failure).
int FreeDualPort();

}  // namespace gs::monitor::testing
