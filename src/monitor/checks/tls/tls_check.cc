// OpenSSL probes and libcurl fetches of the TLS check (see tls_check.h).
#include "monitor/checks/tls/tls_check.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "core/bytes.h"

namespace gs::monitor {
namespace {

constexpr char kFpKind[] = "tls_fp";
// Suites nobody should accept: no encryption, no authentication, export grade, single DES,
// 3DES (Sweet32), RC4, MD5 MACs. Those OpenSSL 3 still builds are what the probe can offer.
constexpr char kWeakCiphers[] = "eNULL:aNULL:EXPORT:DES:3DES:RC4:MD5:@SECLEVEL=0";

struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};

// OpenSSL writes to the socket with write(2); a peer that already closed (common when probing
// servers that dislike the offered version) would raise SIGPIPE and kill the process. Block it
// for this thread while the probe runs and swallow one raised meanwhile, without touching the
// process-wide disposition (the technique libpq and libcurl use).
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~ScopedSigpipeBlock() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{};
        sigtimedwait(&set_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t set_, old_;
  bool was_pending_ = false;
};

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Connects with a timeout; returns the fd (blocking, with send/receive timeouts) or -1.
int ConnectTcp(const std::string& host, uint16_t port, int64_t timeout_nanos, std::string* err) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* res = nullptr;
  std::string port_s = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), port_s.c_str(), &hints, &res);
  if (rc != 0) {
    *err = "resolve " + host + ": " + gai_strerror(rc);
    return -1;
  }
  int timeout_ms = static_cast<int>(timeout_nanos / 1'000'000);
  int fd = -1;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) continue;
    rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      if (poll(&p, 1, timeout_ms) == 1) {
        int soerr = 0;
        socklen_t len = sizeof soerr;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
        rc = soerr == 0 ? 0 : -1;
        if (soerr != 0) errno = soerr;
      } else {
        errno = ETIMEDOUT;
        rc = -1;
      }
    }
    if (rc == 0) break;
    *err = "connect " + host + ":" + port_s + ": " + std::strerror(errno);
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) return -1;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  timeval tv{};
  tv.tv_sec = timeout_nanos / 1'000'000'000;
  tv.tv_usec = (timeout_nanos % 1'000'000'000) / 1000;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

// Collects every chain error and lets the handshake continue: the check reports problems,
// it does not refuse to look at a broken server.
int CollectVerifyErrors(int preverify_ok, X509_STORE_CTX* store) {
  if (!preverify_ok) {
    SSL* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* errors = static_cast<std::vector<int>*>(SSL_get_app_data(ssl));
    if (errors != nullptr) errors->push_back(X509_STORE_CTX_get_error(store));
  }
  return 1;
}

std::string VersionName(int v) {
  switch (v) {
    case TLS1_VERSION:
      return "TLSv1.0";
    case TLS1_1_VERSION:
      return "TLSv1.1";
    case TLS1_2_VERSION:
      return "TLSv1.2";
    case TLS1_3_VERSION:
      return "TLSv1.3";
  }
  return "unknown";
}

// Strict-Transport-Security and Location from one header line ("Name: value\r\n").
void ParseHeaderLine(std::string_view line, std::string* hsts, std::string* location) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  if (name == "strict-transport-security") *hsts = std::string(value);
  if (name == "location") *location = std::string(value);
}

