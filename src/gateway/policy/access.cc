// Access decisions: path selection, staff checks, country lookup and the whitelist.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "gateway/policy/access.h"

#include <pcre2.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace gs::gateway::policy {

std::string_view AccessReasonName(AccessReason r) {
  switch (r) {
    case AccessReason::kNoPolicy:
      return "no_policy";
    case AccessReason::kStaffCidr:
      return "staff_cidr";
    case AccessReason::kStaffCert:
      return "staff_cert";
    case AccessReason::kStaffCidrAndCert:
      return "staff_cidr_and_cert";
    case AccessReason::kStaffRefused:
      return "staff_refused";
    case AccessReason::kDomestic:
      return "domestic";
    case AccessReason::kPrivateAddress:
      return "private_address";
    case AccessReason::kWhitelisted:
      return "whitelisted";
    case AccessReason::kOverseasRefused:
      return "overseas_refused";
    case AccessReason::kWhitelistExpired:
      return "whitelist_expired";
    case AccessReason::kOutsideWindow:
      return "outside_window";
  }
  return "?";
}

// ---- path matching ----------------------------------------------------------------------------

struct PathMatcher::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// One match-data block per thread: pcre2_match needs scratch space, and allocating it per call
// would cost more than the match. Size 1 is enough because we only ask "does it match".
pcre2_match_data* ThreadMatchData() {
  struct Holder {
    pcre2_match_data* md = pcre2_match_data_create(1, nullptr);
    ~Holder() { pcre2_match_data_free(md); }
  };
  thread_local Holder h;
  return h.md;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

PathMatcher PathMatcher::Prefix(std::string prefix, bool ignore_case) {
  PathMatcher m;
  if (ignore_case) std::transform(prefix.begin(), prefix.end(), prefix.begin(), Lower);
  m.prefix_ = std::move(prefix);
  m.ignore_case_ = ignore_case;
  return m;
}

Result<PathMatcher> PathMatcher::Regex(const std::string& pattern, bool ignore_case) {
  int err = 0;
  PCRE2_SIZE offset = 0;
  uint32_t flags = PCRE2_UTF | (ignore_case ? PCRE2_CASELESS : 0);
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   flags, &err, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof(msg));
    return InvalidArgumentError("regex '" + pattern + "': " + reinterpret_cast<char*>(msg) +
                                " at offset " + std::to_string(offset));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // best effort; interpreter otherwise
  auto c = std::make_shared<Code>();
  c->code = code;
  PathMatcher m;
  m.regex_ = std::move(c);
  m.ignore_case_ = ignore_case;
  return m;
}

bool PathMatcher::Matches(std::string_view path) const {
  if (regex_ != nullptr) {
    int rc = pcre2_match(regex_->code, reinterpret_cast<PCRE2_SPTR>(path.data()), path.size(), 0, 0,
                         ThreadMatchData(), nullptr);
    // Any error other than "no match" (a decoded path that is not UTF-8, a match limit) counts
    // as a match, so a policy cannot be bypassed with such bytes: fail closed.
    return rc >= 0 || rc != PCRE2_ERROR_NOMATCH;
  }
  if (path.size() < prefix_.size()) return false;
  if (!ignore_case_) return path.compare(0, prefix_.size(), prefix_) == 0;
  for (size_t i = 0; i < prefix_.size(); ++i) {
    if (Lower(path[i]) != prefix_[i]) return false;
  }
  return true;
}

// ---- helpers ----------------------------------------------------------------------------------

namespace {
// True when NormalisePath would return `raw` unchanged: it starts with '/' and has nothing to
// decode, drop or resolve. Most request paths take this branch.
bool AlreadyNormal(std::string_view raw) {
  if (raw.empty() || raw[0] != '/') return false;
  char prev = 0;
  for (char c : raw) {
    if (c == '%' || c == '\\' || c == '?' || c == '#') return false;
    if (prev == '/' && (c == '/' || c == '.')) return false;
    prev = c;
  }
  return true;
}
}  // namespace

