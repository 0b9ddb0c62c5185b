// Access control for Art. 19 of the Regulation: which clients may reach which paths.
//
// A site's AccessPolicy is an ordered list of policies, each selecting paths by prefix or PCRE2
// regex; the first policy whose selector matches the (normalised) request path decides:
//  - staff_only: the client address is in an allowed CIDR and/or presents a verified client
//    certificate whose CN or SHA-256 fingerprint is allowed (`require: any` = either suffices,
//    `all` = every configured kind must match).
//  - domestic_only: clients whose address is registered to a domestic country (default CN) are
//    allowed; others are refused unless a whitelist entry matches. Every entry has an expiry
//    after which it stops working by itself, and binds the exception to a time window (absolute
//    start/end and/or daily hours in Asia/Shanghai, UTC+8 with no DST since 1991) and/or an
//    account (header, cookie or verified client-cert CN) and/or a device (verified client-cert
//    fingerprint) and/or source CIDRs. All bindings of an entry must hold.
// A request matching no policy is allowed with reason "no_policy".
//
// Built once from config (config.h), immutable, Decide() is const, allocation-light and safe
// from any number of threads. Time comes from the TimeSource the caller passes, so tests inject it.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"
#include "gateway/policy/country.h"
#include "gateway/policy/ip.h"

namespace gs::gateway::policy {

// What the TLS layer verified about the client certificate (empty when none or unverified).
struct ClientCert {
  bool verified = false;
  std::string_view cn;
  std::string_view fingerprint_sha256;  // hex, any case, colons allowed
};

using HeaderView = std::pair<std::string_view, std::string_view>;

struct AccessRequest {
  std::string_view path;  // request target path; a query string is ignored
  IpAddress client;
  ClientCert cert;
  std::span<const HeaderView> headers;  // names compared case-insensitively
};

enum class AccessReason {
  kNoPolicy,          // allow: no policy selects this path
  kStaffCidr,         // allow: client address in an allowed CIDR
  kStaffCert,         // allow: verified client certificate allowed
  kStaffCidrAndCert,  // allow: both (require: all)
  kStaffRefused,      // deny
  kDomestic,          // allow: address registered to a domestic country
  kPrivateAddress,    // allow: loopback/private address and private_is_domestic
  kWhitelisted,       // allow: a whitelist entry matched (rule = entry name)
  kOverseasRefused,   // deny: no whitelist entry applies
  kWhitelistExpired,  // deny: an entry would apply but has expired (rule = entry name)
  kOutsideWindow,     // deny: an entry would apply but not at this time (rule = entry name)
};
std::string_view AccessReasonName(AccessReason r);  // "staff_cidr", ...

struct AccessDecision {
  bool allow = true;
  int status = 200;         // 403 when denied
  std::string_view policy;  // policy name ("" when none matched); points into the AccessPolicy
  std::string_view rule;    // "cidr", "client_cert", "country", whitelist entry name, ...
  std::string_view type;    // "staff_only" / "domestic_only" / ""
  AccessReason reason = AccessReason::kNoPolicy;
  CountryCode country;  // looked up only for domestic_only policies
};

// Compiled form (built by CompileAccessPolicy in config.h; fields are public for tests).
struct DailyHours {
  int start_minute = 0;  // Asia/Shanghai minutes since midnight, inclusive
  int end_minute = 0;    // exclusive; end < start wraps past midnight
};

enum class AccountSource { kNone, kHeader, kCookie, kCertCn };

struct WhitelistEntry {
  std::string name;
  UnixNanos expires = 0;  // required: never works at or after this instant
  std::optional<UnixNanos> not_before;
  std::optional<UnixNanos> not_after;
  std::optional<DailyHours> daily;
  AccountSource account_source = AccountSource::kNone;
  std::string account_key;                  // header or cookie name
  std::vector<std::string> account_values;  // any of these
  std::vector<std::string> devices;         // normalised fingerprints (lower hex, no colons)
  CidrSet cidrs;                            // empty = any source address
};

enum class PolicyType { kStaffOnly, kDomesticOnly };

class PathMatcher {
 public:
  static PathMatcher Prefix(std::string prefix, bool ignore_case);
  // INVALID_ARGUMENT with PCRE2's message and offset.
  static Result<PathMatcher> Regex(const std::string& pattern, bool ignore_case);
  bool Matches(std::string_view normalised_path) const;

 private:
  struct Code;
  std::string prefix_;
  bool ignore_case_ = false;
  std::shared_ptr<const Code> regex_;  // null for prefix matchers
};

struct Policy {
  std::string name;
  PathMatcher match = PathMatcher::Prefix("/", false);
  PolicyType type = PolicyType::kStaffOnly;
  // staff_only
  CidrSet cidrs;
  std::vector<std::string> cert_cns;
  std::vector<std::string> cert_fingerprints;  // normalised
  bool require_all = false;
  // domestic_only
  std::vector<WhitelistEntry> whitelist;
};

class AccessPolicy {
 public:
  AccessPolicy() = default;
  AccessPolicy(std::vector<Policy> policies, std::shared_ptr<const CountryLookup> countries,
               std::vector<CountryCode> domestic, bool private_is_domestic);

  AccessDecision Decide(const AccessRequest& req, const TimeSource& time) const;

  bool empty() const { return policies_.empty(); }
  const std::vector<Policy>& policies() const { return policies_; }
  const CountryLookup* countries() const { return countries_.get(); }

 private:
  AccessDecision DecideStaff(const Policy& p, const AccessRequest& req) const;
  AccessDecision DecideDomestic(const Policy& p, const AccessRequest& req, UnixNanos now) const;

  std::vector<Policy> policies_;
  std::shared_ptr<const CountryLookup> countries_;
  std::vector<CountryCode> domestic_;
  bool private_is_domestic_ = true;
};

// Percent-decodes, drops the query, collapses "//", resolves "." and ".." (never above "/"),
// so "/a/../admin", "//admin" and "/%61dmin" all select the /admin policy.
// Writes into *out (reused across calls to avoid allocation).
void NormalisePath(std::string_view raw, std::string* out);

// "AB:cd:01..." -> "abcd01...". Returns "" if anything but hex digits and colons appears.
std::string NormaliseFingerprint(std::string_view fp);

// Asia/Shanghai minutes since midnight for a UTC instant.
int ShanghaiMinuteOfDay(UnixNanos t);

// The audit record of one decision: one JSON object with the fields documented in
// docs/gateway-policy.md ("ts", "source":"gateway", "type":"access_control", "site",
// "decision", "status", "policy", "policy_type", "rule", "reason", "client", "country", "path",
// "incident"). The path is truncated to 512 bytes and JSON-escaped.
std::string AccessRecordJson(const AccessDecision& d, const AccessRequest& req, UnixNanos ts,
                             std::string_view site, std::string_view incident_id);

// The same record's decision members without braces and without ts/source/type/site/client
// (the gateway adds its own), for FilterEvent::fields_json. Built without a JSON library:
// this runs on the event loop for every request a policy selects.
std::string AccessEventMembers(const AccessDecision& d, const AccessRequest& req,
                               std::string_view incident_id);

// Appends `s` as a JSON string (with quotes). Invalid UTF-8 bytes become U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace gs::gateway::policy
