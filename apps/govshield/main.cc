// The govshield binary: parses argv and runs one subcommand. All behaviour lives in src/;
// this file only wires the command library to the process.
#include <csignal>
#include <cstdio>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"GovShield (政盾): security for government Internet applications", "govshield"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  gs::cli::RegisterAll(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return gs::cli::ExitCode();
}
