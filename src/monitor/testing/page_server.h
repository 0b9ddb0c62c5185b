// Test and benchmark fixture: a small real HTTP/1.1 server on 127.0.0.1 (port 0) whose
// responses come from a handler function, so one server can play many sites (by Host header),
// a page that changes between requests, or a webhook receiver. One thread per connection (joined
// when it ends), keep-alive, Content-Length bodies only. The handler runs on connection threads
// concurrently and must be thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gs::monitor::testing {

struct HttpRequest {
  std::string method, path, host;              // host without port, lower case
  std::map<std::string, std::string> headers;  // names lower case
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::string> headers;  // extra "Name: value"
};

class PageServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  explicit PageServer(Handler handler);
  ~PageServer();  // stops accepting, closes connections, joins every thread
  int port() const { return port_; }
  int requests() const { return requests_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd);
  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::map<int, std::thread> conns_;  // by socket; finished ones are joined by the acceptor
  std::vector<int> conn_fds_;
  std::vector<std::thread> done_;
  std::thread acceptor_;
};

}  // namespace gs::monitor::testing
