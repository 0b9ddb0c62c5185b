// Builds without the WAF engine library: WAF rules in the config are refused with a clear error.
#include "gateway/builtin_filters.h"

namespace gs::gateway {

bool HaveWafEngine() { return false; }

Result<std::shared_ptr<FilterFactory>> MakeWafFactory(const std::vector<std::string>&) {
  return UnimplementedError("this build has no WAF engine (src/waf); remove waf.rules");
}

}  // namespace gs::gateway
