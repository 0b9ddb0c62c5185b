// The restorer and quarantine (see guard.h).
#include "tamper/guard.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstring>
#include <thread>
#include <unordered_set>

#include "core/log.h"
#include "platform/file.h"
#include "tamper/json_fields.h"

namespace gs::tamper {
namespace {

constexpr std::string_view kTmpPrefix = ".gs-restore-";

bool SameTime(const timespec& a, const timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

std::string ModeString(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

std::string TypeOf(const struct stat& st) {
  if (S_ISREG(st.st_mode)) return "file";
  if (S_ISDIR(st.st_mode)) return "dir";
  if (S_ISLNK(st.st_mode)) return "symlink";
  return "other";
}

std::string TempName() { return std::string(kTmpPrefix) + HexEncode(crypto::RandomBytes(8)); }

}  // namespace

Guard::~Guard() = default;

Result<std::unique_ptr<Guard>> Guard::Create(const std::string& root, Manifest manifest,
                                             const Vault* vault, GuardOptions options) {
  std::unique_ptr<Guard> g(new Guard());
  char real[PATH_MAX];
  g->root_path_ = ::realpath(root.c_str(), real) ? std::string(real) : root;
  GS_ASSIGN_OR_RETURN(g->root_fd_, OpenRootDir(root));
  if (options.quarantine_dir.empty()) options.quarantine_dir = vault->QuarantineDir();
  if (!options.dry_run) {
    GS_RETURN_IF_ERROR(platform::MakeDirs(options.quarantine_dir, 0700));
    int q = ::open(options.quarantine_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (q < 0) return FsError("open quarantine " + options.quarantine_dir, errno);
    g->quarantine_fd_.reset(q);
    // Quarantine must not live inside the protected tree: the guard would quarantine its own
    // evidence.
    struct stat qs, rs;
    if (::fstat(q, &qs) == 0 && ::fstat(g->root_fd_.get(), &rs) == 0) {
      char rq[PATH_MAX], rr[PATH_MAX];
      if (::realpath(options.quarantine_dir.c_str(), rq) && ::realpath(root.c_str(), rr)) {
        std::string a(rq), b(rr);
        if (a == b || a.rfind(b + "/", 0) == 0)
          return InvalidArgumentError("quarantine directory must be outside the web root");
      }
    }
  }
  g->ReplaceManifest(std::move(manifest));
  g->vault_ = vault;
  g->clock_ = options.clock ? options.clock : &SystemTime();
  g->options_ = std::move(options);
  return g;
}

void Guard::ReplaceManifest(Manifest manifest) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  manifest_ = std::move(manifest);
  if (manifest_.index.size() != manifest_.entries.size()) manifest_.BuildIndex();
  children_.clear();
  for (size_t i = 1; i < manifest_.entries.size(); ++i)
    children_[std::string(ParentPath(manifest_.entries[i].path))].push_back(i);
  verified_.clear();
}

void Guard::SetDirCreatedCallback(std::function<void(const std::string&, int)> cb) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  dir_created_ = std::move(cb);
}

void Guard::set_mechanism(std::string m) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  options_.mechanism = std::move(m);
}

void Guard::set_record_type(std::string t) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  options_.record_type = std::move(t);
}

bool Guard::IsExcludedPath(std::string_view rel) const {
  if (manifest_.excludes.empty() || rel == ".") return false;
  size_t pos = 0;
  while (true) {
    size_t slash = rel.find('/', pos);
    std::string_view prefix = slash == std::string_view::npos ? rel : rel.substr(0, slash);
    if (IsExcluded(manifest_.excludes, prefix)) return true;
    if (slash == std::string_view::npos) return false;
    pos = slash + 1;
  }
}

std::vector<Finding> Guard::Check(std::string_view rel_in, bool recursive, const Writer& w) {
  std::vector<Finding> out;
  std::string rel(rel_in);
  std::lock_guard<std::recursive_mutex> lock(mu_);
  if (!IsValidEntryPath(rel) || IsExcludedPath(rel)) return out;
  // Ancestors first, top-down: a parent swapped for a symlink or a file must be repaired before
  // anything beneath it can be reached without following it.
  FixRoot(false, w, &out);
  if (rel != ".") {
    size_t pos = 0;
    while (true) {
      size_t slash = rel.find('/', pos);
      if (slash == std::string::npos) break;
      FixOne(rel.substr(0, slash), false, w, &out);
      pos = slash + 1;
    }
  }
  FixOne(rel, recursive, w, &out);
  return out;
}

