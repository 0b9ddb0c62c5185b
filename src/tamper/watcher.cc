// fanotify / inotify event sources for the tamper guard (see watcher.h).
#include "tamper/watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "core/log.h"
#include "platform/file.h"

namespace gs::tamper {
namespace {

constexpr uint64_t kFanMask = FAN_CREATE | FAN_DELETE | FAN_MODIFY | FAN_ATTRIB | FAN_MOVED_FROM |
                              FAN_MOVED_TO | FAN_CLOSE_WRITE | FAN_DELETE_SELF | FAN_MOVE_SELF |
                              FAN_ONDIR;
constexpr uint32_t kInoMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB |
                              IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                              IN_ONLYDIR | IN_EXCL_UNLINK;

std::string HandleKey(int handle_type, const unsigned char* bytes, size_t n) {
  std::string key(reinterpret_cast<const char*>(&handle_type), sizeof handle_type);
  key.append(reinterpret_cast<const char*>(bytes), n);
  return key;
}

std::optional<std::string> DirHandleKey(int dir_fd) {
  struct {
    file_handle fh;
    unsigned char buf[MAX_HANDLE_SZ];
  } h;
  h.fh.handle_bytes = MAX_HANDLE_SZ;
  int mount_id;
  if (::name_to_handle_at(dir_fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) != 0) return std::nullopt;
  return HandleKey(h.fh.handle_type, h.fh.f_handle, h.fh.handle_bytes);
}

}  // namespace

std::string ProcessCmdline(int pid) {
  auto r = platform::ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
  if (!r.ok()) return "";
  std::string s = *r;
  while (!s.empty() && s.back() == '\0') s.pop_back();
  for (char& c : s)
    if (c == '\0') c = ' ';
  return s;
}

Watcher::~Watcher() {
  if (fan_fd_ >= 0) ::close(fan_fd_);
  if (ino_fd_ >= 0) ::close(ino_fd_);
  // Closing the permission group lets every pending access through (the kernel's rule).
  if (perm_fd_ >= 0) ::close(perm_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

constexpr uint64_t kPermMask = FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_EVENT_ON_CHILD;

Status Watcher::SetUpBlocking() {
  int fd = ::fanotify_init(
      FAN_CLASS_CONTENT | FAN_REPORT_TID | FAN_CLOEXEC | FAN_NONBLOCK | FAN_UNLIMITED_QUEUE,
      O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return UnavailableError(
        std::string("blocking mode refused: fanotify_init(FAN_CLASS_CONTENT): ") +
        strerrorname_np(e) + " (" + std::strerror(e) + ")");
  }
  if (::fanotify_mark(fd, FAN_MARK_ADD, kPermMask, guard_->root_fd(), nullptr) != 0) {
    int e = errno;
    ::close(fd);
    return UnavailableError(std::string("blocking mode refused: fanotify_mark(FAN_OPEN_PERM | "
                                        "FAN_ACCESS_PERM): ") +
                            strerrorname_np(e) + " (" + std::strerror(e) + ")");
  }
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    int e = errno;
    ::close(fd);
    return FsError("eventfd", e);
  }
  perm_fd_ = fd;
  root_real_ = guard_->root_path();
  perm_manifest_ = std::make_shared<const Manifest>(guard_->manifest());
  return Status::Ok();
}

namespace {

// How the blocked thread `tid` is opening a file, from /proc/TID/syscall (the thread sits in
// the open call while we decide): kWrite for an open that can change content (write access,
// O_TRUNC, O_CREAT, creat(2)), kRead for a read-only open, kUnknown when it cannot be told
// (openat2's flags live in user memory, io_uring opens, an unreadable file).
enum class OpenIntent { kRead, kWrite, kUnknown };

OpenIntent OpenIntentOf(int tid) {
  std::string path = "/proc/" + std::to_string(tid) + "/syscall";
  unsigned long nr = 0, a[4] = {0, 0, 0, 0};
  // The kernel answers "running" until the thread has actually gone to sleep waiting for us,
  // which can lag the event by a moment.
  bool parsed = false;
  for (int attempt = 0; attempt < 200 && !parsed; ++attempt) {
    auto text = platform::ReadFile(path);
    if (!text.ok()) return OpenIntent::kUnknown;
    parsed =
        std::sscanf(text->c_str(), "%lu %lx %lx %lx %lx", &nr, &a[0], &a[1], &a[2], &a[3]) >= 4;
    if (!parsed) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  if (!parsed) return OpenIntent::kUnknown;
  unsigned long flags;
  if (nr == SYS_open) {
    flags = a[1];
  } else if (nr == SYS_openat) {
    flags = a[2];
  } else if (nr == SYS_creat) {
    return OpenIntent::kWrite;
  } else {
    return OpenIntent::kUnknown;
  }
  if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT))) return OpenIntent::kWrite;
  return OpenIntent::kRead;
}

}  // namespace

