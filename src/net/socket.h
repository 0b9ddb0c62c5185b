// Non-blocking socket helpers: an owning fd, IPv4/IPv6 addresses, TCP listeners and UDP sockets.
// Tests bind 127.0.0.1 with port 0 and read the bound port back with BoundPort().
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gs::net {

// Owns a file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.Release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = o.Release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void Reset();

 private:
  int fd_ = -1;
};

// An IPv4 or IPv6 socket address.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t len = 0;

  // Numeric host only ("127.0.0.1", "::1", "0.0.0.0"); no DNS. InvalidArgument otherwise.
  static Result<SocketAddress> Parse(std::string_view host, uint16_t port);
  // "127.0.0.1:514" or "[::1]:514".
  std::string ToString() const;
  uint16_t port() const;
  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

struct ListenOptions {
  int backlog = 512;
  bool reuse_port = false;  // SO_REUSEPORT, for one listener per worker loop
};

// Creates a non-blocking, close-on-exec TCP listening socket. IoError on failure.
Result<UniqueFd> ListenTcp(const SocketAddress& addr, const ListenOptions& opts = {});
// Creates a non-blocking, close-on-exec UDP socket bound to `addr`. IoError on failure.
Result<UniqueFd> BindUdp(const SocketAddress& addr, int rcvbuf_bytes = 0);
// The local address the socket is bound to (to learn the port chosen for port 0).
Result<SocketAddress> LocalAddress(int fd);
Status SetNonBlocking(int fd);

}  // namespace gs::net
