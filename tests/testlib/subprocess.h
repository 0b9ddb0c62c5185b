// Test helper: run a real process (usually the govshield binary) with arguments, feed stdin,
// capture stdout/stderr and the exit status; or start one in the background and kill it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace gs::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH if it has no '/') to completion. `timeout_ms` kills it.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_data = "",
                         int timeout_ms = 120000);

// A process running in the background; stdout/stderr go to files under `log_dir` (or
// /dev/null when empty). Killed (SIGKILL) on destruction if still running.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& log_dir = "");
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int sig);
  // Waits for exit; returns the exit code (or -signal).
  int Wait(int timeout_ms = 30000);
  std::string StdoutPath() const { return out_path_; }
  std::string StderrPath() const { return err_path_; }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::string out_path_, err_path_;
};

// Path of the govshield binary under test (GS_BINARY_DIR/apps/govshield/govshield).
std::string GovshieldBinary();

// Polls `pred` every 10 ms until it returns true or `timeout_ms` passes.
bool WaitFor(const std::function<bool()>& pred, int timeout_ms = 10000);

}  // namespace gs::testing