bool Watcher::JudgePermission(int fd, int tid, bool open_event) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return false;
  if (S_ISDIR(st.st_mode)) return true;  // listing a directory reveals no page content
  char link[PATH_MAX + 32];
  std::string proc = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(proc.c_str(), link, sizeof link - 1);
  if (n <= 0) return false;
  std::string abs(link, size_t(n));
  // An unlinked inode (replaced by a rename, or just quarantined) reads "... (deleted)".
  constexpr std::string_view kDeleted = " (deleted)";
  bool unlinked = abs.size() > kDeleted.size() &&
                  abs.compare(abs.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0;
  if (unlinked) abs.resize(abs.size() - kDeleted.size());
  std::string rel;
  bool inside = abs.size() > root_real_.size() &&
                abs.compare(0, root_real_.size(), root_real_) == 0 && abs[root_real_.size()] == '/';
  if (inside) rel = abs.substr(root_real_.size() + 1);
  std::shared_ptr<const Manifest> m;
  {
    std::lock_guard<std::mutex> lock(perm_mu_);
    m = perm_manifest_;
  }
  if (inside && IsExcluded(m->excludes, rel)) return true;  // not protected: logs, caches
  if (open_event && OpenIntentOf(tid) == OpenIntent::kWrite) {
    // Only the publisher changes content, and it writes through this process. (The event came
    // from a marked directory; an inode we just moved to quarantine is named by its new path.)
    stats_.perm_write_denied.fetch_add(1, std::memory_order_relaxed);
    Writer w{tid, ProcessCmdline(tid)};
    std::lock_guard<std::mutex> lock(perm_mu_);
    perm_write_denials_.push_back({inside ? rel : abs, w});
    if (inside && !unlinked) perm_restore_.push_back(rel);  // an O_CREAT leaves a file behind
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    return false;
  }
  // Not baseline content at a baseline path: an old inode, or a path outside the root.
  if (!inside || unlinked) return false;
  auto deny = [&] {
    std::lock_guard<std::mutex> lock(perm_mu_);
    perm_verified_.erase(rel);
    perm_restore_.push_back(rel);
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    return false;
  };
  if (!IsValidEntryPath(rel)) return deny();
  const Entry* want = m->Find(rel);
  if (!want || want->type != EntryType::kFile || !want->sm3 || !S_ISREG(st.st_mode)) return deny();
  {
    std::lock_guard<std::mutex> lock(perm_mu_);
    auto it = perm_verified_.find(rel);
    if (it != perm_verified_.end() && it->second.dev == st.st_dev && it->second.ino == st.st_ino &&
        it->second.size == st.st_size && it->second.mtime.tv_sec == st.st_mtim.tv_sec &&
        it->second.mtime.tv_nsec == st.st_mtim.tv_nsec &&
        it->second.ctime.tv_sec == st.st_ctim.tv_sec &&
        it->second.ctime.tv_nsec == st.st_ctim.tv_nsec)
      return true;
  }
  if (uint64_t(st.st_size) != want->size) return deny();
  // The event's descriptor is opened by the kernel with FMODE_NONOTIFY: reading it raises no
  // further permission events. It is shared with nobody, so its offset is ours.
  stats_.perm_hashed.fetch_add(1, std::memory_order_relaxed);
  auto d = DigestFd(fd, false);
  if (!d.ok() || d->sm3 != *want->sm3) return deny();
  std::lock_guard<std::mutex> lock(perm_mu_);
  perm_verified_[rel] = PermId{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
  return true;
}

void Watcher::PermLoop() {
  alignas(fanotify_event_metadata) char buf[16 * 1024];
  const std::string self_tasks = "/proc/" + std::to_string(::getpid()) + "/task/";
  while (!stop_.load()) {
    pollfd pfd{perm_fd_, POLLIN, 0};
    int r = ::poll(&pfd, 1, 100);
    if (r <= 0) continue;
    ssize_t n = ::read(perm_fd_, buf, sizeof buf);
    if (n <= 0) continue;
    size_t off = 0;
    while (off + sizeof(fanotify_event_metadata) <= size_t(n)) {
      fanotify_event_metadata md;
      std::memcpy(&md, buf + off, sizeof md);
      if (md.event_len < sizeof md || off + md.event_len > size_t(n)) break;
      off += md.event_len;
      if (md.fd < 0) continue;  // overflow: permission events are never dropped, nothing to do
      bool allow = true;
      // md.pid is a thread id (FAN_REPORT_TID): ours are the restorer's own accesses.
      bool own = ::access((self_tasks + std::to_string(md.pid)).c_str(), F_OK) == 0;
      if ((md.mask & (FAN_OPEN_PERM | FAN_ACCESS_PERM)) && !own)
        allow = JudgePermission(md.fd, md.pid, (md.mask & FAN_OPEN_PERM) != 0);
      fanotify_response resp{md.fd, allow ? uint32_t(FAN_ALLOW) : uint32_t(FAN_DENY)};
      (void)!::write(perm_fd_, &resp, sizeof resp);
      ::close(md.fd);
      (allow ? stats_.perm_allowed : stats_.perm_denied).fetch_add(1, std::memory_order_relaxed);
    }
  }
}

Result<std::unique_ptr<Watcher>> Watcher::Create(Guard* guard, WatchOptions options) {
  std::unique_ptr<Watcher> w(new Watcher());
  w->guard_ = guard;
  w->options_ = std::move(options);
  Status fan = w->options_.try_fanotify ? w->SetUpFanotify()
                                        : UnavailableError("fanotify disabled by --no-fanotify");
  if (fan.ok()) {
    w->mechanism_ = "fanotify";
    w->reason_ = "filesystem mark with FAN_REPORT_DFID_NAME; writer PIDs recorded";
  } else {
    GS_RETURN_IF_ERROR(w->SetUpInotify());
    w->mechanism_ = "inotify";
    w->reason_ = std::string(fan.message()) + "; recursive inotify, overflow triggers a rescan";
  }
  if (w->options_.block) {
    GS_RETURN_IF_ERROR(w->SetUpBlocking());
    w->reason_ += "; blocking mode: FAN_OPEN_PERM/FAN_ACCESS_PERM on every baseline directory";
  }
  guard->set_mechanism(w->mechanism_);
  Watcher* raw = w.get();
  guard->SetDirCreatedCallback(
      [raw](const std::string& rel, int dir_fd) { raw->WatchDir(rel, dir_fd); });
  raw->WatchBaselineDirs();
  return w;
}

Status Watcher::SetUpFanotify() {
  int fd = ::fanotify_init(
      FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK | FAN_UNLIMITED_QUEUE,
      O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return UnavailableError(std::string("fanotify refused: ") + strerrorname_np(e) + " (" +
                            std::strerror(e) + ")");
  }
  if (::fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, kFanMask, guard_->root_fd(),
                      nullptr) != 0) {
    int e = errno;
    ::close(fd);
    return UnavailableError(std::string("fanotify filesystem mark refused: ") + strerrorname_np(e) +
                            " (" + std::strerror(e) + ")");
  }
  if (!DirHandleKey(guard_->root_fd())) {
    ::close(fd);
    return UnavailableError("fanotify unusable: the filesystem has no file handles");
  }
  fan_fd_ = fd;
  return Status::Ok();
}

