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

#include <memory>

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

// Fills ctx.local_response from a rendered block page.
void SetLocalBlockResponse(RequestContext& ctx, const BlockResponse& page);

}  // namespace gs::gateway::policy
