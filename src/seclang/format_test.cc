// Tests of format.h (SecLang renderings of AST nodes) and of `govshield waf lint`, run in
// process through the CLI library, which prints those renderings.
#include "seclang/format.h"

#include <gtest/gtest.h>

#include "cli/cli.h"
#include "platform/file.h"
#include "seclang/parser.h"
#include "tests/testlib/temp_dir.h"

namespace gs::seclang {
namespace {

RuleSet MustParse(std::string_view text) {
  auto r = ParseString(text, "f.conf");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : RuleSet{};
}

TEST(Format, VariablesRoundTripThroughTheParser) {
  const std::string vars =
      "REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|&ARGS|TX:paranoia_level|XML:/*";
  RuleSet set = MustParse("SecRule " + vars + " \"@rx a\" \"id:1\"");
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_EQ(FormatVariables(set.rules[0].variables), vars);
  // Parsing the rendering again gives the same variables.
  RuleSet again =
      MustParse("SecRule " + FormatVariables(set.rules[0].variables) + " \"@rx a\" \"id:1\"");
  ASSERT_EQ(again.rules.size(), 1u);
  EXPECT_EQ(FormatVariables(again.rules[0].variables), vars);
}

TEST(Format, OperatorAndSummary) {
  RuleSet set = MustParse(
      "SecRule ARGS|!ARGS:x \"!^abc\" \"id:7,phase:2,t:none,t:lowercase,deny,status:403,"
      "capture,setvar:tx.a=1,setvar:tx.b=2,chain\"\n"
      "  SecRule REQUEST_URI \"@beginsWith /admin\" \"ctl:ruleEngine=Off\"\n");
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_EQ(FormatOperator(set.rules[0].op), "!@rx ^abc");
  EXPECT_EQ(FormatRuleSummary(set.rules[0]),
            "7 phase:2 ARGS|!ARGS:x !@rx ^abc t:none,lowercase "
            "[deny,status:403,capture,chain,setvar*2]");
  EXPECT_EQ(FormatRuleSummary(set.rules[1]), "  chained REQUEST_URI @beginsWith /admin [ctl*1]");
}

int RunCli(std::vector<std::string> args) {
  CLI::App app{"test", "govshield"};
  app.require_subcommand(1);
  cli::RegisterAll(app);
  args.insert(args.begin(), "govshield");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  cli::SetExitCode(-1);
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return cli::ExitCode();
}

TEST(WafLintCli, ExitCodeReflectsErrorsAcrossFilesInOrder) {
  testing::TempDir dir;
  std::string good = dir.path() + "/a.conf", dup = dir.path() + "/b.conf";
  ASSERT_TRUE(platform::WriteFileAtomic(good, "SecAction \"id:1,pass,nolog\"\n").ok());
  ASSERT_TRUE(platform::WriteFileAtomic(dup, "SecAction \"id:1,pass\"\n").ok());
  EXPECT_EQ(RunCli({"waf", "lint", "--rules", good}), 0);
  EXPECT_EQ(RunCli({"waf", "lint", "--quiet", "--rules", dir.path() + "/*.conf"}), 2);
  EXPECT_EQ(RunCli({"waf", "lint", "-q", "--rules", good, "--rules", dup}), 2);
  EXPECT_EQ(RunCli({"waf", "lint", "-q", "--rules", dir.path() + "/missing.conf"}), 2);
  EXPECT_EQ(RunCli({"waf", "lint", "-q", "--rules", "/etc/modsecurity/crs/crs-setup.conf",
                    "--rules", "/usr/share/modsecurity-crs/rules/*.conf"}),
            0);
}

}  // namespace
}  // namespace gs::seclang
