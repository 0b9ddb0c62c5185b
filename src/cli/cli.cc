#include "cli/cli.h"

#include <cstdio>

namespace gs::cli {
namespace {
int g_exit_code = 0;
}

int ExitCode() { return g_exit_code; }
void SetExitCode(int code) { g_exit_code = code; }

int Fail(const Status& status) {
  std::string line = "govshield: ";
  line += status.message();
  line += '\n';
  std::fputs(line.c_str(), stderr);
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

void RegisterAll(CLI::App& app) {
  RegisterUp(app);
  RegisterVersion(app);
  RegisterKeys(app);
  RegisterConfig(app);
  RegisterWaf(app);
  RegisterAudit(app);
  RegisterMonitor(app);
  RegisterTamper(app);
  RegisterGateway(app);
}

}  // namespace gs::cli
