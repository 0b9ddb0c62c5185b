// `govshield monitor once` exit codes and output, run as a real process: 0 without findings at
// or above the threshold, 1 with, 2 for configuration errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "monitor/testing/tls_test_server.h"
#include "tests/testlib/subprocess.h"
#include "tests/testlib/temp_dir.h"

namespace gs::monitor {
namespace {

using gs::testing::GovshieldBinary;
using gs::testing::RunProcess;

TEST(MonitorCli, ExitCodesFollowSeverityThreshold) {
  gs::testing::TempDir dir;
  testing::CertFactory ca(dir.path(), "gov");
  testing::TlsServerOptions o;
  o.cert = ca.Issue("site", {"www.site.test"}, -86400, 365 * 86400);
  o.hsts = false;  // a medium-severity finding
  testing::TlsTestServer srv(o);
  ASSERT_EQ(srv.error(), "");
  std::string conf = dir.path() + "/m.yaml";
  std::ofstream(conf)
      << "state: s.db\ntargets:\n  - name: site\n    tls:\n      host: www.site.test\n"
         "      connect: 127.0.0.1\n      port: "
      << srv.port() << "\n      ca_bundle: " << ca.ca_pem() << "\n";
  auto text = RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf, "--lang", "en"});
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_NE(text.out.find("medium tls_hsts_missing site"), std::string::npos) << text.out;
  // Simplified Chinese is the default report language.
  auto zh = RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf});
  EXPECT_EQ(zh.exit_code, 1) << zh.err;
  EXPECT_NE(zh.out.find("[中] 未启用HSTS tls_hsts_missing 目标 site"), std::string::npos) << zh.out;
  auto bad_lang = RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf, "--lang", "fr"});
  EXPECT_EQ(bad_lang.exit_code, 2);
  auto high = RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf, "--fail-on", "high"});
  EXPECT_EQ(high.exit_code, 0) << high.err;  // still printed, but below the threshold
  EXPECT_NE(high.out.find("tls_hsts_missing"), std::string::npos);
  auto bad_sev =
      RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf, "--fail-on", "urgent"});
  EXPECT_EQ(bad_sev.exit_code, 2);
}

TEST(MonitorCli, CleanTargetExitsZero) {
  gs::testing::TempDir dir;
  testing::ScriptedHttpServer page;
  std::string conf = dir.path() + "/m.yaml";
  std::ofstream(conf) << "interval: 1h\njitter: 0s\ntargets:\n  - name: p\n    availability:\n"
                         "      url: http://127.0.0.1:"
                      << page.port() << "/\n";
  auto r = RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(page.requests(), 1);
}

// `monitor once --audit-store` writes the round's finding into a store made by `audit init`;
// `audit query` reads it back and `audit verify` passes; --progress reports the round on stderr.
TEST(MonitorCli, FindingsIntoAuditStore) {
  gs::testing::TempDir dir;
  testing::ScriptedHttpServer page;
  page.set_mode(testing::ScriptedHttpServer::Mode::kError);
  const std::string key = dir.path() + "/k.pem", store = dir.path() + "/audit";
  ASSERT_EQ(RunProcess({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:SM2", "-out", key})
                .exit_code,
            0);
  auto init = RunProcess({GovshieldBinary(), "audit", "init", "--store", store, "--key", key});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::string conf = dir.path() + "/m.yaml";
  std::ofstream(conf) << "interval: 1h\njitter: 0s\ntargets:\n  - name: p\n    content:\n"
                         "      url: http://127.0.0.1:"
                      << page.port() << "/\n      cloaking: false\n";
  auto r = RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf, "--audit-store", store,
                       "--progress", "--fail-on", "high"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("本轮检测 1 个目标，发现 1 项问题"), std::string::npos) << r.err;
  auto q = RunProcess({GovshieldBinary(), "audit", "query", "--store", store});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  auto j = nlohmann::json::parse(q.out.substr(0, q.out.find('\n')), nullptr, false);
  ASSERT_TRUE(j.is_object()) << q.out;
  EXPECT_EQ(j["record"]["source"], "monitor");
  EXPECT_EQ(j["record"]["check"], "content_unreachable");
  auto v = RunProcess({GovshieldBinary(), "audit", "verify", "--store", store});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST(MonitorCli, ConfigErrorsExitTwo) {
  gs::testing::TempDir dir;
  auto missing =
      RunProcess({GovshieldBinary(), "monitor", "once", "-c", dir.path() + "/nope.yaml"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err.rfind("govshield: ", 0), 0u) << missing.err;
  std::string conf = dir.path() + "/bad.yaml";
  std::ofstream(conf) << "targets:\n  - name: a\n    dns: {names: [a.example], authoritative: "
                         "[127.0.0.1], colour: red}\n";
  auto bad = RunProcess({GovshieldBinary(), "monitor", "once", "-c", conf});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("colour"), std::string::npos) << bad.err;
  auto unknown_target =
      RunProcess({GovshieldBinary(), "monitor", "accept", "-c", conf, "--target", "x"});
  EXPECT_EQ(unknown_target.exit_code, 2);
}

}  // namespace
}  // namespace gs::monitor
