// The restorer: makes paths of a protected web root match its signed baseline again, using the
// vault's content. Unknown entries are moved to quarantine with a JSON evidence file (never just
// deleted); tampered files are replaced atomically (temporary file in the same directory, fsync,
// rename over), with owner and mode restored; symlinks are restored as symlinks; a directory
// replaced by a file (or the reverse) is handled. Every operation is relative to a directory fd
// opened beneath the root with O_NOFOLLOW, so nothing follows a symlink out of the root.
//
// Every finding is reported once to the audit sink (if any) as a JSON record
// {"source":"tamper","type":"tamper", ...} (fields: docs/formats/baseline.md §5).
//
// Thread-safety: Check() and FullScan() may be called from several threads; they serialise on
// one internal mutex (a restore must not interleave with another check of the same tree).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/sink.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/crypto.h"
#include "tamper/manifest.h"
#include "tamper/safe_fs.h"
#include "tamper/vault.h"

namespace gs::tamper {

// Who changed the file, when the watch mechanism knows (fanotify does; inotify does not).
struct Writer {
  int pid = 0;
  std::string cmdline;
};

struct GuardOptions {
  std::string quarantine_dir;         // empty = vault's quarantine/
  audit::RecordSink* sink = nullptr;  // not owned; may be null
  const TimeSource* clock = nullptr;  // nullptr = SystemTime()
  bool dry_run = false;               // only report ("detected"); change nothing
  std::string mechanism;              // copied into records ("fanotify", "inotify", "sweep")
  // fsync restored files, evidence and their directories. Off by default: a restore lost to a
  // power cut is redone from the (durable) vault by the scan at the next start, and each fsync
  // costs milliseconds of write-to-restored latency.
  bool fsync = false;
  std::string record_type = "tamper";  // "type" of audit records ("publish" when publishing)
};

struct Finding {
  std::string path;  // raw relative path
  // modify | delete | create | chmod | chown | symlink_swap | type_change | write (blocked)
  std::string kind;
  // restored | quarantined | metadata_fixed | detected | failed | blocked
  std::string action;
  std::optional<crypto::Digest> before, after;
  std::string quarantine_id;
  std::string error;
};

class Guard {
 public:
  // Opens the root and the quarantine directory. `vault` must outlive the Guard.
  static Result<std::unique_ptr<Guard>> Create(const std::string& root, Manifest manifest,
                                               const Vault* vault, GuardOptions options);
  ~Guard();

  // Makes `rel` (a raw relative path; "." is the root) and its ancestors match the baseline.
  // With `recursive`, a directory's whole subtree is checked too (unknown entries quarantined).
  // Paths that are excluded or not valid entry paths are ignored. Returns the findings (also
  // sent to the sink).
  std::vector<Finding> Check(std::string_view rel, bool recursive, const Writer& writer = {});

  // Checks every baseline directory, its entries, and quarantines unknown entries, examining
  // at most `files_per_second` entries per second (0 = no cap). Stops early if *stop.
  std::vector<Finding> FullScan(uint64_t files_per_second = 0,
                                const std::atomic<bool>* stop = nullptr);

  // Called (under the guard's lock) with the path and an fd of every directory the guard
  // creates, so a watcher can start watching it. Must not call back into the Guard.
  void SetDirCreatedCallback(std::function<void(const std::string& rel, int dir_fd)> cb);

  // Records an open for writing that blocking mode denied ("kind":"write","action":"blocked").
  void ReportBlockedWrite(const std::string& rel, const Writer& w);

  // True if `rel` or one of its ancestors is excluded by the manifest.
  bool IsExcludedPath(std::string_view rel) const;

  // Swaps in a newer manifest (after an authorised publish). Serialised with checks.
  void ReplaceManifest(Manifest manifest);

  // The manifest in force. Not synchronised with ReplaceManifest: call from the thread that
  // replaces it (the watcher's) or before watching starts.
  const Manifest& manifest() const { return manifest_; }
  int root_fd() const { return root_fd_.get(); }
  const std::string& root_path() const { return root_path_; }
  uint64_t findings_total() const { return findings_total_.load(); }
  void set_mechanism(std::string m);
  void set_record_type(std::string t);

 private:
  Guard() = default;

  struct FileId {
    dev_t dev;
    ino_t ino;
    off_t size;
    timespec mtime, ctime;
  };

  void FixOne(const std::string& rel, bool recursive, const Writer& w, std::vector<Finding>* out);
  void FixRoot(bool recursive, const Writer& w, std::vector<Finding>* out);
  void FixFile(int parent, const std::string& name, const std::string& rel, const Entry& want,
               bool exists, const struct stat& st, const Writer& w, std::vector<Finding>* out);
  void FixSymlink(int parent, const std::string& name, const std::string& rel, const Entry& want,
                  bool exists, const struct stat& st, const Writer& w, std::vector<Finding>* out);
  void FixDir(int parent, const std::string& name, const std::string& rel, const Entry& want,
              bool exists, const struct stat& st, bool recursive, const Writer& w,
              std::vector<Finding>* out);
  void FixDirMeta(int dir_fd, const std::string& rel, const Entry& want, const Writer& w,
                  std::vector<Finding>* out);
  void FixChildren(const std::string& rel, int dir_fd, bool recursive, const Writer& w,
                   std::vector<Finding>* out);

  // Moves an entry into quarantine (any type) and writes its evidence. Returns the id.
  Result<std::string> Quarantine(int parent, const std::string& name, const std::string& rel,
                                 const struct stat& st, const Writer& w);
  // Keeps a copy of a non-directory entry in quarantine (hard link, or copy across
  // filesystems) without removing it, so it can then be replaced atomically.
  Result<std::string> KeepEvidence(int parent, const std::string& name, const std::string& rel,
                                   const struct stat& st, const Writer& w);
  Status WriteEvidence(const std::string& id, const std::string& rel, const struct stat& st,
                       const Writer& w, bool moved);
  Status CopyAcross(int parent, const std::string& name, const struct stat& st,
                    const std::string& qname);
  std::string NewQuarantineId();

  // Writes `want` (a file or symlink) under a temporary name and renames it over `name`.
  Status ReplaceWith(int parent, const std::string& name, const Entry& want);

  void Report(Finding f, const Writer& w, std::vector<Finding>* out);
  bool CachedOk(const std::string& rel, const struct stat& st) const;

  std::string root_path_;
  UniqueFd root_fd_;
  UniqueFd quarantine_fd_;
  Manifest manifest_;
  std::unordered_map<std::string, std::vector<size_t>> children_;
  const Vault* vault_ = nullptr;
  GuardOptions options_;
  const TimeSource* clock_ = nullptr;
  std::function<void(const std::string&, int)> dir_created_;
  std::unordered_map<std::string, FileId> verified_;
  std::recursive_mutex mu_;
  std::atomic<uint64_t> findings_total_{0};
  std::atomic<uint64_t> quarantine_seq_{0};
  int retries_ = 0;  // bounded re-judging when a writer races a restore (under mu_)
};

}  // namespace gs::tamper
