// Test fixtures for the TLS check: a certificate factory (EC P-256 CA and leaf certificates with
// chosen names and validity, made with the OpenSSL API at test time) and small real servers on
// 127.0.0.1 port 0 — an OpenSSL TLS server thread answering one HTTP request per connection
// (optionally with Strict-Transport-Security), and a plain HTTP server that redirects or not.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace gs::monitor::testing {

struct CertFiles {
  std::string cert_pem;  // path
  std::string key_pem;   // path
};

class CertFactory {
 public:
  // Creates a CA named `ca_name` whose certificate is written to dir/<ca_name>-ca.pem.
  CertFactory(const std::string& dir, const std::string& ca_name);
  ~CertFactory();
  const std::string& ca_pem() const { return ca_pem_; }
  // A leaf for `dns_names` valid from now+not_before_s to now+not_after_s (seconds).
  CertFiles Issue(const std::string& file_stem, const std::vector<std::string>& dns_names,
                  long not_before_s, long not_after_s);

 private:
  std::string dir_, ca_pem_;
  void* ca_key_ = nullptr;   // EVP_PKEY*
  void* ca_cert_ = nullptr;  // X509*
};

struct TlsServerOptions {
  CertFiles cert;
  int min_version = 0;  // TLS1_VERSION...; 0 = library default
  int max_version = 0;
  std::string ciphers;  // OpenSSL cipher string for TLS <= 1.2; "" = default
  bool seclevel0 = false;
  bool hsts = true;
};

class TlsTestServer {
 public:
  explicit TlsTestServer(TlsServerOptions options);
  ~TlsTestServer();  // stops the thread and closes the socket
  int port() const { return port_; }
  std::string error() const { return error_; }  // non-empty if setup failed
  int handshakes() const { return handshakes_.load(); }

 private:
  void Loop();
  TlsServerOptions options_;
  void* ctx_ = nullptr;  // SSL_CTX*
  int listen_fd_ = -1;
  int port_ = 0;
  std::string error_;
  std::atomic<bool> stop_{false};
  std::atomic<int> handshakes_{0};
  std::thread thread_;
};

// Plain HTTP: 301 to https://<host>:<https_port>/ when `redirect`, else 200.
class HttpTestServer {
 public:
  HttpTestServer(bool redirect, std::string host, int https_port);
  ~HttpTestServer();
  int port() const { return port_; }

 private:
  void Loop();
  bool redirect_;
  std::string host_;
  int https_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Plain HTTP page whose behaviour the test switches between requests: serve 200, answer 503,
// or stall `stall_ms` before answering (to exceed a probe timeout).
class ScriptedHttpServer {
 public:
  enum class Mode { kOk, kError, kStall };
  explicit ScriptedHttpServer(int stall_ms = 1000);
  ~ScriptedHttpServer();
  int port() const { return port_; }
  void set_mode(Mode m) { mode_.store(m); }
  int requests() const { return requests_.load(); }
  int completed() const { return completed_.load(); }  // requests fully answered

 private:
  void Loop();
  int stall_ms_;
  std::atomic<int> completed_{0};
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<Mode> mode_{Mode::kOk};
  std::atomic<int> requests_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace gs::monitor::testing
