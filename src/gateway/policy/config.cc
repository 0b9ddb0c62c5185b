// Binding and compiling the access / cc / geo sections.
#include "gateway/policy/config.h"

#include <charconv>
#include <cmath>

#include "config/diagnostics.h"

namespace gs::gateway::policy {
namespace {

std::optional<config::Problem> CheckCidrs(const std::vector<std::string>& v) {
  for (const std::string& c : v) {
    Result<IpRange> r = ParseCidr(c);
    if (!r.ok()) {
      return config::Problem{std::string(r.status().message()),
                             "write networks such as 10.0.0.0/8 or 2001:db8::/32"};
    }
  }
  return std::nullopt;
}

std::optional<config::Problem> CheckFingerprints(const std::vector<std::string>& v) {
  for (const std::string& f : v) {
    std::string n = NormaliseFingerprint(f);
    if (n.size() != 64) {
      return config::Problem{"'" + f + "' is not a SHA-256 certificate fingerprint",
                             "64 hex digits, colons allowed: openssl x509 -noout -fingerprint "
                             "-sha256 -in client.pem"};
    }
  }
  return std::nullopt;
}

std::optional<config::Problem> CheckTime(const std::string& v) {
  if (!ParseRfc3339(v).ok()) {
    return config::Problem{"'" + v + "' is not a time",
                           "write RFC 3339 such as 2026-12-31T18:00:00+08:00, or a date"};
  }
  return std::nullopt;
}

std::optional<config::Problem> CheckDaily(const std::string& v) {
  Result<DailyHours> d = ParseDailyHours(v);
  if (!d.ok()) return config::Problem{std::string(d.status().message()), ""};
  return std::nullopt;
}

std::optional<config::Problem> CheckCountries(const std::vector<std::string>& v) {
  for (const std::string& c : v) {
    if (c.size() != 2 || !CountryCode::FromString(c).known()) {
      return config::Problem{"'" + c + "' is not a two-letter country code", "e.g. CN"};
    }
  }
  return std::nullopt;
}

bool ParseHhMm(std::string_view s, int* minute) {
  if (s.size() != 5 || s[2] != ':') return false;
  int h = 0, m = 0;
  auto r1 = std::from_chars(s.data(), s.data() + 2, h);
  auto r2 = std::from_chars(s.data() + 3, s.data() + 5, m);
  if (r1.ec != std::errc() || r1.ptr != s.data() + 2 || r2.ec != std::errc() ||
      r2.ptr != s.data() + 5) {
    return false;
  }
  if (h == 24 && m == 0) {
    *minute = 24 * 60;
    return true;
  }
  if (h < 0 || h > 23 || m < 0 || m > 59) return false;
  *minute = h * 60 + m;
  return true;
}

}  // namespace

Result<DailyHours> ParseDailyHours(std::string_view s) {
  size_t dash = s.find('-');
  DailyHours d;
  if (dash == std::string_view::npos || !ParseHhMm(s.substr(0, dash), &d.start_minute) ||
      !ParseHhMm(s.substr(dash + 1), &d.end_minute) || d.start_minute == 24 * 60) {
    return InvalidArgumentError("'" + std::string(s) +
                                "' is not a daily time range; write HH:MM-HH:MM (Beijing time), "
                                "e.g. 08:30-18:00 or 22:00-06:00");
  }
  if (d.end_minute == 24 * 60) d.end_minute = 0;
  if (d.start_minute == d.end_minute) {
    return InvalidArgumentError("'" + std::string(s) + "' is an empty daily range");
  }
  return d;
}

void BindConfig(config::MapReader& r, AccountSection* c) {
  r.Field("source", &c->source, config::Required());
  r.Field("name", &c->name);
  r.Field("values", &c->values, config::Required(), config::NonEmpty());
  if (c->source != AccountSource::kCertCn && c->name.empty()) {
    r.Error("name", "a header or cookie account needs the header/cookie name",
            "e.g. name: X-Account");
  }
  if (c->source == AccountSource::kCertCn && !c->name.empty()) {
    r.Error("name", "cert_cn accounts take no name (the CN comes from the verified certificate)");
  }
}

void BindConfig(config::MapReader& r, WhitelistSection* c) {
  r.Field("name", &c->name, config::Required(), config::NonEmpty());
  r.Field("expires", &c->expires, config::Required(), config::Satisfies(CheckTime));
  r.Field("start", &c->start, config::Satisfies(CheckTime));
  r.Field("end", &c->end, config::Satisfies(CheckTime));
  r.Field("daily", &c->daily, config::Satisfies(CheckDaily));
  r.Field("account", &c->account);
  r.Field("devices", &c->devices, config::Satisfies(CheckFingerprints));
  r.Field("cidrs", &c->cidrs, config::Satisfies(CheckCidrs));
  if (!c->start && !c->end && !c->daily && !c->account && c->devices.empty() && c->cidrs.empty()) {
    r.Error("name",
            "whitelist entry binds the exception to nothing: an overseas client would be let in "
            "by expiry alone",
            "add a time window (start/end or daily), an account, devices or cidrs");
  }
  if (c->start && c->end) {
    auto s = ParseRfc3339(*c->start), e = ParseRfc3339(*c->end);
    if (s.ok() && e.ok() && *e <= *s) r.Error("end", "end is not after start");
  }
}

void BindConfig(config::MapReader& r, PolicySection* c) {
  r.Field("name", &c->name, config::Required(), config::NonEmpty());
  r.Field("prefix", &c->prefix);
  r.Field("regex", &c->regex);
  r.Field("ignore_case", &c->ignore_case);
  r.Field("type", &c->type, config::Required());
  r.Field("cidrs", &c->cidrs, config::Satisfies(CheckCidrs));
  r.Field("client_cert_cns", &c->client_cert_cns);
  r.Field("client_cert_fingerprints", &c->client_cert_fingerprints,
          config::Satisfies(CheckFingerprints));
  r.Field("require", &c->require);
  r.Field("whitelist", &c->whitelist);
  if (c->prefix.empty() == c->regex.empty()) {
    r.Error(r.Has("regex") ? "regex" : "prefix", "give exactly one of prefix or regex",
            "prefix: /admin/  or  regex: '^/(admin|manage)/'");
  } else if (!c->prefix.empty() && c->prefix[0] != '/') {
    r.Error("prefix", "a path prefix starts with '/'");
  } else if (!c->regex.empty()) {
    Result<PathMatcher> m = PathMatcher::Regex(c->regex, c->ignore_case);
    if (!m.ok()) r.Error("regex", std::string(m.status().message()));
  }
  if (c->type == PolicyType::kStaffOnly) {
    if (c->cidrs.empty() && c->client_cert_cns.empty() && c->client_cert_fingerprints.empty()) {
      r.Error("type", "staff_only needs cidrs and/or client_cert_cns/client_cert_fingerprints",
              "otherwise nobody could reach these paths");
    }
    if (!c->whitelist.empty()) r.Error("whitelist", "whitelist applies to domestic_only policies");
  } else {
    for (const char* k : {"cidrs", "client_cert_cns", "client_cert_fingerprints", "require"}) {
      if (r.Has(k)) {
        r.Error(k, "applies to staff_only policies",
                "for domestic_only, bind addresses in a whitelist entry's cidrs");
      }
    }
  }
}

void BindConfig(config::MapReader& r, AccessSection* c) {
  r.Field("domestic_countries", &c->domestic_countries, config::NonEmpty(),
          config::Satisfies(CheckCountries));
  r.Field("private_is_domestic", &c->private_is_domestic);
  r.Field("policies", &c->policies);
  for (size_t i = 0; i < c->policies.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (c->policies[i].name == c->policies[j].name && !c->policies[i].name.empty()) {
        r.Error("policies", "two policies are called '" + c->policies[i].name + "'",
                "names appear in audit records and must tell policies apart");
      }
    }
  }
}

