// Baseline builder (see baseline.h): one walker thread lists directories, a std::thread pool
// hashes files and stores them in the vault.
#include "tamper/baseline.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "crypto/sm3_multi.h"
#include "platform/file.h"
#include "tamper/guard.h"
#include "tamper/json_fields.h"
#include "tamper/safe_fs.h"

namespace gs::tamper {
namespace {

struct FileJob {
  std::shared_ptr<UniqueFd> dir;
  std::string name;
  size_t index;    // into entries
  struct stat st;  // the walker's lstat of the entry
};

// Bounded queue so the walker cannot hold more than kMaxQueued directory fds for pending jobs.
class JobQueue {
 public:
  static constexpr size_t kMaxQueued = 2048;
  // Queues the files of one directory together (one lock, one wake-up).
  void PushAll(std::vector<FileJob>* jobs) {
    if (jobs->empty()) return;
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < kMaxQueued || aborted_; });
    for (FileJob& job : *jobs) q_.push_back(std::move(job));
    jobs->clear();
    not_empty_.notify_all();
  }
  // Takes up to `max_files` jobs of at most `max_bytes` together (at least one job).
  bool PopBatch(std::vector<FileJob>* batch, size_t max_files, uint64_t max_bytes) {
    batch->clear();
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty() || closed_ || aborted_; });
    if (q_.empty() || aborted_) return false;
    uint64_t bytes = 0;
    while (!q_.empty() && batch->size() < max_files &&
           (batch->empty() || bytes + uint64_t(q_.front().st.st_size) <= max_bytes)) {
      bytes += uint64_t(q_.front().st.st_size);
      batch->push_back(std::move(q_.front()));
      q_.pop_front();
    }
    not_full_.notify_all();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  void Abort() {
    std::lock_guard<std::mutex> lock(mu_);
    aborted_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<FileJob> q_;
  bool closed_ = false, aborted_ = false;
};

// Reads a regular file of (expected) size `size` into buf (room for size + 1 bytes) with as few
// read(2) calls as possible: one read of size + 1 bytes normally returns short at the end of
// the file. A file that grew shows as more than `size` bytes; a read cut short by anything else
// shows as a size that differs from the file's fstat after the read. Either way the caller
// reports the file as changing.
Result<size_t> ReadRegular(int fd, char* buf, size_t size) {
  size_t len = 0;
  while (len < size + 1) {
    ssize_t n = ::read(fd, buf + len, size + 1 - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FsError("read", errno);
    }
    len += size_t(n);
    if (n == 0 || len <= size) break;
  }
  return len;
}

// Files a worker takes at once: their SM3s are computed eight at a time (Sm3Many), grouped by
// size so that the eight messages of a pass have about as many blocks.
constexpr size_t kBatchFiles = 64;
constexpr uint64_t kBatchBytes = 8 << 20;

