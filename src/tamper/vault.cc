// Vault storage (see vault.h and docs/formats/baseline.md §4).
#include "tamper/vault.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "platform/file.h"
#include "tamper/safe_fs.h"

namespace gs::tamper {
namespace {

constexpr std::string_view kKeyCheckLabel = "govshield-vault-key-check";
constexpr std::string_view kAadPrefix = "govshield-vault-object:";
constexpr size_t kIvSize = 12;
constexpr std::string_view kPackMagic = "GSPACK 1\n";
constexpr std::string_view kRecordMagic = "GSOB";      // object stored as it is
constexpr std::string_view kRecordMagicZstd = "GSOZ";  // object is a zstd frame (format 3)
constexpr size_t kRecordHeader = 4 + crypto::kDigestSize + 8;
constexpr std::string_view kIdxMagic = "GSPKIDX1";
constexpr size_t kIdxEntry = crypto::kDigestSize + 8 + 8;

std::string KeyCheck(const std::string& key) {
  return crypto::DigestHex(crypto::HmacSm3(key, kKeyCheckLabel));
}

std::string ConfText(int format, const std::optional<std::string>& key) {
  std::string head = "govshield-vault " + std::to_string(format) + "\n";
  if (!key) return head + "encryption none\n";
  return head + "encryption sm4-gcm\nkey-check " + KeyCheck(*key) + "\n";
}

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(char(v >> (8 * i)));
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | uint8_t(p[i]);
  return v;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Vault format written by this version: 3 = packs whose records may be zstd-compressed.
constexpr int kFormat = 3;

// Compression of new records (docs/formats/baseline.md §4.2): zstd at a fast level, kept only
// when it saves at least an eighth; objects above kMaxZstdObject, shorter than kMinZstdObject
// or already compressed (by their first bytes) are stored as they are without trying.
constexpr int kZstdLevel = 1;
constexpr size_t kMinZstdObject = 128;
constexpr uint64_t kMaxZstdObject = uint64_t(1) << 30;
// kAuto compresses while at least this many chunks of the pack wait for the disk.
constexpr size_t kAutoBacklog = 2;

// A record's header (docs/formats/baseline.md §4.1): magic, SM3 of the object, stored length
// (little-endian), kRecordHeader bytes at `h`.
void FillRecordHeader(char* h, std::string_view magic, const crypto::Digest& d, uint64_t len) {
  std::memcpy(h, magic.data(), 4);
  std::memcpy(h + 4, d.data(), d.size());
  for (int i = 0; i < 8; ++i) h[kRecordHeader - 8 + i] = char(len >> (8 * i));
}

// Formats whose content is already compressed: PNG, JPEG, GIF, WebP, gzip, zip (also docx,
// jar, ...), WOFF/WOFF2, zstd, xz, bzip2, 7z, MP4/MOV (ftyp), Ogg, MP3 (ID3), PDF is not in
// the list (its text parts compress).
bool LooksCompressed(std::string_view c) {
  if (c.size() < 12) return false;  // too short to compress anyway
  auto starts = [&](std::string_view m) { return c.substr(0, m.size()) == m; };
  return starts("\x89PNG") || starts("\xFF\xD8\xFF") || starts("GIF8") ||
         (starts("RIFF") && c.substr(8, 4) == "WEBP") || starts("\x1F\x8B") ||
         starts("PK\x03\x04") || starts("wOFF") || starts("wOF2") || starts("\x28\xB5\x2F\xFD") ||
         starts(
             "\xFD"
             "7zXZ") ||
         starts("BZh") || starts("7z\xBC\xAF") || c.substr(4, 4) == "ftyp" || starts("OggS") ||
         starts("ID3");
}

struct DigestHash {
  size_t operator()(const crypto::Digest& d) const {
    size_t h;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
  }
};

struct PackEntry {
  crypto::Digest sm3;
  uint64_t offset, length;  // of the record, of the object
};

Status PwriteAll(int fd, std::string_view data, uint64_t offset) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd, data.data(), data.size(), off_t(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return FsError("write vault pack", errno);
    }
    data.remove_prefix(size_t(n));
    offset += uint64_t(n);
  }
  return Status::Ok();
}

// A pack being written by one thread at a time; holds an exclusive flock on it. Records are
// gathered in aligned 4 MiB chunks and written with O_DIRECT where the file system allows it
// (no page-cache copy, no writeback work for data that is only read back when a page must be
// restored). A helper thread per pack writes full chunks in order while the next ones fill;
// up to kMaxChunks chunks exist per pack, so a slow disk shows as a backlog (Backlog()), which
// the automatic compression policy reads.
constexpr size_t kDirectAlign = 4096;
constexpr size_t kPackChunk = 4 << 20;
constexpr size_t kMaxChunks = 4;

