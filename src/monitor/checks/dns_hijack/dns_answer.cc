// ldns-based parsing of DNS responses into DnsAnswer (see dns_answer.h).
#include "monitor/checks/dns_hijack/dns_answer.h"

#include <ldns/ldns.h>

#include <algorithm>
#include <memory>

namespace gs::monitor {
namespace {

struct PktDeleter {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct RdfDeleter {
  void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string RdfString(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  if (s == nullptr) return "?";
  std::string out(s);
  free(s);
  return out;
}

std::string NormalName(std::string_view name) {
  std::string n = Lower(std::string(name));
  if (n.empty() || n.back() != '.') n.push_back('.');
  return n;
}

}  // namespace

std::string DnsAnswer::RcodeName() const {
  switch (rcode) {
    case 0:
      return "NOERROR";
    case 1:
      return "FORMERR";
    case 2:
      return "SERVFAIL";
    case 3:
      return "NXDOMAIN";
    case 4:
      return "NOTIMP";
    case 5:
      return "REFUSED";
    default:
      return "RCODE" + std::to_string(rcode);
  }
}

std::string DnsAnswer::Canonical() const {
  std::string out = RcodeName() + ":";
  for (size_t i = 0; i < records.size(); ++i) {
    out += i == 0 ? " " : " | ";
    out += records[i];
  }
  return out;
}

Result<DnsAnswer> ParseDnsAnswer(std::span<const uint8_t> wire, std::string_view qname,
                                 uint16_t qtype) {
  ldns_pkt* raw = nullptr;
  ldns_status st = ldns_wire2pkt(&raw, wire.data(), wire.size());
  std::unique_ptr<ldns_pkt, PktDeleter> pkt(raw);
  if (st != LDNS_STATUS_OK || !pkt)
    return InvalidArgumentError(std::string("not a DNS message: ") + ldns_get_errorstr_by_id(st));
  if (!ldns_pkt_qr(pkt.get()))
    return InvalidArgumentError("DNS message is a query, not a response");
  const std::string want = NormalName(qname);
  ldns_rr_list* question = ldns_pkt_question(pkt.get());
  if (question != nullptr && ldns_rr_list_rr_count(question) > 0) {
    ldns_rr* q = ldns_rr_list_rr(question, 0);
    std::string qn = ldns_rr_owner(q) ? NormalName(RdfString(ldns_rr_owner(q))) : "";
    if (qn != want || ldns_rr_get_type(q) != qtype)
      return InvalidArgumentError("DNS response answers a different question (" + qn + ")");
  }
  DnsAnswer a;
  a.rcode = static_cast<int>(ldns_pkt_get_rcode(pkt.get()));
  a.authoritative = ldns_pkt_aa(pkt.get());
  ldns_rr_list* answer = ldns_pkt_answer(pkt.get());
  size_t n = answer ? ldns_rr_list_rr_count(answer) : 0;
  for (size_t i = 0; i < n; ++i) {
    ldns_rr* rr = ldns_rr_list_rr(answer, i);
    if (rr == nullptr || ldns_rr_owner(rr) == nullptr) continue;
    ldns_rr_type t = ldns_rr_get_type(rr);
    if (t != qtype && t != LDNS_RR_TYPE_CNAME) continue;
    std::string owner = NormalName(RdfString(ldns_rr_owner(rr)));
    if (owner != want) continue;
    char* tn = ldns_rr_type2str(t);
    std::string rec = owner + " " + (tn ? tn : "?");
    free(tn);
    for (size_t k = 0; k < ldns_rr_rd_count(rr); ++k) {
      const ldns_rdf* rdf = ldns_rr_rdf(rr, k);
      if (rdf == nullptr) continue;
      std::string field = RdfString(rdf);
      if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME) field = Lower(field);
      rec += " " + field;
    }
    a.records.push_back(std::move(rec));
  }
  std::sort(a.records.begin(), a.records.end());
  a.records.erase(std::unique(a.records.begin(), a.records.end()), a.records.end());
  return a;
}

}  // namespace gs::monitor