Status Watcher::SetUpInotify() {
  ino_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (ino_fd_ < 0) return FsError("inotify_init1", errno);
  return Status::Ok();
}

void Watcher::WatchDir(const std::string& rel, int dir_fd) {
  if (perm_fd_ >= 0) {
    // Inode marks follow the directory, so a restored (new) directory is marked again here.
    if (::fanotify_mark(perm_fd_, FAN_MARK_ADD, kPermMask, dir_fd, nullptr) != 0)
      LogWarning("tamper", "blocking mark on " + EncodeField(rel) +
                               " failed: " + std::string(std::strerror(errno)));
  }
  if (fan_fd_ >= 0) {
    auto key = DirHandleKey(dir_fd);
    if (!key) return;
    auto old = path_to_handle_.find(rel);
    if (old != path_to_handle_.end()) handle_to_path_.erase(old->second);
    handle_to_path_[*key] = rel;
    path_to_handle_[rel] = *key;
    return;
  }
  std::string proc = "/proc/self/fd/" + std::to_string(dir_fd);
  int wd = ::inotify_add_watch(ino_fd_, proc.c_str(), kInoMask);
  if (wd < 0) {
    LogWarning("tamper", "inotify_add_watch failed (" + std::string(std::strerror(errno)) +
                             "); the sweep still covers " + EncodeField(rel));
    return;
  }
  wd_to_path_[wd] = rel;
  path_to_wd_[rel] = wd;
}

