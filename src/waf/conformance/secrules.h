// Suite (c): the secrules-language-tests (operators/*.json, transformations/*.json), run
// through the public operator registry (ruleengine/operators/operator.h) and transformation
// table (ruleengine/transforms/transforms.h) exactly as the module unit tests
// (operators/conformance_test.cc, transforms/transforms_test.cc) run them, including the input
// rewriting of ModSecurity's unit harness. A case passes when the return value (and, for
// transformations, the output; for @rx with re_groups, the captures) matches.
// Operators we do not implement and cases needing a GeoIP database are skipped with the reason;
// deliberate load-time rejections (documented in the operators module) count as failures of
// class "deliberate deviation".
#pragma once

#include <string>

#include "waf/conformance/suite.h"

namespace gs::waf::conformance {

struct SecrulesOptions {
  std::string suite_dir;  // the secrules-language-tests checkout (operators/, transformations/)
  // Directory that "test-cases/..." parameters (from ModSecurity's tree) resolve against: the
  // parent of the ModSecurity test-cases directory, i.e. ../shared/conformance.
  std::string data_dir;
};

SuiteReport RunSecrulesSuite(const SecrulesOptions& options);

}  // namespace gs::waf::conformance