void BindConfig(config::MapReader& r, GeoSection* c) {
  r.Field("delegated", &c->delegated);
  r.Field("mmdb", &c->mmdb);
}

void BindConfig(config::MapReader& r, BucketSection* c) {
  r.Field("rate", &c->rate, config::Range(0.0, 1e9));
  r.Field("burst", &c->burst, config::Range(0.0, 1e9));
  if (c->rate > 0 && c->burst < 1) {
    r.Error("burst", "burst must be at least 1 when rate is set", "e.g. twice the rate");
  }
}

void BindConfig(config::MapReader& r, PathLimitSection* c) {
  r.Field("prefix", &c->prefix, config::Required(), config::NonEmpty());
  r.Field("rate", &c->rate, config::Required(), config::Range(0.001, 1e9));
  r.Field("burst", &c->burst, config::Required(), config::Range(1.0, 1e9));
}

void BindConfig(config::MapReader& r, BanSection* c) {
  using namespace std::chrono_literals;
  r.Field("after_offences", &c->after_offences, config::Range(0, 1'000'000));
  r.Field("window", &c->window,
          config::Range(std::chrono::nanoseconds(1ms), std::chrono::nanoseconds(24h)));
  r.Field("slow_offence_weight", &c->slow_offence_weight, config::Range(0, 1'000'000));
  r.Field("duration", &c->duration,
          config::Range(std::chrono::nanoseconds(1s), std::chrono::nanoseconds(24h * 30)));
  r.Field("escalation", &c->escalation, config::Range(1.0, 100.0));
  r.Field("max_duration", &c->max_duration,
          config::Range(std::chrono::nanoseconds(1s), std::chrono::nanoseconds(24h * 365)));
  r.Field("forget_after", &c->forget_after,
          config::Range(std::chrono::nanoseconds(0s), std::chrono::nanoseconds(24h * 365)));
  if (c->max_duration < c->duration) r.Error("max_duration", "max_duration is below duration");
}