void Watcher::WatchBaselineDirs() {
  for (const auto& e : guard_->manifest().entries) {
    if (e.type != EntryType::kDir) continue;
    auto fd = OpenDirBeneath(guard_->root_fd(), e.path);
    if (fd.ok()) WatchDir(e.path, fd->get());
  }
}

void Watcher::WatchSubtree(const std::string& rel) {
  const auto& entries = guard_->manifest().entries;
  const Entry* top = guard_->manifest().Find(rel);
  if (!top || top->type != EntryType::kDir) return;
  auto watch = [&](const std::string& path) {
    auto fd = OpenDirBeneath(guard_->root_fd(), path);
    if (fd.ok()) WatchDir(path, fd->get());
  };
  watch(rel);
  if (rel == ".") return WatchBaselineDirs();
  std::string prefix = rel + "/";
  auto it = std::lower_bound(entries.begin() + 1, entries.end(), prefix,
                             [](const Entry& e, const std::string& p) { return e.path < p; });
  for (; it != entries.end() && it->path.compare(0, prefix.size(), prefix) == 0; ++it)
    if (it->type == EntryType::kDir) watch(it->path);
}

void Watcher::ForgetDir(const std::string& rel) {
  // Forget the directory and everything below it: their watches now follow inodes that are
  // no longer at these paths.
  std::string prefix = rel == "." ? "" : rel + "/";
  if (fan_fd_ >= 0) {
    for (auto it = path_to_handle_.begin(); it != path_to_handle_.end();) {
      if (it->first == rel || it->first.rfind(prefix, 0) == 0) {
        handle_to_path_.erase(it->second);
        it = path_to_handle_.erase(it);
      } else {
        ++it;
      }
    }
    return;
  }
  for (auto it = path_to_wd_.begin(); it != path_to_wd_.end();) {
    if (it->first == rel || it->first.rfind(prefix, 0) == 0) {
      ::inotify_rm_watch(ino_fd_, it->second);
      wd_to_path_.erase(it->second);
      it = path_to_wd_.erase(it);
    } else {
      ++it;
    }
  }
}

void Watcher::Schedule(std::unordered_map<std::string, Pending>* pending, const std::string& path,
                       bool recursive, const Writer& w) {
  stats_.events.fetch_add(1, std::memory_order_relaxed);
  Pending& p = (*pending)[path];
  p.recursive = p.recursive || recursive;
  if (w.pid > 0) p.writer = w;
}

