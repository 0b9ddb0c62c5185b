// Tests of the compiled matchers (LiteralMatcher, PrefilterSet) against the reference
// LiteralRequirement::SatisfiedBy.
#include <gtest/gtest.h>

#include "ruleengine/prefilter/prefilter.h"

namespace gs::prefilter {
namespace {}  // namespace
}  // namespace gs::prefilter
