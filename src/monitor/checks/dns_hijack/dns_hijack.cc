// DNS hijack round and accept logic (see dns_hijack.h).
#include "monitor/checks/dns_hijack/dns_hijack.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "monitor/checks/dns_hijack/dns_client.h"

namespace gs::monitor {
namespace {

constexpr char kKind[] = "dns";

struct AuthResult {
  std::vector<std::pair<Endpoint, DnsAnswer>> answers;  // successful ones
  std::vector<std::string> errors;
};

AuthResult QueryAuthoritative(const DnsTargetConfig& dns, const std::string& name, uint16_t type,
                              int64_t timeout) {
  AuthResult r;
  for (const auto& ep : dns.authoritative) {
    auto a = QueryDns(ep, name, type, /*recursion=*/false, timeout);
    if (a.ok() && !a->ServerFailure() && !a->authoritative) {
      // A referral or cached answer is not the zone's own data (lame server or a name outside
      // the zone): comparing resolvers against it would only produce false alarms.
      r.errors.push_back(ep.ToString() + " is not authoritative for " + name);
    } else if (a.ok() && !a->ServerFailure()) {
      r.answers.emplace_back(ep, *a);
    } else {
      r.errors.push_back(a.ok() ? ep.ToString() + " answered " + a->RcodeName()
                                : std::string(a.status().message()));
    }
  }
  return r;
}

bool MatchesAny(const std::string& canon, const AuthResult& auth) {
  for (const auto& [ep, a] : auth.answers)
    if (a.Canonical() == canon) return true;
  return false;
}

nlohmann::json AuthEvidence(const AuthResult& auth) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& [ep, a] : auth.answers)
    j.push_back({{"server", ep.ToString()}, {"answer", a.Canonical()}});
  return j;
}

std::string SubjectKey(const std::string& name, uint16_t type) {
  return name + "/" + RrTypeName(type);
}

// The SOA of an answer as {mname rname, serial}; false without exactly one SOA record.
bool SoaParts(const DnsAnswer& a, std::string* identity, uint32_t* serial) {
  if (a.records.size() != 1) return false;
  std::vector<std::string> tok;
  size_t i = 0;
  const std::string& r = a.records[0];
  while (i < r.size()) {
    size_t sp = r.find(' ', i);
    if (sp == std::string::npos) sp = r.size();
    tok.push_back(r.substr(i, sp - i));
    i = sp + 1;
  }
  // owner SOA mname rname serial refresh retry expire minimum
  if (tok.size() < 5 || tok[1] != "SOA") return false;
  *identity = tok[2] + " " + tok[3];
  *serial = static_cast<uint32_t>(std::strtoul(tok[4].c_str(), nullptr, 10));
  return true;
}

// What a zone-level query found: the authoritative answers and, for the wildcard probe, the
// probe name and each resolver's successful answer to it.
struct ZoneAnswers {
  AuthResult auth;
  std::string probe;
  std::vector<std::optional<DnsAnswer>> resolvers;
};

std::string ServersKey(const std::vector<Endpoint>& servers) {
  std::string k;
  for (const auto& ep : servers) k += ep.ToString() + ",";
  return k;
}

}  // namespace

struct DnsZoneCache::Impl {
  struct Slot {
    std::once_flag once;
    ZoneAnswers value;
  };
  std::mutex mu;
  std::map<std::string, std::shared_ptr<Slot>> slots;
};

DnsZoneCache::DnsZoneCache() : impl_(std::make_unique<Impl>()) {}
DnsZoneCache::~DnsZoneCache() = default;

namespace {

// `query()` once per key and round when there is a cache, else every time.
ZoneAnswers Shared(DnsZoneCache* cache, const std::string& key,
                   const std::function<ZoneAnswers()>& query) {
  if (cache == nullptr) return query();
  DnsZoneCache::Impl& impl = cache->impl();
  std::shared_ptr<DnsZoneCache::Impl::Slot> slot;
  {
    std::lock_guard<std::mutex> l(impl.mu);
    auto& s = impl.slots[key];
    if (!s) s = std::make_shared<DnsZoneCache::Impl::Slot>();
    slot = s;
  }
  std::call_once(slot->once, [&] { slot->value = query(); });
  return slot->value;
}

// RFC 1982 serial arithmetic: true when `a` is older than `b`.
bool SerialBefore(uint32_t a, uint32_t b) { return a != b && static_cast<int32_t>(a - b) < 0; }

}  // namespace

