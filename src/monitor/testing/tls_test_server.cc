// Certificate factory and loopback TLS/HTTP test servers (see tls_test_server.h).
#include "monitor/testing/tls_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace gs::monitor::testing {
namespace {

EVP_PKEY* NewKey() { return EVP_EC_gen("P-256"); }

void AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext != nullptr) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

X509* NewCert(EVP_PKEY* key, const std::string& cn, long not_before_s, long not_after_s,
              long serial) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(x), not_after_s);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return x;
}

void WritePem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return;
  if (cert) PEM_write_X509(f, cert);
  if (key) PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

// Test server threads never want SIGPIPE (clients hang up mid-handshake on purpose); a blocked
// SIGPIPE just stays pending on the thread.
void BlockSigpipeInThisThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int ListenLoopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 64) != 0) {
    close(fd);
    return -1;
  }
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

// Waits up to 100 ms for a connection; returns the accepted fd with 2 s I/O timeouts, or -1.
int AcceptWithTimeout(int listen_fd) {
  pollfd p{listen_fd, POLLIN, 0};
  if (poll(&p, 1, 100) != 1) return -1;
  int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return -1;
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

}  // namespace

CertFactory::CertFactory(const std::string& dir, const std::string& ca_name) : dir_(dir) {
  EVP_PKEY* key = NewKey();
  X509* ca = NewCert(key, ca_name + " Test CA", -86400L * 365, 86400L * 3650, 1);
  X509_set_issuer_name(ca, X509_get_subject_name(ca));
  AddExt(ca, ca, NID_basic_constraints, "critical,CA:TRUE");
  AddExt(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExt(ca, ca, NID_subject_key_identifier, "hash");
  X509_sign(ca, key, EVP_sha256());
  ca_pem_ = dir + "/" + ca_name + "-ca.pem";
  WritePem(ca_pem_, ca, nullptr);
  ca_key_ = key;
  ca_cert_ = ca;
}

CertFactory::~CertFactory() {
  X509_free(static_cast<X509*>(ca_cert_));
  EVP_PKEY_free(static_cast<EVP_PKEY*>(ca_key_));
}

CertFiles CertFactory::Issue(const std::string& file_stem,
                             const std::vector<std::string>& dns_names, long not_before_s,
                             long not_after_s) {
  static long serial = 100;
  auto* ca = static_cast<X509*>(ca_cert_);
  EVP_PKEY* key = NewKey();
  X509* x =
      NewCert(key, dns_names.empty() ? "leaf" : dns_names[0], not_before_s, not_after_s, ++serial);
  X509_set_issuer_name(x, X509_get_subject_name(ca));
  std::string san;
  for (const auto& n : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + n;
  if (!san.empty()) AddExt(x, ca, NID_subject_alt_name, san);
  AddExt(x, ca, NID_basic_constraints, "CA:FALSE");
  AddExt(x, ca, NID_ext_key_usage, "serverAuth");
  AddExt(x, ca, NID_authority_key_identifier, "keyid");
  X509_sign(x, static_cast<EVP_PKEY*>(ca_key_), EVP_sha256());
  CertFiles f{dir_ + "/" + file_stem + ".crt", dir_ + "/" + file_stem + ".key"};
  WritePem(f.cert_pem, x, nullptr);
  WritePem(f.key_pem, nullptr, key);
  X509_free(x);
  EVP_PKEY_free(key);
  return f;
}

TlsTestServer::TlsTestServer(TlsServerOptions options) : options_(std::move(options)) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  ctx_ = ctx;
  // SECLEVEL 0 is needed for OpenSSL 3 to speak TLS 1.0/1.1 or NULL ciphers at all; the test
  // servers for those cases exist precisely to be that weak.
  if (options_.seclevel0) SSL_CTX_set_security_level(ctx, 0);
  if (options_.min_version) SSL_CTX_set_min_proto_version(ctx, options_.min_version);
  if (options_.max_version) SSL_CTX_set_max_proto_version(ctx, options_.max_version);
  if (!options_.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, options_.ciphers.c_str()) != 1)
    error_ = "bad cipher list";
  if (SSL_CTX_use_certificate_file(ctx, options_.cert.cert_pem.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, options_.cert.key_pem.c_str(), SSL_FILETYPE_PEM) != 1)
    error_ = "cannot load server certificate/key";
  listen_fd_ = ListenLoopback(&port_);
  if (listen_fd_ < 0) error_ = "cannot listen";
  if (error_.empty()) thread_ = std::thread([this] { Loop(); });
}

TlsTestServer::~TlsTestServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

void TlsTestServer::Loop() {
  BlockSigpipeInThisThread();
  while (!stop_.load()) {
    int fd = AcceptWithTimeout(listen_fd_);
    if (fd < 0) continue;
    SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      handshakes_.fetch_add(1);
      std::string req;
      char buf[2048];
      while (req.find("\r\n\r\n") == std::string::npos && req.size() < 16384) {
        int n = SSL_read(ssl, buf, sizeof buf);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
      }
      if (req.find("\r\n\r\n") != std::string::npos) {
        std::string resp =
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\nConnection: "
            "close\r\n";
        if (options_.hsts)
          resp += "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n";
        resp += "\r\nok";
        SSL_write(ssl, resp.data(), static_cast<int>(resp.size()));
      }
      SSL_shutdown(ssl);
    }
    ERR_clear_error();
    SSL_free(ssl);
    close(fd);
  }
}

HttpTestServer::HttpTestServer(bool redirect, std::string host, int https_port)
    : redirect_(redirect), host_(std::move(host)), https_port_(https_port) {
  listen_fd_ = ListenLoopback(&port_);
  if (listen_fd_ >= 0) thread_ = std::thread([this] { Loop(); });
}

HttpTestServer::~HttpTestServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void HttpTestServer::Loop() {
  BlockSigpipeInThisThread();
  while (!stop_.load()) {
    int fd = AcceptWithTimeout(listen_fd_);
    if (fd < 0) continue;
    std::string req;
    char buf[2048];
    while (req.find("\r\n\r\n") == std::string::npos && req.size() < 16384) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      req.append(buf, static_cast<size_t>(n));
    }
    std::string resp =
        redirect_
            ? "HTTP/1.1 301 Moved Permanently\r\nLocation: https://" + host_ + ":" +
                  std::to_string(https_port_) +
                  "/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            : std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    (void)!send(fd, resp.data(), resp.size(), MSG_NOSIGNAL);
    close(fd);
  }
}

ScriptedHttpServer::ScriptedHttpServer(int stall_ms) : stall_ms_(stall_ms) {
  listen_fd_ = ListenLoopback(&port_);
  if (listen_fd_ >= 0) thread_ = std::thread([this] { Loop(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void ScriptedHttpServer::Loop() {
  BlockSigpipeInThisThread();
  while (!stop_.load()) {
    int fd = AcceptWithTimeout(listen_fd_);
    if (fd < 0) continue;
    requests_.fetch_add(1);
    std::string req;
    char buf[2048];
    while (req.find("\r\n\r\n") == std::string::npos && req.size() < 16384) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      req.append(buf, static_cast<size_t>(n));
    }
    Mode m = mode_.load();
    if (m == Mode::kStall) std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms_));
    std::string resp =
        m == Mode::kError
            ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
    (void)!send(fd, resp.data(), resp.size(), MSG_NOSIGNAL);
    close(fd);
    completed_.fetch_add(1);
  }
}

}  // namespace gs::monitor::testing
