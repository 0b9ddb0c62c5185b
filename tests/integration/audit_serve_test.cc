// `make run` as a user runs it: `govshield up` with no config (the embedded demo default), real
// `logger` sending RFC 5424 syslog over TCP and UDP, a component posting JSON over HTTP, then
// `govshield audit query` must show every record and `audit verify` must pass after a clean stop.
// The demo default listens on fixed ports (syslog 5514, HTTP 8514): ephemeral port-0 binds of
// other tests never land there (Linux ephemeral range starts at 32768).
#include <gtest/gtest.h>
#include <signal.h>

#include <random>

#include "platform/file.h"
#include "testlib/subprocess.h"
#include "testlib/temp_dir.h"

namespace gs {
namespace {

using testing::BackgroundProcess;
using testing::GovshieldBinary;
using testing::RunProcess;

size_t CountLines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(AuditServeTest, MakeRunDefaultStoresLoggerAndHttpRecords) {
  testing::TempDir dir;
  std::string data = platform::JoinPath(dir.path(), "govshield-data");
  std::string store = platform::JoinPath(data, "audit");
  // The gateway part of `up` takes any free ports here (8080 may be in use on a test machine).
  BackgroundProcess up({GovshieldBinary(), "up", "--data-dir", data, "--listen", "127.0.0.1:0",
                        "--admin", "127.0.0.1:0"},
                       dir.path());

  // Ready when the HTTP health endpoint answers.
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        auto r = RunProcess({"curl", "-sf", "http://127.0.0.1:8514/healthz"}, "", 2000);
        return r.exit_code == 0;
      },
      20000))
      << "govshield up did not become ready; stderr: "
      << platform::ReadFile(up.StderrPath()).value_or("");

  std::string tag = "gs-it-" + std::to_string(std::random_device{}());
  auto tcp = RunProcess({"logger", "-n", "127.0.0.1", "-P", "5514", "--rfc5424", "-T", "--tag",
                         "portal", tag + " over tcp"});
  ASSERT_EQ(tcp.exit_code, 0) << tcp.err;
  auto udp = RunProcess({"logger", "-n", "127.0.0.1", "-P", "5514", "--rfc5424", "-d", "--tag",
                         "portal", tag + " over udp"});
  ASSERT_EQ(udp.exit_code, 0) << udp.err;
  std::string body = R"({"source":"gateway","type":"block","rule":"942100","note":")" + tag + "\"}";
  auto http = RunProcess({"curl", "-sf", "-XPOST", "-H", "Content-Type: application/json",
                          "--data-binary", body, "http://127.0.0.1:8514/v1/records"});
  ASSERT_EQ(http.exit_code, 0) << http.err;
  EXPECT_NE(http.out.find("\"seqs\""), std::string::npos) << http.out;

  testing::ProcessResult q;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        q = RunProcess({GovshieldBinary(), "audit", "query", "--store", store, "--grep", tag});
        return q.exit_code == 0 && CountLines(q.out) == 3;
      },
      10000))
      << "query exit " << q.exit_code << " out:\n"
      << q.out << q.err;

  auto syslog_only = RunProcess(
      {GovshieldBinary(), "audit", "query", "--store", store, "--source", "syslog", "--grep", tag});
  ASSERT_EQ(syslog_only.exit_code, 0);
  EXPECT_EQ(CountLines(syslog_only.out), 2u);
  EXPECT_NE(syslog_only.out.find("\"transport\":\"tcp\""), std::string::npos);
  EXPECT_NE(syslog_only.out.find("\"transport\":\"udp\""), std::string::npos);
  EXPECT_NE(syslog_only.out.find("\"app_name\":\"portal\""), std::string::npos);

  auto blocks = RunProcess({GovshieldBinary(), "audit", "query", "--store", store, "--type",
                            "block", "--field", "rule=942100"});
  ASSERT_EQ(blocks.exit_code, 0);
  EXPECT_EQ(CountLines(blocks.out), 1u);

  up.Signal(SIGTERM);
  EXPECT_EQ(up.Wait(15000), 0) << platform::ReadFile(up.StderrPath()).value_or("");

  auto verify = RunProcess({GovshieldBinary(), "audit", "verify", "--store", store, "--pubkey",
                            platform::JoinPath(data, "keys/sm2-public.pem")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(AuditServeTest, ServeOnPortZeroReportsPortsAndRefusesSecondWriter) {
  testing::TempDir dir;
  std::string keys = platform::JoinPath(dir.path(), "keys");
  std::string store = platform::JoinPath(dir.path(), "store");
  ASSERT_EQ(RunProcess({GovshieldBinary(), "keys", "gen", "--out", keys}).exit_code, 0);
  ASSERT_EQ(RunProcess({GovshieldBinary(), "audit", "init", "--store", store, "--key",
                        platform::JoinPath(keys, "sm2-private.pem")})
                .exit_code,
            0);
  std::string ports = platform::JoinPath(dir.path(), "ports.json");
  BackgroundProcess serve({GovshieldBinary(), "audit", "serve", "--store", store, "--syslog-udp",
                           "0", "--syslog-tcp", "0", "--http", "0", "--ports-file", ports},
                          dir.path());
  ASSERT_TRUE(testing::WaitFor([&] { return platform::PathExists(ports); }, 20000));
  std::string json = *platform::ReadFile(ports);
  EXPECT_NE(json.find("\"syslog_tcp\":"), std::string::npos);
  EXPECT_EQ(json.find("\"syslog_tcp\":0"), std::string::npos) << json;

  // A second writer on the same store must be refused with a clear reason, not corrupt it.
  auto second = RunProcess({GovshieldBinary(), "audit", "serve", "--store", store, "--syslog-udp",
                            "0", "--syslog-tcp", "0", "--http", "0"},
                           "", 10000);
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.err.find("govshield: "), std::string::npos);

  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(15000), 0);
}

}  // namespace
}  // namespace gs
