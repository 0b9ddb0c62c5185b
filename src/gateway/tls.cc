// Server TLS contexts and SNI selection (tls.h).
#include "gateway/tls.h"

#include <openssl/err.h>

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
      SSL_set_SSL_CTX(ssl, site->tls_ctx());
      return SSL_TLSEXT_ERR_OK;
    }
  }
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

Result<SslCtxPtr> MakeServerContext(const std::string& cert_file, const std::string& key_file) {
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
  return ctx;
}

void InstallSniCallback(SSL_CTX* default_ctx, const Runtime* rt) {
  SSL_CTX_set_tlsext_servername_callback(default_ctx, SniCallback);
  SSL_CTX_set_tlsext_servername_arg(default_ctx, const_cast<Runtime*>(rt));
}

}  // namespace gs::gateway
