// Vault storage (see vault.h and docs/formats/baseline.md §4).
#include "tamper/vault.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <thread>
#include <vector>

#include "platform/file.h"
#include "tamper/safe_fs.h"

namespace gs::tamper {
namespace {

constexpr std::string_view kKeyCheckLabel = "govshield-vault-key-check";
constexpr std::string_view kAadPrefix = "govshield-vault-object:";
constexpr size_t kIvSize = 12;

std::string KeyCheck(const std::string& key) {
  return crypto::DigestHex(crypto::HmacSm3(key, kKeyCheckLabel));
}

std::string ConfText(const std::optional<std::string>& key) {
  if (!key) return "govshield-vault 1\nencryption none\n";
  return "govshield-vault 1\nencryption sm4-gcm\nkey-check " + KeyCheck(*key) + "\n";
}

}  // namespace

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
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(dir, "objects"), 0700));
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(dir, "manifests"), 0700));
  GS_RETURN_IF_ERROR(platform::MakeDirs(platform::JoinPath(dir, "quarantine"), 0700));
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(conf, ConfText(key), 0600));
  Vault v;
  v.dir_ = dir;
  v.key_ = std::move(key);
  return v;
}

Result<Vault> Vault::Open(const std::string& dir, std::optional<std::string> key) {
  std::string conf_path = platform::JoinPath(dir, "vault.conf");
  auto conf = platform::ReadFile(conf_path);
  if (!conf.ok()) return NotFoundError("no vault at " + dir + " (missing vault.conf)");
  bool enc;
  if (*conf == ConfText(std::nullopt)) {
    enc = false;
  } else if (conf->rfind("govshield-vault 1\nencryption sm4-gcm\nkey-check ", 0) == 0) {
    enc = true;
  } else {
    return DataLossError("unrecognised " + conf_path);
  }
  if (enc && !key)
    return FailedPreconditionError("vault " + dir + " is SM4-encrypted: pass its key file");
  if (!enc && key)
    return FailedPreconditionError("vault " + dir + " is not encrypted but a key was given");
  if (enc && *conf != ConfText(key))
    return FailedPreconditionError("wrong key for vault " + dir + " (key-check differs)");
  Vault v;
  v.dir_ = dir;
  v.key_ = std::move(key);
  return v;
}

std::string Vault::QuarantineDir() const { return platform::JoinPath(dir_, "quarantine"); }

std::string Vault::ObjectPath(const crypto::Digest& sm3) const {
  std::string hex = crypto::DigestHex(sm3);
  return dir_ + "/objects/" + hex.substr(0, 2) + "/" + hex;
}

bool Vault::HasObject(const crypto::Digest& sm3) const {
  return platform::PathExists(ObjectPath(sm3));
}

Status Vault::PutObject(const crypto::Digest& sm3, std::string_view content, bool durable) const {
  std::string path = ObjectPath(sm3);
  uint64_t want_size = content.size() + (key_ ? kIvSize + crypto::kGcmTagSize : 0);
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && uint64_t(st.st_size) == want_size) return Status::Ok();
  std::string sub = platform::DirName(path);
  if (::mkdir(sub.c_str(), 0700) != 0 && errno != EEXIST) return FsError("mkdir " + sub, errno);
  std::string data;
  if (key_) {
    Bytes iv = crypto::RandomBytes(kIvSize);
    std::string aad = std::string(kAadPrefix) + crypto::DigestHex(sm3);
    GS_ASSIGN_OR_RETURN(std::string sealed,
                        crypto::Sm4GcmSeal(*key_, AsStringView(iv), aad, content));
    data.assign(AsStringView(iv));
    data += sealed;
  } else {
    data.assign(content);
  }
  // A private temporary name per writer: two threads storing the same digest must not share
  // one (WriteFileAtomic's fixed ".tmp" would race).
  std::string tmp = path + ".tmp-" + HexEncode(crypto::RandomBytes(6));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return FsError("create vault object", errno);
  UniqueFd f(fd);
  Status s = WriteAllFd(fd, data);
  if (s.ok() && durable && ::fsync(fd) != 0) s = FsError("fsync vault object", errno);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = FsError("rename vault object", errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s.WithContext("store vault object");
  }
  return durable ? platform::FsyncDir(sub) : Status::Ok();
}

Status Vault::Sync() const {
  int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FsError("open vault", errno);
  UniqueFd f(fd);
  if (::syncfs(fd) != 0) return FsError("syncfs vault", errno);
  return Status::Ok();
}

Result<std::string> Vault::GetObject(const crypto::Digest& sm3) const {
  std::string path = ObjectPath(sm3);
  auto data = platform::ReadFile(path);
  if (!data.ok()) {
    if (!platform::PathExists(path))
      return NotFoundError("vault object " + crypto::DigestHex(sm3) + " missing");
    return data.status();
  }
  std::string plain;
  if (key_) {
    if (data->size() < kIvSize + crypto::kGcmTagSize)
      return DataLossError("vault object " + crypto::DigestHex(sm3) + " truncated");
    std::string aad = std::string(kAadPrefix) + crypto::DigestHex(sm3);
    auto opened = crypto::Sm4GcmOpen(*key_, std::string_view(*data).substr(0, kIvSize), aad,
                                     std::string_view(*data).substr(kIvSize));
    if (!opened.ok())
      return DataLossError("vault object " + crypto::DigestHex(sm3) + " fails SM4-GCM check");
    plain = std::move(*opened);
  } else {
    plain = std::move(*data);
  }
  if (crypto::Sm3(plain) != sm3)
    return DataLossError("vault object " + crypto::DigestHex(sm3) + " is corrupt (SM3 differs)");
  return plain;
}

Result<uint64_t> Vault::VerifyObjects(const Manifest& m, int threads) const {
  std::vector<crypto::Digest> all;
  std::string objects = platform::JoinPath(dir_, "objects");
  GS_ASSIGN_OR_RETURN(auto subdirs, platform::ListDir(objects));
  for (const auto& sd : subdirs) {
    GS_ASSIGN_OR_RETURN(auto names, platform::ListDir(platform::JoinPath(objects, sd)));
    for (const auto& n : names) {
      if (n.find(".tmp-") != std::string::npos) continue;  // a writer killed mid-store
      auto d = crypto::DigestFromHex(n);
      if (!d || n.size() != 64 || n.substr(0, 2) != sd)
        return DataLossError("unexpected file in vault objects: " + sd + "/" + n);
      all.push_back(*d);
    }
  }
  for (const auto& e : m.entries) {
    if (e.type == EntryType::kFile && !HasObject(*e.sm3))
      return DataLossError("vault lacks the object for " + EncodeField(e.path) + " (" +
                           crypto::DigestHex(*e.sm3) + ")");
  }
  GS_RETURN_IF_ERROR(ParallelFor(all.size(), threads, [&](size_t i) -> Status {
    auto r = GetObject(all[i]);
    return r.ok() ? Status::Ok() : r.status();
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