// Reads the file of `job` once into buf (room for its size + 1), checking it is the regular
// file the walker saw and that it did not change while read; fills the entry's metadata.
Result<std::string_view> ReadJob(const FileJob& job, Entry* e, char* buf) {
  int fd = ::openat(job.dir->get(), job.name.c_str(),
                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return FsError("open " + EncodeField(e->path), errno);
  UniqueFd f(fd);
  GS_ASSIGN_OR_RETURN(size_t len, ReadRegular(fd, buf, size_t(job.st.st_size)));
  struct stat st;
  if (::fstat(fd, &st) != 0) return FsError("stat", errno);
  if (!S_ISREG(st.st_mode) || st.st_ino != job.st.st_ino || st.st_dev != job.st.st_dev)
    return FailedPreconditionError(EncodeField(e->path) + " changed type during the baseline");
  if (uint64_t(st.st_size) != len || st.st_size != job.st.st_size ||
      st.st_mtim.tv_nsec != job.st.st_mtim.tv_nsec || st.st_mtim.tv_sec != job.st.st_mtim.tv_sec)
    return FailedPreconditionError(EncodeField(e->path) +
                                   " changed while it was read; baseline a quiescent tree");
  e->size = len;
  e->mode = st.st_mode & 07777;
  e->uid = st.st_uid;
  e->gid = st.st_gid;
  return std::string_view(buf, len);
}

// One worker's reusable read buffer (never zero-filled, grown when a batch needs more).
struct Arena {
  std::unique_ptr<char[]> buf;
  size_t cap = 0;
  char* Reserve(size_t n) {
    if (n > cap) {
      cap = std::max(n, 2 * cap);
      buf.reset(new char[cap]);
    }
    return buf.get();
  }
};

// Reads each file of the batch once; the same buffers are hashed and appended to the vault.
Status HashAndStore(const std::vector<FileJob>& batch, const std::vector<Entry*>& entries,
                    const Vault& vault, bool with_sha256, bool store, Arena* arena,
                    std::atomic<uint64_t>* bytes) {
  size_t n = batch.size(), need = 0;
  for (const FileJob& job : batch) need += size_t(job.st.st_size) + 1;
  char* buf = arena->Reserve(need);
  std::vector<std::string_view> views(n);
  for (size_t i = 0; i < n; ++i) {
    GS_ASSIGN_OR_RETURN(views[i], ReadJob(batch[i], entries[i], buf));
    buf += size_t(batch[i].st.st_size) + 1;
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return views[a].size() < views[b].size(); });
  std::vector<std::string_view> sorted(n);
  for (size_t i = 0; i < n; ++i) sorted[i] = views[order[i]];
  std::vector<crypto::Digest> sm3(n);
  crypto::Sm3Many(sorted.data(), n, sm3.data());
  uint64_t total = 0;
  for (size_t k = 0; k < n; ++k) {
    Entry* e = entries[order[k]];
    e->sm3 = sm3[k];
    if (with_sha256) e->sha256 = crypto::Sha256(sorted[k]);
    total += sorted[k].size();
  }
  bytes->fetch_add(total, std::memory_order_relaxed);
  return store ? vault.PutObjects(sm3, sorted, /*durable=*/false) : Status::Ok();
}

}  // namespace

