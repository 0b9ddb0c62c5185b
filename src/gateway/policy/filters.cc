// Access and CC filters for the gateway chain.
#include "gateway/policy/filters.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "config/reader.h"
#include "gateway/policy/config.h"

namespace gs::gateway::policy {
namespace {

std::string Members(const nlohmann::json& j) {
  std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // "{...}" -> "..." (the gateway wraps the members with its own common fields).
  return s.size() >= 2 ? s.substr(1, s.size() - 2) : std::string();
}

std::optional<IpAddress> ClientIp(const RequestContext& ctx) {
  return IpAddress::Parse(ctx.connection->client_ip);
}

class AccessFactory;

class AccessFilter final : public Filter {
 public:
  explicit AccessFilter(const AccessFactory* f) : f_(f) {}
  FilterStatus OnRequestHeaders(RequestContext& ctx) override;

 private:
  const AccessFactory* f_;
};

class AccessFactory final : public FilterFactory {
 public:
  AccessFactory(std::shared_ptr<const AccessPolicy> p, BlockPageOptions page)
      : policy_(std::move(p)), page_(std::move(page)) {}
  std::string_view name() const override { return "access"; }
  std::unique_ptr<Filter> Create() const override { return std::make_unique<AccessFilter>(this); }

  std::shared_ptr<const AccessPolicy> policy_;
  BlockPageOptions page_;
  mutable IncidentIdGenerator ids_;
};

FilterStatus AccessFilter::OnRequestHeaders(RequestContext& ctx) {
  const AccessPolicy& policy = *f_->policy_;
  if (policy.empty()) return FilterStatus::kContinue;
  std::optional<IpAddress> ip = ClientIp(ctx);
  const ConnectionInfo& conn = *ctx.connection;
  const auto& fields = ctx.request.headers.fields();
  thread_local std::vector<HeaderView> headers;
  headers.clear();
  for (const auto& [k, v] : fields) headers.emplace_back(k, v);
  AccessRequest req{ctx.request.path, ip.value_or(IpAddress()),
                    ClientCert{conn.client_cert, conn.client_cert_cn, conn.client_cert_sha256},
                    headers};
  AccessDecision d;
  if (!ip) {
    // Not expected (the gateway fills a numeric peer address); refuse rather than guess.
    d.allow = false;
    d.status = 403;
    d.policy = "(client address)";
    d.reason = AccessReason::kStaffRefused;
  } else {
    d = policy.Decide(req, *ctx.time);
  }
  if (d.reason == AccessReason::kNoPolicy && d.allow) return FilterStatus::kContinue;
  UnixNanos now = ctx.time->Now();
  std::string incident = d.allow ? std::string() : f_->ids_.Next(now);
  ctx.Event("access_control", AccessEventMembers(d, req, incident));
  if (d.allow) return FilterStatus::kContinue;
  SetLocalBlockResponse(ctx, RenderBlockPage(BlockKind::kAccessDenied, incident, now, f_->page_));
  ctx.blocked_by = "access";
  ctx.block_reason = std::string(AccessReasonName(d.reason));
  return FilterStatus::kStopWithResponse;
}

class CcFilter final : public Filter {
 public:
  explicit CcFilter(const CcFilterFactory* f) : f_(f) {}

  FilterStatus OnRequestHeaders(RequestContext& ctx) override {
    std::optional<IpAddress> ip = ClientIp(ctx);
    if (!ip) return FilterStatus::kContinue;
    ip_ = *ip;
    int64_t now = ctx.time->MonotonicNanos();
    body_start_ = now;
    CcDecision d = f_->guard().OnRequest(ip_, ctx.request.path, now);
    if (d.ban_started) BanEvent(ctx, d, "rate");
    if (d.verdict == CcVerdict::kAllow) return FilterStatus::kContinue;
    Refuse(ctx, d.verdict == CcVerdict::kBanned ? BlockKind::kBanned : BlockKind::kRateLimited,
           d.retry_after_ns, d.verdict == CcVerdict::kBanned ? "banned" : "rate");
    return FilterStatus::kStopWithResponse;
  }