Result<std::vector<Finding>> DnsHijackCheck::Run(const TargetConfig& target) {
  std::vector<Finding> out;
  const DnsTargetConfig& dns = target.dns;
  if (!dns.enabled) return out;
  const int64_t timeout = global_.timeout_nanos;
  for (const auto& name : dns.names) {
    for (uint16_t type : dns.types) {
      const std::string subject = SubjectKey(name, type);
      AuthResult auth = QueryAuthoritative(dns, name, type, timeout);
      if (auth.answers.empty()) {
        Finding f{"dns_unreachable",
                  target.name,
                  subject,
                  Severity::kHigh,
                  "no authoritative server answered " + subject,
                  {}};
        f.evidence["errors"] = auth.errors;
        out.push_back(std::move(f));
        continue;
      }
      // Authoritative answer against its accepted baseline (trust on first use).
      const std::string auth_key = "auth|" + subject;
      const std::string auth_canon = auth.answers[0].second.Canonical();
      GS_ASSIGN_OR_RETURN(auto base, state_->GetBaseline(kKind, target.name, auth_key));
      if (!base) {
        GS_RETURN_IF_ERROR(
            state_->PutBaseline(kKind, target.name, auth_key, auth_canon, clock_.Now()));
      } else if (!MatchesAny(*base, auth)) {
        GS_ASSIGN_OR_RETURN(int n, state_->IncrementStreak(target.name, auth_key));
        if (n >= global_.mismatch_rounds) {
          Finding f{"dns_auth_changed",
                    target.name,
                    subject,
                    Severity::kHigh,
                    "authoritative answer for " + subject + " differs from the accepted baseline",
                    {}};
          f.evidence = {{"name", name},
                        {"type", RrTypeName(type)},
                        {"baseline", *base},
                        {"authoritative", AuthEvidence(auth)},
                        {"rounds", n}};
          out.push_back(std::move(f));
        }
      } else {
        GS_RETURN_IF_ERROR(state_->ResetStreak(target.name, auth_key));
      }
      // Each recursive resolver against the authoritative answers and its own baseline.
      for (const auto& res : global_.resolvers) {
        const std::string res_key = "res|" + res.ToString() + "|" + subject;
        GS_ASSIGN_OR_RETURN(auto res_base, state_->GetBaseline(kKind, target.name, res_key));
        auto ok_answer = [&](const DnsAnswer& a) {
          std::string c = a.Canonical();
          return MatchesAny(c, auth) || (res_base && *res_base == c);
        };
        auto ans = QueryDns(res, name, type, /*recursion=*/true, timeout);
        if (!ans.ok() || ans->ServerFailure()) {
          Finding f{"dns_resolver_error",
                    target.name,
                    subject + "@" + res.ToString(),
                    Severity::kMedium,
                    "resolver " + res.ToString() + " gave no usable answer for " + subject,
                    {}};
          f.evidence = {
              {"name", name},
              {"type", RrTypeName(type)},
              {"resolver", res.ToString()},
              {"error", ans.ok() ? ans->RcodeName() : std::string(ans.status().message())},
              {"authoritative", AuthEvidence(auth)}};
          out.push_back(std::move(f));
          continue;
        }
        bool match = ok_answer(*ans);
        for (int i = 0; !match && i < global_.confirm_queries; ++i) {
          // A zone update can land between the two queries: re-ask both before counting it.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          AuthResult auth2 = QueryAuthoritative(dns, name, type, timeout);
          auto again = QueryDns(res, name, type, true, timeout);
          if (!again.ok() || again->ServerFailure()) continue;
          match = MatchesAny(again->Canonical(), auth2) ||
                  (res_base && *res_base == again->Canonical());
          if (!match) ans = std::move(again);
        }
        if (match) {
          GS_RETURN_IF_ERROR(state_->ResetStreak(target.name, res_key));
          continue;
        }
        GS_ASSIGN_OR_RETURN(int n, state_->IncrementStreak(target.name, res_key));
        if (n < global_.mismatch_rounds) continue;
        Finding f{"dns_hijack",
                  target.name,
                  subject + "@" + res.ToString(),
                  Severity::kCritical,
                  "resolver " + res.ToString() + " answers " + subject +
                      " differently from the authoritative servers",
                  {}};
        f.evidence = {{"name", name},
                      {"type", RrTypeName(type)},
                      {"resolver", res.ToString()},
                      {"resolver_answer", ans->Canonical()},
                      {"authoritative", AuthEvidence(auth)},
                      {"rounds", n}};
        if (res_base) f.evidence["accepted"] = *res_base;
        out.push_back(std::move(f));
      }
    }
  }
  // Zone apex NS and SOA at the authoritative servers: a changed NS set or a different
  // primary/contact in the SOA is how a hijacked DNS account redirects a whole zone; a serial
  // going backwards means someone republished old (or forged) data. Growing serials are normal
  // zone updates and move the baseline forward.
  const std::string servers = ServersKey(dns.authoritative);
  auto zone_query = [&](const DnsTargetConfig& at, uint16_t type) {
    return Shared(zone_cache_,
                  std::to_string(type) + "|" + dns.zone + "|" + ServersKey(at.authoritative),
                  [&] {
                    return ZoneAnswers{QueryAuthoritative(at, dns.zone, type, timeout), "", {}};
                  })
        .auth;
  };
  if (!dns.zone.empty()) {
    AuthResult ns = zone_query(dns, /*NS=*/2);
    if (!ns.answers.empty()) {
      const std::string key = "zone|" + SubjectKey(dns.zone, 2);
      GS_ASSIGN_OR_RETURN(auto base, state_->GetBaseline(kKind, target.name, key));
      if (!base) {
        GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, key,
                                               ns.answers[0].second.Canonical(), clock_.Now()));
      } else if (!MatchesAny(*base, ns)) {
        Finding f{"dns_ns_changed",
                  target.name,
                  SubjectKey(dns.zone, 2),
                  Severity::kCritical,
                  "NS records of " + dns.zone + " differ from the accepted baseline",
                  {}};
        f.evidence = {{"zone", dns.zone}, {"baseline", *base}, {"authoritative", AuthEvidence(ns)}};
        out.push_back(std::move(f));
      }
    }
    AuthResult soa = zone_query(dns, /*SOA=*/6);
    std::string identity;
    uint32_t serial = 0;
    if (!soa.answers.empty() && SoaParts(soa.answers[0].second, &identity, &serial)) {
      const std::string key = "zone|" + SubjectKey(dns.zone, 6);
      const std::string now_value = identity + " " + std::to_string(serial);
      GS_ASSIGN_OR_RETURN(auto base, state_->GetBaseline(kKind, target.name, key));
      std::string base_identity;
      uint32_t base_serial = 0;
      if (base) {
        size_t sp = base->rfind(' ');
        base_identity = base->substr(0, sp);
        base_serial = static_cast<uint32_t>(std::strtoul(base->c_str() + sp + 1, nullptr, 10));
      }
      std::string why;
      if (base && base_identity != identity)
        why = "SOA primary/contact of " + dns.zone + " changed";
      else if (base && SerialBefore(serial, base_serial))
        why = "SOA serial of " + dns.zone + " went backwards";
      if (!why.empty()) {
        Finding f{"dns_soa_changed", target.name, SubjectKey(dns.zone, 6),
                  Severity::kHigh,   why,         {}};
        f.evidence = {{"zone", dns.zone},
                      {"baseline", *base},
                      {"now", now_value},
                      {"authoritative", AuthEvidence(soa)}};
        out.push_back(std::move(f));
      } else if (!base || serial != base_serial) {
        GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, key, now_value, clock_.Now()));
      }
    }
  }
  // The DS set at the parent: changing it (or the NS there) is how a hijacked registrar
  // account takes a signed zone; it must match the accepted baseline.
  if (!dns.parent.empty()) {
    DnsTargetConfig parent_cfg;
    parent_cfg.authoritative = dns.parent;
    const std::string subject = SubjectKey(dns.zone, /*DS=*/43);
    AuthResult ds = zone_query(parent_cfg, /*DS=*/43);
    if (ds.answers.empty()) {
      Finding f{"dns_unreachable",
                target.name,
                subject + "@parent",
                Severity::kMedium,
                "no parent server answered " + subject,
                {}};
      f.evidence["errors"] = ds.errors;
      out.push_back(std::move(f));
    } else {
      const std::string key = "parent|" + subject;
      GS_ASSIGN_OR_RETURN(auto base, state_->GetBaseline(kKind, target.name, key));
      if (!base) {
        GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, key,
                                               ds.answers[0].second.Canonical(), clock_.Now()));
      } else if (!MatchesAny(*base, ds)) {
        Finding f{"dns_ds_changed",
                  target.name,
                  subject,
                  Severity::kCritical,
                  "DS records of " + dns.zone + " at the parent differ from the accepted baseline",
                  {}};
        f.evidence = {{"zone", dns.zone}, {"baseline", *base}, {"parent", AuthEvidence(ds)}};
        out.push_back(std::move(f));
      }
    }
  }
  // A random name that cannot exist: the authoritative side shows whether the zone has a
  // wildcard; a resolver that invents an answer the authoritative servers deny is rewriting
  // NXDOMAIN (ad or "search" pages injected by an ISP or an attacker).
  {
    ZoneAnswers w = Shared(zone_cache_, "wildcard|" + dns.zone + "|" + servers, [&] {
      std::random_device rd;
      char label[24];
      std::snprintf(label, sizeof label, "gs-%08x%08x", rd(), rd());
      ZoneAnswers z;
      z.probe = std::string(label) + "." + dns.zone;
      z.auth = QueryAuthoritative(dns, z.probe, /*A=*/1, timeout);
      if (!z.auth.answers.empty() && z.auth.answers[0].second.rcode == 3) {
        for (const auto& res : global_.resolvers) {
          auto ans = QueryDns(res, z.probe, 1, true, timeout);
          z.resolvers.push_back(ans.ok() ? std::optional<DnsAnswer>(std::move(*ans))
                                         : std::nullopt);
        }
      }
      return z;
    });
    const std::string& probe = w.probe;
    const AuthResult& auth = w.auth;
    if (!auth.answers.empty()) {
      const DnsAnswer& a = auth.answers[0].second;
      if (a.rcode == 0 && !a.records.empty()) {
        Finding f{"dns_wildcard",
                  target.name,
                  "*." + dns.zone,
                  Severity::kLow,
                  "zone " + dns.zone + " answers random names (wildcard record)",
                  {}};
        f.evidence = {{"probe", probe}, {"authoritative", AuthEvidence(auth)}};
        out.push_back(std::move(f));
      }
      for (size_t i = 0; i < w.resolvers.size(); ++i) {
        const auto& res = global_.resolvers[i];
        const std::optional<DnsAnswer>& ans = w.resolvers[i];
        if (!ans || ans->rcode != 0 || ans->records.empty()) continue;
        Finding f{"dns_nxdomain_rewrite",
                  target.name,
                  "*." + dns.zone + "@" + res.ToString(),
                  Severity::kHigh,
                  "resolver " + res.ToString() + " answers names that do not exist in " + dns.zone,
                  {}};
        f.evidence = {{"probe", probe},
                      {"resolver", res.ToString()},
                      {"resolver_answer", ans->Canonical()},
                      {"authoritative", AuthEvidence(auth)}};
        out.push_back(std::move(f));
      }
    }
  }
  // DNSSEC validation against the configured anchors, through the authoritative servers.
  if (dns.dnssec != DnssecMode::kOff && !global_.trust_anchor_file.empty()) {
    auto v = DnssecValidator::Create(dns.zone, dns.authoritative, global_.trust_anchor_file);
    if (!v.ok()) {
      out.push_back(Finding{"dnssec_error",
                            target.name,
                            dns.zone,
                            Severity::kMedium,
                            "cannot set up DNSSEC validation: " + std::string(v.status().message()),
                            {}});
      return out;
    }
    for (const auto& name : dns.names) {
      for (uint16_t type : dns.types) {
        const std::string subject = SubjectKey(name, type);
        auto verdict = (*v)->Validate(name, type, 2 * timeout);
        if (!verdict.ok()) {
          out.push_back(Finding{"dns_unreachable",
                                target.name,
                                subject,
                                Severity::kMedium,
                                std::string(verdict.status().message()),
                                {}});
          continue;
        }
        if (verdict->state == DnssecState::kBogus) {
          Finding f{"dnssec_bogus",
                    target.name,
                    subject,
                    Severity::kCritical,
                    "DNSSEC validation of " + subject + " failed (bogus)",
                    {}};
          f.evidence = {{"name", name},
                        {"type", RrTypeName(type)},
                        {"dnssec", "bogus"},
                        {"why_bogus", verdict->why_bogus}};
          out.push_back(std::move(f));
        } else if (verdict->state == DnssecState::kInsecure &&
                   dns.dnssec == DnssecMode::kRequired) {
          Finding f{"dnssec_insecure",
                    target.name,
                    subject,
                    Severity::kHigh,
                    subject + " is not DNSSEC-signed under the configured trust anchors",
                    {}};
          f.evidence = {{"name", name}, {"type", RrTypeName(type)}, {"dnssec", "insecure"}};
          out.push_back(std::move(f));
        }
      }
    }
  }
  return out;
}