std::vector<Finding> Guard::FullScan(uint64_t files_per_second, const std::atomic<bool>* stop) {
  std::vector<Finding> out;
  auto start = std::chrono::steady_clock::now();
  uint64_t examined = 0;
  Writer none;
  // A copy of the directory list: the manifest may be replaced (publish) while we pause.
  std::vector<std::string> dirs;
  {
    std::lock_guard<std::recursive_mutex> lock(mu_);
    for (const auto& e : manifest_.entries)
      if (e.type == EntryType::kDir) dirs.push_back(e.path);
  }
  for (const std::string& dir : dirs) {
    if (stop && stop->load()) break;
    {
      std::lock_guard<std::recursive_mutex> lock(mu_);
      const Entry* e = manifest_.Find(dir);
      if (!e || e->type != EntryType::kDir) continue;
      if (dir == ".") {
        FixRoot(false, none, &out);
      } else {
        FixOne(dir, false, none, &out);
      }
      auto dfd = OpenDirBeneath(root_fd_.get(), dir);
      if (dfd.ok()) FixChildren(dir, dfd->get(), false, none, &out);
      auto it = children_.find(dir);
      examined += 1 + (it == children_.end() ? 0 : it->second.size());
    }
    if (files_per_second > 0) {
      double due = double(examined) / double(files_per_second);
      double spent =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      while (due > spent && !(stop && stop->load())) {
        std::this_thread::sleep_for(std::chrono::duration<double>(std::min(due - spent, 0.1)));
        spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
    }
  }
  return out;
}

void Guard::Report(Finding f, const Writer& w, std::vector<Finding>* out) {
  findings_total_.fetch_add(1);
  if (options_.sink) {
    nlohmann::json j;
    j["ts"] = FormatRfc3339(clock_->Now());
    j["source"] = "tamper";
    j["type"] = options_.record_type;
    PutName(j, "path", f.path);
    PutName(j, "root", root_path_);
    j["kind"] = f.kind;
    j["action"] = f.action;
    if (f.before) j["before_sm3"] = crypto::DigestHex(*f.before);
    if (f.after) j["after_sm3"] = crypto::DigestHex(*f.after);
    if (!f.quarantine_id.empty()) j["quarantine_id"] = f.quarantine_id;
    if (!f.error.empty()) PutName(j, "error", f.error);
    if (w.pid > 0) {
      j["writer_pid"] = w.pid;
      PutName(j, "writer_cmdline", w.cmdline);
    }
    if (!options_.mechanism.empty()) j["mechanism"] = options_.mechanism;
    j["baseline_version"] = manifest_.version;
    auto r = options_.sink->Append(DumpJson(j));
    if (!r.ok()) LogError("tamper", "audit sink refused a record: " + r.status().ToString());
  }
  out->push_back(std::move(f));
}

void Guard::ReportBlockedWrite(const std::string& rel, const Writer& w) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<Finding> out;
  Finding f;
  f.path = rel;
  f.kind = "write";
  f.action = "blocked";
  Report(std::move(f), w, &out);
}

bool Guard::CachedOk(const std::string& rel, const struct stat& st) const {
  auto it = verified_.find(rel);
  if (it == verified_.end()) return false;
  const FileId& id = it->second;
  return id.dev == st.st_dev && id.ino == st.st_ino && id.size == st.st_size &&
         SameTime(id.mtime, st.st_mtim) && SameTime(id.ctime, st.st_ctim);
}

void Guard::FixRoot(bool recursive, const Writer& w, std::vector<Finding>* out) {
  const Entry& want = manifest_.entries[0];
  FixDirMeta(root_fd_.get(), ".", want, w, out);
  if (recursive) FixChildren(".", root_fd_.get(), true, w, out);
}

