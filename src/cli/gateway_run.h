// Running the gateway inside the audit service process (`gateway run` and `govshield up`): the
// gateway starts once the audit store is open and writes into it; SIGHUP reloads; a stop
// signal stops it before the store closes.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cli/audit_service.h"
#include "config/govshield_config.h"
#include "gateway/service.h"

namespace gs::cli {

struct GatewayRunState {
  config::GatewaySection section;
  std::string config_file;  // empty: no reload (the demo default)
  std::string ports_file;
  // Extra lines printed after the gateway's URLs (the demo's example attack).
  std::function<void(const gateway::Gateway&)> banner;
  std::unique_ptr<gateway::GatewayService> service;  // set once started
};

// Installs the on_started/on_reload/on_stopping hooks of `svc` to run the gateway of `state`.
void AttachGateway(AuditServiceOptions* svc, std::shared_ptr<GatewayRunState> state);

}  // namespace gs::cli
