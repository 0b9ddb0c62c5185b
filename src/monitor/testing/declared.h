// Test helper: every finding a check emits must be declared in that check's descriptor (so
// `govshield monitor checks` and the documentation list it).
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "monitor/check.h"
#include "monitor/finding.h"

namespace gs::monitor::testing {

inline void ExpectDeclared(const std::vector<Finding>& findings) {
  for (const auto& f : findings) {
    bool declared = false;
    for (const CheckDescriptor* d : AllChecks())
      for (auto name : d->findings) declared = declared || name == f.check;
    EXPECT_TRUE(declared) << "finding " << f.check << " is not declared in any check descriptor";
  }
}

}  // namespace gs::monitor::testing