void NormalisePath(std::string_view raw, std::string* out) {
  if (AlreadyNormal(raw)) {
    out->assign(raw);
    return;
  }
  size_t q = raw.find_first_of("?#");
  if (q != std::string_view::npos) raw = raw.substr(0, q);
  out->assign(1, '/');
  out->reserve(raw.size() + 1);
  // Decoded in place, one segment at a time: the current segment is out[seg:]. A decoded '/'
  // (%2F) separates segments too: upstreams differ on this and the safe reading for access
  // control is the one that selects more policies.
  size_t seg = 1;
  auto finish = [&]() {
    std::string_view s(out->data() + seg, out->size() - seg);
    if (s.empty()) return;
    if (s == "." || s == "..") {
      out->resize(seg);
      if (s.size() == 2 && seg > 1) {  // drop the previous segment too
        size_t slash = out->rfind('/', seg - 2);
        out->resize(slash + 1);
      }
    } else {
      out->push_back('/');
    }
    seg = out->size();
  };
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%' && i + 2 < raw.size()) {
      int h = HexValue(raw[i + 1]), l = HexValue(raw[i + 2]);
      if (h >= 0 && l >= 0) {
        c = static_cast<char>(h * 16 + l);
        i += 2;
      }
    }
    if (c == '/' || c == '\\') {  // '\\': IIS-style upstreams treat it as a separator
      finish();
    } else {
      out->push_back(c);
    }
  }
  bool trailing = !raw.empty() && (raw.back() == '/');
  finish();
  // Keep a trailing slash only if the request had one ("/admin" vs "/admin/").
  if (out->size() > 1 && !trailing && out->back() == '/') out->pop_back();
}

std::string NormaliseFingerprint(std::string_view fp) {
  std::string out;
  out.reserve(fp.size());
  for (char c : fp) {
    if (c == ':') continue;
    if (HexValue(c) < 0) return {};
    out.push_back(Lower(c));
  }
  return out;
}

int ShanghaiMinuteOfDay(UnixNanos t) {
  constexpr int64_t kOffsetSeconds = 8 * 3600;
  int64_t s = t / kNanosPerSecond + kOffsetSeconds;
  int64_t sod = s % 86400;
  if (sod < 0) sod += 86400;
  return static_cast<int>(sod / 60);
}