// GET cfg.path on an established TLS connection; reads the response head only.
void GetPageHead(SSL* ssl, const TlsTargetConfig& cfg, TlsHandshake* h) {
  std::string req = "GET " + cfg.path + " HTTP/1.1\r\nHost: " + cfg.host +
                    (cfg.port == 443 ? "" : ":" + std::to_string(cfg.port)) +
                    "\r\nUser-Agent: GovShield-Monitor/0.1\r\nAccept: */*\r\n"
                    "Connection: close\r\n\r\n";
  if (SSL_write(ssl, req.data(), static_cast<int>(req.size())) <= 0) {
    h->http_error = "sending the HTTPS request: " + OpenSslError();
    return;
  }
  std::string head;
  char buf[4096];
  size_t end = std::string::npos;
  while ((end = head.find("\r\n\r\n")) == std::string::npos && head.size() < (64u << 10)) {
    int n = SSL_read(ssl, buf, sizeof buf);
    if (n <= 0) break;
    head.append(buf, static_cast<size_t>(n));
  }
  if (end == std::string::npos || head.rfind("HTTP/1.", 0) != 0 || end < 12) {
    h->http_error =
        head.empty() ? "no HTTP response: " + OpenSslError() : "no complete HTTP response head";
    ERR_clear_error();
    return;
  }
  h->http_status = std::strtol(head.c_str() + 9, nullptr, 10);
  for (size_t i = head.find("\r\n") + 2; i < end;) {
    size_t eol = head.find("\r\n", i);
    ParseHeaderLine(std::string_view(head).substr(i, eol - i), &h->hsts, &h->location);
    i = eol + 2;
  }
  h->http_ok = true;
}

struct HttpResult {
  bool ok = false;
  std::string error;
  long status = 0;
  std::string location;
  std::string hsts;
};

size_t HeaderCallback(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<HttpResult*>(user);
  ParseHeaderLine(std::string_view(data, size * n), &r->hsts, &r->location);
  return size * n;
}

size_t DiscardBody(char*, size_t size, size_t n, void*) { return size * n; }

// The plain-HTTP page's first response (no redirects followed).
HttpResult HttpGet(const TlsTargetConfig& cfg) {
  HttpResult r;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    r.error = "curl_easy_init failed";
    return r;
  }
  const std::string port = std::to_string(cfg.http_port);
  std::string url = "http://" + cfg.host + ":" + port + cfg.path;
  curl_slist* connect_to = nullptr;
  if (cfg.connect != cfg.host) {
    connect_to = curl_slist_append(
        nullptr, (cfg.host + ":" + port + ":" + cfg.connect + ":" + port).c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to);
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg.timeout_nanos / 1'000'000));
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, HeaderCallback);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, DiscardBody);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE, 4L << 20);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "GovShield-Monitor/0.1");
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    r.ok = true;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  } else {
    r.error = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
  }
  curl_slist_free_all(connect_to);
  curl_easy_cleanup(curl);
  return r;
}

std::string X509NameString(X509_NAME* name) {
  if (name == nullptr) return "";
  char* s = X509_NAME_oneline(name, nullptr, 0);
  std::string out = s ? s : "";
  OPENSSL_free(s);
  return out;
}

}  // namespace

void InitTlsLibraries() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A configured client SSL_CTX per (CA bundle file as it is now, versions, ciphers, level).
// OpenSSL 3 makes SSL_CTX_new and loading a CA bundle cost far more than a handshake's own
// crypto; a round does five handshakes per target with a handful of distinct settings, so the
// contexts are built once and shared (SSL_new on a configured SSL_CTX is thread-safe). A
// rewritten bundle (other size or mtime) gets a new context.
std::shared_ptr<SSL_CTX> ClientContext(const std::string& ca_bundle, int min_version,
                                       int max_version, const char* ciphers, bool seclevel0,
                                       std::string* error) {
  struct stat st {};
  std::string key = ca_bundle + "|" + std::to_string(min_version) + "|" +
                    std::to_string(max_version) + "|" + (ciphers ? ciphers : "") + "|" +
                    (seclevel0 ? "0" : "d");
  if (!ca_bundle.empty() && stat(ca_bundle.c_str(), &st) == 0)
    key += "|" + std::to_string(st.st_size) + "|" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::shared_ptr<SSL_CTX>>();
  {
    std::lock_guard<std::mutex> l(mu);
    auto it = cache->find(key);
    if (it != cache->end()) return it->second;
  }
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  if (!ctx) {
    *error = "SSL_CTX_new: " + OpenSslError();
    return nullptr;
  }
  if (seclevel0) SSL_CTX_set_security_level(ctx.get(), 0);
  if (min_version) SSL_CTX_set_min_proto_version(ctx.get(), min_version);
  if (max_version) SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  if (ciphers != nullptr && SSL_CTX_set_cipher_list(ctx.get(), ciphers) != 1) {
    *error = "no usable ciphers in \"" + std::string(ciphers) + "\"";
    ERR_clear_error();
    return nullptr;
  }
  int loaded = ca_bundle.empty()
                   ? SSL_CTX_set_default_verify_paths(ctx.get())
                   : SSL_CTX_load_verify_locations(ctx.get(), ca_bundle.c_str(), nullptr);
  if (loaded != 1) {
    *error = "cannot load CA bundle " + ca_bundle + ": " + OpenSslError();
    return nullptr;
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, CollectVerifyErrors);
  std::lock_guard<std::mutex> l(mu);
  if (cache->size() > 256) cache->clear();  // bounded: settings x bundles seen recently
  return cache->emplace(key, ctx).first->second;
}

