// The watch daemon's core: turns file-system events under a protected root into Guard checks.
//
// Mechanism, best first:
//  - fanotify with a filesystem mark and FAN_REPORT_DFID_NAME (directory-entry events with the
//    writer's PID; /proc/PID/cmdline is recorded). Events are matched to the protected tree by
//    the file handle of their directory, so the mark may cover the whole filesystem.
//  - recursive inotify otherwise (one watch per directory, added as directories are restored).
// Queue overflow (IN_Q_OVERFLOW / FAN_Q_OVERFLOW) triggers a full rescan: no silent loss.
// A sweep thread re-checks the whole tree periodically at a capped files/s rate.
//
// Thread-safety: Run() is called once, from one thread; Stop() may be called from any thread.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "platform/file.h"
#include "tamper/guard.h"

namespace gs::tamper {

struct WatchOptions {
  bool try_fanotify = true;
  int64_t sweep_interval_ms = 300'000;      // 0 = no periodic sweep
  uint64_t sweep_files_per_second = 2'000;  // cap for the periodic sweep (0 = none)
  std::string ready_file;                   // written once watching and the first scan are done
  // When set, the vault's current manifest is re-read (and must verify with `pubkey`) before
  // each batch of events, so a `tamper publish` takes effect before its own writes are judged.
  const Vault* vault = nullptr;
  std::optional<crypto::Sm2PublicKey> pubkey;
};

struct WatchStats {
  std::atomic<uint64_t> events{0};
  std::atomic<uint64_t> checks{0};
  std::atomic<uint64_t> overflows{0};
  std::atomic<uint64_t> sweeps{0};
};

class Watcher {
 public:
  // Sets up fanotify or inotify on the guard's root and registers the guard's dir callback.
  // `guard` must outlive the Watcher.
  static Result<std::unique_ptr<Watcher>> Create(Guard* guard, WatchOptions options);
  ~Watcher();

  // "fanotify" or "inotify", and a sentence saying why (e.g. "fanotify refused: EPERM").
  const std::string& mechanism() const { return mechanism_; }
  const std::string& reason() const { return reason_; }

  // Full scan, then the event loop until Stop(). Returns an error only if the event source
  // fails irrecoverably.
  Status Run();
  void Stop() { stop_ = true; }
  const WatchStats& stats() const { return stats_; }

 private:
  struct Pending {
    bool recursive = false;
    Writer writer;
  };
  Watcher() = default;

  Status SetUpFanotify();
  Status SetUpInotify();
  void WatchDir(const std::string& rel, int dir_fd);
  void WatchBaselineDirs();
  void WatchSubtree(const std::string& rel);
  Status ReadFanotify(std::unordered_map<std::string, Pending>* pending, bool* overflow);
  Status ReadInotify(std::unordered_map<std::string, Pending>* pending, bool* overflow);
  void Schedule(std::unordered_map<std::string, Pending>* pending, const std::string& path,
                bool recursive, const Writer& w);
  void ForgetDir(const std::string& rel);
  void SweepLoop();
  void ReloadManifestIfChanged();

  Guard* guard_ = nullptr;
  WatchOptions options_;
  std::string mechanism_, reason_;
  int fan_fd_ = -1;
  int ino_fd_ = -1;
  // fanotify: directory file handle -> relative path (and back, to forget moved dirs).
  std::unordered_map<std::string, std::string> handle_to_path_;
  std::unordered_map<std::string, std::string> path_to_handle_;
  // inotify: watch descriptor <-> relative path.
  std::unordered_map<int, std::string> wd_to_path_;
  std::unordered_map<std::string, int> path_to_wd_;
  std::atomic<bool> stop_{false};
  struct stat manifest_stat_ {};
  platform::FileLock vault_lock_;  // held while watching: publish hands its apply to us
  WatchStats stats_;
};

// The command line of a process ("" if it is gone), NULs shown as spaces.
std::string ProcessCmdline(int pid);

}  // namespace gs::tamper
