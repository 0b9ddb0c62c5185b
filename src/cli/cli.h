// The govshield command-line surface as a library: apps/govshield/main.cc only parses argv
// with the App these functions build. Each command group lives in its own <group>_cmd.cc and
// registers itself by an explicit call from RegisterAll (no static initialisers).
//
// Conventions for every command: `--help`; exit 0 on success, non-zero on failure; a failure
// prints one line "govshield: <reason a person can act on>" to stderr.
#pragma once

#include <CLI/CLI.hpp>

#include "core/status.h"

namespace gs::cli {

void RegisterAll(CLI::App& app);

void RegisterVersion(CLI::App& app);
void RegisterKeys(CLI::App& app);
void RegisterAudit(CLI::App& app);
void RegisterConfig(CLI::App& app);
void RegisterWaf(CLI::App& app);
// Adds `conformance` to the `waf` command group (waf_conformance_cmd.cc).
void RegisterWafConformance(CLI::App& waf_group);
void RegisterUp(CLI::App& app);
// Adds `serve` to the `audit` group (audit_serve_cmd.cc).
void RegisterAuditServe(CLI::App& audit_group);
void RegisterMonitor(CLI::App& app);
// Adds `scan` (webshell scan) to the `tamper` command group (owned by the tamper module).
void RegisterTamperScan(CLI::App& tamper_group);
void RegisterTamper(CLI::App& app);
void RegisterGateway(CLI::App& app);

// The exit code the chosen subcommand's callback recorded.
int ExitCode();
void SetExitCode(int code);

// Prints "govshield: <message>" to stderr and returns 1 (or 2 for invalid arguments).
int Fail(const Status& status);

// Runs `fn` (returning Status or int) as a subcommand's action and records its exit code.
template <typename Fn>
std::function<void()> Action(Fn fn) {
  return [fn]() {
    if constexpr (std::is_same_v<decltype(fn()), Status>) {
      Status s = fn();
      SetExitCode(s.ok() ? 0 : Fail(s));
    } else {
      SetExitCode(fn());
    }
  };
}

}  // namespace gs::cli
