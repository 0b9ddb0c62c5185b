// Server TLS contexts and SNI selection (tls.h).
#include "gateway/tls.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>

#include "core/bytes.h"
#include "gateway/runtime.h"

namespace gs::gateway {
namespace {

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

int SniCallback(SSL* ssl, int* alert, void* arg) {
  const Runtime* rt = static_cast<const Runtime*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (!name) return SSL_TLSEXT_ERR_OK;  // no SNI: the default context
  std::string host(name);
  for (char& c : host)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  for (const auto& site : rt->sites()) {
    if (site->tls_ctx() && site->Matches(host)) {
      SSL_CTX* ctx = site->tls_ctx();
      SSL_set_SSL_CTX(ssl, ctx);
      // SSL_set_SSL_CTX swaps certificate and CA store but not the verify mode the SSL took
      // from the default context: the chosen site decides whether a client cert is asked for.
      SSL_set_verify(ssl, SSL_CTX_get_verify_mode(ctx), SSL_CTX_get_verify_callback(ctx));
      SSL_set_verify_depth(ssl, SSL_CTX_get_verify_depth(ctx));
      return SSL_TLSEXT_ERR_OK;
    }
  }
  return SSL_TLSEXT_ERR_OK;
}

// client_cert: request. Every chain is accepted at the handshake; SSL_get_verify_result keeps
// the verdict and FillClientCert only trusts certificates that verified.
int AcceptAndRecord(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) { return 1; }
// client_cert: require. OpenSSL's own verdict. (An explicit callback rather than nullptr:
// SSL_set_verify keeps the previous callback when given nullptr, which would leave the default
// context's AcceptAndRecord in place after SNI selects this site.)
int RequireVerified(int preverify_ok, X509_STORE_CTX* /*ctx*/) { return preverify_ok; }

void FreeSiteName(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/, long /*argl*/,
                  void* /*argp*/) {
  delete static_cast<std::string*>(ptr);
}

// Ex-data slot of an SSL_CTX holding the name (std::string*) it was made for.
int SiteNameIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeSiteName);
  return index;
}

}  // namespace

Result<SslCtxPtr> MakeServerContext(const std::string& cert_file, const std::string& key_file,
                                    const std::string& client_ca_file, bool require_client_cert,
                                    std::string_view id) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return InternalError("SSL_CTX_new: " + OpenSslError());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(
      ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // TLS 1.2: forward-secret AEAD suites only (TLS 1.3 suites are AEAD by definition).
  SSL_CTX_set_cipher_list(ctx.get(),
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                  SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert_file.c_str()) != 1)
    return InvalidArgumentError("tls.cert " + cert_file + ": " + OpenSslError());
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return InvalidArgumentError("tls.key " + key_file + ": " + OpenSslError());
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return InvalidArgumentError("tls.key " + key_file + " does not match " + cert_file);
  SSL_CTX_set_ex_data(ctx.get(), SiteNameIndex(), new std::string(id));
  // Sessions resume only on the context (site) that made them.
  unsigned char sid[EVP_MAX_MD_SIZE];
  unsigned int sid_len = 0;
  std::string sid_src = "govshield-site:" + std::string(id);
  EVP_Digest(sid_src.data(), sid_src.size(), sid, &sid_len, EVP_sha256(), nullptr);
  SSL_CTX_set_session_id_context(ctx.get(), sid, std::min(sid_len, 32u));
  if (!client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx.get(), client_ca_file.c_str(), nullptr) != 1)
      return InvalidArgumentError("tls.client_ca " + client_ca_file + ": " + OpenSslError());
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(client_ca_file.c_str());
    if (!names) {
      ERR_clear_error();
      return InvalidArgumentError("tls.client_ca " + client_ca_file +
                                  ": no PEM certificate in the file");
    }
    SSL_CTX_set_client_CA_list(ctx.get(), names);
    if (require_client_cert) {
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                         RequireVerified);
    } else {
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, AcceptAndRecord);
    }
    SSL_CTX_set_verify_depth(ctx.get(), 5);
  }
  return ctx;
}

void FillClientCert(SSL* ssl, ConnectionInfo* info) {
  if (const auto* name = static_cast<const std::string*>(
          SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), SiteNameIndex())))
    info->tls_site = *name;
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (!peer || !(SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) ||
      SSL_get_verify_result(ssl) != X509_V_OK)
    return;
  info->client_cert = true;
  X509_NAME* subject = X509_get_subject_name(peer);
  int at = subject ? X509_NAME_get_index_by_NID(subject, NID_commonName, -1) : -1;
  if (at >= 0) {
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at)));
    if (n >= 0) info->client_cert_cn.assign(reinterpret_cast<const char*>(utf8), size_t(n));
    OPENSSL_free(utf8);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(peer, EVP_sha256(), md, &len) == 1) info->client_cert_sha256 = HexEncode(md, len);
  ERR_clear_error();
}

void InstallSniCallback(SSL_CTX* default_ctx, const Runtime* rt) {
  SSL_CTX_set_tlsext_servername_callback(default_ctx, SniCallback);
  SSL_CTX_set_tlsext_servername_arg(default_ctx, const_cast<Runtime*>(rt));
}

}  // namespace gs::gateway
