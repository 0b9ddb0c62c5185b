// Thin adapters that put the access-control and CC-defence libraries into the gateway's filter
// chain (gateway/filter.h). All policy logic lives in access.h / cc.h; these only translate the
// gateway's request context, render the block page and report audit events.
//
// Wiring (per site):
//   auto access = MakeAccessFilterFactory(policy, {site_name, contact});
//   auto cc = MakeCcFilterFactory(guard, {site_name, contact}, &time);
//   site.extra_filters.push_back({FilterStage::kAccessControl, access});
//   site.extra_filters.push_back({FilterStage::kRateLimit, cc});
// `time` must be the same TimeSource given to the Gateway (GatewayDeps::time) and outlive it.
//
// Audit events (ctx.Event; the gateway adds ts/source/type/site/request_id/client_ip/method/
// target/host), fields in docs/gateway-policy.md:
//  - "access_control": every request a policy selected, allowed or denied.
//  - "cc_ban": a ban started; "cc_slow_client": a slow POST was cut off.
// Requests refused by CC carry blocked_by = "cc" and block_reason in the access record.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/node.h"
#include "gateway/filter.h"
#include "gateway/policy/access.h"
#include "gateway/policy/block_page.h"
#include "gateway/policy/cc.h"

namespace gs::gateway::policy {

// Factory name "access". Thread-safe; the policy is shared and immutable.
std::shared_ptr<FilterFactory> MakeAccessFilterFactory(std::shared_ptr<const AccessPolicy> policy,
                                                       BlockPageOptions page = {});

// The CC factory also implements the connection hooks (per-IP caps, bans at accept).
class CcFilterFactory final : public FilterFactory, public ConnectionFilter {
 public:
  CcFilterFactory(std::shared_ptr<CcGuard> guard, BlockPageOptions page, const TimeSource* time);

  std::string_view name() const override { return "cc"; }
  std::unique_ptr<Filter> Create() const override;
  ConnectionFilter* connection_filter() override { return this; }

  bool OnAccept(const ConnectionInfo& conn) override;
  void OnClose(const ConnectionInfo& conn) override;

  // For the proxy's own header timeout (slowloris): counts the offence, may start a ban.
  void ReportHeaderTimeout(const ConnectionInfo& conn);

  CcGuard& guard() const { return *guard_; }
  const BlockPageOptions& page() const { return page_; }
  const TimeSource& time() const { return *time_; }
  IncidentIdGenerator& ids() const { return ids_; }

 private:
  std::shared_ptr<CcGuard> guard_;
  BlockPageOptions page_;
  const TimeSource* time_;
  mutable IncidentIdGenerator ids_;
};

std::shared_ptr<CcFilterFactory> MakeCcFilterFactory(std::shared_ptr<CcGuard> guard,
                                                     BlockPageOptions page, const TimeSource* time);

// What the gateway service passes per site on every start and reload (the raw config nodes it
// keeps for `geo:`, a site's `access:` and `cc:`; null = section absent).
struct SitePolicyInput {
  std::string site_name;
  const config::Node* geo = nullptr;  // gateway-wide
  const config::Node* access = nullptr;
  const config::Node* cc = nullptr;
  std::string config_file;           // diagnostics; relative geo paths resolve against its dir
  const TimeSource* time = nullptr;  // the gateway's clock (GatewayDeps::time)
  BlockPageOptions page;             // site_name defaults to `site_name`
};

// Builds a site's policy filters from config nodes, keeping state across reloads: the country
// data is re-read only when the geo section or the files (size, mtime) change, and a site's
// CcGuard (buckets, bans) is kept when its `cc:` section is unchanged. Thread-safe.
class PolicyBuilder {
 public:
  // The site's filters (access at kAccessControl, cc at kRateLimit; none when both sections
  // are absent or cc.enabled is false). INVALID_ARGUMENT with FILE:LINE:COL diagnostics;
  // FAILED_PRECONDITION for domestic_only without geo data; IO errors naming geo files.
  Result<std::vector<StagedFilterFactory>> Build(const SitePolicyInput& in);

 private:
  Result<std::shared_ptr<const CountryLookup>> Countries(const SitePolicyInput& in);

  std::mutex mu_;
  std::string geo_key_;
  std::shared_ptr<const CountryLookup> geo_;
  struct CcState {
    std::shared_ptr<const config::Node> node;
    std::shared_ptr<CcGuard> guard;
  };
  std::map<std::string, CcState> cc_;  // by site name
};

// Structural equality of config trees (kind, scalars, quoting, keys, order), ignoring positions.
bool SameConfig(const config::Node& a, const config::Node& b);

// Fills ctx.local_response from a rendered block page.
void SetLocalBlockResponse(RequestContext& ctx, const BlockResponse& page);

}  // namespace gs::gateway::policy