Status Watcher::ReadFanotify(std::unordered_map<std::string, Pending>* pending, bool* overflow) {
  alignas(fanotify_event_metadata) char buf[64 * 1024];
  const int self = ::getpid();
  while (true) {
    ssize_t n = ::read(fan_fd_, buf, sizeof buf);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return Status::Ok();
      return FsError("read fanotify", errno);
    }
    if (n == 0) return Status::Ok();
    // Event records are only 4-byte aligned (names pad them), so every structure is copied
    // out with memcpy rather than accessed in place.
    size_t off = 0;
    while (off + sizeof(fanotify_event_metadata) <= size_t(n)) {
      fanotify_event_metadata md;
      std::memcpy(&md, buf + off, sizeof md);
      if (md.event_len < sizeof md || off + md.event_len > size_t(n)) break;
      if (md.vers != FANOTIFY_METADATA_VERSION) return InternalError("fanotify ABI mismatch");
      if (md.mask & FAN_Q_OVERFLOW) *overflow = true;
      if (md.fd >= 0) ::close(md.fd);
      bool own = md.pid == self;
      const char* p = buf + off + md.metadata_len;
      const char* end = buf + off + md.event_len;
      off += md.event_len;
      while (!own && p + sizeof(fanotify_event_info_header) <= end) {
        fanotify_event_info_header hdr;
        std::memcpy(&hdr, p, sizeof hdr);
        if (hdr.len == 0 || p + hdr.len > end) break;
        // Layout: header, fsid (8 bytes), file_handle {u32 bytes, i32 type, bytes[]}, [name].
        const char* fh = p + sizeof(fanotify_event_info_header) + sizeof(__kernel_fsid_t);
        if ((hdr.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME ||
             hdr.info_type == FAN_EVENT_INFO_TYPE_DFID ||
             hdr.info_type == FAN_EVENT_INFO_TYPE_FID) &&
            fh + 8 <= p + hdr.len) {
          uint32_t handle_bytes;
          int32_t handle_type;
          std::memcpy(&handle_bytes, fh, 4);
          std::memcpy(&handle_type, fh + 4, 4);
          const char* hb = fh + 8;
          if (hb + handle_bytes > p + hdr.len) break;
          std::string key =
              HandleKey(handle_type, reinterpret_cast<const unsigned char*>(hb), handle_bytes);
          auto it = handle_to_path_.find(key);
          if (it != handle_to_path_.end()) {
            std::string dir = it->second;
            std::string path = dir;
            if (hdr.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
              const char* name = hb + handle_bytes;
              size_t max = size_t(p + hdr.len - name);
              std::string nm(name, strnlen(name, max));
              if (!nm.empty() && nm != ".") path = ChildPath(dir, nm);
            }
            Writer w;
            if (md.pid > 0) {
              w.pid = md.pid;
              w.cmdline = ProcessCmdline(md.pid);
            }
            bool dir_event = (md.mask & FAN_ONDIR) != 0;
            if (md.mask & FAN_MOVE_SELF) {
              // A watched directory moved away: its handle no longer names this path.
              ForgetDir(path);
              Schedule(pending, path, true, w);
            } else if (dir_event && (md.mask & (FAN_MOVED_FROM | FAN_DELETE))) {
              ForgetDir(path);
              Schedule(pending, path, true, w);
            } else {
              Schedule(pending, path, dir_event && (md.mask & (FAN_CREATE | FAN_MOVED_TO)), w);
            }
          }
        }
        p += hdr.len;
      }
    }
  }
}

Status Watcher::ReadInotify(std::unordered_map<std::string, Pending>* pending, bool* overflow) {
  alignas(inotify_event) char buf[64 * 1024];
  while (true) {
    ssize_t n = ::read(ino_fd_, buf, sizeof buf);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return Status::Ok();
      return FsError("read inotify", errno);
    }
    if (n == 0) return Status::Ok();
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        *overflow = true;
        continue;
      }
      auto it = wd_to_path_.find(ev->wd);
      if (it == wd_to_path_.end()) continue;
      std::string dir = it->second;
      if (ev->mask & IN_IGNORED) {
        auto pw = path_to_wd_.find(dir);
        if (pw != path_to_wd_.end() && pw->second == ev->wd) path_to_wd_.erase(pw);
        wd_to_path_.erase(ev->wd);
        continue;
      }
      if (ev->mask & (IN_MOVE_SELF | IN_DELETE_SELF)) {
        ForgetDir(dir);
        Schedule(pending, dir, true, {});
        continue;
      }
      std::string path = ev->len > 0 ? ChildPath(dir, ev->name) : dir;
      bool is_dir = (ev->mask & IN_ISDIR) != 0;
      if (is_dir && (ev->mask & (IN_MOVED_FROM | IN_DELETE))) ForgetDir(path);
      Schedule(pending, path, is_dir && (ev->mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM)), {});
    }
  }
}

void Watcher::SweepLoop() {
  if (options_.sweep_interval_ms <= 0) return;
  auto next =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.sweep_interval_ms);
  while (!stop_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (std::chrono::steady_clock::now() < next) continue;
    guard_->FullScan(options_.sweep_files_per_second, &stop_);
    stats_.sweeps.fetch_add(1);
    next = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.sweep_interval_ms);
  }
}