void BindConfig(config::MapReader& r, CcSection* c) {
  using namespace std::chrono_literals;
  r.Field("enabled", &c->enabled);
  r.Field("per_ip", &c->per_ip);
  r.Field("per_path", &c->per_path);
  r.Field("max_connections_per_ip", &c->max_connections_per_ip, config::Range(0, 1'000'000));
  r.Field("header_timeout", &c->header_timeout,
          config::Range(std::chrono::nanoseconds(0s), std::chrono::nanoseconds(1h)));
  r.Field("body_grace", &c->body_grace,
          config::Range(std::chrono::nanoseconds(0s), std::chrono::nanoseconds(1h)));
  r.Field("body_min_rate", &c->body_min_rate, config::Range(0.0, 1e12));
  r.Field("ban", &c->ban);
  r.Field("max_tracked_clients", &c->max_tracked_clients,
          config::Range(int64_t{256}, int64_t{100'000'000}));
  r.Field("ipv6_prefix", &c->ipv6_prefix, config::Range(16, 128));
  r.Field("exempt", &c->exempt, config::Satisfies(CheckCidrs));
}

// ---- compile ----------------------------------------------------------------------------------

Result<AccessPolicy> CompileAccessPolicy(const AccessSection& s,
                                         std::shared_ptr<const CountryLookup> countries) {
  std::vector<Policy> policies;
  bool needs_countries = false;
  for (const PolicySection& ps : s.policies) {
    Policy p;
    p.name = ps.name;
    p.type = ps.type;
    if (!ps.regex.empty()) {
      GS_ASSIGN_OR_RETURN(p.match, PathMatcher::Regex(ps.regex, ps.ignore_case));
    } else {
      if (ps.prefix.empty())
        return InvalidArgumentError("policy " + ps.name + ": no path selector");
      p.match = PathMatcher::Prefix(ps.prefix, ps.ignore_case);
    }
    GS_ASSIGN_OR_RETURN(p.cidrs, CidrSet::Parse(ps.cidrs));
    p.cert_cns = ps.client_cert_cns;
    for (const auto& f : ps.client_cert_fingerprints) {
      std::string n = NormaliseFingerprint(f);
      if (n.size() != 64)
        return InvalidArgumentError("policy " + ps.name + ": bad fingerprint " + f);
      p.cert_fingerprints.push_back(std::move(n));
    }
    p.require_all = ps.require == Require::kAll;
    if (ps.type == PolicyType::kDomesticOnly) needs_countries = true;
    for (const WhitelistSection& ws : ps.whitelist) {
      WhitelistEntry e;
      e.name = ws.name;
      auto where = [&](std::string what) {
        return InvalidArgumentError("policy " + ps.name + " whitelist " + ws.name + ": " + what);
      };
      Result<UnixNanos> exp = ParseRfc3339(ws.expires);
      if (!exp.ok()) return where("bad expires");
      e.expires = *exp;
      if (ws.start) {
        Result<UnixNanos> t = ParseRfc3339(*ws.start);
        if (!t.ok()) return where("bad start");
        e.not_before = *t;
      }
      if (ws.end) {
        Result<UnixNanos> t = ParseRfc3339(*ws.end);
        if (!t.ok()) return where("bad end");
        e.not_after = *t;
      }
      if (ws.daily) {
        GS_ASSIGN_OR_RETURN(e.daily, ParseDailyHours(*ws.daily));
      }
      if (ws.account) {
        e.account_source = ws.account->source;
        e.account_key = ws.account->name;
        e.account_values = ws.account->values;
      }
      for (const auto& f : ws.devices) {
        std::string n = NormaliseFingerprint(f);
        if (n.size() != 64) return where("bad device fingerprint " + f);
        e.devices.push_back(std::move(n));
      }
      GS_ASSIGN_OR_RETURN(e.cidrs, CidrSet::Parse(ws.cidrs));
      p.whitelist.push_back(std::move(e));
    }
    policies.push_back(std::move(p));
  }
  if (needs_countries && countries == nullptr) {
    return FailedPreconditionError(
        "a domestic_only policy needs country data: configure geo.delegated (an RIR "
        "delegated-stats file such as delegated-apnic-latest) and/or geo.mmdb");
  }
  std::vector<CountryCode> domestic;
  for (const auto& c : s.domestic_countries) {
    CountryCode code = CountryCode::FromString(c);
    if (!code.known()) return InvalidArgumentError("bad country code " + c);
    domestic.push_back(code);
  }
  return AccessPolicy(std::move(policies), std::move(countries), std::move(domestic),
                      s.private_is_domestic);
}

