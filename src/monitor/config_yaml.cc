// The one adapter between yaml-cpp and the monitor: parses a targets file into MonitorConfig,
// validating every section against the check descriptors' schemas. yaml-cpp throws; every
// exception is caught here and becomes INVALID_ARGUMENT. (When src/config lands, this file is
// what moves onto it.)
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "monitor/check.h"
#include "monitor/config.h"
#include "platform/file.h"

namespace gs::monitor {
namespace {

Status CheckKeys(const YAML::Node& map, std::span<const ConfigField> schema,
                 const std::string& where) {
  if (!map.IsMap()) return InvalidArgumentError(where + ": expected a mapping");
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = it->first.as<std::string>();
    bool known = false;
    for (const auto& f : schema) known = known || f.key == key;
    if (!known) return InvalidArgumentError(where + ": unknown key \"" + key + "\"");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> StringList(const YAML::Node& n, const std::string& where) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return out;
  }
  if (!n.IsSequence()) return InvalidArgumentError(where + ": expected a list of strings");
  for (const auto& e : n) out.push_back(e.as<std::string>());
  return out;
}

Result<std::vector<Endpoint>> EndpointList(const YAML::Node& n, const std::string& where) {
  GS_ASSIGN_OR_RETURN(auto strs, StringList(n, where));
  std::vector<Endpoint> out;
  for (const auto& s : strs) {
    auto e = ParseEndpoint(s, 53);
    if (!e.ok()) return e.status().WithContext(where);
    out.push_back(*e);
  }
  return out;
}

Result<int64_t> Duration(const YAML::Node& n, const std::string& where) {
  auto d = ParseDurationNanos(n.as<std::string>());
  if (!d.ok()) return d.status().WithContext(where);
  if (*d <= 0) return InvalidArgumentError(where + ": must be positive");
  return *d;
}

Result<int> IntIn(const YAML::Node& n, int lo, int hi, const std::string& where) {
  int v = n.as<int>();
  if (v < lo || v > hi)
    return InvalidArgumentError(where + ": " + std::to_string(v) + " is outside [" +
                                std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

std::string Resolve(const std::string& base, const std::string& p) {
  if (p.empty() || p.front() == '/') return p;
  return platform::JoinPath(base, p);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Status ParseDnsTarget(const YAML::Node& n, const std::string& where, DnsTargetConfig* out) {
  GS_RETURN_IF_ERROR(CheckKeys(n, DnsHijackDescriptor().target_schema, where));
  out->enabled = true;
  if (!n["names"]) return InvalidArgumentError(where + ".names is required");
  GS_ASSIGN_OR_RETURN(auto names, StringList(n["names"], where + ".names"));
  if (names.empty()) return InvalidArgumentError(where + ".names is empty");
  for (auto& name : names) {
    name = Lower(name);
    if (name.empty() || name.size() > 253) return InvalidArgumentError(where + ".names: bad name");
    out->names.push_back(name);
  }
  if (n["zone"]) {
    out->zone = Lower(n["zone"].as<std::string>());
  } else {
    size_t dot = out->names[0].find('.');
    out->zone = dot == std::string::npos ? out->names[0] : out->names[0].substr(dot + 1);
  }
  if (!n["authoritative"]) return InvalidArgumentError(where + ".authoritative is required");
  GS_ASSIGN_OR_RETURN(out->authoritative,
                      EndpointList(n["authoritative"], where + ".authoritative"));
  if (out->authoritative.empty()) return InvalidArgumentError(where + ".authoritative is empty");
  std::vector<std::string> types = {"A", "AAAA", "CNAME", "NS", "MX", "CAA"};
  if (n["types"]) {
    GS_ASSIGN_OR_RETURN(types, StringList(n["types"], where + ".types"));
  }
  for (const auto& t : types) {
    uint16_t code = RrTypeFromName(t);
    if (code == 0) return InvalidArgumentError(where + ".types: unknown RR type \"" + t + "\"");
    out->types.push_back(code);
  }
  if (n["parent"]) {
    GS_ASSIGN_OR_RETURN(out->parent, EndpointList(n["parent"], where + ".parent"));
  }
  if (n["dnssec"]) {
    std::string m = n["dnssec"].as<std::string>();
    if (m == "off")
      out->dnssec = DnssecMode::kOff;
    else if (m == "validate")
      out->dnssec = DnssecMode::kValidate;
    else if (m == "required")
      out->dnssec = DnssecMode::kRequired;
    else
      return InvalidArgumentError(where + ".dnssec: expected off, validate or required");
  }
  return Status::Ok();
}

Status ParseTlsTarget(const YAML::Node& n, const std::string& where, const std::string& base,
                      TlsTargetConfig* out) {
  GS_RETURN_IF_ERROR(CheckKeys(n, TlsDescriptor().target_schema, where));
  out->enabled = true;
  if (!n["host"]) return InvalidArgumentError(where + ".host is required");
  out->host = Lower(n["host"].as<std::string>());
  out->connect = n["connect"] ? n["connect"].as<std::string>() : out->host;
  if (n["port"]) {
    GS_ASSIGN_OR_RETURN(int p, IntIn(n["port"], 1, 65535, where + ".port"));
    out->port = static_cast<uint16_t>(p);
  }
  if (n["ca_bundle"]) out->ca_bundle = Resolve(base, n["ca_bundle"].as<std::string>());
  if (n["http_port"]) {
    GS_ASSIGN_OR_RETURN(int p, IntIn(n["http_port"], 0, 65535, where + ".http_port"));
    out->http_port = static_cast<uint16_t>(p);
  }
  if (n["require_hsts"]) out->require_hsts = n["require_hsts"].as<bool>();
  if (n["path"]) out->path = n["path"].as<std::string>();
  if (out->path.empty() || out->path.front() != '/')
    return InvalidArgumentError(where + ".path must start with /");
  if (n["timeout"]) {
    GS_ASSIGN_OR_RETURN(out->timeout_nanos, Duration(n["timeout"], where + ".timeout"));
  }
  return Status::Ok();
}

Result<double> Ratio(const YAML::Node& n, const std::string& where) {
  double v = n.as<double>();
  if (!(v > 0 && v < 1)) return InvalidArgumentError(where + ": expected a ratio in (0, 1)");
  return v;
}

Status ParseAvailabilityTarget(const YAML::Node& n, const std::string& where,
                               AvailabilityTargetConfig* out) {
  GS_RETURN_IF_ERROR(CheckKeys(n, AvailabilityDescriptor().target_schema, where));
  out->enabled = true;
  if (!n["url"]) return InvalidArgumentError(where + ".url is required");
  out->url = n["url"].as<std::string>();
  if (out->url.rfind("http://", 0) != 0 && out->url.rfind("https://", 0) != 0)
    return InvalidArgumentError(where + ".url must start with http:// or https://");
  if (n["connect"]) out->connect = n["connect"].as<std::string>();
  if (n["timeout"]) {
    GS_ASSIGN_OR_RETURN(out->timeout_nanos, Duration(n["timeout"], where + ".timeout"));
  }
  if (n["window"]) {
    GS_ASSIGN_OR_RETURN(out->window_nanos, Duration(n["window"], where + ".window"));
  }
  if (n["veto_ratio"]) {
    GS_ASSIGN_OR_RETURN(out->veto_ratio, Ratio(n["veto_ratio"], where + ".veto_ratio"));
  }
  if (n["warn_ratio"]) {
    GS_ASSIGN_OR_RETURN(out->warn_ratio, Ratio(n["warn_ratio"], where + ".warn_ratio"));
  }
  if (out->warn_ratio >= out->veto_ratio)
    return InvalidArgumentError(where + ".warn_ratio must be below veto_ratio");
  if (n["min_probes"]) {
    GS_ASSIGN_OR_RETURN(out->min_probes, IntIn(n["min_probes"], 1, 100000, where + ".min_probes"));
  }
  return Status::Ok();
}

Status ParseContentTarget(const YAML::Node& n, const std::string& where, ContentTargetConfig* out) {
  GS_RETURN_IF_ERROR(CheckKeys(n, ContentDescriptor().target_schema, where));
  out->enabled = true;
  if (!n["url"]) return InvalidArgumentError(where + ".url is required");
  out->url = n["url"].as<std::string>();
  if (out->url.rfind("http://", 0) != 0 && out->url.rfind("https://", 0) != 0)
    return InvalidArgumentError(where + ".url must start with http:// or https://");
  if (n["connect"]) out->connect = n["connect"].as<std::string>();
  if (n["timeout"]) {
    GS_ASSIGN_OR_RETURN(out->timeout_nanos, Duration(n["timeout"], where + ".timeout"));
  }
  if (n["text_similarity"]) {
    GS_ASSIGN_OR_RETURN(out->text_similarity,
                        Ratio(n["text_similarity"], where + ".text_similarity"));
  }
  if (n["structure_similarity"]) {
    GS_ASSIGN_OR_RETURN(out->structure_similarity,
                        Ratio(n["structure_similarity"], where + ".structure_similarity"));
  }
  if (n["roll_similarity"]) {
    GS_ASSIGN_OR_RETURN(out->roll_similarity,
                        Ratio(n["roll_similarity"], where + ".roll_similarity"));
  }
  if (out->roll_similarity <= std::max(out->text_similarity, out->structure_similarity))
    return InvalidArgumentError(where +
                                ".roll_similarity must be above text_similarity and "
                                "structure_similarity");
  if (n["cloaking"]) out->cloaking = n["cloaking"].as<bool>();
  if (n["crawler_agents"]) {
    GS_ASSIGN_OR_RETURN(out->crawler_agents,
                        StringList(n["crawler_agents"], where + ".crawler_agents"));
  }
  if (n["search_referer"]) out->search_referer = n["search_referer"].as<std::string>();
  if (n["cloaking_similarity"]) {
    GS_ASSIGN_OR_RETURN(out->cloaking_similarity,
                        Ratio(n["cloaking_similarity"], where + ".cloaking_similarity"));
  }
  if (n["freshness_days"]) {
    GS_ASSIGN_OR_RETURN(out->freshness_days,
                        IntIn(n["freshness_days"], 0, 3650, where + ".freshness_days"));
  }
  if (n["freshness_url"]) out->freshness_url = n["freshness_url"].as<std::string>();
  return Status::Ok();
}

Status ParseWebhooks(const YAML::Node& n, const std::string& base,
                     std::vector<WebhookConfig>* out) {
  if (!n.IsSequence()) return InvalidArgumentError("webhooks: expected a list");
  static constexpr ConfigField kHook[] = {{"url", FieldType::kString, "", ""},
                                          {"secret_file", FieldType::kString, "", ""},
                                          {"min_severity", FieldType::kSeverity, "low", ""},
                                          {"retries", FieldType::kInt, "3", ""},
                                          {"backoff", FieldType::kDuration, "1s", ""},
                                          {"timeout", FieldType::kDuration, "10s", ""}};
  size_t i = 0;
  for (const auto& h : n) {
    std::string where = "webhooks[" + std::to_string(i++) + "]";
    GS_RETURN_IF_ERROR(CheckKeys(h, kHook, where));
    WebhookConfig w;
    if (!h["url"]) return InvalidArgumentError(where + ".url is required");
    w.url = h["url"].as<std::string>();
    if (w.url.rfind("http://", 0) != 0 && w.url.rfind("https://", 0) != 0)
      return InvalidArgumentError(where + ".url must start with http:// or https://");
    if (h["secret_file"]) {
      auto secret = platform::ReadFile(Resolve(base, h["secret_file"].as<std::string>()));
      if (!secret.ok()) return secret.status().WithContext(where + ".secret_file");
      w.secret = *secret;
      while (!w.secret.empty() && (w.secret.back() == '\n' || w.secret.back() == '\r'))
        w.secret.pop_back();
      if (w.secret.empty()) return InvalidArgumentError(where + ".secret_file is empty");
    }
    if (h["min_severity"]) {
      GS_ASSIGN_OR_RETURN(w.min_severity, ParseSeverity(h["min_severity"].as<std::string>()));
    }
    if (h["retries"]) {
      GS_ASSIGN_OR_RETURN(w.retries, IntIn(h["retries"], 0, 20, where + ".retries"));
    }
    if (h["backoff"]) {
      GS_ASSIGN_OR_RETURN(w.backoff_nanos, Duration(h["backoff"], where + ".backoff"));
    }
    if (h["timeout"]) {
      GS_ASSIGN_OR_RETURN(w.timeout_nanos, Duration(h["timeout"], where + ".timeout"));
    }
    out->push_back(std::move(w));
  }
  return Status::Ok();
}

Result<MonitorConfig> ParseRoot(const YAML::Node& root, const std::string& base) {
  static constexpr ConfigField kRoot[] = {{"interval", FieldType::kDuration, "5m", ""},
                                          {"jitter", FieldType::kDuration, "30s", ""},
                                          {"state", FieldType::kString, "", ""},
                                          {"fail_on", FieldType::kSeverity, "low", ""},
                                          {"dns", FieldType::kString, "", ""},
                                          {"tls", FieldType::kString, "", ""},
                                          {"targets", FieldType::kString, "", ""},
                                          {"availability", FieldType::kString, "", ""},
                                          {"content", FieldType::kString, "", ""},
                                          {"webhooks", FieldType::kString, "", ""},
                                          {"workers", FieldType::kInt, "16", ""},
                                          {"http_concurrency", FieldType::kInt, "256", ""},
                                          {"http_per_host", FieldType::kInt, "8", ""}};
  GS_RETURN_IF_ERROR(CheckKeys(root, kRoot, "monitor config"));
  MonitorConfig c;
  if (root["interval"]) {
    GS_ASSIGN_OR_RETURN(c.interval_nanos, Duration(root["interval"], "interval"));
  }
  if (root["jitter"]) {
    auto d = ParseDurationNanos(root["jitter"].as<std::string>());
    if (!d.ok() || *d < 0) return InvalidArgumentError("jitter: expected a duration");
    c.jitter_nanos = *d;
  }
  if (c.jitter_nanos >= c.interval_nanos)
    return InvalidArgumentError("jitter must be smaller than interval");
  c.state_path =
      Resolve(base, root["state"] ? root["state"].as<std::string>() : "monitor-state.db");
  if (root["fail_on"]) {
    GS_ASSIGN_OR_RETURN(c.fail_on, ParseSeverity(root["fail_on"].as<std::string>()));
  }
  if (root["dns"]) {
    const YAML::Node& d = root["dns"];
    GS_RETURN_IF_ERROR(CheckKeys(d, DnsHijackDescriptor().global_schema, "dns"));
    if (d["resolvers"]) {
      GS_ASSIGN_OR_RETURN(c.dns.resolvers, EndpointList(d["resolvers"], "dns.resolvers"));
    }
    if (d["trust_anchor_file"])
      c.dns.trust_anchor_file = Resolve(base, d["trust_anchor_file"].as<std::string>());
    if (d["mismatch_rounds"]) {
      GS_ASSIGN_OR_RETURN(c.dns.mismatch_rounds,
                          IntIn(d["mismatch_rounds"], 1, 1000, "dns.mismatch_rounds"));
    }
    if (d["confirm_queries"]) {
      GS_ASSIGN_OR_RETURN(c.dns.confirm_queries,
                          IntIn(d["confirm_queries"], 0, 10, "dns.confirm_queries"));
    }
    if (d["timeout"]) {
      GS_ASSIGN_OR_RETURN(c.dns.timeout_nanos, Duration(d["timeout"], "dns.timeout"));
    }
  }
  if (root["workers"]) {
    GS_ASSIGN_OR_RETURN(c.workers, IntIn(root["workers"], 1, 1024, "workers"));
  }
  if (root["http_concurrency"]) {
    GS_ASSIGN_OR_RETURN(c.http_concurrency,
                        IntIn(root["http_concurrency"], 1, 100000, "http_concurrency"));
  }
  if (root["http_per_host"]) {
    GS_ASSIGN_OR_RETURN(c.http_per_host, IntIn(root["http_per_host"], 1, 10000, "http_per_host"));
  }
  if (root["webhooks"]) GS_RETURN_IF_ERROR(ParseWebhooks(root["webhooks"], base, &c.webhooks));
  if (root["content"])
    GS_RETURN_IF_ERROR(CheckKeys(root["content"], ContentDescriptor().global_schema, "content"));
  if (root["tls"]) GS_RETURN_IF_ERROR(CheckKeys(root["tls"], TlsDescriptor().global_schema, "tls"));
  if (root["availability"])
    GS_RETURN_IF_ERROR(
        CheckKeys(root["availability"], AvailabilityDescriptor().global_schema, "availability"));
  if (!root["targets"] || !root["targets"].IsSequence())
    return InvalidArgumentError("targets: expected a list of targets");
  size_t i = 0;
  for (const auto& t : root["targets"]) {
    std::string where = "targets[" + std::to_string(i++) + "]";
    static constexpr ConfigField kTarget[] = {{"name", FieldType::kString, "", ""},
                                              {"dns", FieldType::kString, "", ""},
                                              {"tls", FieldType::kString, "", ""},
                                              {"availability", FieldType::kString, "", ""},
                                              {"content", FieldType::kString, "", ""}};
    GS_RETURN_IF_ERROR(CheckKeys(t, kTarget, where));
    TargetConfig tc;
    if (!t["name"]) return InvalidArgumentError(where + ".name is required");
    tc.name = t["name"].as<std::string>();
    if (tc.name.empty()) return InvalidArgumentError(where + ".name is empty");
    if (c.FindTarget(tc.name))
      return InvalidArgumentError(where + ": duplicate target name \"" + tc.name + "\"");
    if (t["dns"]) GS_RETURN_IF_ERROR(ParseDnsTarget(t["dns"], where + ".dns", &tc.dns));
    if (t["tls"]) GS_RETURN_IF_ERROR(ParseTlsTarget(t["tls"], where + ".tls", base, &tc.tls));
    if (t["availability"])
      GS_RETURN_IF_ERROR(
          ParseAvailabilityTarget(t["availability"], where + ".availability", &tc.availability));
    if (t["content"])
      GS_RETURN_IF_ERROR(ParseContentTarget(t["content"], where + ".content", &tc.content));
    // The national rule needs at least 20 probes a day: one round every 72 minutes at most.
    if (tc.availability.enabled && c.interval_nanos + c.jitter_nanos > 72LL * 60 * kNanosPerSecond)
      return InvalidArgumentError(where +
                                  ".availability: interval + jitter must be at most 72m "
                                  "(the national rule needs >= 20 probes a day)");
    c.targets.push_back(std::move(tc));
  }
  return c;
}

}  // namespace

Result<MonitorConfig> ParseMonitorConfig(std::string_view yaml_text, const std::string& base_dir) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return ParseRoot(root, base_dir);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(std::string("monitor config: ") + e.what());
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("monitor config: ") + e.what());
  }
}

Result<MonitorConfig> LoadMonitorConfig(const std::string& path) {
  GS_ASSIGN_OR_RETURN(std::string text, platform::ReadFile(path));
  std::string base = std::filesystem::path(path).parent_path().string();
  if (base.empty()) base = ".";
  auto c = ParseMonitorConfig(text, base);
  if (!c.ok()) return c.status().WithContext(path);
  return c;
}

}  // namespace gs::monitor
