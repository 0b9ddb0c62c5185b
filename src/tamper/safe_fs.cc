// Path-safe file-system primitives (see safe_fs.h).
#include "tamper/safe_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gs::tamper {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Status FsError(std::string_view what, int err) {
  std::string msg = std::string(what) + ": " + std::strerror(err);
  if (err == ENOENT) return NotFoundError(msg);
  if (err == ENOTDIR || err == ELOOP) return FailedPreconditionError(msg);
  return IoError(msg);
}

Result<UniqueFd> OpenRootDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FsError("open web root " + path, errno);
  return UniqueFd(fd);
}

Result<UniqueFd> OpenDirBeneath(int root_fd, std::string_view rel) {
  int cur = ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
  if (cur < 0) return FsError("dup root", errno);
  UniqueFd fd(cur);
  if (rel == ".") return fd;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    std::string comp(rel.substr(start, slash == std::string_view::npos ? rel.npos : slash - start));
    int next = ::openat(fd.get(), comp.c_str(),
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (next < 0) return FsError("open directory component", errno);
    fd.reset(next);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return fd;
}

Result<ParentRef> OpenParentBeneath(int root_fd, std::string_view rel) {
  if (rel == "." || rel.empty()) return InvalidArgumentError("the root has no parent");
  size_t slash = rel.rfind('/');
  ParentRef ref;
  if (slash == std::string_view::npos) {
    GS_ASSIGN_OR_RETURN(ref.dir, OpenDirBeneath(root_fd, "."));
    ref.name = std::string(rel);
  } else {
    GS_ASSIGN_OR_RETURN(ref.dir, OpenDirBeneath(root_fd, rel.substr(0, slash)));
    ref.name = std::string(rel.substr(slash + 1));
  }
  return ref;
}

std::string ChildPath(std::string_view dir, std::string_view name) {
  if (dir == ".") return std::string(name);
  std::string out(dir);
  out += '/';
  out += name;
  return out;
}

Result<std::vector<std::string>> ListDirFd(int dir_fd) {
  int d = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d < 0) return FsError("open directory for listing", errno);
  DIR* dir = ::fdopendir(d);
  if (!dir) {
    int e = errno;
    ::close(d);
    return FsError("fdopendir", e);
  }
  std::vector<std::string> names;
  errno = 0;
  while (dirent* de = ::readdir(dir)) {
    if (std::strcmp(de->d_name, ".") == 0 || std::strcmp(de->d_name, "..") == 0) continue;
    names.emplace_back(de->d_name);
  }
  int e = errno;
  ::closedir(dir);
  if (e != 0) return FsError("readdir", e);
  return names;
}

Result<std::string> ReadAllFd(int fd) {
  std::string out;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(size_t(st.st_size));
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FsError("read", errno);
    }
    if (n == 0) break;
    out.append(buf, size_t(n));
  }
  return out;
}

Status WriteAllFd(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FsError("write", errno);
    }
    data.remove_prefix(size_t(n));
  }
  return Status::Ok();
}

Result<std::string> ReadLinkAt(int dir_fd, const std::string& name) {
  std::string buf(4096, '\0');
  ssize_t n = ::readlinkat(dir_fd, name.c_str(), buf.data(), buf.size());
  if (n < 0) return FsError("readlink", errno);
  buf.resize(size_t(n));
  return buf;
}

Result<ContentDigests> DigestFd(int fd, bool with_sha256) {
  crypto::Hasher sm3(crypto::HashAlgorithm::kSm3);
  std::optional<crypto::Hasher> sha;
  if (with_sha256) sha.emplace(crypto::HashAlgorithm::kSha256);
  ContentDigests out;
  std::string buf(1 << 18, '\0');
  while (true) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FsError("read", errno);
    }
    if (n == 0) break;
    sm3.Update(buf.data(), size_t(n));
    if (sha) sha->Update(buf.data(), size_t(n));
    out.size += uint64_t(n);
  }
  out.sm3 = sm3.Final();
  if (sha) out.sha256 = sha->Final();
  return out;
}

void RaiseFdLimit() {
  struct rlimit rl;
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace gs::tamper
