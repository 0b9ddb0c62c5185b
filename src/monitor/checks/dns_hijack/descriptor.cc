// Descriptor and configuration schema of the DNS hijack check (域名防劫持, DOM-07).
#include "monitor/check.h"

namespace gs::monitor {
namespace {

constexpr std::string_view kFindings[] = {
    "dns_hijack",           "dns_auth_changed",   "dns_unreachable", "dnssec_bogus",
    "dnssec_insecure",      "dns_resolver_error", "dnssec_error",    "dns_wildcard",
    "dns_nxdomain_rewrite", "dns_ds_changed",     "dns_ns_changed",  "dns_soa_changed"};

constexpr ConfigField kTargetSchema[] = {
    {"names", FieldType::kStringList, "", "host names of the site to resolve (required)"},
    {"zone", FieldType::kString, "", "zone the names belong to; default: name minus first label"},
    {"authoritative", FieldType::kEndpointList, "",
     "authoritative servers (IP[:port]) queried directly without recursion (required)"},
    {"types", FieldType::kStringList, "A,AAAA,CNAME,NS,MX,CAA", "RR types compared"},
    {"parent", FieldType::kEndpointList, "",
     "the parent zone's authoritative servers; the zone's DS set there is compared with its "
     "baseline (registrar-level hijack)"},
    {"dnssec", FieldType::kString, "validate",
     "off | validate (report bogus) | required (also report insecure)"},
};

constexpr ConfigField kGlobalSchema[] = {
    {"resolvers", FieldType::kEndpointList, "", "recursive resolvers (IP[:port]) to compare"},
    {"trust_anchor_file", FieldType::kString, "",
     "DNSSEC trust anchors (DS/DNSKEY lines, unbound format); empty disables validation"},
    {"mismatch_rounds", FieldType::kInt, "1",
     "consecutive mismatching rounds before a finding (1 = report within one interval)"},
    {"confirm_queries", FieldType::kInt, "2",
     "re-queries within a round that must also mismatch before the round counts"},
    {"timeout", FieldType::kDuration, "3s", "per-query timeout"},
};

}  // namespace

const CheckDescriptor& DnsHijackDescriptor() {
  static const CheckDescriptor kDescriptor{
      "dns_hijack",
      "dns",
      "Resolves each name at the authoritative servers and through each recursive resolver, "
      "compares answers with each other and with the accepted baseline; validates DNSSEC.",
      kFindings,
      kTargetSchema,
      kGlobalSchema};
  return kDescriptor;
}

}  // namespace gs::monitor