  FilterStatus OnRequestBody(RequestContext& ctx, std::string_view data,
                             bool end_of_inspection) override {
    if (end_of_inspection && data.empty()) return FilterStatus::kContinue;
    int64_t now = ctx.time->MonotonicNanos();
    SlowVerdict v = f_->guard().CheckBody(body_start_, ctx.request_body_bytes, now);
    if (v == SlowVerdict::kOk) return FilterStatus::kContinue;
    CcDecision d = f_->guard().ReportSlowClient(ip_, v, now);
    nlohmann::json j;
    j["kind"] = std::string(SlowVerdictName(v));
    j["body_bytes"] = ctx.request_body_bytes;
    j["elapsed_ms"] = (now - body_start_) / kNanosPerMilli;
    ctx.Event("cc_slow_client", Members(j));
    if (d.ban_started) BanEvent(ctx, d, "slow_client");
    Refuse(ctx, BlockKind::kRateLimited, 0, "slow_body");
    ctx.local_response.status = 408;
    ctx.local_response.close_connection = true;
    return FilterStatus::kStopWithResponse;
  }

 private:
  void BanEvent(RequestContext& ctx, const CcDecision& d, std::string_view why) {
    nlohmann::json j;
    j["ban_level"] = d.ban_level;
    j["ban_seconds"] = d.ban_duration_ns / kNanosPerSecond;
    j["cause"] = std::string(why);
    ctx.Event("cc_ban", Members(j));
  }
  void Refuse(RequestContext& ctx, BlockKind kind, int64_t retry_after, std::string_view reason) {
    UnixNanos now = ctx.time->Now();
    std::string incident = f_->ids().Next(now);
    SetLocalBlockResponse(ctx, RenderBlockPage(kind, incident, now, f_->page(), retry_after));
    ctx.blocked_by = "cc";
    ctx.block_reason = std::string(reason);
  }

  const CcFilterFactory* f_;
  IpAddress ip_;
  int64_t body_start_ = 0;
};

}  // namespace

void SetLocalBlockResponse(RequestContext& ctx, const BlockResponse& page) {
  LocalResponse& r = ctx.local_response;
  r.status = page.status;
  r.body = page.body;
  r.headers.clear();
  for (const auto& [k, v] : page.headers) {
    if (k == "Content-Type") {
      r.content_type = v;
    } else {
      r.headers.Set(k, v);
    }
  }
}

std::shared_ptr<FilterFactory> MakeAccessFilterFactory(std::shared_ptr<const AccessPolicy> policy,
                                                       BlockPageOptions page) {
  return std::make_shared<AccessFactory>(std::move(policy), std::move(page));
}

CcFilterFactory::CcFilterFactory(std::shared_ptr<CcGuard> guard, BlockPageOptions page,
                                 const TimeSource* time)
    : guard_(std::move(guard)), page_(std::move(page)), time_(time ? time : &SystemTime()) {}

std::unique_ptr<Filter> CcFilterFactory::Create() const { return std::make_unique<CcFilter>(this); }

bool CcFilterFactory::OnAccept(const ConnectionInfo& conn) {
  std::optional<IpAddress> ip = IpAddress::Parse(conn.client_ip);
  if (!ip) return true;
  return guard_->OnConnectionOpen(*ip, time_->MonotonicNanos()) == CcVerdict::kAllow;
}

void CcFilterFactory::OnClose(const ConnectionInfo& conn) {
  std::optional<IpAddress> ip = IpAddress::Parse(conn.client_ip);
  if (ip) guard_->OnConnectionClose(*ip);
}

void CcFilterFactory::ReportHeaderTimeout(const ConnectionInfo& conn) {
  std::optional<IpAddress> ip = IpAddress::Parse(conn.client_ip);
  if (ip) guard_->ReportSlowClient(*ip, SlowVerdict::kHeaderTimeout, time_->MonotonicNanos());
}

std::shared_ptr<CcFilterFactory> MakeCcFilterFactory(std::shared_ptr<CcGuard> guard,
                                                     BlockPageOptions page,
                                                     const TimeSource* time) {
  return std::make_shared<CcFilterFactory>(std::move(guard), std::move(page), time);
}

bool SameConfig(const config::Node& a, const config::Node& b) {
  if (a.kind != b.kind || a.scalar != b.scalar || a.quoted != b.quoted ||
      a.items.size() != b.items.size() || a.entries.size() != b.entries.size()) {
    return false;
  }
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (!SameConfig(*a.items[i], *b.items[i])) return false;
  }
  for (size_t i = 0; i < a.entries.size(); ++i) {
    if (a.entries[i].key != b.entries[i].key ||
        !SameConfig(*a.entries[i].value, *b.entries[i].value)) {
      return false;
    }
  }
  return true;
}

