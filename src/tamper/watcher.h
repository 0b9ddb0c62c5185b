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
// Blocking mode (WatchOptions::block): a second fanotify group of class FAN_CLASS_CONTENT
// (FAN_REPORT_TID) puts FAN_OPEN_PERM | FAN_ACCESS_PERM marks (with FAN_EVENT_ON_CHILD) on every
// baseline directory. Each open and each read of an entry in them by another process waits for
// our answer:
//  - an open that could change content (write access, O_TRUNC, O_CREAT; read from
//    /proc/TID/syscall while the thread waits in the call) is denied and audited with the
//    writer: only the publisher, which writes through this process, changes content;
//  - otherwise the file's identity (inode, size, mtime, ctime) is compared with the last
//    verified one, and when it changed the content is hashed through the event's own
//    descriptor (which raises no events) and compared with the manifest. A file that differs,
//    or is not in the baseline, is denied (the reader gets EPERM) and queued for an immediate
//    restore; the reader's next try gets the restored page.
// Our own threads' accesses are always allowed (the restore itself). Not covered: a file
// replaced by a symlink is followed by the reader to its target, outside our marks (restored
// by the watcher within milliseconds; the gateway's serve-time check never follows symlinks);
// mmap reads; opens whose flags cannot be read (openat2, io_uring) are judged by content only.
//
// Thread-safety: Run() is called once, from one thread; Stop() may be called from any thread.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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
  // Blocking mode (see above). Create() fails with the kernel's reason if it is refused.
  bool block = false;
};

struct WatchStats {
  std::atomic<uint64_t> events{0};
  std::atomic<uint64_t> checks{0};
  std::atomic<uint64_t> overflows{0};
  std::atomic<uint64_t> sweeps{0};
  // Blocking mode: permission answers.
  std::atomic<uint64_t> perm_allowed{0};
  std::atomic<uint64_t> perm_denied{0};
  std::atomic<uint64_t> perm_hashed{0};
  std::atomic<uint64_t> perm_write_denied{0};
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
  Status SetUpBlocking();
  void PermLoop();
  // Answers one permission event: true = allow. Queues a restore of a denied path.
  bool JudgePermission(int fd, int tid, bool open_event);

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

  // Blocking mode.
  int perm_fd_ = -1;
  int wake_fd_ = -1;       // eventfd: the permission thread asks the main loop for restores
  std::string root_real_;  // realpath of the root, to map /proc/self/fd links to entries
  std::mutex perm_mu_;     // guards the fields below
  std::shared_ptr<const Manifest> perm_manifest_;
  struct PermId {
    dev_t dev;
    ino_t ino;
    off_t size;
    timespec mtime, ctime;
  };
  std::unordered_map<std::string, PermId> perm_verified_;
  std::vector<std::string> perm_restore_;  // paths denied since the main loop last looked
  std::vector<std::pair<std::string, Writer>> perm_write_denials_;  // to be audited
};

// The command line of a process ("" if it is gone), NULs shown as spaces.
std::string ProcessCmdline(int pid);

}  // namespace gs::tamper