Result<Manifest> BuildBaseline(const std::string& root, const Vault& vault,
                               const BaselineOptions& options, BaselineStats* stats) {
  const TimeSource& clock = options.clock ? *options.clock : SystemTime();
  int64_t t0 = clock.MonotonicNanos();
  RaiseFdLimit();
  char real[PATH_MAX];
  if (!::realpath(root.c_str(), real)) return FsError("resolve web root " + root, errno);
  GS_ASSIGN_OR_RETURN(UniqueFd root_fd, OpenRootDir(real));

  Manifest m;
  m.site_root = real;
  m.created = clock.Now();
  m.with_sha256 = options.with_sha256;
  m.excludes = options.excludes;
  std::sort(m.excludes.begin(), m.excludes.end());
  m.excludes.erase(std::unique(m.excludes.begin(), m.excludes.end()), m.excludes.end());

  // Entries are appended by the walker only; workers fill fields of file entries in place, so
  // the vector is sized in chunks that never reallocate under them: use a deque.
  std::deque<Entry> entries;
  std::mutex entries_mu;  // guards growth of `entries` against workers taking references
  JobQueue queue;
  std::atomic<uint64_t> bytes{0}, hashed{0};
  std::mutex err_mu;
  Status worker_error;

  int nthreads = options.threads > 0 ? options.threads : DefaultThreads();
  std::vector<std::thread> workers;
  for (int i = 0; i < nthreads; ++i) {
    workers.emplace_back([&] {
      std::vector<FileJob> batch;
      std::vector<Entry*> batch_entries;
      Arena arena;
      while (queue.PopBatch(&batch, kBatchFiles, kBatchBytes)) {
        batch_entries.clear();
        {
          std::lock_guard<std::mutex> lock(entries_mu);
          for (const FileJob& job : batch) batch_entries.push_back(&entries[job.index]);
        }
        Status s = HashAndStore(batch, batch_entries, vault, options.with_sha256,
                                options.store_objects, &arena, &bytes);
        if (!s.ok()) {
          std::lock_guard<std::mutex> lock(err_mu);
          if (worker_error.ok()) worker_error = s;
          queue.Abort();
          return;
        }
        hashed.fetch_add(batch.size(), std::memory_order_relaxed);
      }
    });
  }

  std::atomic<bool> done{false};
  std::thread progress;
  if (options.progress) {
    progress = std::thread([&] {
      auto start = std::chrono::steady_clock::now();
      while (!done.load()) {
        for (int i = 0; i < 10 && !done.load(); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (done.load()) break;
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "baseline: %llu files hashed, %.1f MB, %.0f files/s\n",
                     static_cast<unsigned long long>(hashed.load()), bytes.load() / 1e6,
                     hashed.load() / (secs > 0 ? secs : 1));
      }
    });
  }

  // Entries of one directory are added together; dir_jobs[i].index is first a position in
  // dir_entries and becomes one in `entries` here.
  std::vector<Entry> dir_entries;
  std::vector<FileJob> dir_jobs;
  auto add_dir_entries = [&] {
    {
      std::lock_guard<std::mutex> lock(entries_mu);
      size_t base = entries.size();
      for (Entry& e : dir_entries) entries.push_back(std::move(e));
      for (FileJob& job : dir_jobs) job.index += base;
    }
    dir_entries.clear();
    queue.PushAll(&dir_jobs);
  };
  auto add_entry = [&](Entry e) -> size_t {
    dir_entries.push_back(std::move(e));
    return dir_entries.size() - 1;
  };

  Status walk_status;
  {
    // No early return from here on: the hashing threads must be joined below.
    struct stat st;
    if (::fstat(root_fd.get(), &st) != 0) {
      walk_status = FsError("stat root", errno);
    } else {
      Entry e;
      e.path = ".";
      e.type = EntryType::kDir;
      e.mode = st.st_mode & 07777;
      e.uid = st.st_uid;
      e.gid = st.st_gid;
      add_entry(std::move(e));
      add_dir_entries();
    }
  }
  std::vector<std::string> stack{"."};
  while (!stack.empty() && walk_status.ok()) {
    std::string dir_rel = std::move(stack.back());
    stack.pop_back();
    auto dfd = OpenDirBeneath(root_fd.get(), dir_rel);
    if (!dfd.ok()) {
      walk_status = dfd.status().WithContext("walk " + EncodeField(dir_rel));
      break;
    }
    auto shared = std::make_shared<UniqueFd>(std::move(*dfd));
    auto names = ListDirFd(shared->get());
    if (!names.ok()) {
      walk_status = names.status();
      break;
    }
    for (auto& name : *names) {
      std::string rel = ChildPath(dir_rel, name);
      if (IsExcluded(m.excludes, rel)) continue;
      if (rel.size() > kMaxPathBytes) {
        walk_status = FailedPreconditionError("path longer than 65535 bytes under " +
                                              EncodeField(dir_rel) + "; exclude it");
        break;
      }
      struct stat st;
      if (::fstatat(shared->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        walk_status = FsError("stat " + EncodeField(rel), errno);
        break;
      }
      Entry e;
      e.path = rel;
      e.mode = st.st_mode & 07777;
      e.uid = st.st_uid;
      e.gid = st.st_gid;
      if (S_ISDIR(st.st_mode)) {
        e.type = EntryType::kDir;
        add_entry(std::move(e));
        stack.push_back(rel);
        if (stats) ++stats->dirs;
      } else if (S_ISLNK(st.st_mode)) {
        auto target = ReadLinkAt(shared->get(), name);
        if (!target.ok()) {
          walk_status = target.status();
          break;
        }
        e.type = EntryType::kSymlink;
        e.mode = 0777;
        e.target = *target;
        e.size = target->size();
        add_entry(std::move(e));
        if (stats) ++stats->symlinks;
      } else if (S_ISREG(st.st_mode)) {
        e.type = EntryType::kFile;
        size_t idx = add_entry(std::move(e));
        dir_jobs.push_back(FileJob{shared, name, idx, st});
        if (stats) ++stats->files;
      } else {
        walk_status = FailedPreconditionError("unsupported file type (fifo, socket or device) at " +
                                              EncodeField(rel) + "; exclude it");
        break;
      }
    }
    add_dir_entries();
  }
  queue.Close();
  if (!walk_status.ok()) queue.Abort();
  for (auto& w : workers) w.join();
  done = true;
  if (progress.joinable()) progress.join();
  GS_RETURN_IF_ERROR(walk_status);
  GS_RETURN_IF_ERROR(worker_error);

  m.entries.assign(std::make_move_iterator(entries.begin()),
                   std::make_move_iterator(entries.end()));
  std::sort(m.entries.begin() + 1, m.entries.end(),
            [](const Entry& a, const Entry& b) { return a.path < b.path; });
  m.BuildIndex();
  if (stats) {
    stats->bytes = bytes.load();
    stats->seconds = double(clock.MonotonicNanos() - t0) / 1e9;
  }
  return m;
}

Result<std::string> ChainAndSign(Manifest& m, const Vault& vault,
                                 const crypto::Sm2PrivateKey& key) {
  // The vault's packs are completed (last writes, fdatasync, indexes) on another thread while
  // this one chains and signs: both must be done before the manifest is stored, neither needs
  // the other.
  Status synced;
  std::thread sync([&] { synced = vault.Sync(); });
  auto sign = [&]() -> Result<std::string> {
    m.signer = key.PublicKey().Fingerprint();
    auto current = vault.ReadCurrentManifest();
    if (current.ok()) {
      GS_ASSIGN_OR_RETURN(Manifest prev, ParseSignedManifest(*current, key.PublicKey()));
      m.version = prev.version + 1;
      m.previous = crypto::Sm3(*current);
    } else if (current.status().code() == StatusCode::kNotFound) {
      m.version = 1;
      m.previous.reset();
    } else {
      return current.status();
    }
    return SignManifest(m, key);
  };
  auto text = sign();
  sync.join();
  GS_RETURN_IF_ERROR(synced);  // objects durable before a manifest refers to them
  if (!text.ok()) return text.status();
  GS_RETURN_IF_ERROR(vault.StoreManifest(m.version, *text));
  return text;
}

std::vector<std::string> DiffManifests(const Manifest& want, const Manifest& have) {
  std::vector<std::string> out;
  for (const Entry& w : want.entries) {
    const Entry* h = have.Find(w.path);
    std::string kind;
    if (!h) {
      kind = "delete";
    } else if (h->type != w.type) {
      kind = w.type == EntryType::kSymlink || h->type == EntryType::kSymlink ? "symlink_swap"
                                                                             : "type_change";
    } else if (w.type == EntryType::kFile && (h->sm3 != w.sm3 || h->size != w.size)) {
      kind = "modify";
    } else if (w.type == EntryType::kSymlink && h->target != w.target) {
      kind = "symlink_swap";
    } else if (w.type != EntryType::kSymlink && h->mode != w.mode) {
      kind = "chmod";
    } else if (h->uid != w.uid || h->gid != w.gid) {
      kind = "chown";
    }
    if (!kind.empty()) out.push_back(kind + " " + EncodeField(w.path));
  }
  for (const Entry& h : have.entries)
    if (!want.Find(h.path)) out.push_back("create " + EncodeField(h.path));
  return out;
}

Result<std::string> CreateSignedBaseline(const std::string& root, const Vault& vault,
                                         const crypto::Sm2PrivateKey& key,
                                         const BaselineOptions& options, BaselineStats* stats,
                                         Manifest* signed_manifest) {
  GS_ASSIGN_OR_RETURN(Manifest m, BuildBaseline(root, vault, options, stats));
  GS_ASSIGN_OR_RETURN(std::string text, ChainAndSign(m, vault, key));
  if (signed_manifest) *signed_manifest = std::move(m);
  return text;
}

Result<PublishResult> Publish(const std::string& root, const std::string& from, const Vault& vault,
                              const crypto::Sm2PrivateKey& key, const BaselineOptions& options,
                              audit::RecordSink* sink, const PublishGate& gate) {
  auto current_text = vault.ReadCurrentManifest();
  if (!current_text.ok())
    return FailedPreconditionError("no baseline in the vault yet: run `tamper baseline` first");
  GS_ASSIGN_OR_RETURN(Manifest current, ParseSignedManifest(*current_text, key.PublicKey()));
  char real_root[PATH_MAX];
  if (!::realpath(root.c_str(), real_root)) return FsError("resolve web root " + root, errno);
  if (current.site_root != real_root)
    return FailedPreconditionError("the vault's baseline is for " + EncodeField(current.site_root) +
                                   ", not " + real_root);
  BaselineOptions opt = options;
  opt.excludes = current.excludes;
  opt.with_sha256 = current.with_sha256;
  GS_ASSIGN_OR_RETURN(Manifest next, BuildBaseline(from, vault, opt, nullptr));
  next.site_root = real_root;
  next.entries[0].mode = current.entries[0].mode;  // the root directory itself stays as it is
  next.entries[0].uid = current.entries[0].uid;
  next.entries[0].gid = current.entries[0].gid;

  PublishResult r;
  for (const Entry& e : next.entries) {
    const Entry* old = current.Find(e.path);
    if (!old) {
      ++r.added;
    } else if (old->type != e.type || old->sm3 != e.sm3 || old->target != e.target ||
               old->mode != e.mode || old->uid != e.uid || old->gid != e.gid) {
      ++r.changed;
    }
  }
  for (const Entry& e : current.entries)
    if (!next.Find(e.path)) ++r.removed;
  if (gate) {
    std::vector<std::string> changed_files;
    for (const Entry& e : next.entries) {
      if (e.type != EntryType::kFile) continue;
      const Entry* old = current.Find(e.path);
      if (!old || old->type != e.type || old->sm3 != e.sm3) changed_files.push_back(e.path);
    }
    GS_RETURN_IF_ERROR(gate(from, changed_files));
  }

  // While a watcher holds the vault lock it applies the new baseline itself (our temporary
  // files would look like unknown entries to it); otherwise we apply it, holding the lock so
  // no watcher starts half-way.
  auto lock = platform::FileLock::Acquire(vault.dir() + "/watch.lock");
  GS_ASSIGN_OR_RETURN(std::string text, ChainAndSign(next, vault, key));
  r.version = next.version;
  if (!lock.ok()) {
    std::string applied_path = vault.dir() + "/applied";
    std::string want = std::to_string(r.version) + "\n";
    for (int i = 0;; ++i) {
      auto got = platform::ReadFile(applied_path);
      if (got.ok() && *got == want) break;
      // The watch died (its lock is free): apply the new baseline ourselves.
      lock = platform::FileLock::Acquire(vault.dir() + "/watch.lock");
      if (lock.ok()) break;
      if (i == 600)
        return DeadlineExceededError("publish v" + std::to_string(r.version) +
                                     " signed, but the running watch has not applied it in 60 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    r.applied = 0;
  }
  GuardOptions go;
  go.sink = sink;
  go.record_type = "publish";
  go.mechanism = "publish";
  if (lock.ok()) {
    GS_ASSIGN_OR_RETURN(auto guard, Guard::Create(real_root, next, &vault, go));
    auto applied = guard->Check(".", true);
    r.applied = applied.size();
    for (const auto& f : applied)
      if (f.action == "failed")
        return IoError("publish v" + std::to_string(r.version) + " signed but applying " +
                       EncodeField(f.path) + " failed: " + f.error +
                       " (the next tamper watch completes it)");
  }
  if (sink) {
    nlohmann::json j;
    j["ts"] = FormatRfc3339((options.clock ? *options.clock : SystemTime()).Now());
    j["source"] = "tamper";
    j["type"] = "publish";
    PutName(j, "root", real_root);
    j["version"] = r.version;
    j["previous_version"] = current.version;
    j["manifest_sm3"] = crypto::DigestHex(crypto::Sm3(text));
    j["added"] = r.added;
    j["changed"] = r.changed;
    j["removed"] = r.removed;
    j["applied"] = r.applied;
    GS_RETURN_IF_ERROR(sink->Append(DumpJson(j)).status());
  }
  return r;
}

}  // namespace gs::tamper