namespace {

template <typename T>
Status DecodeNode(const config::Node& node, const std::string& file, const std::string& key,
                  const std::string& base_dir, T* out) {
  config::Diagnostics diags(file);
  config::Context ctx(&diags, base_dir, config::LoadOptions{}.work_budget);
  config::Decoder<T>::Decode(ctx, node, key, out);
  return diags.ToStatus();
}

// Identifies the geo data: resolved paths plus each file's size and mtime.
std::string GeoKey(const GeoSection& g) {
  std::string key;
  auto add = [&](const std::filesystem::path& p) {
    struct stat st {};
    key += p.string();
    if (stat(p.c_str(), &st) == 0) {
      key += "|" + std::to_string(st.st_size) + "|" + std::to_string(st.st_mtim.tv_sec) + "." +
             std::to_string(st.st_mtim.tv_nsec);
    }
    key += "\n";
  };
  for (const auto& p : g.delegated) add(p);
  key += "--\n";
  for (const auto& p : g.mmdb) add(p);
  return key;
}

}  // namespace

Result<std::shared_ptr<const CountryLookup>> PolicyBuilder::Countries(const SitePolicyInput& in) {
  if (in.geo == nullptr) return std::shared_ptr<const CountryLookup>();
  GeoSection g;
  GS_RETURN_IF_ERROR(DecodeNode(*in.geo, in.config_file, "gateway.geo",
                                config::internal::BaseDirOf(in.config_file), &g));
  std::string key = GeoKey(g);
  if (geo_ != nullptr && key == geo_key_) return geo_;
  GS_ASSIGN_OR_RETURN(auto lookup, OpenCountryLookup(g));
  geo_ = lookup;
  geo_key_ = key;
  return lookup;
}

Result<std::vector<StagedFilterFactory>> PolicyBuilder::Build(const SitePolicyInput& in) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StagedFilterFactory> out;
  BlockPageOptions page = in.page;
  if (page.site_name.empty()) page.site_name = in.site_name;
  const TimeSource* time = in.time != nullptr ? in.time : &SystemTime();
  std::string prefix = "gateway.sites." + in.site_name;
  if (in.access != nullptr && !in.access->is_null()) {
    AccessSection s;
    GS_RETURN_IF_ERROR(DecodeNode(*in.access, in.config_file, prefix + ".access", "", &s));
    bool domestic = false;
    for (const auto& p : s.policies) domestic = domestic || p.type == PolicyType::kDomesticOnly;
    std::shared_ptr<const CountryLookup> countries;
    if (domestic) {
      GS_ASSIGN_OR_RETURN(countries, Countries(in));
    }
    Result<AccessPolicy> policy = CompileAccessPolicy(s, countries);
    if (!policy.ok())
      return policy.status().WithContext(in.config_file + ": " + prefix + ".access");
    out.push_back(
        {FilterStage::kAccessControl,
         MakeAccessFilterFactory(std::make_shared<const AccessPolicy>(std::move(*policy)), page)});
  }
  if (in.cc != nullptr && !in.cc->is_null()) {
    CcSection s;
    GS_RETURN_IF_ERROR(DecodeNode(*in.cc, in.config_file, prefix + ".cc", "", &s));
    if (s.enabled) {
      CcState& state = cc_[in.site_name];
      if (state.guard == nullptr || state.node == nullptr || !SameConfig(*state.node, *in.cc)) {
        Result<CcOptions> o = CompileCcOptions(s);
        if (!o.ok()) return o.status().WithContext(in.config_file + ": " + prefix + ".cc");
        auto copy = std::make_shared<config::Node>(*in.cc);  // shares children (immutable)
        state = CcState{std::move(copy), std::make_shared<CcGuard>(std::move(*o))};
      }
      out.push_back({FilterStage::kRateLimit, MakeCcFilterFactory(state.guard, page, time)});
    } else {
      cc_.erase(in.site_name);
    }
  }
  return out;
}

}  // namespace gs::gateway::policy
