// Fuzz target: binding hostile YAML into the gateway `access:` / `cc:` / `geo:` sections.
// Invariants: never crashes or throws; a rejected config always says why; an accepted access
// policy can decide a request.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/yaml.h"
#include "gateway/policy/config.h"

namespace gp = gs::gateway::policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gs::config::Diagnostics diags("fuzz.yaml");
  gs::config::ParseLimits limits;
  limits.max_bytes = 64 << 10;
  auto root = gs::config::ParseYaml(text, limits, &diags);
  if (root == nullptr || !root->is_mapping()) return 0;
  static const auto geo =
      *gp::CountryTable::FromTexts({"apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"});
  if (const auto* e = root->Find("access")) {
    auto p = gp::ParseAccessPolicy(*e->value, "fuzz.yaml", geo);
    if (!p.ok() && p.status().message().empty()) std::abort();
    if (p.ok()) {
      gs::ManualTimeSource clock(1'800'000'000LL * gs::kNanosPerSecond);
      gp::AccessRequest req{"/admin/x", *gp::IpAddress::Parse("8.8.8.8"), {}, {}};
      gp::AccessDecision d = p->Decide(req, clock);
      if (d.allow != (d.status == 200)) std::abort();
    }
  }
  if (const auto* e = root->Find("cc")) {
    auto o = gp::ParseCcOptions(*e->value, "fuzz.yaml");
    if (!o.ok() && o.status().message().empty()) std::abort();
  }
  if (const auto* e = root->Find("geo")) {
    gs::config::Diagnostics d2("fuzz.yaml");
    gs::config::Context ctx(&d2, "", 100000);
    gp::GeoSection g;
    gs::config::Decoder<gp::GeoSection>::Decode(ctx, *e->value, "geo", &g);
  }
  return 0;
}
