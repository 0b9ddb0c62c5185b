// BuildRuntime: validation of a GatewaySpec and construction of the immutable Runtime.
#include "gateway/runtime.h"

#include <algorithm>
#include <set>

#include "gateway/builtin_filters.h"

namespace gs::gateway {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

}  // namespace

Result<net::SocketAddress> ParseHostPort(std::string_view s) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= s.size())
    return InvalidArgumentError("'" + std::string(s) + "' is not host:port");
  std::string_view host = s.substr(0, colon), port_s = s.substr(colon + 1);
  if (host.find(':') != std::string_view::npos && host.front() != '[')
    return InvalidArgumentError("'" + std::string(s) + "': write IPv6 as [addr]:port");
  uint32_t port = 0;
  for (char c : port_s) {
    if (c < '0' || c > '9' || port > 65535)
      return InvalidArgumentError("'" + std::string(s) + "': bad port");
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port > 65535) return InvalidArgumentError("'" + std::string(s) + "': bad port");
  return net::SocketAddress::Parse(host, static_cast<uint16_t>(port));
}

bool Site::Matches(std::string_view host) const {
  for (const std::string& n : spec_.server_names) {
    if (n == "*" || n == host) return true;
    if (n.size() > 2 && n[0] == '*' && n[1] == '.') {
      std::string_view suffix = std::string_view(n).substr(1);  // ".example.gov.cn"
      if (host.size() > suffix.size() && host.substr(host.size() - suffix.size()) == suffix)
        return true;
    }
  }
  return false;
}

const Site* Runtime::FindSite(std::string_view host) const {
  for (const auto& s : sites_)
    if (s->Matches(host)) return s.get();
  return default_site_;
}

Result<std::shared_ptr<const Runtime>> BuildRuntime(const GatewaySpec& spec) {
  std::vector<std::string> errors;
  auto err = [&](std::string m) { errors.push_back(std::move(m)); };
  if (spec.listen.empty()) err("gateway.listen: at least one address is required");
  for (const std::string& l : spec.listen) {
    auto a = ParseHostPort(l);
    if (!a.ok()) err("gateway.listen: " + std::string(a.status().message()));
  }
  for (const std::string& l : spec.tls_listen) {
    auto a = ParseHostPort(l);
    if (!a.ok()) err("gateway.tls_listen: " + std::string(a.status().message()));
  }
  if (!spec.admin_listen.empty()) {
    auto a = ParseHostPort(spec.admin_listen);
    if (!a.ok()) {
      err("gateway.admin_listen: " + std::string(a.status().message()));
    } else {
      std::string h = spec.admin_listen.substr(0, spec.admin_listen.rfind(':'));
      if (h != "127.0.0.1" && h != "[::1]" && h.rfind("127.", 0) != 0)
        err("gateway.admin_listen: must be a loopback address (metrics are not public)");
    }
  }
  if (spec.workers < 0 || spec.workers > 256) err("gateway.workers: must be 0..256");
  if (spec.sites.empty()) err("gateway.sites: at least one site is required");

  auto rt = std::shared_ptr<Runtime>(new Runtime());
  rt->spec_ = spec;
  std::set<std::string> names;
  for (size_t i = 0; i < spec.sites.size(); ++i) {
    const SiteSpec& s = spec.sites[i];
    std::string where =
        "gateway.sites[" + std::to_string(i) + "]" + (s.name.empty() ? "" : " (" + s.name + ")");
    if (s.name.empty()) err(where + ".name: required");
    if (!names.insert(s.name).second) err(where + ".name: duplicate site name");
    if (s.server_names.empty()) err(where + ".server_names: at least one name (or \"*\")");
    if (s.upstream.servers.empty()) err(where + ".upstream.servers: at least one server");
    if (s.inspection_limit > s.max_body) err(where + ".inspection_limit: larger than max_body");
    if (s.upstream.max_fails < 1) err(where + ".upstream.max_fails: must be >= 1");
    auto site = std::make_unique<Site>();
    site->spec_ = s;
    for (std::string& n : site->spec_.server_names) n = Lower(n);
    for (const std::string& srv : s.upstream.servers) {
      auto a = ParseHostPort(srv);
      if (!a.ok()) {
        err(where + ".upstream.servers: " + std::string(a.status().message()));
        continue;
      }
      auto st = std::make_unique<ServerState>();
      st->addr = *a;
      st->name = srv;
      site->servers_.push_back(std::move(st));
    }
    site->chain_ = s.extra_filters;
    for (const auto& f : site->chain_)
      if (!f.factory) err(where + ": a filter factory is null");
    if (!s.waf_rules.empty()) {
      auto waf = MakeWafFactory(s.waf_rules);
      if (!waf.ok()) {
        err(where + ".waf.rules: " + std::string(waf.status().message()));
      } else {
        site->chain_.push_back({FilterStage::kWaf, *waf});
      }
    }
    if (!s.tls_cert.empty() || !s.tls_key.empty()) {
      if (s.tls_cert.empty() || s.tls_key.empty()) {
        err(where + ".tls: give both cert and key");
      } else {
        auto ctx = MakeServerContext(s.tls_cert, s.tls_key, s.tls_client_ca, s.client_cert_required,
                                     s.name);
        if (!ctx.ok()) {
          err(where + "." + std::string(ctx.status().message()));
        } else {
          site->tls_ctx_ = std::move(*ctx);
        }
      }
    }
    if (!s.tls_client_ca.empty() && s.tls_cert.empty())
      err(where + ".tls.client_ca: needs the site's tls cert and key");
    if (s.https_redirect && spec.tls_listen.empty())
      err(where + ".https_redirect: needs a gateway.tls_listen address");
    if (s.security_headers.enabled)
      site->chain_.push_back(
          {FilterStage::kResponse, MakeSecurityHeadersFactory(s.security_headers)});
    std::stable_sort(site->chain_.begin(), site->chain_.end(),
                     [](const auto& a, const auto& b) { return a.stage < b.stage; });
    if (s.default_site) {
      if (rt->default_site_) err(where + ".default: only one site may be the default");
      rt->default_site_ = site.get();
    }
    rt->sites_.push_back(std::move(site));
  }
  for (const auto& site : rt->sites_) {
    if (!site->tls_ctx_) continue;
    if (!rt->default_tls_ctx_ || site.get() == rt->default_site_)
      rt->default_tls_ctx_ = site->tls_ctx_.get();
  }
  if (!spec.tls_listen.empty() && !rt->default_tls_ctx_)
    err("gateway.tls_listen: no site has a tls certificate");
  if (rt->default_tls_ctx_) InstallSniCallback(rt->default_tls_ctx_, rt.get());
  if (!errors.empty()) {
    std::string msg = "invalid gateway config:";
    for (const auto& e : errors) msg += "\n  " + e;
    return InvalidArgumentError(msg);
  }
  return std::shared_ptr<const Runtime>(rt);
}

}  // namespace gs::gateway
