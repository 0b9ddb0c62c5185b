// `govshield version`: the build's version and the library versions it runs on.
#include <openssl/crypto.h>

#include <cstdio>

#include "cli/cli.h"

#ifndef GS_VERSION
#define GS_VERSION "0.0.0"
#endif

namespace gs::cli {

void RegisterVersion(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the GovShield version and library versions");
  cmd->callback(Action([] {
    std::printf("govshield %s\nopenssl %s\n", GS_VERSION, OpenSSL_version(OPENSSL_VERSION_STRING));
    return 0;
  }));
}

}  // namespace gs::cli