void Guard::FixOne(const std::string& rel, bool recursive, const Writer& w,
                   std::vector<Finding>* out) {
  if (rel == ".") return FixRoot(recursive, w, out);
  if (IsExcludedPath(rel)) return;
  auto parent = OpenParentBeneath(root_fd_.get(), rel);
  if (!parent.ok()) {
    // The parent is missing or not a real directory: the ancestor pass repairs it (when it is
    // in the baseline) or it is inside something quarantined. Nothing to do here.
    return;
  }
  int pfd = parent->dir.get();
  const std::string& name = parent->name;
  struct stat st;
  bool exists = ::fstatat(pfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
  if (!exists && errno != ENOENT) {
    Report(Finding{rel, "unknown", "failed", {}, {}, {}, std::strerror(errno)}, w, out);
    return;
  }
  const Entry* want = manifest_.Find(rel);
  if (!want) {
    if (!exists) return;
    Finding f{rel, "create", "quarantined", {}, {}, {}, {}};
    if (options_.dry_run) {
      f.action = "detected";
      return Report(std::move(f), w, out);
    }
    auto id = Quarantine(pfd, name, rel, st, w);
    if (id.ok()) {
      f.quarantine_id = *id;
    } else {
      f.action = "failed";
      f.error = std::string(id.status().message());
    }
    return Report(std::move(f), w, out);
  }
  switch (want->type) {
    case EntryType::kFile:
      return FixFile(pfd, name, rel, *want, exists, st, w, out);
    case EntryType::kSymlink:
      return FixSymlink(pfd, name, rel, *want, exists, st, w, out);
    case EntryType::kDir:
      return FixDir(pfd, name, rel, *want, exists, st, recursive, w, out);
  }
}

void Guard::FixFile(int parent, const std::string& name, const std::string& rel, const Entry& want,
                    bool exists, const struct stat& st_in, const Writer& w,
                    std::vector<Finding>* out) {
  Finding f{rel, "", "restored", {}, want.sm3, {}, {}};
  if (exists && S_ISREG(st_in.st_mode)) {
    int fd =
        ::openat(parent, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) {
      UniqueFd file(fd);
      struct stat st;
      bool content_ok = false;
      if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (uint64_t(st.st_size) == want.size && CachedOk(rel, st)) {
          content_ok = true;
        } else {
          auto d = DigestFd(fd, false);
          if (d.ok()) {
            f.before = d->sm3;
            content_ok = d->size == want.size && d->sm3 == *want.sm3;
            if (content_ok)
              verified_[rel] = FileId{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
          }
        }
      }
      if (content_ok) {
        bool mode_bad = (st.st_mode & 07777) != want.mode;
        bool owner_bad = st.st_uid != want.uid || st.st_gid != want.gid;
        if (!mode_bad && !owner_bad) return;
        f.kind = mode_bad ? "chmod" : "chown";
        f.action = "metadata_fixed";
        f.before = f.after = want.sm3;
        if (options_.dry_run) {
          f.action = "detected";
          return Report(std::move(f), w, out);
        }
        // chown first: it clears set-id bits that the chmod must then set.
        if ((owner_bad && ::fchown(fd, want.uid, want.gid) != 0) || ::fchmod(fd, want.mode) != 0) {
          f.action = "failed";
          f.error = std::strerror(errno);
        }
        verified_.erase(rel);
        return Report(std::move(f), w, out);
      }
    }
    f.kind = "modify";
  } else if (exists) {
    f.kind = S_ISLNK(st_in.st_mode) ? "symlink_swap" : "type_change";
  } else {
    f.kind = "delete";
  }
  verified_.erase(rel);
  if (options_.dry_run) {
    f.action = "detected";
    return Report(std::move(f), w, out);
  }
  if (exists) {
    // Keep the tampered item as evidence; a directory must move away before a file can take
    // its name, anything else stays in place until the rename below replaces it atomically.
    auto id = S_ISDIR(st_in.st_mode) ? Quarantine(parent, name, rel, st_in, w)
                                     : KeepEvidence(parent, name, rel, st_in, w);
    if (id.ok()) {
      f.quarantine_id = *id;
    } else if (S_ISDIR(st_in.st_mode)) {
      f.action = "failed";
      f.error = std::string(id.status().message());
      return Report(std::move(f), w, out);
    } else {
      LogWarning("tamper", "could not keep evidence: " + id.status().ToString());
    }
  }
  Status s = ReplaceWith(parent, name, want);
  if (!s.ok()) {
    f.action = "failed";
    f.error = std::string(s.message());
  }
  Report(std::move(f), w, out);
}

void Guard::FixSymlink(int parent, const std::string& name, const std::string& rel,
                       const Entry& want, bool exists, const struct stat& st, const Writer& w,
                       std::vector<Finding>* out) {
  Finding f{rel, "", "restored", {}, {}, {}, {}};
  if (exists && S_ISLNK(st.st_mode)) {
    auto target = ReadLinkAt(parent, name);
    if (target.ok() && *target == want.target) {
      if (st.st_uid == want.uid && st.st_gid == want.gid) return;
      f.kind = "chown";
      f.action = "metadata_fixed";
      if (options_.dry_run) {
        f.action = "detected";
        return Report(std::move(f), w, out);
      }
      if (::fchownat(parent, name.c_str(), want.uid, want.gid, AT_SYMLINK_NOFOLLOW) != 0) {
        f.action = "failed";
        f.error = std::strerror(errno);
      }
      return Report(std::move(f), w, out);
    }
    f.kind = "symlink_swap";
  } else if (exists) {
    f.kind = "type_change";
  } else {
    f.kind = "delete";
  }
  if (options_.dry_run) {
    f.action = "detected";
    return Report(std::move(f), w, out);
  }
  if (exists) {
    auto id = S_ISDIR(st.st_mode) ? Quarantine(parent, name, rel, st, w)
                                  : KeepEvidence(parent, name, rel, st, w);
    if (id.ok()) {
      f.quarantine_id = *id;
    } else if (S_ISDIR(st.st_mode)) {
      f.action = "failed";
      f.error = std::string(id.status().message());
      return Report(std::move(f), w, out);
    }
  }
  Status s = ReplaceWith(parent, name, want);
  if (!s.ok()) {
    f.action = "failed";
    f.error = std::string(s.message());
  }
  Report(std::move(f), w, out);
}

void Guard::FixDirMeta(int dir_fd, const std::string& rel, const Entry& want, const Writer& w,
                       std::vector<Finding>* out) {
  struct stat st;
  if (::fstat(dir_fd, &st) != 0) return;
  bool mode_bad = (st.st_mode & 07777) != want.mode;
  bool owner_bad = st.st_uid != want.uid || st.st_gid != want.gid;
  if (!mode_bad && !owner_bad) return;
  Finding f{rel, mode_bad ? "chmod" : "chown", "metadata_fixed", {}, {}, {}, {}};
  if (options_.dry_run) {
    f.action = "detected";
    return Report(std::move(f), w, out);
  }
  if ((owner_bad && ::fchown(dir_fd, want.uid, want.gid) != 0) ||
      ::fchmod(dir_fd, want.mode) != 0) {
    f.action = "failed";
    f.error = std::strerror(errno);
  }
  Report(std::move(f), w, out);
}

void Guard::FixDir(int parent, const std::string& name, const std::string& rel, const Entry& want,
                   bool exists, const struct stat& st, bool recursive, const Writer& w,
                   std::vector<Finding>* out) {
  if (exists && S_ISDIR(st.st_mode)) {
    int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;  // replaced in between: the event for that change comes next
    UniqueFd dfd(fd);
    FixDirMeta(fd, rel, want, w, out);
    if (recursive) FixChildren(rel, fd, true, w, out);
    return;
  }
  Finding f{rel,        exists ? (S_ISLNK(st.st_mode) ? "symlink_swap" : "type_change") : "delete",
            "restored", {},
            {},         {},
            {}};
  if (options_.dry_run) {
    f.action = "detected";
    return Report(std::move(f), w, out);
  }
  if (exists) {
    auto id = Quarantine(parent, name, rel, st, w);
    if (!id.ok()) {
      f.action = "failed";
      f.error = std::string(id.status().message());
      return Report(std::move(f), w, out);
    }
    f.quarantine_id = *id;
  }
  if (::mkdirat(parent, name.c_str(), 0700) != 0) {
    struct stat now;
    if (errno == EEXIST && retries_ < 3 &&
        ::fstatat(parent, name.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0) {
      // Something took the name between our look and mkdir (a writer racing us): judge
      // again what is there now, instead of reporting a failure.
      ++retries_;
      FixDir(parent, name, rel, want, true, now, recursive, w, out);
      --retries_;
      return;
    }
    f.action = "failed";
    f.error = std::strerror(errno);
    return Report(std::move(f), w, out);
  }
  int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    f.action = "failed";
    f.error = std::strerror(errno);
    return Report(std::move(f), w, out);
  }
  UniqueFd dfd(fd);
  if (::fchown(fd, want.uid, want.gid) != 0 || ::fchmod(fd, want.mode) != 0) {
    f.error = std::strerror(errno);
  }
  if (options_.fsync) ::fsync(parent);
  Report(std::move(f), w, out);
  // Watch before filling, so a write racing the restore of the subtree is seen.
  if (dir_created_) dir_created_(rel, fd);
  FixChildren(rel, fd, true, w, out);
}

void Guard::FixChildren(const std::string& rel, int dir_fd, bool recursive, const Writer& w,
                        std::vector<Finding>* out) {
  auto names = ListDirFd(dir_fd);
  if (names.ok()) {
    for (const auto& n : *names) {
      std::string child = ChildPath(rel, n);
      if (manifest_.Find(child) || IsExcludedPath(child)) continue;
      if (child.size() > kMaxPathBytes) continue;  // cannot be addressed as an entry path
      FixOne(child, false, w, out);                // unknown: quarantine
    }
  }
  auto it = children_.find(rel);
  if (it == children_.end()) return;
  for (size_t idx : it->second) {
    const Entry& e = manifest_.entries[idx];
    FixOne(e.path, recursive, w, out);
  }
}

Status Guard::ReplaceWith(int parent, const std::string& name, const Entry& want) {
  std::string tmp = TempName();
  if (want.type == EntryType::kSymlink) {
    if (::symlinkat(want.target.c_str(), parent, tmp.c_str()) != 0)
      return FsError("create symlink", errno);
    if (::fchownat(parent, tmp.c_str(), want.uid, want.gid, AT_SYMLINK_NOFOLLOW) != 0) {
      // Not fatal for a non-root guard: the link itself is what matters.
    }
  } else {
    auto content = vault_->GetObject(*want.sm3);
    if (!content.ok()) return content.status();
    int fd =
        ::openat(parent, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return FsError("create temporary file", errno);
    UniqueFd file(fd);
    Status s = WriteAllFd(fd, *content);
    if (s.ok() && ::fchown(fd, want.uid, want.gid) != 0 && ::geteuid() == 0)
      s = FsError("chown", errno);
    if (s.ok() && ::fchmod(fd, want.mode) != 0) s = FsError("chmod", errno);
    if (s.ok() && options_.fsync && ::fdatasync(fd) != 0) s = FsError("fsync", errno);
    if (!s.ok()) {
      ::unlinkat(parent, tmp.c_str(), 0);
      return s;
    }
  }
  if (::renameat(parent, tmp.c_str(), parent, name.c_str()) != 0) {
    int e = errno;
    ::unlinkat(parent, tmp.c_str(), 0);
    return FsError("rename into place", e);
  }
  if (options_.fsync) ::fsync(parent);
  return Status::Ok();
}

std::string Guard::NewQuarantineId() {
  UnixNanos now = clock_->Now();
  std::string ts = FormatRfc3339(now - now % kNanosPerSecond);  // 2026-11-25T01:02:03Z
  std::string compact;
  for (char c : ts)
    if (c != '-' && c != ':') compact += c;
  return compact + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(quarantine_seq_.fetch_add(1));
}

Status Guard::CopyAcross(int parent, const std::string& name, const struct stat& st,
                         const std::string& qname) {
  int q = quarantine_fd_.get();
  if (S_ISLNK(st.st_mode)) {
    GS_ASSIGN_OR_RETURN(std::string target, ReadLinkAt(parent, name));
    if (::symlinkat(target.c_str(), q, qname.c_str()) != 0) return FsError("symlink", errno);
    return Status::Ok();
  }
  if (!S_ISREG(st.st_mode))
    return UnimplementedError("cannot copy this entry type across filesystems");
  int in = ::openat(parent, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (in < 0) return FsError("open for quarantine", errno);
  UniqueFd src(in);
  GS_ASSIGN_OR_RETURN(std::string data, ReadAllFd(in));
  int outfd = ::openat(q, qname.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (outfd < 0) return FsError("create quarantine copy", errno);
  UniqueFd dst(outfd);
  GS_RETURN_IF_ERROR(WriteAllFd(outfd, data));
  if (options_.fsync && ::fsync(outfd) != 0) return FsError("fsync", errno);
  return Status::Ok();
}

Result<std::string> Guard::Quarantine(int parent, const std::string& name, const std::string& rel,
                                      const struct stat& st, const Writer& w) {
  if (!quarantine_fd_.valid()) return FailedPreconditionError("no quarantine directory");
  std::string id = NewQuarantineId();
  verified_.erase(rel);
  if (::renameat(parent, name.c_str(), quarantine_fd_.get(), id.c_str()) != 0) {
    if (errno != EXDEV) return FsError("move to quarantine", errno);
    GS_RETURN_IF_ERROR(CopyAcross(parent, name, st, id));
    if (::unlinkat(parent, name.c_str(), 0) != 0) return FsError("remove after copy", errno);
  }
  if (options_.fsync) ::fsync(parent);
  GS_RETURN_IF_ERROR(WriteEvidence(id, rel, st, w, true));
  return id;
}

Result<std::string> Guard::KeepEvidence(int parent, const std::string& name, const std::string& rel,
                                        const struct stat& st, const Writer& w) {
  if (!quarantine_fd_.valid()) return FailedPreconditionError("no quarantine directory");
  std::string id = NewQuarantineId();
  if (::linkat(parent, name.c_str(), quarantine_fd_.get(), id.c_str(), 0) != 0) {
    if (errno != EXDEV && errno != EPERM && errno != EMLINK)
      return FsError("link into quarantine", errno);
    GS_RETURN_IF_ERROR(CopyAcross(parent, name, st, id));
  }
  GS_RETURN_IF_ERROR(WriteEvidence(id, rel, st, w, false));
  return id;
}

Status Guard::WriteEvidence(const std::string& id, const std::string& rel, const struct stat& st,
                            const Writer& w, bool moved) {
  int q = quarantine_fd_.get();
  nlohmann::json j;
  j["id"] = id;
  PutName(j, "path", rel);
  PutName(j, "root", root_path_);
  j["type"] = TypeOf(st);
  j["size"] = uint64_t(st.st_size);
  j["mode"] = ModeString(st.st_mode);
  j["uid"] = st.st_uid;
  j["gid"] = st.st_gid;
  j["mtime"] = FormatRfc3339(UnixNanos(st.st_mtim.tv_sec) * kNanosPerSecond + st.st_mtim.tv_nsec);
  j["time"] = FormatRfc3339(clock_->Now());
  j["removed_from_root"] = moved;
  if (S_ISREG(st.st_mode)) {
    int fd = ::openat(q, id.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
      UniqueFd f(fd);
      auto d = DigestFd(fd, false);
      if (d.ok()) j["sm3"] = crypto::DigestHex(d->sm3);
    }
  } else if (S_ISLNK(st.st_mode)) {
    auto t = ReadLinkAt(q, id);
    if (t.ok()) PutName(j, "symlink_target", *t);
  }
  if (w.pid > 0) {
    j["writer_pid"] = w.pid;
    PutName(j, "writer_cmdline", w.cmdline);
  }
  std::string text = DumpJson(j) + "\n";
  std::string tmp = id + ".json.tmp";
  int fd = ::openat(q, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return FsError("write evidence", errno);
  UniqueFd f(fd);
  GS_RETURN_IF_ERROR(WriteAllFd(fd, text));
  if (options_.fsync) ::fsync(fd);
  if (::renameat(q, tmp.c_str(), q, (id + ".json").c_str()) != 0)
    return FsError("rename evidence", errno);
  if (options_.fsync) ::fsync(q);
  return Status::Ok();
}

}  // namespace gs::tamper