using AlignedBuf = std::unique_ptr<char, decltype(&std::free)>;

AlignedBuf NewChunk() {
  return AlignedBuf(static_cast<char*>(std::aligned_alloc(kDirectAlign, kPackChunk)), &std::free);
}

struct ZstdCCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

struct PackWriter {
  std::string name;
  UniqueFd fd;
  uint64_t size = 0;     // logical end: bytes of records appended so far
  uint64_t written = 0;  // bytes handed to the helper (a multiple of kDirectAlign until Finish)
  AlignedBuf buf = NewChunk();  // the chunk being filled
  size_t buf_len = 0;           // bytes [written, size) waiting in buf
  Status failed;                // a write error: the pack is abandoned (Sync reports it)
  std::vector<PackEntry> entries;
  std::unique_ptr<ZSTD_CCtx, ZstdCCtxFree> zstd;  // created on the first compressed record
  std::string scratch;                            // compressed bytes that did not fit in buf

  // The helper thread and the chunks handed to it (guarded by mu).
  struct Piece {
    AlignedBuf data;
    size_t len;
    uint64_t offset;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Piece> queue;            // handed over, not yet written (front: being written)
  std::vector<AlignedBuf> free_bufs;  // written, ready for reuse
  size_t chunks = 1;                  // chunks allocated (buf + queue + free_bufs)
  Status io_status;
  bool stop = false;
  std::thread io;

  ~PackWriter() { StopIo(); }
  void StopIo() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
      cv.notify_all();
    }
    if (io.joinable()) io.join();
  }
  // Chunks waiting for the disk (including the one being written).
  size_t Backlog() {
    std::lock_guard<std::mutex> lock(mu);
    return queue.size();
  }
  static Status Write(int fd, const char* data, size_t len, uint64_t offset) {
    Status s = PwriteAll(fd, std::string_view(data, len), offset);
    if (!s.ok() && (::fcntl(fd, F_GETFL) & O_DIRECT)) {
      // A file system that takes O_DIRECT at open but not this write (EINVAL): write through
      // the page cache from now on. A real I/O error fails again.
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_DIRECT);
      s = PwriteAll(fd, std::string_view(data, len), offset);
    }
    return s;
  }
  void IoLoop() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return !queue.empty() || stop; });
      if (queue.empty()) return;
      Piece& p = queue.front();
      Status s = io_status;
      lock.unlock();
      if (s.ok()) s = Write(fd.get(), p.data.get(), p.len, p.offset);
      lock.lock();
      if (io_status.ok()) io_status = s;
      free_bufs.push_back(std::move(queue.front().data));
      queue.pop_front();
      cv.notify_all();
    }
  }
  // Hands the first `len` bytes of buf to the helper thread and takes a free chunk (waiting
  // for one when kMaxChunks are in use).
  Status WriteOut(size_t len) {
    std::unique_lock<std::mutex> lock(mu);
    if (!io.joinable()) io = std::thread([this] { IoLoop(); });
    queue.push_back(Piece{std::move(buf), len, written});
    cv.notify_all();
    written += len;
    buf_len = 0;
    if (free_bufs.empty() && chunks < kMaxChunks) {
      AlignedBuf b = NewChunk();
      if (b) {
        ++chunks;
        buf = std::move(b);
        return io_status;
      }
    }
    cv.wait(lock, [&] { return !free_bufs.empty(); });
    buf = std::move(free_bufs.back());
    free_bufs.pop_back();
    return io_status;
  }
  // Waits until every chunk handed over is written.
  Status Drain() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return queue.empty(); });
    return io_status;
  }
  Status Append(std::string_view data) {
    while (!data.empty()) {
      size_t n = std::min(data.size(), kPackChunk - buf_len);
      std::memcpy(buf.get() + buf_len, data.data(), n);
      buf_len += n;
      size += n;
      data.remove_prefix(n);
      if (buf_len == kPackChunk) GS_RETURN_IF_ERROR(WriteOut(kPackChunk));
    }
    return Status::Ok();
  }
  // Room for `n` more bytes in the current chunk, or nullptr.
  char* Room(size_t n) { return kPackChunk - buf_len >= n ? buf.get() + buf_len : nullptr; }
  // Marks `n` bytes written at Room() as appended.
  Status Commit(size_t n) {
    buf_len += n;
    size += n;
    if (buf_len == kPackChunk) return WriteOut(kPackChunk);
    return Status::Ok();
  }
  // Writes the rest (padded to the alignment, then cut to the logical size) and fdatasyncs.
  Status Finish() {
    GS_RETURN_IF_ERROR(failed);
    size_t padded = (buf_len + kDirectAlign - 1) / kDirectAlign * kDirectAlign;
    std::memset(buf.get() + buf_len, 0, padded - buf_len);
    if (padded > 0) GS_RETURN_IF_ERROR(WriteOut(padded));
    GS_RETURN_IF_ERROR(Drain());
    if (::ftruncate(fd.get(), off_t(size)) != 0) return FsError("truncate vault pack", errno);
    if (::fdatasync(fd.get()) != 0) return FsError("fdatasync vault pack", errno);
    return Status::Ok();
  }
};