Result<int> DnsHijackCheck::Accept(const TargetConfig& target) {
  const DnsTargetConfig& dns = target.dns;
  if (!dns.enabled) return 0;
  int recorded = 0;
  GS_RETURN_IF_ERROR(state_->DeleteBaselines(kKind, target.name, "res|"));
  for (const auto& name : dns.names) {
    for (uint16_t type : dns.types) {
      const std::string subject = SubjectKey(name, type);
      AuthResult auth = QueryAuthoritative(dns, name, type, global_.timeout_nanos);
      if (auth.answers.empty())
        return UnavailableError("cannot accept " + target.name + ": no authoritative answer for " +
                                subject);
      const std::string auth_key = "auth|" + subject;
      GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, auth_key,
                                             auth.answers[0].second.Canonical(), clock_.Now()));
      GS_RETURN_IF_ERROR(state_->ResetStreak(target.name, auth_key));
      ++recorded;
      for (const auto& res : global_.resolvers) {
        const std::string res_key = "res|" + res.ToString() + "|" + subject;
        GS_RETURN_IF_ERROR(state_->ResetStreak(target.name, res_key));
        auto ans = QueryDns(res, name, type, true, global_.timeout_nanos);
        if (!ans.ok() || ans->ServerFailure() || MatchesAny(ans->Canonical(), auth)) continue;
        GS_RETURN_IF_ERROR(
            state_->PutBaseline(kKind, target.name, res_key, ans->Canonical(), clock_.Now()));
        ++recorded;
      }
    }
  }
  if (!dns.zone.empty()) {
    AuthResult ns = QueryAuthoritative(dns, dns.zone, 2, global_.timeout_nanos);
    if (!ns.answers.empty()) {
      GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, "zone|" + SubjectKey(dns.zone, 2),
                                             ns.answers[0].second.Canonical(), clock_.Now()));
      ++recorded;
    }
    AuthResult soa = QueryAuthoritative(dns, dns.zone, 6, global_.timeout_nanos);
    std::string identity;
    uint32_t serial = 0;
    if (!soa.answers.empty() && SoaParts(soa.answers[0].second, &identity, &serial)) {
      GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, "zone|" + SubjectKey(dns.zone, 6),
                                             identity + " " + std::to_string(serial),
                                             clock_.Now()));
      ++recorded;
    }
  }
  if (!dns.parent.empty()) {
    DnsTargetConfig parent_cfg;
    parent_cfg.authoritative = dns.parent;
    AuthResult ds = QueryAuthoritative(parent_cfg, dns.zone, 43, global_.timeout_nanos);
    if (ds.answers.empty())
      return UnavailableError("cannot accept " + target.name + ": no parent answer for DS");
    GS_RETURN_IF_ERROR(state_->PutBaseline(kKind, target.name, "parent|" + SubjectKey(dns.zone, 43),
                                           ds.answers[0].second.Canonical(), clock_.Now()));
    ++recorded;
  }
  return recorded;
}

}  // namespace gs::monitor
