// Node::Describe, used in "expected X, got Y" messages.
#include "config/node.h"

namespace gs::config {

std::string Node::Describe() const {
  switch (kind) {
    case Kind::kNull:
      return "nothing (null)";
    case Kind::kSequence:
      return "a list";
    case Kind::kMapping:
      return "a mapping";
    case Kind::kScalar:
      break;
  }
  constexpr size_t kMaxShown = 40;
  std::string shown = scalar.size() > kMaxShown ? scalar.substr(0, kMaxShown) + "..." : scalar;
  return quoted ? "the string \"" + shown + "\"" : "'" + shown + "'";
}

}  // namespace gs::config