Status PreadAll(int fd, char* buf, size_t len, uint64_t offset) {
  while (len > 0) {
    ssize_t n = ::pread(fd, buf, len, off_t(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return FsError("read vault pack", errno);
    }
    if (n == 0) return DataLossError("vault pack shorter than its index");
    buf += n;
    len -= size_t(n);
    offset += uint64_t(n);
  }
  return Status::Ok();
}

std::string IndexText(const PackWriter& w) {
  std::string idx(kIdxMagic);
  PutU64(&idx, w.size);
  PutU64(&idx, w.entries.size());
  for (const PackEntry& e : w.entries) {
    idx.append(crypto::AsView(e.sm3));
    PutU64(&idx, e.offset);
    PutU64(&idx, e.length);
  }
  idx.append(crypto::AsView(crypto::Sm3(idx)));
  return idx;
}

// Parses and checks an index against its pack's size (docs/formats/baseline.md §4.1).
Result<std::vector<PackEntry>> ParseIndex(std::string_view idx, uint64_t pack_size) {
  const size_t fixed = kIdxMagic.size() + 16 + crypto::kDigestSize;
  if (idx.size() < fixed || idx.substr(0, kIdxMagic.size()) != kIdxMagic)
    return DataLossError("bad index header");
  std::string_view body = idx.substr(0, idx.size() - crypto::kDigestSize);
  if (crypto::AsView(crypto::Sm3(body)) != idx.substr(body.size()))
    return DataLossError("index checksum (SM3) differs");
  uint64_t size = GetU64(idx.data() + 8), count = GetU64(idx.data() + 16);
  if (count != (idx.size() - fixed) / kIdxEntry || (idx.size() - fixed) % kIdxEntry != 0)
    return DataLossError("index entry count differs from its length");
  if (size != pack_size)
    return DataLossError("pack is " + std::to_string(pack_size) + " bytes, its index says " +
                         std::to_string(size));
  std::vector<PackEntry> out(count);
  uint64_t expect = kPackMagic.size();
  const char* p = idx.data() + 24;
  for (PackEntry& e : out) {
    std::memcpy(e.sm3.data(), p, crypto::kDigestSize);
    e.offset = GetU64(p + crypto::kDigestSize);
    e.length = GetU64(p + crypto::kDigestSize + 8);
    p += kIdxEntry;
    if (e.offset != expect || e.length > pack_size)
      return DataLossError("index entries do not tile the pack");
    expect += kRecordHeader + e.length;
  }
  if (expect != pack_size) return DataLossError("index entries do not tile the pack");
  return out;
}

}  // namespace

struct Vault::State {
  std::string dir;
  int format = kFormat;
  std::atomic<VaultCompression> compression{VaultCompression::kAuto};
  // The object index of every complete pack (those with an index file).
  std::shared_mutex mu;
  struct Loc {
    size_t pack;
    uint64_t offset, length;
  };
  std::unordered_map<crypto::Digest, Loc, DigestHash> index;
  std::vector<std::string> pack_paths;
  std::vector<int> pack_fds;  // owned; closed by ~State
  std::vector<std::vector<PackEntry>> pack_entries;
  std::set<std::string> seen_idx;  // index files already loaded (or found bad)
  std::vector<std::string> bad;    // "pack X: reason" for indexes that failed their checks
  bool has_loose = false;          // a format-1 objects/ directory exists

  // Writers of this process.
  std::mutex wmu;
  std::vector<std::unique_ptr<PackWriter>> writers;        // owned until Sync
  std::vector<PackWriter*> free_writers;                   // not in use by a PutObject
  std::unordered_set<crypto::Digest, DigestHash> pending;  // stored by this process, not synced
  UniqueFd writers_lock;  // shared flock on packs/.writers while we have writers

