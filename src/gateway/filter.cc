// HeaderList: the small ordered header container of the filter chain (filter.h).
#include "gateway/filter.h"

#include <algorithm>

#include "net/http_syntax.h"

namespace gs::gateway {
namespace {

using net::syntax::IEquals;

}  // namespace

const std::string* HeaderList::Get(std::string_view name) const {
  for (const auto& [n, v] : fields_)
    if (IEquals(n, name)) return &v;
  return nullptr;
}

void HeaderList::Set(std::string_view name, std::string_view value) {
  Remove(name);
  fields_.emplace_back(name, value);
}

size_t HeaderList::Remove(std::string_view name) {
  size_t before = fields_.size();
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const auto& f) { return IEquals(f.first, name); }),
                fields_.end());
  return before - fields_.size();
}

}  // namespace gs::gateway
