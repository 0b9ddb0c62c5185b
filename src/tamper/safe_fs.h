// Path-safe file-system primitives for the tamper guard. Every operation on the protected tree
// goes through a directory file descriptor opened beneath the root, one component at a time with
// O_NOFOLLOW, so a symlink planted anywhere in the tree (a parent directory swapped for a link to
// /etc, say) is never followed out of the root. Thread-safe (no shared state).
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/crypto.h"

namespace gs::tamper {

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// A Status for errno `err` on `what`: NOT_FOUND for ENOENT, FAILED_PRECONDITION for
// ENOTDIR/ELOOP (a component is not a real directory), IO_ERROR otherwise.
Status FsError(std::string_view what, int err);

// Opens the web root itself (the administrator's path; symlinks in it are resolved once here).
Result<UniqueFd> OpenRootDir(const std::string& path);

// Opens directory `rel` ("." or a valid entry path) beneath `root_fd`, never following a
// symlink. NOT_FOUND if a component is missing, FAILED_PRECONDITION if one is not a directory.
Result<UniqueFd> OpenDirBeneath(int root_fd, std::string_view rel);

// The parent directory of `rel` (opened as above) and the last component. rel must not be ".".
struct ParentRef {
  UniqueFd dir;
  std::string name;
};
Result<ParentRef> OpenParentBeneath(int root_fd, std::string_view rel);

// Child path: ("." , "a") -> "a"; ("a", "b") -> "a/b".
std::string ChildPath(std::string_view dir, std::string_view name);

// Names in the directory `dir_fd` (not "." or ".."), unsorted. Does not consume dir_fd.
Result<std::vector<std::string>> ListDirFd(int dir_fd);

// Reads the whole file from its current offset.
Result<std::string> ReadAllFd(int fd);
Status WriteAllFd(int fd, std::string_view data);
Result<std::string> ReadLinkAt(int dir_fd, const std::string& name);

// SM3 (and SHA-256 when asked) of everything readable from fd, streaming.
struct ContentDigests {
  crypto::Digest sm3{};
  std::optional<crypto::Digest> sha256;
  uint64_t size = 0;
};
Result<ContentDigests> DigestFd(int fd, bool with_sha256);

// Raises RLIMIT_NOFILE's soft limit to the hard limit (walks keep one fd per queued directory).
void RaiseFdLimit();

}  // namespace gs::tamper
