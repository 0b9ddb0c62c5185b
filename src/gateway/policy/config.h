// Config binding for the per-site `access:` and `cc:` sections and the gateway-wide `geo:`
// section (YAML shape and every key: docs/gateway-policy.md).
//
// Two layers, so the gateway config can embed these sections like any other:
//  - *Section structs with BindConfig (config/reader.h): decoding plus every validation that
//    can point at a line (bad CIDR, regex that does not compile, unknown key, entry without
//    any binding, ...). Embed with `r.Field("access", &site->access)`.
//  - Compile*: turns a validated section into the immutable runtime object.
// Parse* do both for a bare config::Node and return INVALID_ARGUMENT listing every problem as
// FILE:LINE:COL.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/node.h"
#include "config/reader.h"
#include "gateway/policy/access.h"
#include "gateway/policy/cc.h"
#include "gateway/policy/country.h"

namespace gs::gateway::policy {

constexpr std::array<std::pair<std::string_view, PolicyType>, 2> ConfigEnumEntries(PolicyType) {
  return {{{"staff_only", PolicyType::kStaffOnly}, {"domestic_only", PolicyType::kDomesticOnly}}};
}
constexpr std::array<std::pair<std::string_view, AccountSource>, 3> ConfigEnumEntries(
    AccountSource) {
  return {{{"header", AccountSource::kHeader},
           {"cookie", AccountSource::kCookie},
           {"cert_cn", AccountSource::kCertCn}}};
}
enum class Require { kAny, kAll };
constexpr std::array<std::pair<std::string_view, Require>, 2> ConfigEnumEntries(Require) {
  return {{{"any", Require::kAny}, {"all", Require::kAll}}};
}

struct AccountSection {
  AccountSource source = AccountSource::kHeader;
  std::string name;  // header or cookie name; unused for cert_cn
  std::vector<std::string> values;
};
void BindConfig(config::MapReader& r, AccountSection* c);

struct WhitelistSection {
  std::string name;
  std::string expires;  // RFC 3339 or a date; required
  std::optional<std::string> start, end;
  std::optional<std::string> daily;  // "08:00-18:00" Asia/Shanghai
  std::optional<AccountSection> account;
  std::vector<std::string> devices;  // SHA-256 fingerprints of client certificates
  std::vector<std::string> cidrs;
};
void BindConfig(config::MapReader& r, WhitelistSection* c);

struct PolicySection {
  std::string name;
  std::string prefix;
  std::string regex;
  bool ignore_case = false;
  PolicyType type = PolicyType::kStaffOnly;
  std::vector<std::string> cidrs;
  std::vector<std::string> client_cert_cns;
  std::vector<std::string> client_cert_fingerprints;
  Require require = Require::kAny;
  std::vector<WhitelistSection> whitelist;
};
void BindConfig(config::MapReader& r, PolicySection* c);

struct AccessSection {
  std::vector<std::string> domestic_countries = {"CN"};
  bool private_is_domestic = true;
  std::vector<PolicySection> policies;
};
void BindConfig(config::MapReader& r, AccessSection* c);

struct GeoSection {
  std::vector<std::filesystem::path> delegated;  // RIR delegated-stats files
  std::vector<std::filesystem::path> mmdb;       // MaxMind databases, asked after `delegated`
};
void BindConfig(config::MapReader& r, GeoSection* c);

struct BucketSection {
  double rate = 0;
  double burst = 0;
};
void BindConfig(config::MapReader& r, BucketSection* c);

struct PathLimitSection {
  std::string prefix;
  double rate = 0;
  double burst = 0;
};
void BindConfig(config::MapReader& r, PathLimitSection* c);

struct BanSection {
  int after_offences = 200;
  std::chrono::nanoseconds window = std::chrono::seconds(10);
  int slow_offence_weight = 20;
  std::chrono::nanoseconds duration = std::chrono::seconds(60);
  double escalation = 2.0;
  std::chrono::nanoseconds max_duration = std::chrono::hours(24);
  std::chrono::nanoseconds forget_after = std::chrono::hours(24);
};
void BindConfig(config::MapReader& r, BanSection* c);

struct CcSection {
  bool enabled = true;
  BucketSection per_ip{50, 100};
  std::vector<PathLimitSection> per_path;
  int max_connections_per_ip = 64;
  std::chrono::nanoseconds header_timeout = std::chrono::seconds(10);
  std::chrono::nanoseconds body_grace = std::chrono::seconds(5);
  double body_min_rate = 256;
  BanSection ban;
  int64_t max_tracked_clients = 262'144;
  int ipv6_prefix = 64;
  std::vector<std::string> exempt;
};
void BindConfig(config::MapReader& r, CcSection* c);

// Builds the runtime policy. `countries` may be null only if no policy is domestic_only
// (FAILED_PRECONDITION otherwise). INVALID_ARGUMENT for values BindConfig would have refused.
Result<AccessPolicy> CompileAccessPolicy(const AccessSection& s,
                                         std::shared_ptr<const CountryLookup> countries);
Result<CcOptions> CompileCcOptions(const CcSection& s);
// Loads the files named in `geo` (delegated first, then mmdb). nullptr when none are named.
Result<std::shared_ptr<const CountryLookup>> OpenCountryLookup(
    const GeoSection& geo, DelegatedParseStats* stats = nullptr);

// Decode + validate + compile one section node (e.g. the value of a site's `access:` key).
// `file_name` is used in diagnostics; `key` is the dotted path shown in messages.
Result<AccessPolicy> ParseAccessPolicy(const config::Node& node, const std::string& file_name,
                                       std::shared_ptr<const CountryLookup> countries,
                                       const std::string& key = "access");
Result<CcOptions> ParseCcOptions(const config::Node& node, const std::string& file_name,
                                 const std::string& key = "cc");

// "08:00-18:00" -> DailyHours. INVALID_ARGUMENT otherwise.
Result<DailyHours> ParseDailyHours(std::string_view s);

}  // namespace gs::gateway::policy
