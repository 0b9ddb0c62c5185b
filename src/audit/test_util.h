// Helpers shared by the audit module's tests: a fresh SM2 key pair on disk and a store in a
// TempDir, plus small file-editing utilities for tamper tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "audit/store.h"
#include "crypto/crypto.h"
#include "platform/file.h"
#include "testlib/temp_dir.h"

namespace gs::audit::testing {

struct KeyFiles {
  std::string priv, pub;
};

inline KeyFiles WriteKey(const std::string& dir, const std::string& name) {
  auto key = crypto::Sm2PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  KeyFiles k{platform::JoinPath(dir, name + "-priv.pem"),
             platform::JoinPath(dir, name + "-pub.pem")};
  EXPECT_TRUE(platform::WriteFileAtomic(k.priv, *key->ToPem(), 0600).ok());
  EXPECT_TRUE(platform::WriteFileAtomic(k.pub, *key->PublicKey().ToPem()).ok());
  return k;
}

inline std::string Rec(uint64_t i, const char* type = "access") {
  return "{\"ts\":\"2026-11-25T08:00:00Z\",\"source\":\"test\",\"type\":\"" + std::string(type) +
         "\",\"n\":" + std::to_string(i) + ",\"msg\":\"GET /index.html 200 from 10.0.0." +
         std::to_string(i % 250) + "\"}";
}

inline std::string ReadAll(const std::string& p) {
  auto r = platform::ReadFile(p);
  EXPECT_TRUE(r.ok()) << p;
  return r.ok() ? *r : std::string();
}

inline void WriteAll(const std::string& p, const std::string& data) {
  ASSERT_TRUE(platform::WriteFileAtomic(p, data, 0640).ok()) << p;
}

}  // namespace gs::audit::testing
