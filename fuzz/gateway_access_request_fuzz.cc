// Fuzz target: attacker-controlled request parts (path, headers, cookies, certificate fields)
// through the access decision. Input: lines "path\nname: value\n...". Invariants: never
// crashes; the normalised path starts with '/', has no empty, "." or ".." segment; a decision
// is a 200 allow or a 403 deny; the audit record is valid JSON-serialisable.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml.h"
#include "gateway/policy/access.h"
#include "gateway/policy/config.h"

namespace gp = gs::gateway::policy;

namespace {

const gp::AccessPolicy& Policy() {
  static const gp::AccessPolicy* p = [] {
    gs::config::Diagnostics diags("fuzz.yaml");
    auto root = gs::config::ParseYaml(R"(
access:
  policies:
    - {name: admin, prefix: /admin, ignore_case: true, type: staff_only, cidrs: [10.0.0.0/8], client_cert_cns: [ops]}
    - {name: api, regex: '^/api/v[0-9]+/ops', type: staff_only, cidrs: [10.1.0.0/16], require: all,
       client_cert_fingerprints: ["abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"]}
    - name: svc
      prefix: /
      type: domestic_only
      whitelist:
        - {name: h, account: {source: header, name: X-Acct, values: [a]}, daily: "08:00-18:00", expires: 2030-01-01}
        - {name: c, account: {source: cookie, name: acct, values: [b]}, expires: 2030-01-01}
        - {name: d, account: {source: cert_cn, values: [c]}, devices: ["abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"], expires: 2030-01-01}
)",
                                      {}, &diags);
    auto geo = *gp::CountryTable::FromTexts({"apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"});
    return new gp::AccessPolicy(*gp::ParseAccessPolicy(*root->Find("access")->value, "f", geo));
  }();
  return *p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string_view path = text.substr(0, nl);
  std::vector<gp::HeaderView> headers;
  std::string_view rest = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  while (!rest.empty() && headers.size() < 64) {
    size_t e = rest.find('\n');
    std::string_view line = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 1);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  std::string norm;
  gp::NormalisePath(path, &norm);
  if (norm.empty() || norm[0] != '/') std::abort();
  if (norm.find("//") != std::string::npos) std::abort();
  // Normalising again changes nothing (the fast path agrees with the full one) unless the
  // single decoding produced new '%', '?' or '#' (we decode once, as upstreams do).
  if (norm.find_first_of("%?#") == std::string::npos) {
    std::string twice;
    gp::NormalisePath(norm, &twice);
    if (twice != norm) std::abort();
  }
  for (std::string_view bad : {"/./", "/../"}) {
    if ((norm + "/").find(bad) != std::string::npos) std::abort();
  }
  gs::ManualTimeSource clock(1'800'000'000LL * gs::kNanosPerSecond);
  const char* ips[] = {"8.8.8.8", "10.1.2.3", "1.0.1.9", "2001:db8::1"};
  gp::ClientCert cert{size % 2 == 0, headers.empty() ? std::string_view() : headers[0].second,
                      headers.size() < 2 ? std::string_view() : headers[1].second};
  gp::AccessRequest req{path, *gp::IpAddress::Parse(ips[size % 4]), cert, headers};
  gp::AccessDecision d = Policy().Decide(req, clock);
  if (d.allow ? d.status != 200 : d.status != 403) std::abort();
  std::string rec = gp::AccessRecordJson(d, req, clock.Now(), "site", "id");
  if (rec.empty() || rec.front() != '{') std::abort();
  return 0;
}
