// Test helper for serve-time check races: one rewrite of a protected page the way an attacker's
// writer would do it, as fast as it can be called in a loop.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace gs::testing {

// Rewrite number `i` of `path` (whose baseline content is `good`): the same size with one byte
// changed, (i % 3 == 2) written to `tmp` and renamed over `path`, otherwise in place (truncating
// when i % 3 == 0). In-place writes put back the baseline bytes every other time (even i), so
// intact and tampered states race.
inline void TamperRewrite(const std::string& path, const std::string& tmp, const std::string& good,
                          uint64_t i) {
  std::string evil = good;
  evil[i % evil.size()] = 'X';
  if (i % 3 == 2) {
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    (void)!::write(fd, evil.data(), evil.size());
    ::close(fd);
    ::rename(tmp.c_str(), path.c_str());
    return;
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | (i % 3 == 0 ? O_TRUNC : 0));
  if (fd < 0) return;
  (void)!::write(fd, i % 2 ? evil.data() : good.data(), evil.size());
  ::close(fd);
}

}  // namespace gs::testing