  ~State() {
    for (int fd : pack_fds) ::close(fd);
  }

  std::string PacksDir() const { return dir + "/packs"; }

  // Loads every index file not loaded yet. Caller holds `mu` exclusively.
  void LoadNewIndexes() {
    auto names = platform::ListDir(PacksDir());
    if (!names.ok()) return;  // no packs yet
    std::sort(names->begin(), names->end());
    for (const std::string& n : *names) {
      if (!EndsWith(n, ".idx") || seen_idx.count(n)) continue;
      seen_idx.insert(n);
      std::string base = n.substr(0, n.size() - 4);
      std::string pack = PacksDir() + "/" + base + ".pack";
      Status s = LoadPack(PacksDir() + "/" + n, pack);
      if (!s.ok()) bad.push_back("vault pack " + base + ": " + std::string(s.message()));
    }
  }

  Status LoadPack(const std::string& idx_path, const std::string& pack_path) {
    GS_ASSIGN_OR_RETURN(std::string idx, platform::ReadFile(idx_path));
    int fd = ::open(pack_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return FsError("open pack", errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int e = errno;
      ::close(fd);
      return FsError("stat pack", e);
    }
    auto entries = ParseIndex(idx, uint64_t(st.st_size));
    if (!entries.ok()) {
      ::close(fd);
      return entries.status();
    }
    AddPack(pack_path, fd, std::move(*entries));
    return Status::Ok();
  }

  void AddPack(const std::string& path, int fd, std::vector<PackEntry> entries) {
    size_t id = pack_fds.size();
    pack_paths.push_back(path);
    pack_fds.push_back(fd);
    for (const PackEntry& e : entries) index.emplace(e.sm3, Loc{id, e.offset, e.length});
    pack_entries.push_back(std::move(entries));
  }

  // Finds an object in the packs; with `refresh`, rereads packs/ on a miss.
  std::optional<std::pair<int, Loc>> Find(const crypto::Digest& sm3, bool refresh) {
    {
      std::shared_lock lock(mu);
      auto it = index.find(sm3);
      if (it != index.end()) return std::make_pair(pack_fds[it->second.pack], it->second);
      if (!refresh) return std::nullopt;
    }
    std::unique_lock lock(mu);
    LoadNewIndexes();
    auto it = index.find(sm3);
    if (it == index.end()) return std::nullopt;
    return std::make_pair(pack_fds[it->second.pack], it->second);
  }

  // First pack of this process: take the writers' lock, remove packs left by dead writers,
  // upgrade the vault.conf of an older format (1 or 2) to 3. Caller holds `wmu`.
  Status StartWriting(const std::optional<std::string>& key) {
    if (writers_lock.valid()) return Status::Ok();
    GS_RETURN_IF_ERROR(platform::MakeDirs(PacksDir(), 0700));
    if (format < kFormat) {
      GS_RETURN_IF_ERROR(
          platform::WriteFileAtomic(dir + "/vault.conf", ConfText(kFormat, key), 0600));
      format = kFormat;
    }
    std::string lock_path = PacksDir() + "/.writers";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return FsError("open " + lock_path, errno);
    UniqueFd lock(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      // No other writer is alive: every pack without an index is garbage of a dead one.
      auto names = platform::ListDir(PacksDir());
      if (names.ok()) {
        for (const std::string& n : *names) {
          if (!EndsWith(n, ".pack")) continue;
          std::string base = PacksDir() + "/" + n.substr(0, n.size() - 5);
          if (platform::PathExists(base + ".idx")) continue;
          ::unlink((base + ".idx.tmp").c_str());
          ::unlink((base + ".pack").c_str());
        }
      }
    }
    while (::flock(fd, LOCK_SH) != 0) {
      if (errno != EINTR) return FsError("lock " + lock_path, errno);
    }
    writers_lock = std::move(lock);
    return Status::Ok();
  }

  Result<std::unique_ptr<PackWriter>> NewWriter() {
    auto w = std::make_unique<PackWriter>();
    w->name = HexEncode(crypto::RandomBytes(16));
    if (!w->buf) return ResourceExhaustedError("no memory for a vault pack buffer");
    std::string path = PacksDir() + "/" + w->name + ".pack";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_DIRECT, 0600);
    if (fd < 0 && errno == EINVAL)  // no O_DIRECT on this file system
      fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return FsError("create vault pack", errno);
    w->fd = UniqueFd(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) return FsError("lock vault pack", errno);
    GS_RETURN_IF_ERROR(w->Append(kPackMagic));
    return w;
  }
};

