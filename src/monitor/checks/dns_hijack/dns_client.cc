// ldns query and libunbound validation (see dns_client.h).
#include "monitor/checks/dns_hijack/dns_client.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <unbound.h>

#include <algorithm>
#include <memory>

namespace gs::monitor {
namespace {

struct ResolverDeleter {
  void operator()(ldns_resolver* r) const { ldns_resolver_deep_free(r); }
};
struct PktDeleter {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct RdfDeleter {
  void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};

}  // namespace

Result<DnsAnswer> QueryDns(const Endpoint& server, const std::string& name, uint16_t qtype,
                           bool recursion, int64_t timeout_nanos) {
  const std::string where = name + "/" + RrTypeName(qtype) + " at " + server.ToString();
  unsigned char buf[16];
  bool v6 = inet_pton(AF_INET6, server.host.c_str(), buf) == 1;
  std::unique_ptr<ldns_rdf, RdfDeleter> addr(
      ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, server.host.c_str()));
  std::unique_ptr<ldns_rdf, RdfDeleter> qname(ldns_dname_new_frm_str(name.c_str()));
  if (!addr || !qname) return InvalidArgumentError("bad DNS query " + where);
  std::unique_ptr<ldns_resolver, ResolverDeleter> res(ldns_resolver_new());
  if (!res) return ResourceExhaustedError("ldns_resolver_new failed");
  if (ldns_resolver_push_nameserver(res.get(), addr.get()) != LDNS_STATUS_OK)
    return InternalError("ldns_resolver_push_nameserver failed");
  ldns_resolver_set_port(res.get(), server.port);
  ldns_resolver_set_recursive(res.get(), recursion);
  ldns_resolver_set_dnssec(res.get(), false);
  ldns_resolver_set_usevc(res.get(), false);
  ldns_resolver_set_fallback(res.get(), true);
  ldns_resolver_set_retry(res.get(), 1);
  ldns_resolver_set_retrans(res.get(), 1);
  ldns_resolver_set_random(res.get(), false);
  timeval tv{};
  tv.tv_sec = timeout_nanos / 1'000'000'000;
  tv.tv_usec = (timeout_nanos % 1'000'000'000) / 1000;
  ldns_resolver_set_timeout(res.get(), tv);
  ldns_pkt* raw = nullptr;
  ldns_status st =
      ldns_resolver_send(&raw, res.get(), qname.get(), static_cast<ldns_rr_type>(qtype),
                         LDNS_RR_CLASS_IN, recursion ? LDNS_RD : 0);
  std::unique_ptr<ldns_pkt, PktDeleter> pkt(raw);
  if (st != LDNS_STATUS_OK || !pkt)
    return UnavailableError("no DNS answer for " + where + ": " + ldns_get_errorstr_by_id(st));
  // Round-trip through wire format so network answers take exactly the fuzzed parsing path.
  uint8_t* wire = nullptr;
  size_t size = 0;
  if (ldns_pkt2wire(&wire, pkt.get(), &size) != LDNS_STATUS_OK)
    return InternalError("cannot re-encode DNS answer for " + where);
  auto a = ParseDnsAnswer(std::span<const uint8_t>(wire, size), name, qtype);
  free(wire);
  if (!a.ok()) return a.status().WithContext(where);
  return a;
}

std::string_view DnssecStateName(DnssecState s) {
  switch (s) {
    case DnssecState::kSecure:
      return "secure";
    case DnssecState::kInsecure:
      return "insecure";
    case DnssecState::kBogus:
      return "bogus";
  }
  return "unknown";
}

Result<std::unique_ptr<DnssecValidator>> DnssecValidator::Create(
    const std::string& zone, const std::vector<Endpoint>& authoritative,
    const std::string& trust_anchor_file) {
  ub_ctx* ctx = ub_ctx_create();
  if (ctx == nullptr) return ResourceExhaustedError("ub_ctx_create failed");
  std::unique_ptr<DnssecValidator> v(new DnssecValidator(ctx));
  auto fail = [](const char* what, int err) {
    return InvalidArgumentError(std::string("libunbound ") + what + ": " + ub_strerror(err));
  };
  int err;
  // Test and lab setups put servers on loopback; unbound refuses those by default.
  if ((err = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no")) != 0)
    return fail("option", err);
  if ((err = ub_ctx_set_option(ctx, "val-log-level:", "2")) != 0) return fail("option", err);
  // Background work in a thread of this process, not a forked child (bounded Validate).
  if ((err = ub_ctx_async(ctx, 1)) != 0) return fail("async", err);
  for (const auto& a : authoritative) {
    if ((err = ub_ctx_set_stub(ctx, zone.c_str(), a.ToUnboundAddr().c_str(), 0)) != 0)
      return fail("stub", err);
  }
  if ((err = ub_ctx_add_ta_file(ctx, trust_anchor_file.c_str())) != 0)
    return fail(("trust anchor " + trust_anchor_file).c_str(), err);
  return v;
}

DnssecValidator::~DnssecValidator() { ub_ctx_delete(ctx_); }

namespace {

struct AsyncResult {
  bool done = false;
  int err = 0;
  ub_result* result = nullptr;
};

void OnResolved(void* data, int err, ub_result* result) {
  auto* r = static_cast<AsyncResult*>(data);
  r->done = true;
  r->err = err;
  r->result = result;
}

}  // namespace

Result<DnssecVerdict> DnssecValidator::Validate(const std::string& name, uint16_t qtype,
                                                int64_t timeout_nanos) {
  AsyncResult ar;
  int id = 0;
  int err = ub_resolve_async(ctx_, name.c_str(), qtype, 1 /* IN */, &ar, OnResolved, &id);
  if (err != 0) return UnavailableError("libunbound resolve " + name + ": " + ub_strerror(err));
  const int fd = ub_fd(ctx_);
  int64_t left_ms = timeout_nanos / 1'000'000;
  while (!ar.done && left_ms > 0) {
    pollfd p{fd, POLLIN, 0};
    const int step = static_cast<int>(std::min<int64_t>(left_ms, 100));
    int n = poll(&p, 1, step);
    left_ms -= step;  // a coarse budget is enough: poll returning early only shortens it
    if (n > 0) ub_process(ctx_);
  }
  if (!ar.done) {
    ub_cancel(ctx_, id);
    return DeadlineExceededError("DNSSEC validation of " + name + " timed out");
  }
  if (ar.err != 0)
    return UnavailableError("libunbound resolve " + name + ": " + ub_strerror(ar.err));
  ub_result* r = ar.result;
  DnssecVerdict v;
  v.rcode = r->rcode;
  if (r->bogus) {
    v.state = DnssecState::kBogus;
    v.why_bogus = r->why_bogus ? r->why_bogus : "";
  } else if (r->secure) {
    v.state = DnssecState::kSecure;
  } else {
    v.state = DnssecState::kInsecure;
  }
  ub_resolve_free(r);
  return v;
}

}  // namespace gs::monitor