TlsHandshake TlsConnect(const TlsTargetConfig& cfg, int min_version, int max_version,
                        const char* ciphers, bool seclevel0, bool get_page) {
  TlsHandshake h;
  ScopedSigpipeBlock no_sigpipe;
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> ctx =
      ClientContext(cfg.ca_bundle, min_version, max_version, ciphers, seclevel0, &h.error);
  if (!ctx) return h;
  int fd = ConnectTcp(cfg.connect, cfg.port, cfg.timeout_nanos, &h.error);
  if (fd < 0) return h;
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  if (!ssl) {
    close(fd);
    h.error = "SSL_new: " + OpenSslError();
    return h;
  }
  SSL_set_fd(ssl.get(), fd);
  SSL_set_app_data(ssl.get(), &h.verify_errors);
  SSL_set_tlsext_host_name(ssl.get(), cfg.host.c_str());
  if (SSL_connect(ssl.get()) == 1) {
    h.ok = true;
    h.protocol = SSL_get_version(ssl.get());
    h.version = SSL_version(ssl.get());
    h.cipher = SSL_get_cipher_name(ssl.get());
    std::unique_ptr<X509, X509Deleter> leaf(SSL_get1_peer_certificate(ssl.get()));
    if (leaf) {
      int len = i2d_X509(leaf.get(), nullptr);
      if (len > 0) {
        h.leaf_der.resize(static_cast<size_t>(len));
        auto* p = reinterpret_cast<unsigned char*>(h.leaf_der.data());
        i2d_X509(leaf.get(), &p);
      }
    }
    if (get_page) GetPageHead(ssl.get(), cfg, &h);
    SSL_shutdown(ssl.get());
  } else {
    h.error = "TLS handshake with " + cfg.connect + ":" + std::to_string(cfg.port) + ": " +
              OpenSslError();
  }
  SSL_set_app_data(ssl.get(), nullptr);
  ssl.reset();
  close(fd);
  return h;
}

