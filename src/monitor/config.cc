// Non-YAML parts of the monitor configuration: endpoints, RR type names, the check list.
#include "monitor/config.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>

#include <algorithm>
#include <charconv>

#include "monitor/check.h"

namespace gs::monitor {

std::vector<const CheckDescriptor*> AllChecks() {
  return {&DnsHijackDescriptor(), &TlsDescriptor(), &AvailabilityDescriptor(),
          &ContentDescriptor()};
}

std::string Endpoint::ToString() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string Endpoint::ToUnboundAddr() const { return host + "@" + std::to_string(port); }

Result<Endpoint> ParseEndpoint(std::string_view s, uint16_t default_port) {
  Endpoint e;
  e.port = default_port;
  std::string_view host = s, port;
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos)
      return InvalidArgumentError("bad endpoint \"" + std::string(s) + "\"");
    host = s.substr(1, close - 1);
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return InvalidArgumentError("bad endpoint \"" + std::string(s) + "\"");
      port = rest.substr(1);
    }
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    size_t colon = s.find(':');
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  if (!port.empty()) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535)
      return InvalidArgumentError("bad port in endpoint \"" + std::string(s) + "\"");
    e.port = static_cast<uint16_t>(v);
  }
  e.host = std::string(host);
  unsigned char buf[16];
  if (inet_pton(AF_INET, e.host.c_str(), buf) != 1 && inet_pton(AF_INET6, e.host.c_str(), buf) != 1)
    return InvalidArgumentError("endpoint \"" + std::string(s) +
                                "\" must be an IP address literal");
  return e;
}

const TargetConfig* MonitorConfig::FindTarget(std::string_view name) const {
  for (const auto& t : targets)
    if (t.name == name) return &t;
  return nullptr;
}

uint16_t RrTypeFromName(std::string_view name) {
  std::string n(name);
  ldns_rr_type t = ldns_get_rr_type_by_name(n.c_str());
  return static_cast<uint16_t>(t);
}

std::string RrTypeName(uint16_t type) {
  char* s = ldns_rr_type2str(static_cast<ldns_rr_type>(type));
  if (s == nullptr) return "TYPE" + std::to_string(type);
  std::string out(s);
  free(s);
  return out;
}

}  // namespace gs::monitor