namespace {

// Fingerprint equality ignoring case and colons, without allocating.
bool FingerprintEquals(std::string_view presented, std::string_view normalised) {
  size_t j = 0;
  for (char c : presented) {
    if (c == ':') continue;
    if (j >= normalised.size() || Lower(c) != normalised[j]) return false;
    ++j;
  }
  return j == normalised.size() && !normalised.empty();
}

std::optional<std::string_view> FindHeader(std::span<const HeaderView> headers,
                                           std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Every Cookie header, "a=1; b=2" pairs; the first cookie called `name` wins.
std::optional<std::string_view> FindCookie(std::span<const HeaderView> headers,
                                           std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (!EqualsIgnoreCase(k, "cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(pair.substr(0, eq)) == name) return Trim(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

bool InDaily(const DailyHours& d, int minute) {
  if (d.start_minute == d.end_minute) return true;  // whole day
  if (d.start_minute < d.end_minute) return minute >= d.start_minute && minute < d.end_minute;
  return minute >= d.start_minute || minute < d.end_minute;  // wraps midnight
}

// Whether the entry's identity bindings (account, device, source) hold for this request.
bool IdentityMatches(const WhitelistEntry& e, const AccessRequest& req) {
  if (!e.cidrs.empty() && !e.cidrs.Contains(req.client)) return false;
  if (!e.devices.empty()) {
    if (!req.cert.verified) return false;
    bool any = false;
    for (const auto& d : e.devices) any = any || FingerprintEquals(req.cert.fingerprint_sha256, d);
    if (!any) return false;
  }
  if (e.account_source != AccountSource::kNone) {
    std::optional<std::string_view> account;
    switch (e.account_source) {
      case AccountSource::kHeader:
        account = FindHeader(req.headers, e.account_key);
        break;
      case AccountSource::kCookie:
        account = FindCookie(req.headers, e.account_key);
        break;
      case AccountSource::kCertCn:
        if (req.cert.verified) account = req.cert.cn;
        break;
      case AccountSource::kNone:
        break;
    }
    if (!account || account->empty()) return false;
    if (std::find(e.account_values.begin(), e.account_values.end(), *account) ==
        e.account_values.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

// ---- decisions --------------------------------------------------------------------------------

AccessPolicy::AccessPolicy(std::vector<Policy> policies,
                           std::shared_ptr<const CountryLookup> countries,
                           std::vector<CountryCode> domestic, bool private_is_domestic)
    : policies_(std::move(policies)),
      countries_(std::move(countries)),
      domestic_(std::move(domestic)),
      private_is_domestic_(private_is_domestic) {}

AccessDecision AccessPolicy::Decide(const AccessRequest& req, const TimeSource& time) const {
  if (policies_.empty()) return AccessDecision{};
  thread_local std::string path;
  NormalisePath(req.path, &path);
  for (const Policy& p : policies_) {
    if (!p.match.Matches(path)) continue;
    AccessDecision d =
        p.type == PolicyType::kStaffOnly ? DecideStaff(p, req) : DecideDomestic(p, req, time.Now());
    d.policy = p.name;
    d.type = p.type == PolicyType::kStaffOnly ? "staff_only" : "domestic_only";
    d.status = d.allow ? 200 : 403;
    return d;
  }
  return AccessDecision{};
}

AccessDecision AccessPolicy::DecideStaff(const Policy& p, const AccessRequest& req) const {
  AccessDecision d;
  bool has_cidr_rule = !p.cidrs.empty();
  bool has_cert_rule = !p.cert_cns.empty() || !p.cert_fingerprints.empty();
  bool cidr_ok = has_cidr_rule && p.cidrs.Contains(req.client);
  bool cert_ok = false;
  if (has_cert_rule && req.cert.verified) {
    for (const auto& cn : p.cert_cns) cert_ok = cert_ok || (!cn.empty() && req.cert.cn == cn);
    for (const auto& fp : p.cert_fingerprints) {
      cert_ok = cert_ok || FingerprintEquals(req.cert.fingerprint_sha256, fp);
    }
  }
  bool ok = p.require_all ? ((!has_cidr_rule || cidr_ok) && (!has_cert_rule || cert_ok) &&
                             (has_cidr_rule || has_cert_rule))
                          : (cidr_ok || cert_ok);
  d.allow = ok;
  if (!ok) {
    d.reason = AccessReason::kStaffRefused;
    d.rule = has_cidr_rule && has_cert_rule ? "cidr+client_cert"
             : has_cidr_rule                ? "cidr"
                                            : "client_cert";
  } else if (cidr_ok && cert_ok) {
    d.reason = p.require_all ? AccessReason::kStaffCidrAndCert : AccessReason::kStaffCidr;
    d.rule = p.require_all ? "cidr+client_cert" : "cidr";
  } else if (cidr_ok) {
    d.reason = AccessReason::kStaffCidr;
    d.rule = "cidr";
  } else {
    d.reason = AccessReason::kStaffCert;
    d.rule = "client_cert";
  }
  return d;
}

AccessDecision AccessPolicy::DecideDomestic(const Policy& p, const AccessRequest& req,
                                            UnixNanos now) const {
  AccessDecision d;
  if (countries_ != nullptr) d.country = countries_->Lookup(req.client);
  if (d.country.known() &&
      std::find(domestic_.begin(), domestic_.end(), d.country) != domestic_.end()) {
    d.reason = AccessReason::kDomestic;
    d.rule = "country";
    return d;
  }
  if (!d.country.known() && private_is_domestic_ && req.client.IsPrivateOrLocal()) {
    d.reason = AccessReason::kPrivateAddress;
    d.rule = "private_address";
    return d;
  }
  // Overseas (or unknown): only a whitelist entry lets it through. When an entry's identity
  // matches but its time does not, say which, so the audit trail explains the refusal.
  const WhitelistEntry* expired = nullptr;
  const WhitelistEntry* outside = nullptr;
  int minute = -1;
  for (const WhitelistEntry& e : p.whitelist) {
    if (!IdentityMatches(e, req)) continue;
    if (now >= e.expires) {
      expired = expired ? expired : &e;
      continue;
    }
    bool in_window =
        (!e.not_before || now >= *e.not_before) && (!e.not_after || now < *e.not_after);
    if (in_window && e.daily) {
      if (minute < 0) minute = ShanghaiMinuteOfDay(now);
      in_window = InDaily(*e.daily, minute);
    }
    if (!in_window) {
      outside = outside ? outside : &e;
      continue;
    }
    d.reason = AccessReason::kWhitelisted;
    d.rule = e.name;
    return d;
  }
  d.allow = false;
  if (outside != nullptr) {
    d.reason = AccessReason::kOutsideWindow;
    d.rule = outside->name;
  } else if (expired != nullptr) {
    d.reason = AccessReason::kWhitelistExpired;
    d.rule = expired->name;
  } else {
    d.reason = AccessReason::kOverseasRefused;
    d.rule = "country";
  }
  return d;
}

std::string AccessRecordJson(const AccessDecision& d, const AccessRequest& req, UnixNanos ts,
                             std::string_view site, std::string_view incident_id) {
  nlohmann::json j;
  j["ts"] = FormatRfc3339(ts);
  j["source"] = "gateway";
  j["type"] = "access_control";
  j["site"] = std::string(site);
  j["decision"] = d.allow ? "allow" : "deny";
  j["status"] = d.status;
  j["policy"] = std::string(d.policy);
  j["policy_type"] = std::string(d.type);
  j["rule"] = std::string(d.rule);
  j["reason"] = std::string(AccessReasonName(d.reason));
  j["client"] = req.client.ToString();
  j["country"] = d.country.ToString();
  std::string_view path = req.path.substr(0, std::min<size_t>(req.path.size(), 512));
  // Paths are attacker bytes: replace invalid UTF-8 rather than throw.
  j["path"] = std::string(path);
  if (req.cert.verified) j["client_cert_cn"] = std::string(req.cert.cn.substr(0, 256));
  if (!incident_id.empty()) j["incident"] = std::string(incident_id);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool valid = IsValidUtf8(s);
  out->push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else if (c >= 0x80 && !valid) {
      out->append("\\ufffd");
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

namespace {
// At most n bytes, not cutting a UTF-8 sequence in half.
std::string_view Truncate(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n;
  while (cut > 0 && cut > n - 4 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}
}  // namespace

std::string AccessEventMembers(const AccessDecision& d, const AccessRequest& req,
                               std::string_view incident_id) {
  std::string out;
  out.reserve(256);
  out += d.allow ? "\"decision\":\"allow\",\"status\":" : "\"decision\":\"deny\",\"status\":";
  out += std::to_string(d.status);
  out += ",\"policy\":";
  AppendJsonString(&out, d.policy);
  out += ",\"policy_type\":";
  AppendJsonString(&out, d.type);
  out += ",\"rule\":";
  AppendJsonString(&out, d.rule);
  out += ",\"reason\":\"";
  out += AccessReasonName(d.reason);
  out += "\",\"country\":\"";
  out += d.country.ToString();
  out += "\",\"path\":";
  AppendJsonString(&out, Truncate(req.path, 512));
  if (req.cert.verified) {
    out += ",\"client_cert_cn\":";
    AppendJsonString(&out, Truncate(req.cert.cn, 256));
  }
  if (!incident_id.empty()) {
    out += ",\"incident\":";
    AppendJsonString(&out, incident_id);
  }
  return out;
}

}  // namespace gs::gateway::policy
