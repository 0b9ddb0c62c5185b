// `govshield config check -c FILE` and `govshield config example`: validate a GovShield config
// file, printing every problem as FILE:LINE:COL: error: message (hint), or print a commented
// example that passes the check.
#include <cstdio>

#include "cli/cli.h"
#include "cli/config_load.h"
#include "config/govshield_config.h"

namespace gs::cli {

Result<std::shared_ptr<const config::GovShieldConfig>> LoadConfigOrPrintErrors(
    const std::string& path) {
  config::LoadReport report;
  auto loaded = config::LoadGovShieldConfig(path, &report);
  if (loaded.ok()) return loaded;
  for (const config::Diagnostic& d : report.errors) {
    std::fprintf(stderr, "%s\n", d.ToString().c_str());
  }
  size_t hidden = report.total_errors - report.errors.size();
  std::fprintf(stderr, "%s: %zu error%s", path.c_str(), report.total_errors,
               report.total_errors == 1 ? "" : "s");
  if (hidden > 0) std::fprintf(stderr, " (%zu not shown)", hidden);
  std::fputc('\n', stderr);
  return loaded.status();
}

namespace {

int RunConfigCheck(const std::string& path) {
  auto loaded = LoadConfigOrPrintErrors(path);
  if (!loaded.ok()) return 1;
  std::printf("%s: OK (%s)\n", path.c_str(), config::Summarize(**loaded).c_str());
  return 0;
}

}  // namespace

void RegisterConfig(CLI::App& app) {
  auto* group = app.add_subcommand("config", "Check GovShield configuration files");
  group->require_subcommand(1);

  auto path = std::make_shared<std::string>();
  auto* check = group->add_subcommand(
      "check", "Validate a config file; print every error as FILE:LINE:COL, exit 1 if any");
  check->add_option("-c,--config", *path, "The YAML config file")->required();
  check->callback(Action([path] { return RunConfigCheck(*path); }));

  auto* example =
      group->add_subcommand("example", "Print a commented example config that passes the check");
  example->callback(Action([] {
    std::string_view text = config::ExampleConfigYaml();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }));
}

}  // namespace gs::cli