int DefaultThreads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 2 : int(n);
}

Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn) {
  if (threads <= 0) threads = DefaultThreads();
  if (size_t(threads) > n) threads = int(n == 0 ? 1 : n);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first;
  auto worker = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      size_t i = next.fetch_add(1);
      if (i >= n) return;
      Status s = fn(i);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first.ok()) first = s;
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return first;
}

Result<VaultCompression> ParseVaultCompression(std::string_view s) {
  if (s == "auto") return VaultCompression::kAuto;
  if (s == "always") return VaultCompression::kAlways;
  if (s == "never") return VaultCompression::kNever;
  return InvalidArgumentError("vault compression must be auto, always or never, not " +
                              std::string(s));
}

void Vault::SetCompression(VaultCompression c) const {
  state_->compression.store(c, std::memory_order_relaxed);
}

Result<std::string> LoadVaultKey(const std::string& path) {
  GS_ASSIGN_OR_RETURN(std::string raw, platform::ReadFile(path));
  if (raw.size() == crypto::kSm4KeySize) return raw;
  std::string t = raw;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  if (t.size() == 2 * crypto::kSm4KeySize) {
    if (auto b = HexDecode(t)) return std::string(AsStringView(*b));
  }
  return InvalidArgumentError("vault key file " + path +
                              " must hold 16 raw bytes or 32 hex digits");
}

Result<Vault> Vault::Create(const std::string& dir, std::optional<std::string> key) {
  if (key && key->size() != crypto::kSm4KeySize)
    return InvalidArgumentError("vault key must be 16 bytes");
  std::string conf = platform::JoinPath(dir, "vault.conf");
  if (platform::PathExists(conf)) return Open(dir, std::move(key));
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(dir, "packs"), 0700));
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(dir, "manifests"), 0700));
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(dir, "quarantine"), 0700));
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(conf, ConfText(kFormat, key), 0600));
  return Open(dir, std::move(key));
}

Result<Vault> Vault::Open(const std::string& dir, std::optional<std::string> key) {
  std::string conf_path = platform::JoinPath(dir, "vault.conf");
  auto conf = platform::ReadFile(conf_path);
  if (!conf.ok()) return NotFoundError("no vault at " + dir + " (missing vault.conf)");
  int format = 0;
  for (int f = 1; f <= kFormat; ++f)
    if (conf->rfind("govshield-vault " + std::to_string(f) + "\n", 0) == 0) format = f;
  bool plain = format != 0 && *conf == ConfText(format, std::nullopt);
  bool enc = format != 0 && conf->rfind("govshield-vault " + std::to_string(format) +
                                            "\nencryption sm4-gcm\nkey-check ",
                                        0) == 0;
  if (!plain && !enc)
    return DataLossError("unrecognised " + conf_path +
                         " (made by a newer govshield? move the vault away and run `tamper "
                         "baseline` again to rebuild it)");
  if (enc && !key)
    return FailedPreconditionError("vault " + dir + " is SM4-encrypted: pass its key file");
  if (!enc && key)
    return FailedPreconditionError("vault " + dir + " is not encrypted but a key was given");
  if (enc && *conf != ConfText(format, key))
    return FailedPreconditionError("wrong key for vault " + dir + " (key-check differs)");
  Vault v;
  v.dir_ = dir;
  v.key_ = std::move(key);
  v.state_ = std::make_shared<State>();
  v.state_->dir = dir;
  v.state_->format = format;
  v.state_->has_loose = platform::PathExists(platform::JoinPath(dir, "objects"));
  std::unique_lock lock(v.state_->mu);
  v.state_->LoadNewIndexes();
  return v;
}

std::string Vault::QuarantineDir() const { return platform::JoinPath(dir_, "quarantine"); }

namespace {

std::string LoosePath(const std::string& dir, const crypto::Digest& sm3) {
  std::string hex = crypto::DigestHex(sm3);
  return dir + "/objects/" + hex.substr(0, 2) + "/" + hex;
}

struct ZstdDCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// The content of a zstd frame: exactly one frame with its content size in the header, at most
// kMaxZstdObject bytes (so a corrupt size cannot ask for unbounded memory).
Result<std::string> Unzstd(const crypto::Digest& sm3, std::string_view frame) {
  auto bad = [&](std::string_view why) {
    return DataLossError("vault object " + crypto::DigestHex(sm3) + " is corrupt (" +
                         std::string(why) + ")");
  };
  unsigned long long n = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR || n > kMaxZstdObject)
    return bad("zstd frame header");
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size())
    return bad("zstd frame length");
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDCtxFree> dctx(ZSTD_createDCtx());
  if (!dctx) return ResourceExhaustedError("no memory for zstd");
  std::string out(size_t(n), '\0');
  size_t got = ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(got) || got != n) return bad("zstd data");
  return out;
}