Result<CcOptions> CompileCcOptions(const CcSection& s) {
  CcOptions o;
  o.per_ip = BucketSpec{s.per_ip.rate, s.per_ip.burst};
  if (o.per_ip.rate > 0 && o.per_ip.burst < 1) return InvalidArgumentError("per_ip.burst < 1");
  for (const auto& p : s.per_path) {
    if (p.rate <= 0 || p.burst < 1)
      return InvalidArgumentError("per_path " + p.prefix + ": bad rate/burst");
    o.per_path.push_back(PathLimit{p.prefix, BucketSpec{p.rate, p.burst}});
  }
  o.max_connections_per_ip = s.max_connections_per_ip;
  o.header_timeout_ns = s.header_timeout.count();
  o.body_grace_ns = s.body_grace.count();
  o.body_min_rate = s.body_min_rate;
  o.ban_after_offences = s.ban.after_offences;
  o.ban_window_ns = s.ban.window.count();
  o.slow_offence_weight = s.ban.slow_offence_weight;
  o.ban_duration_ns = s.ban.duration.count();
  o.ban_escalation = s.ban.escalation;
  o.ban_max_duration_ns = s.ban.max_duration.count();
  o.ban_forget_after_ns = s.ban.forget_after.count();
  o.max_tracked_clients = static_cast<size_t>(std::max<int64_t>(s.max_tracked_clients, 256));
  o.ipv6_prefix_len = s.ipv6_prefix;
  GS_ASSIGN_OR_RETURN(o.exempt, CidrSet::Parse(s.exempt));
  return o;
}

Result<std::shared_ptr<const CountryLookup>> OpenCountryLookup(const GeoSection& geo,
                                                               DelegatedParseStats* stats) {
  std::vector<std::shared_ptr<const CountryLookup>> sources;
  if (!geo.delegated.empty()) {
    std::vector<std::string> paths(geo.delegated.begin(), geo.delegated.end());
    GS_ASSIGN_OR_RETURN(auto table, CountryTable::FromFiles(paths, stats));
    sources.push_back(std::move(table));
  }
  for (const auto& p : geo.mmdb) {
    GS_ASSIGN_OR_RETURN(auto db, MmdbCountryDb::Open(p.string()));
    sources.push_back(std::move(db));
  }
  if (sources.empty()) return std::shared_ptr<const CountryLookup>();
  if (sources.size() == 1) return sources.front();
  return std::shared_ptr<const CountryLookup>(std::make_shared<CountryChain>(std::move(sources)));
}

namespace {
template <typename T>
Status DecodeSection(const config::Node& node, const std::string& file_name, const std::string& key,
                     T* out) {
  config::Diagnostics diags(file_name);
  config::Context ctx(&diags, "", config::LoadOptions{}.work_budget);
  config::Decoder<T>::Decode(ctx, node, key, out);
  return diags.ToStatus();
}
}  // namespace

Result<AccessPolicy> ParseAccessPolicy(const config::Node& node, const std::string& file_name,
                                       std::shared_ptr<const CountryLookup> countries,
                                       const std::string& key) {
  AccessSection s;
  GS_RETURN_IF_ERROR(DecodeSection(node, file_name, key, &s));
  return CompileAccessPolicy(s, std::move(countries));
}

Result<CcOptions> ParseCcOptions(const config::Node& node, const std::string& file_name,
                                 const std::string& key) {
  CcSection s;
  GS_RETURN_IF_ERROR(DecodeSection(node, file_name, key, &s));
  return CompileCcOptions(s);
}

}  // namespace gs::gateway::policy
