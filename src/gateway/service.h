// GatewayService: the gateway as the CLI runs it, from the `gateway:` config section. Builds a
// GatewaySpec from the section (starting a built-in static file server for every site with
// `upstream.static_root`), compiles it into a Runtime, starts the Gateway, and reloads: a new
// section is validated and built completely before it is swapped in; on any error the running
// config stays and the error says why.
//
// Policy filters (access control, CC) come from a PolicyBuilder supplied by the caller, so this
// module does not depend on the policy implementation.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/sink.h"
#include "config/govshield_config.h"
#include "core/status.h"
#include "gateway/gateway.h"
#include "gateway/guarded_content.h"
#include "gateway/static_site.h"

namespace gs::gateway {

// Builds the extra filters (access control, rate limiting) of one site. `config_file` is for
// diagnostics. Called on every start and reload.
using PolicyBuilder = std::function<Result<std::vector<StagedFilterFactory>>(
    const config::GatewaySection& gateway, const config::GatewaySiteSection& site,
    const std::string& config_file)>;

// Builds the content guard (guarded_content.h) of a site with a `tamper:` section: the
// serve-time check of its protected root. `sink` takes the guard's audit records from worker
// threads without blocking them (it queues into the gateway's audit writer). Called on every
// start and reload; a builder may hand back the guard it built before for the same config.
using ContentGuardBuilder = std::function<Result<std::shared_ptr<ContentGuard>>(
    const config::GatewaySiteSection& site, audit::RecordSink* sink)>;

struct ServiceOptions {
  std::string config_file;  // for diagnostics and `reload` re-reads
  audit::RecordSink* audit_sink = nullptr;
  const TimeSource* time = nullptr;
  PolicyBuilder policy;               // null: sites with access:/cc: are refused with a clear error
  ContentGuardBuilder content_guard;  // null: sites with tamper: are refused with a clear error
};

class GatewayService {
 public:
  static Result<std::unique_ptr<GatewayService>> Start(const config::GatewaySection& section,
                                                       ServiceOptions options);
  ~GatewayService();

  // Validates and builds `section`, then swaps it in. On error nothing changes.
  Status Reload(const config::GatewaySection& section);

  Gateway& gateway() { return *gateway_; }

 private:
  GatewayService() = default;
  Result<GatewaySpec> BuildSpec(const config::GatewaySection& section);

  // Declared first: guards (held by options_ and the gateway's runtime) write through it.
  class QueueSink;
  std::unique_ptr<QueueSink> queue_sink_;
  ServiceOptions options_;
  std::mutex mu_;                                                            // serialises reloads
  std::map<std::string, std::unique_ptr<StaticSiteServer>> static_servers_;  // by root
  std::unique_ptr<Gateway> gateway_;
};

// Audit record (JSON) describing a reload attempt.
std::string ReloadRecord(const TimeSource& time, const Status& result);

}  // namespace gs::gateway
