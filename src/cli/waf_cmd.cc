// `govshield waf ...`: the WAF command group. For now `waf lint`, which loads SecLang rule files
// in the order given (as consecutive Include directives would), prints every error and warning
// as file:line:col, and one summary line per rule (id, phase, variables, operator,
// transformations, action flags). How each rule compiles (prefiltered or not) is added by the
// rule compiler later.
#include <cstdio>

#include "cli/cli.h"
#include "seclang/format.h"
#include "seclang/parser.h"

namespace gs::cli {
namespace {

struct WafLintOptions {
  std::vector<std::string> rules;
  bool quiet = false;
};

int RunWafLint(const WafLintOptions& o) {
  seclang::Parser parser;
  for (const std::string& r : o.rules) parser.ParseFile(r);
  parser.Finish();
  const seclang::RuleSet& set = parser.rule_set();
  if (!o.quiet) {
    for (const seclang::Rule& rule : set.rules) {
      std::printf("%s\n", seclang::FormatRuleSummary(rule).c_str());
    }
  }
  for (const seclang::Diagnostic& d : parser.warnings()) {
    std::fprintf(stderr, "%s: warning: %s%s%s\n", d.location.ToString().c_str(), d.message.c_str(),
                 d.hint.empty() ? "" : "\n    hint: ", d.hint.c_str());
  }
  for (const seclang::Diagnostic& d : parser.errors()) {
    std::fprintf(stderr, "%s: error: %s%s%s\n", d.location.ToString().c_str(), d.message.c_str(),
                 d.hint.empty() ? "" : "\n    hint: ", d.hint.c_str());
  }
  size_t chained = 0;
  for (const seclang::Rule& rule : set.rules) chained += rule.parent ? 1 : 0;
  std::printf(
      "%zu file(s), %zu directive(s), %zu rule(s) (%zu chained), %zu error(s), "
      "%zu warning(s)\n",
      set.files.size(), set.directives.size(), set.rules.size(), chained, parser.error_count(),
      parser.warnings().size());
  if (!parser.ok()) {
    return Fail(InvalidArgumentError(std::to_string(parser.error_count()) +
                                     " error(s) in the rules; see above"));
  }
  return 0;
}

}  // namespace

void RegisterWaf(CLI::App& app) {
  auto* waf = app.add_subcommand("waf", "Web application firewall: SecLang rules and engine");
  waf->require_subcommand(1);
  auto opts = std::make_shared<WafLintOptions>();
  auto* lint = waf->add_subcommand(
      "lint", "Load SecLang rules, print every error and a one-line summary per rule");
  lint->add_option("--rules", opts->rules,
                   "Rules file or glob; repeat to load several in order (like Include)")
      ->required();
  lint->add_flag("--quiet,-q", opts->quiet, "Print only errors, warnings and the totals");
  lint->callback(Action([opts] { return RunWafLint(*opts); }));
}

}  // namespace gs::cli
