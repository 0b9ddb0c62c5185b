// Linux file-system helpers used by every module that stores data (audit log, vault, monitor
// state). All return Status; none throws. Paths are plain std::string (bytes, not UTF-8).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::platform {

Result<std::string> ReadFile(const std::string& path);

// Writes `data` to path.tmp, fsyncs it, renames it over `path` and fsyncs the directory, so a
// crash leaves either the old or the new content, never a mix.
Status WriteFileAtomic(const std::string& path, std::string_view data, mode_t mode = 0644);

// mkdir -p. Existing directories are fine.
Status MakeDirs(const std::string& path, mode_t mode = 0755);

// fsync on a directory, so that created/renamed/removed entries are durable.
Status FsyncDir(const std::string& path);

// Names in a directory (no "." or ".."), sorted bytewise.
Result<std::vector<std::string>> ListDir(const std::string& path);

bool PathExists(const std::string& path);
bool IsDirectory(const std::string& path);
Result<uint64_t> FileSize(const std::string& path);
Status RemoveFile(const std::string& path);  // NOT_FOUND if missing
Status RenameFile(const std::string& from, const std::string& to);

// "a/b" + "c" -> "a/b/c".
std::string JoinPath(std::string_view a, std::string_view b);
std::string DirName(std::string_view path);

// A file opened for appending. Writes go straight to the kernel (write(2)); Sync() makes them
// durable (fdatasync). Not thread-safe: one writer owns it.
class AppendFile {
 public:
  AppendFile() = default;
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  AppendFile(AppendFile&& other) noexcept;
  AppendFile& operator=(AppendFile&& other) noexcept;

  // Opens (creating with `mode` if needed) and positions at the end.
  static Result<AppendFile> Open(const std::string& path, mode_t mode = 0644);

  Status Append(std::string_view data);
  Status Sync();
  // Cuts the file to `size` bytes (used by recovery to drop a torn tail it has recorded).
  Status Truncate(uint64_t size);
  Status Close();

  bool is_open() const { return fd_ >= 0; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string path_;
};

// An flock(2)-based exclusive lock on a file, held until destruction. Used so that only one
// process writes a store at a time.
class FileLock {
 public:
  FileLock() = default;
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&& o) noexcept;

  // Fails with UNAVAILABLE (naming the path) if another process holds it.
  static Result<FileLock> Acquire(const std::string& path);

 private:
  int fd_ = -1;
};

}  // namespace gs::platform