Result<std::vector<Finding>> TlsCheck::Run(const TargetConfig& target) {
  std::vector<Finding> out;
  const TlsTargetConfig& cfg = target.tls;
  if (!cfg.enabled) return out;
  const std::string subject = cfg.host + ":" + std::to_string(cfg.port);
  auto add = [&](const char* check, Severity sev, std::string summary, nlohmann::json ev) {
    out.push_back(Finding{check, target.name, subject, sev, std::move(summary), std::move(ev)});
  };

  // 1. One full handshake offering every version: the server's highest protocol, its
  //    certificate and chain, and (step 5) the page's headers on the same connection.
  TlsHandshake best = TlsConnect(cfg, TLS1_VERSION, TLS1_3_VERSION, "ALL:@SECLEVEL=0",
                                 /*seclevel0=*/true, /*get_page=*/cfg.require_hsts);
  if (!best.ok) {
    add("tls_handshake_failed", Severity::kCritical, "no TLS handshake succeeded with " + subject,
        {{"error", best.error}});
  } else {
    // Which lower versions does it still accept? Nothing above the negotiated one (it was
    // offered). One probe offers TLS 1.0-1.1 together; only if the server takes it are the
    // versions probed one by one (and TLS 1.2) so the evidence lists exactly what is accepted.
    const int top = best.version;
    std::vector<int> offered_v = {top};
    auto accepts = [&](int lo, int hi) {
      return TlsConnect(cfg, lo, hi, "ALL:@SECLEVEL=0", /*seclevel0=*/true).ok;
    };
    const int legacy_hi = std::min(TLS1_1_VERSION, top - 1);
    if (legacy_hi >= TLS1_VERSION && accepts(TLS1_VERSION, legacy_hi)) {
      for (int v = TLS1_VERSION; v <= legacy_hi; ++v)
        if (legacy_hi == TLS1_VERSION || accepts(v, v)) offered_v.push_back(v);
      if (top == TLS1_3_VERSION && accepts(TLS1_2_VERSION, TLS1_2_VERSION))
        offered_v.push_back(TLS1_2_VERSION);
    }
    std::sort(offered_v.begin(), offered_v.end());
    std::vector<std::string> offered;
    for (int v : offered_v) offered.push_back(VersionName(v));
    bool legacy = offered_v.front() <= TLS1_1_VERSION;
    bool modern = offered_v.back() >= TLS1_2_VERSION;
    if (legacy)
      add("tls_legacy_protocol", Severity::kMedium, subject + " accepts TLS 1.0/1.1",
          {{"offered", offered}});
    if (!modern)
      add("tls_no_modern_protocol", Severity::kHigh, subject + " accepts neither TLS 1.2 nor 1.3",
          {{"offered", offered}});

    // 2. Weak cipher suites (TLS <= 1.2; TLS 1.3 has no weak suites).
    TlsHandshake weak = TlsConnect(cfg, TLS1_VERSION, TLS1_2_VERSION, kWeakCiphers, true);
    if (weak.ok)
      add("tls_weak_cipher", Severity::kHigh, subject + " accepts weak cipher " + weak.cipher,
          {{"cipher", weak.cipher}, {"protocol", weak.protocol}});

    // 3. The certificate.
    const auto* p = reinterpret_cast<const unsigned char*>(best.leaf_der.data());
    std::unique_ptr<X509, X509Deleter> leaf(
        best.leaf_der.empty() ? nullptr
                              : d2i_X509(nullptr, &p, static_cast<long>(best.leaf_der.size())));
    if (!leaf) {
      add("tls_chain_invalid", Severity::kHigh, subject + " sent no parsable certificate", {});
    } else {
      std::string subj = X509NameString(X509_get_subject_name(leaf.get()));
      std::string issuer = X509NameString(X509_get_issuer_name(leaf.get()));
      std::vector<std::string> chain_errors;
      for (int e : best.verify_errors) {
        if (e == X509_V_ERR_CERT_HAS_EXPIRED || e == X509_V_ERR_CERT_NOT_YET_VALID) continue;
        chain_errors.push_back(X509_verify_cert_error_string(e));
      }
      if (!chain_errors.empty())
        add("tls_chain_invalid", Severity::kHigh,
            "certificate chain of " + subject + " does not verify",
            {{"errors", chain_errors}, {"subject", subj}, {"issuer", issuer}});
      if (X509_check_host(leaf.get(), cfg.host.c_str(), cfg.host.size(), 0, nullptr) != 1)
        add("tls_hostname_mismatch", Severity::kHigh,
            "certificate of " + subject + " is not valid for " + cfg.host,
            {{"host", cfg.host}, {"subject", subj}});
      // Expiry against the injected clock.
      int day = 0, sec = 0;
      time_t now_s = static_cast<time_t>(clock_.Now() / 1'000'000'000);
      std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> now_asn1(ASN1_TIME_set(nullptr, now_s),
                                                                     ASN1_TIME_free);
      const ASN1_TIME* not_after = X509_get0_notAfter(leaf.get());
      if (now_asn1 && ASN1_TIME_diff(&day, &sec, now_asn1.get(), not_after) == 1) {
        double days_left = day + sec / 86400.0;
        char buf[64] = {0};
        std::tm tm{};
        ASN1_TIME_to_tm(not_after, &tm);
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        nlohmann::json ev = {{"not_after", buf}, {"days_left", days_left}, {"subject", subj}};
        if (day < 0 || (day == 0 && sec <= 0)) {
          add("tls_cert_expired", Severity::kCritical, "certificate of " + subject + " expired",
              ev);
        } else {
          std::vector<int> marks = cfg.expiry_warn_days;
          std::sort(marks.begin(), marks.end());  // ascending: the tightest mark wins
          for (size_t i = 0; i < marks.size(); ++i) {
            if (days_left <= marks[i]) {
              Severity sev =
                  i == 0 ? Severity::kHigh : (i == 1 ? Severity::kMedium : Severity::kLow);
              ev["warn_days"] = marks[i];
              add("tls_cert_expiring", sev,
                  "certificate of " + subject + " expires within " + std::to_string(marks[i]) +
                      " days",
                  ev);
              break;
            }
          }
        }
      }
      // 4. Drift: the leaf fingerprint against the accepted one (trust on first use).
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int md_len = 0;
      X509_digest(leaf.get(), EVP_sha256(), md, &md_len);
      std::string fp = HexEncode(std::string_view(reinterpret_cast<const char*>(md), md_len));
      GS_ASSIGN_OR_RETURN(auto base, state_->GetBaseline(kFpKind, target.name, cfg.host));
      if (!base) {
        GS_RETURN_IF_ERROR(state_->PutBaseline(kFpKind, target.name, cfg.host, fp, clock_.Now()));
      } else if (*base != fp) {
        add("tls_cert_changed", Severity::kMedium, "certificate of " + subject + " changed",
            {{"baseline_sha256", *base}, {"sha256", fp}, {"subject", subj}, {"issuer", issuer}});
      }
    }

    // 5. HSTS on the HTTPS response (read on the handshake's connection).
    if (cfg.require_hsts) {
      if (!best.http_ok) {
        add("https_fetch_failed", Severity::kMedium, "cannot fetch https://" + subject + cfg.path,
            {{"error", best.http_error}});
      } else {
        long max_age = -1;
        std::string v = best.hsts;
        for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t pos = v.find("max-age=");
        if (pos != std::string::npos) max_age = std::strtol(v.c_str() + pos + 8, nullptr, 10);
        if (max_age <= 0)
          add("tls_hsts_missing", Severity::kMedium,
              subject + " sends no Strict-Transport-Security",
              {{"status", best.http_status}, {"header", best.hsts}});
      }
    }
  }

  // 6. Plain HTTP must redirect to HTTPS. A closed HTTP port is fine (nothing to downgrade to).
  if (cfg.http_port != 0) {
    HttpResult r = HttpGet(cfg);
    bool redirect = r.ok &&
                    (r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 ||
                     r.status == 308) &&
                    r.location.rfind("https://", 0) == 0;
    if (r.ok && !redirect)
      add("http_no_https_redirect", Severity::kMedium,
          "http://" + cfg.host + ":" + std::to_string(cfg.http_port) +
              " does not redirect to HTTPS",
          {{"status", r.status}, {"location", r.location}});
  }
  return out;
}

Result<int> TlsCheck::Accept(const TargetConfig& target) {
  const TlsTargetConfig& cfg = target.tls;
  if (!cfg.enabled) return 0;
  TlsHandshake h = TlsConnect(cfg, TLS1_VERSION, 0, "ALL:@SECLEVEL=0", true);
  if (!h.ok || h.leaf_der.empty())
    return UnavailableError("cannot accept TLS of " + target.name + ": " + h.error);
  const auto* p = reinterpret_cast<const unsigned char*>(h.leaf_der.data());
  std::unique_ptr<X509, X509Deleter> leaf(
      d2i_X509(nullptr, &p, static_cast<long>(h.leaf_der.size())));
  if (!leaf) return UnavailableError("cannot parse certificate of " + target.name);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  X509_digest(leaf.get(), EVP_sha256(), md, &md_len);
  std::string fp = HexEncode(std::string_view(reinterpret_cast<const char*>(md), md_len));
  GS_RETURN_IF_ERROR(state_->PutBaseline(kFpKind, target.name, cfg.host, fp, clock_.Now()));
  return 1;
}

}  // namespace gs::monitor
