// GatewayService (service.h): config section -> GatewaySpec -> Runtime -> Gateway.
#include "gateway/service.h"

#include <atomic>

#include "gateway/builtin_filters.h"

namespace gs::gateway {
namespace {

int64_t Ms(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

// Records from worker threads (a content guard's serve_tamper events) into the gateway's audit
// queue; straight to the store only while the gateway is not started yet.
class GatewayService::QueueSink final : public audit::RecordSink {
 public:
  explicit QueueSink(audit::RecordSink* store) : store_(store) {}
  void Attach(AuditWriter* writer) { writer_.store(writer); }
  Result<uint64_t> Append(std::string_view json_object) override {
    if (AuditWriter* w = writer_.load()) {
      w->Submit(std::string(json_object));
      return uint64_t{0};  // queued: no sequence number yet
    }
    if (!store_) return uint64_t{0};
    return store_->Append(json_object);
  }
  Status Sync() override {
    if (AuditWriter* w = writer_.load()) w->Flush();
    return store_ ? store_->Sync() : Status::Ok();
  }

 private:
  audit::RecordSink* store_;
  std::atomic<AuditWriter*> writer_{nullptr};
};

Result<GatewaySpec> GatewayService::BuildSpec(const config::GatewaySection& g) {
  GatewaySpec spec;
  spec.listen = g.listen;
  spec.tls_listen = g.tls_listen;
  spec.workers = g.workers;
  spec.admin_listen = g.admin_listen;
  spec.max_request_line = g.max_request_line.bytes;
  spec.max_header_line = g.max_header_line.bytes;
  spec.max_header_bytes = g.max_header_bytes.bytes;
  spec.max_headers = static_cast<size_t>(g.max_headers);
  spec.max_connections_per_worker = static_cast<size_t>(g.max_connections_per_worker);
  spec.header_timeout_ms = Ms(g.header_timeout);
  spec.body_timeout_ms = Ms(g.body_timeout);
  spec.idle_timeout_ms = Ms(g.idle_timeout);
  spec.websocket_idle_timeout_ms = Ms(g.websocket_idle_timeout);
  std::vector<std::string> errors;
  for (const config::GatewaySiteSection& s : g.sites) {
    SiteSpec site;
    site.name = s.name;
    site.server_names = s.server_names;
    site.default_site = s.default_site;
    const config::GatewayUpstreamSection& u = s.upstream;
    site.upstream.servers = u.servers;
    if (u.static_root) {
      std::string root = u.static_root->string();
      auto it = static_servers_.find(root);
      if (it == static_servers_.end()) {
        auto srv = StaticSiteServer::Start(root, "127.0.0.1:0");
        if (!srv.ok()) {
          errors.push_back("site " + s.name + ": " + std::string(srv.status().message()));
          continue;
        }
        it = static_servers_.emplace(root, std::move(*srv)).first;
      }
      site.upstream.servers = {it->second->address()};
    }
    site.upstream.health_path = u.health_path;
    site.upstream.health_interval_ms = Ms(u.health_interval);
    site.upstream.max_fails = u.max_fails;
    site.upstream.fail_timeout_ms = Ms(u.fail_timeout);
    site.upstream.max_idle_per_worker = static_cast<size_t>(u.keepalive);
    site.upstream.connect_timeout_ms = Ms(u.connect_timeout);
    site.upstream.response_timeout_ms = Ms(u.response_timeout);
    site.upstream.read_timeout_ms = Ms(u.read_timeout);
    if (s.waf.enabled)
      for (const auto& r : s.waf.rules) site.waf_rules.push_back(r.string());
    site.inspection_limit = s.inspection_limit.bytes;
    site.max_body = s.max_body.bytes;
    site.access_log = s.access_log;
    if (s.tls) {
      site.tls_cert = s.tls->cert.string();
      site.tls_key = s.tls->key.string();
      if (s.tls->client_ca) site.tls_client_ca = s.tls->client_ca->string();
      site.client_cert_required = s.tls->client_cert == config::ClientCertMode::kRequire;
    }
    site.https_redirect = s.https_redirect;
    const auto& h = s.security_headers;
    site.security_headers.enabled = h.enabled;
    site.security_headers.hsts = h.hsts;
    site.security_headers.content_type_options = h.content_type_options;
    site.security_headers.frame_options = h.frame_options;
    site.security_headers.referrer_policy = h.referrer_policy;
    site.security_headers.csp = h.csp;
    if (s.access || s.cc || g.geo) {
      if (!options_.policy) {
        errors.push_back("site " + s.name +
                         ": access/cc/geo need the gateway policy module, which this build "
                         "does not include");
        continue;
      }
    }
    if (options_.policy) {
      auto extra = options_.policy(g, s, options_.config_file);
      if (!extra.ok()) {
        errors.push_back("site " + s.name + ": " + std::string(extra.status().message()));
        continue;
      }
      site.extra_filters = std::move(*extra);
    }
    if (s.tamper) {
      if (!options_.content_guard) {
        errors.push_back("site " + s.name +
                         ": tamper (serve-time check) needs the tamper module, which this build "
                         "does not include");
        continue;
      }
      auto guard = options_.content_guard(s, queue_sink_.get());
      if (!guard.ok()) {
        errors.push_back("site " + s.name + ": tamper: " + std::string(guard.status().message()));
        continue;
      }
      GuardedContentOptions go;
      go.prefixes = s.tamper->paths;
      go.unknown_to_upstream = s.tamper->unknown == config::TamperUnknownAction::kUpstream;
      site.extra_filters.push_back(
          {FilterStage::kContent, MakeGuardedContentFactory(std::move(*guard), std::move(go))});
    }
    spec.sites.push_back(std::move(site));
  }
  if (!errors.empty()) {
    std::string m = "invalid gateway config:";
    for (const auto& e : errors) m += "\n  " + e;
    return InvalidArgumentError(m);
  }
  return spec;
}

Result<std::unique_ptr<GatewayService>> GatewayService::Start(const config::GatewaySection& g,
                                                              ServiceOptions options) {
  std::unique_ptr<GatewayService> svc(new GatewayService());
  svc->options_ = std::move(options);
  svc->queue_sink_ = std::make_unique<QueueSink>(svc->options_.audit_sink);
  GS_ASSIGN_OR_RETURN(GatewaySpec spec, svc->BuildSpec(g));
  GS_ASSIGN_OR_RETURN(auto rt, BuildRuntime(spec));
  GatewayDeps deps;
  deps.audit_sink = svc->options_.audit_sink;
  deps.time = svc->options_.time;
  GS_ASSIGN_OR_RETURN(svc->gateway_, Gateway::Start(rt, deps));
  svc->queue_sink_->Attach(&svc->gateway_->audit());
  return svc;
}

GatewayService::~GatewayService() {
  if (gateway_) gateway_->Stop();
  if (queue_sink_) queue_sink_->Attach(nullptr);
  gateway_.reset();
  static_servers_.clear();
}

Status GatewayService::Reload(const config::GatewaySection& g) {
  std::lock_guard<std::mutex> lock(mu_);
  auto spec = BuildSpec(g);
  Status result;
  bool refused_before_swap = true;  // Gateway::Reload counts its own refusals
  if (!spec.ok()) {
    result = spec.status();
  } else if (auto rt = BuildRuntime(*spec); !rt.ok()) {
    result = rt.status();
  } else {
    refused_before_swap = false;
    result = gateway_->Reload(*rt);
  }
  if (!result.ok() && refused_before_swap) gateway_->metrics().reload_failures.fetch_add(1);
  gateway_->audit().Submit(ReloadRecord(gateway_->time(), result));
  return result;
}

std::string ReloadRecord(const TimeSource& time, const Status& result) {
  std::string rec =
      "{\"ts\":\"" + FormatRfc3339(time.Now()) +
      "\",\"source\":\"gateway\",\"type\":\"reload\",\"ok\":" + (result.ok() ? "true" : "false");
  if (!result.ok()) rec += ",\"error\":" + JsonString(result.message());
  rec += "}";
  return rec;
}

}  // namespace gs::gateway