// The plaintext of a stored object, verified: the SM4-GCM tag (encrypted vaults) and the SM3.
// `zstd`: the record is a GSOZ one (the object, once decrypted, is a zstd frame).
Result<std::string> OpenStored(const std::optional<std::string>& key, const crypto::Digest& sm3,
                               std::string stored, bool zstd) {
  std::string plain;
  if (key) {
    if (stored.size() < kIvSize + crypto::kGcmTagSize)
      return DataLossError("vault object " + crypto::DigestHex(sm3) + " truncated");
    std::string aad = std::string(kAadPrefix) + crypto::DigestHex(sm3);
    auto opened = crypto::Sm4GcmOpen(*key, std::string_view(stored).substr(0, kIvSize), aad,
                                     std::string_view(stored).substr(kIvSize));
    if (!opened.ok())
      return DataLossError("vault object " + crypto::DigestHex(sm3) + " fails SM4-GCM check");
    plain = std::move(*opened);
  } else {
    plain = std::move(stored);
  }
  if (zstd) {
    GS_ASSIGN_OR_RETURN(plain, Unzstd(sm3, plain));
  }
  if (crypto::Sm3(plain) != sm3)
    return DataLossError("vault object " + crypto::DigestHex(sm3) + " is corrupt (SM3 differs)");
  return plain;
}

// One record of a pack, its header checked against the index.
struct StoredRecord {
  std::string object;
  bool zstd = false;
};
Result<StoredRecord> ReadRecord(int fd, const crypto::Digest& sm3, uint64_t offset,
                                uint64_t length) {
  std::string rec(kRecordHeader + length, '\0');
  GS_RETURN_IF_ERROR(PreadAll(fd, rec.data(), rec.size(), offset));
  std::string_view magic = std::string_view(rec).substr(0, 4);
  if ((magic != kRecordMagic && magic != kRecordMagicZstd) ||
      std::string_view(rec).substr(4, crypto::kDigestSize) != crypto::AsView(sm3) ||
      GetU64(rec.data() + 4 + crypto::kDigestSize) != length)
    return DataLossError("vault object " + crypto::DigestHex(sm3) +
                         ": pack record header differs from the index");
  StoredRecord r;
  r.zstd = magic == kRecordMagicZstd;
  rec.erase(0, kRecordHeader);
  r.object = std::move(rec);
  return r;
}

}  // namespace

Result<Vault::Location> Vault::LocateObject(const crypto::Digest& sm3) const {
  if (auto f = state_->Find(sm3, true)) {
    std::shared_lock lock(state_->mu);
    return Location{state_->pack_paths[f->second.pack], f->second.offset + kRecordHeader,
                    f->second.length};
  }
  std::string loose = LoosePath(dir_, sm3);
  struct stat st;
  if (::stat(loose.c_str(), &st) == 0) return Location{loose, 0, uint64_t(st.st_size)};
  return NotFoundError("vault object " + crypto::DigestHex(sm3) + " missing");
}

bool Vault::HasObject(const crypto::Digest& sm3) const {
  return state_->Find(sm3, true) ||
         (state_->has_loose && platform::PathExists(LoosePath(dir_, sm3)));
}

Status Vault::PutObject(const crypto::Digest& sm3, std::string_view content, bool durable) const {
  return PutObjects({&sm3, 1}, {&content, 1}, durable);
}

