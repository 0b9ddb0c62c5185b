// PageServer implementation (see page_server.h).
#include "monitor/testing/page_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace gs::monitor::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

bool WriteAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

PageServer::PageServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      listen(listen_fd_, 1024) != 0)
    return;
  socklen_t len = sizeof a;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

PageServer::~PageServer() {
  stop_.store(true);
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard<std::mutex> l(mu_);
    for (int fd : conn_fds_) shutdown(fd, SHUT_RDWR);
  }
  // Connection threads move themselves to done_ as they end; wait until all have.
  for (;;) {
    std::vector<std::thread> done;
    bool empty;
    {
      std::lock_guard<std::mutex> l(mu_);
      done.swap(done_);
      empty = conns_.empty();
    }
    for (auto& t : done) t.join();
    if (empty) break;
    usleep(1000);
  }
  if (listen_fd_ >= 0) close(listen_fd_);
}

void PageServer::AcceptLoop() {
  while (!stop_.load()) {
    std::vector<std::thread> done;
    {
      std::lock_guard<std::mutex> l(mu_);
      done.swap(done_);
    }
    for (auto& t : done) t.join();
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard<std::mutex> l(mu_);
    conn_fds_.push_back(fd);
    conns_[fd] = std::thread([this, fd] { Serve(fd); });
  }
}

void PageServer::Serve(int fd) {
  std::string buf;
  char chunk[16384];
  bool open = true;
  while (open && !stop_.load()) {
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      int pr = poll(&p, 1, 50);
      if (stop_.load()) {
        open = false;
        break;
      }
      if (pr <= 0) continue;
      ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0 || buf.size() > (1 << 20)) {
        open = false;
        break;
      }
      buf.append(chunk, static_cast<size_t>(n));
    }
    if (!open) break;
    HttpRequest req;
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    std::string first = head.substr(0, line_end);
    size_t s1 = first.find(' '), s2 = first.rfind(' ');
    if (s1 == std::string::npos || s2 == s1) break;
    req.method = first.substr(0, s1);
    req.path = first.substr(s1 + 1, s2 - s1 - 1);
    const bool http10 = first.substr(s2 + 1) == "HTTP/1.0";
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(pos, e - pos);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string v = line.substr(colon + 1);
        v.erase(0, v.find_first_not_of(" \t"));
        req.headers[Lower(line.substr(0, colon))] = v;
      }
      pos = e + 2;
    }
    req.host = Lower(req.headers["host"]);
    if (size_t c = req.host.rfind(':'); c != std::string::npos && req.host[0] != '[')
      req.host.resize(c);
    size_t clen = req.headers.count("content-length")
                      ? std::strtoul(req.headers["content-length"].c_str(), nullptr, 10)
                      : 0;
    while (buf.size() < clen && open) {
      ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0)
        open = false;
      else
        buf.append(chunk, static_cast<size_t>(n));
    }
    if (!open) break;
    req.body = buf.substr(0, clen);
    buf.erase(0, clen);
    ++requests_;
    HttpResponse resp = handler_(req);
    std::string conn = Lower(req.headers["connection"]);
    bool keep = !(conn == "close" || (http10 && conn != "keep-alive"));
    std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " + Reason(resp.status) +
                      "\r\nContent-Type: " + resp.content_type +
                      "\r\nContent-Length: " + std::to_string(resp.body.size()) + "\r\n";
    for (const auto& h : resp.headers) out += h + "\r\n";
    out += keep ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    if (req.method != "HEAD") out += resp.body;
    if (!WriteAll(fd, out) || !keep) break;
  }
  shutdown(fd, SHUT_RDWR);
  std::lock_guard<std::mutex> l(mu_);
  conn_fds_.erase(std::remove(conn_fds_.begin(), conn_fds_.end(), fd), conn_fds_.end());
  // The entry exists: the acceptor inserts it under mu_ before this thread can take mu_.
  auto it = conns_.find(fd);
  if (it != conns_.end()) {
    done_.push_back(std::move(it->second));
    conns_.erase(it);
  }
  close(fd);
}

}  // namespace gs::monitor::testing
