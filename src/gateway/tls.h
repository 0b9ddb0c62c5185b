// TLS for the gateway's client side (OpenSSL 3): one server SSL_CTX per site with a certificate,
// selected by SNI, TLS 1.2 and 1.3 only, modern AEAD cipher suites, no compression, no
// renegotiation. Built as part of the Runtime, so a reload (SIGHUP / gateway reload) loads new
// certificate files without a restart; connections keep the context they started with.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "gateway/filter.h"

namespace gs::gateway {

class Runtime;

struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

// A server context for `cert_file` (PEM chain) and `key_file`. INVALID_ARGUMENT naming the file
// when it cannot be read or the key does not match the certificate.
// With `client_ca_file` (mTLS) clients are asked for a certificate issued by that CA; the
// handshake fails without a verified one only when `require_client_cert`, otherwise the verdict
// is read after the handshake (FillClientCert) and policies decide. `id` names the context for
// TLS session resumption (sessions of one site are not resumed on another).
Result<SslCtxPtr> MakeServerContext(const std::string& cert_file, const std::string& key_file,
                                    const std::string& client_ca_file = "",
                                    bool require_client_cert = false, std::string_view id = "");

// After a completed handshake: whether the client presented a certificate that verified against
// the site's client_ca, its subject CN and SHA-256 fingerprint (lower-case hex).
void FillClientCert(SSL* ssl, ConnectionInfo* info);

// Installs the SNI callback on `default_ctx`: the callback picks the context of the first site of
// `rt` whose server_names match the requested name (the default context otherwise). `rt` must
// outlive the context (both live in the same Runtime).
void InstallSniCallback(SSL_CTX* default_ctx, const Runtime* rt);

}  // namespace gs::gateway