Status Vault::PutObjects(std::span<const crypto::Digest> sm3,
                         std::span<const std::string_view> contents, bool durable) const {
  State& st = *state_;
  std::vector<size_t> todo;
  for (size_t i = 0; i < sm3.size(); ++i)
    if (!st.Find(sm3[i], false) && !(st.has_loose && platform::PathExists(LoosePath(dir_, sm3[i]))))
      todo.push_back(i);
  if (todo.empty()) return Status::Ok();
  auto forget = [&] {
    for (size_t i : todo) st.pending.erase(sm3[i]);
  };
  PackWriter* w = nullptr;
  {
    std::lock_guard<std::mutex> lock(st.wmu);
    // Objects another thread (or an earlier file of this batch) is storing are skipped.
    std::erase_if(todo, [&](size_t i) { return !st.pending.insert(sm3[i]).second; });
    if (todo.empty()) return Status::Ok();
    Status s = st.StartWriting(key_);
    if (s.ok() && st.free_writers.empty()) {
      auto nw = st.NewWriter();
      if (nw.ok()) {
        st.free_writers.push_back(nw->get());
        st.writers.push_back(std::move(*nw));
      } else {
        s = nw.status();
      }
    }
    if (!s.ok()) {
      forget();
      return s.WithContext("store vault object");
    }
    w = st.free_writers.back();
    st.free_writers.pop_back();
  }
  Status s = w->failed;
  VaultCompression mode = st.compression.load(std::memory_order_relaxed);
  for (size_t k = 0; k < todo.size() && s.ok(); ++k) {
    const crypto::Digest& d = sm3[todo[k]];
    std::string_view content = contents[todo[k]];
    bool zstd = false;
    if (mode != VaultCompression::kNever && content.size() >= kMinZstdObject &&
        content.size() <= kMaxZstdObject && !LooksCompressed(content) &&
        (mode == VaultCompression::kAlways || w->Backlog() >= kAutoBacklog)) {
      if (!w->zstd) w->zstd.reset(ZSTD_createCCtx());
      // Kept only if it saves at least an eighth: a bigger result is an error (dstSize_tooSmall).
      size_t limit = content.size() - content.size() / 8;
      char* room = key_ ? nullptr : w->Room(kRecordHeader + limit);
      if (!room && w->scratch.size() < limit) w->scratch.resize(limit);
      char* out = room ? room + kRecordHeader : w->scratch.data();
      size_t n = 0;
      if (w->zstd)
        n = ZSTD_compressCCtx(w->zstd.get(), out, limit, content.data(), content.size(),
                              kZstdLevel);
      if (w->zstd && !ZSTD_isError(n)) {
        zstd = true;
        if (room) {  // compressed in place: only the header is left to write
          FillRecordHeader(room, kRecordMagicZstd, d, n);
          uint64_t offset = w->size;
          s = w->Commit(kRecordHeader + n);
          if (s.ok()) w->entries.push_back(PackEntry{d, offset, n});
          continue;
        }
        content = std::string_view(w->scratch.data(), n);
      }
    }
    std::string sealed;
    if (key_) {
      Bytes iv = crypto::RandomBytes(kIvSize);
      std::string aad = std::string(kAadPrefix) + crypto::DigestHex(d);
      auto r = crypto::Sm4GcmSeal(*key_, AsStringView(iv), aad, content);
      if (!r.ok()) {
        s = r.status();
        break;
      }
      sealed.assign(AsStringView(iv));
      sealed += *r;
      content = sealed;
    }
    char header[kRecordHeader];
    FillRecordHeader(header, zstd ? kRecordMagicZstd : kRecordMagic, d, content.size());
    uint64_t offset = w->size;
    s = w->Append(std::string_view(header, sizeof header));
    if (s.ok()) s = w->Append(content);
    if (s.ok()) w->entries.push_back(PackEntry{d, offset, content.size()});
  }
  if (!s.ok()) w->failed = s;
  {
    std::lock_guard<std::mutex> lock(st.wmu);
    st.free_writers.push_back(w);
    if (!s.ok()) forget();
  }
  if (!s.ok()) return s.WithContext("store vault object");
  return durable ? Sync() : Status::Ok();
}

Status Vault::Sync() const {
  State& st = *state_;
  std::lock_guard<std::mutex> lock(st.wmu);
  if (st.writers.empty()) return Status::Ok();
  // Each pack: its last chunk, fdatasync, its index (fsync, rename); the packs in parallel so
  // their flushes overlap.
  auto complete = [&](PackWriter& w) -> Status {
    std::string base = st.PacksDir() + "/" + w.name;
    GS_RETURN_IF_ERROR(w.Finish());
    w.StopIo();
    std::string tmp = base + ".idx.tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return FsError("create vault pack index", errno);
    UniqueFd f(fd);
    GS_RETURN_IF_ERROR(WriteAllFd(fd, IndexText(w)));
    if (::fsync(fd) != 0) return FsError("fsync vault pack index", errno);
    if (::rename(tmp.c_str(), (base + ".idx").c_str()) != 0)
      return FsError("rename vault pack index", errno);
    return Status::Ok();
  };
  std::vector<Status> done(st.writers.size());
  std::vector<std::thread> threads;
  for (size_t i = 1; i < st.writers.size(); ++i)
    threads.emplace_back([&, i] { done[i] = complete(*st.writers[i]); });
  done[0] = complete(*st.writers[0]);
  for (auto& t : threads) t.join();
  for (const Status& s : done) GS_RETURN_IF_ERROR(s);
  GS_RETURN_IF_ERROR(platform::FsyncDir(st.PacksDir()));
  {
    std::unique_lock ilock(st.mu);
    for (auto& w : st.writers) {
      std::string path = st.PacksDir() + "/" + w->name + ".pack";
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return FsError("open vault pack", errno);
      st.seen_idx.insert(w->name + ".idx");
      st.AddPack(path, fd, std::move(w->entries));
    }
  }
  st.writers.clear();
  st.free_writers.clear();
  st.pending.clear();
  st.writers_lock.reset();
  return Status::Ok();
}

