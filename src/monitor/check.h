// CheckDescriptor: what a monitor check is called, which findings it raises and the schema of its
// configuration sections. Every check folder under src/monitor/checks/<name>/ defines one in its
// descriptor.cc; AllChecks() lists them explicitly (no static registration). The config loader
// rejects keys a schema does not name, so a typo in a targets file is an error, not a no-op.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace gs::monitor {

enum class FieldType {
  kString,
  kInt,
  kBool,
  kDuration,
  kStringList,
  kEndpointList,
  kSeverity,
  kRatio
};

struct ConfigField {
  std::string_view key;
  FieldType type;
  std::string_view default_value;  // "" when required or empty by default
  std::string_view help;
};

struct CheckDescriptor {
  std::string_view name;     // "dns_hijack"
  std::string_view section;  // YAML key: per target (targets[].<section>) and global (<section>)
  std::string_view summary;
  std::span<const std::string_view> findings;  // the `check` values it emits
  std::span<const ConfigField> target_schema;  // keys allowed under targets[].<section>
  std::span<const ConfigField> global_schema;  // keys allowed under top-level <section>
};

const CheckDescriptor& DnsHijackDescriptor();
const CheckDescriptor& TlsDescriptor();
const CheckDescriptor& AvailabilityDescriptor();
const CheckDescriptor& ContentDescriptor();

// Every check, in the order rounds run them.
std::vector<const CheckDescriptor*> AllChecks();

}  // namespace gs::monitor
