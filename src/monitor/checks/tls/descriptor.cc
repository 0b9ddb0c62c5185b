// Descriptor and configuration schema of the TLS / HTTPS check.
#include "monitor/check.h"

namespace gs::monitor {
namespace {

constexpr std::string_view kFindings[] = {
    "tls_handshake_failed",   "tls_legacy_protocol", "tls_no_modern_protocol",
    "tls_weak_cipher",        "tls_chain_invalid",   "tls_hostname_mismatch",
    "tls_cert_expired",       "tls_cert_expiring",   "tls_hsts_missing",
    "http_no_https_redirect", "tls_cert_changed",    "https_fetch_failed"};

constexpr ConfigField kTargetSchema[] = {
    {"host", FieldType::kString, "", "host name: SNI, certificate name match, Host header"},
    {"connect", FieldType::kString, "", "address to connect to (default: host)"},
    {"port", FieldType::kInt, "443", "HTTPS port"},
    {"ca_bundle", FieldType::kString, "", "PEM CA bundle for chain validation (default: system)"},
    {"http_port", FieldType::kInt, "0", "plain HTTP port for the redirect check (0 = skip)"},
    {"require_hsts", FieldType::kBool, "true", "report a missing Strict-Transport-Security"},
    {"path", FieldType::kString, "/", "path fetched for the HSTS and redirect checks"},
    {"timeout", FieldType::kDuration, "10s", "connect + handshake + fetch timeout"},
};

}  // namespace

const CheckDescriptor& TlsDescriptor() {
  static const CheckDescriptor kDescriptor{
      "tls",
      "tls",
      "TLS handshake, protocol versions and weak ciphers offered, chain and host-name "
      "validity, expiry (30/14/7 days), HSTS, HTTP to HTTPS redirect, certificate drift.",
      kFindings,
      kTargetSchema,
      {}};
  return kDescriptor;
}

}  // namespace gs::monitor