Result<std::string> Vault::GetObject(const crypto::Digest& sm3) const {
  if (auto f = state_->Find(sm3, true)) {
    GS_ASSIGN_OR_RETURN(StoredRecord rec,
                        ReadRecord(f->first, sm3, f->second.offset, f->second.length));
    return OpenStored(key_, sm3, std::move(rec.object), rec.zstd);
  }
  std::string path = LoosePath(dir_, sm3);
  auto data = platform::ReadFile(path);
  if (!data.ok()) {
    if (!platform::PathExists(path))
      return NotFoundError("vault object " + crypto::DigestHex(sm3) + " missing");
    return data.status();
  }
  return OpenStored(key_, sm3, std::move(*data), /*zstd=*/false);
}

Result<uint64_t> Vault::VerifyObjects(const Manifest& m, int threads) const {
  struct Item {
    int fd;  // -1: a loose object
    PackEntry e;
  };
  std::vector<Item> all;
  {
    std::unique_lock lock(state_->mu);
    state_->LoadNewIndexes();
    if (!state_->bad.empty())
      return DataLossError(state_->bad.front() +
                           " (run `tamper baseline` again to rewrite its objects)");
    for (size_t p = 0; p < state_->pack_fds.size(); ++p)
      for (const PackEntry& e : state_->pack_entries[p]) all.push_back({state_->pack_fds[p], e});
  }
  std::string objects = platform::JoinPath(dir_, "objects");
  if (state_->has_loose) {
    GS_ASSIGN_OR_RETURN(auto subdirs, platform::ListDir(objects));
    for (const auto& sd : subdirs) {
      GS_ASSIGN_OR_RETURN(auto names, platform::ListDir(platform::JoinPath(objects, sd)));
      for (const auto& n : names) {
        if (n.find(".tmp-") != std::string::npos) continue;  // a writer killed mid-store
        auto d = crypto::DigestFromHex(n);
        if (!d || n.size() != 64 || n.substr(0, 2) != sd)
          return DataLossError("unexpected file in vault objects: " + sd + "/" + n);
        all.push_back({-1, PackEntry{*d, 0, 0}});
      }
    }
  }
  for (const auto& e : m.entries) {
    if (e.type == EntryType::kFile && !HasObject(*e.sm3))
      return DataLossError("vault lacks the object for " + EncodeField(e.path) + " (" +
                           crypto::DigestHex(*e.sm3) + ")");
  }
  GS_RETURN_IF_ERROR(ParallelFor(all.size(), threads, [&](size_t i) -> Status {
    const Item& it = all[i];
    if (it.fd < 0) return GetObject(it.e.sm3).status();
    GS_ASSIGN_OR_RETURN(StoredRecord rec, ReadRecord(it.fd, it.e.sm3, it.e.offset, it.e.length));
    return OpenStored(key_, it.e.sm3, std::move(rec.object), rec.zstd).status();
  }));
  return uint64_t(all.size());
}

Result<std::string> Vault::ReadCurrentManifest() const {
  std::string path = dir_ + "/manifests/current";
  if (!platform::PathExists(path)) return NotFoundError("vault " + dir_ + " has no baseline yet");
  return platform::ReadFile(path);
}

Status Vault::StoreManifest(uint64_t version, std::string_view text) const {
  std::string dir = dir_ + "/manifests";
  GS_RETURN_IF_ERROR(platform::MakeDirs(dir, 0700));
  char name[40];
  std::snprintf(name, sizeof name, "v%08llu.manifest", static_cast<unsigned long long>(version));
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(platform::JoinPath(dir, name), text, 0644));
  return platform::WriteFileAtomic(platform::JoinPath(dir, "current"), text, 0644);
}

}  // namespace gs::tamper