void Watcher::ReloadManifestIfChanged() {
  if (!options_.vault || !options_.pubkey) return;
  std::string path = options_.vault->dir() + "/manifests/current";
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return;
  if (st.st_ino == manifest_stat_.st_ino && st.st_size == manifest_stat_.st_size &&
      st.st_mtim.tv_sec == manifest_stat_.st_mtim.tv_sec &&
      st.st_mtim.tv_nsec == manifest_stat_.st_mtim.tv_nsec)
    return;
  manifest_stat_ = st;
  auto text = options_.vault->ReadCurrentManifest();
  if (!text.ok()) return;
  auto m = ParseSignedManifest(*text, *options_.pubkey);
  if (!m.ok()) {
    LogError("tamper",
             "new manifest in the vault rejected, keeping the old one: " + m.status().ToString());
    return;
  }
  if (m->version <= guard_->manifest().version) return;
  uint64_t version = m->version;
  LogInfo("tamper", "baseline v" + std::to_string(version) + " now in force");
  if (perm_fd_ >= 0) {
    std::lock_guard<std::mutex> lock(perm_mu_);
    perm_manifest_ = std::make_shared<const Manifest>(*m);
    perm_verified_.clear();
  }
  guard_->ReplaceManifest(std::move(*m));
  WatchBaselineDirs();
  // A publish waits for us to apply it (its own temporary files would otherwise race ours).
  guard_->set_record_type("publish");
  guard_->Check(".", true);
  guard_->set_record_type("tamper");
  WatchBaselineDirs();
  platform::WriteFileAtomic(options_.vault->dir() + "/applied", std::to_string(version) + "\n")
      .IgnoreError();
}

Status Watcher::Run() {
  // The permission thread answers first of all: the scan below opens files under the marks.
  std::thread perm;
  if (perm_fd_ >= 0) perm = std::thread([this] { PermLoop(); });
  struct JoinPerm {
    Watcher* w;
    std::thread* t;
    ~JoinPerm() {
      w->stop_ = true;
      if (t->joinable()) t->join();
    }
  } join_perm{this, &perm};
  if (options_.vault) {
    auto lock = platform::FileLock::Acquire(options_.vault->dir() + "/watch.lock");
    if (!lock.ok())
      return FailedPreconditionError("another tamper watch already guards vault " +
                                     options_.vault->dir());
    vault_lock_ = std::move(*lock);
  }
  if (options_.vault && options_.vault->ReadCurrentManifest().ok()) {
    ::stat((options_.vault->dir() + "/manifests/current").c_str(), &manifest_stat_);
  }
  // Events are already being queued; the scan catches anything changed while we were down.
  guard_->FullScan(0, &stop_);
  if (!options_.ready_file.empty()) {
    Status s = platform::WriteFileAtomic(options_.ready_file, mechanism_ + "\n");
    if (!s.ok()) LogWarning("tamper", "cannot write ready file: " + s.ToString());
  }
  std::thread sweeper([this] { SweepLoop(); });
  Status result;
  int fd = fan_fd_ >= 0 ? fan_fd_ : ino_fd_;
  while (!stop_.load()) {
    pollfd pfds[2] = {{fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int r = ::poll(pfds, wake_fd_ >= 0 ? 2 : 1, 100);
    if (r < 0 && errno != EINTR) {
      result = FsError("poll", errno);
      break;
    }
    if (r <= 0) {
      ReloadManifestIfChanged();
      continue;
    }
    std::unordered_map<std::string, Pending> pending;
    bool overflow = false;
    if (wake_fd_ >= 0 && (pfds[1].revents & POLLIN)) {
      uint64_t v;
      (void)!::read(wake_fd_, &v, sizeof v);
      std::vector<std::string> denied;
      std::vector<std::pair<std::string, Writer>> writes;
      {
        std::lock_guard<std::mutex> lock(perm_mu_);
        denied.swap(perm_restore_);
        writes.swap(perm_write_denials_);
      }
      for (const auto& [path, w] : writes) guard_->ReportBlockedWrite(path, w);
      for (const auto& p : denied) Schedule(&pending, p, false, {});
    }
    Status s = Status::Ok();
    if (pfds[0].revents & POLLIN)
      s = fan_fd_ >= 0 ? ReadFanotify(&pending, &overflow) : ReadInotify(&pending, &overflow);
    if (!s.ok()) {
      result = s;
      break;
    }
    ReloadManifestIfChanged();
    if (overflow) {
      stats_.overflows.fetch_add(1);
      LogWarning("tamper", "event queue overflow: full rescan");
      guard_->FullScan(0, &stop_);
      WatchBaselineDirs();
      continue;
    }
    // Parents before children, so a restored directory is in place before its entries.
    std::vector<std::pair<std::string, Pending>> order(pending.begin(), pending.end());
    std::sort(order.begin(), order.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [path, p] : order) {
      guard_->Check(path, p.recursive, p.writer);
      stats_.checks.fetch_add(1, std::memory_order_relaxed);
      // A baseline directory that appeared by a legitimate write (publish) or was moved back
      // needs watching, with everything below it.
      if (p.recursive) WatchSubtree(path);
    }
  }
  stop_ = true;
  sweeper.join();
  return result;
}

}  // namespace gs::tamper
