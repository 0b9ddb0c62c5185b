// Test helpers shared by the logingest test files: a base64 decoder (independent of the
// encoder under test) and JSON parsing that fails the test on invalid JSON.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "testlib/base64.h"

namespace gs::logingest::testutil {

using gs::testing::Base64Decode;

inline nlohmann::json ParseObject(const std::string& s) {
  auto j = nlohmann::json::parse(s, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << s;
  EXPECT_TRUE(j.is_object()) << s;
  return j;
}

// The exact raw bytes a record preserved ("raw" or "raw_b64"), or "<none>".
inline std::string RawOf(const nlohmann::json& j) {
  if (j.contains("raw")) return j["raw"].get<std::string>();
  if (j.contains("raw_b64")) return Base64Decode(j["raw_b64"].get<std::string>());
  return "<none>";
}

inline bool HasAnomaly(const nlohmann::json& j, std::string_view code) {
  if (!j.contains("anomaly")) return false;
  for (const auto& a : j["anomaly"])
    if (a.get<std::string>() == code) return true;
  return false;
}

}  // namespace gs::logingest::testutil
