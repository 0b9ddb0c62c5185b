// The TLS / HTTPS check: per target with a `tls` section, one full handshake offering TLS 1.0
// to 1.3 gives the highest protocol the server speaks, the certificate and chain, and on the
// same connection the page's headers (Strict-Transport-Security). Then only what that cannot
// tell: one probe offering TLS 1.0-1.1 (each version alone, and TLS 1.2, only when the server
// accepts it, for the evidence), and a list of weak cipher suites. It validates the chain
// against the configured CA bundle and the host name against the certificate, warns at 30/14/7
// days before expiry, checks the plain-HTTP port redirects to HTTPS, and compares the leaf
// certificate's SHA-256 fingerprint with the accepted baseline.
//
// Version and weak-cipher probes run at OpenSSL security level 0: Debian's OpenSSL 3 (level 2
// by default) refuses to even offer TLS 1.0/1.1 or NULL/3DES suites, so a default client would
// report "handshake failed" instead of the useful "server still accepts TLS 1.0". The level
// only widens what the probe offers; the verdicts do not depend on it.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "monitor/config.h"
#include "monitor/finding.h"
#include "monitor/state_store.h"

namespace gs::monitor {

// Global init of libcurl (once per process, thread-safe). Monitor::Create calls it.
void InitTlsLibraries();

// Result of one TLS handshake attempt.
struct TlsHandshake {
  bool ok = false;
  std::string error;     // why it failed
  std::string protocol;  // "TLSv1.3"
  int version = 0;       // TLS1_3_VERSION
  std::string cipher;
  std::string leaf_der;            // peer certificate, DER
  std::vector<int> verify_errors;  // X509_V_ERR_* seen while verifying the chain
  // With `get_page`: GET cfg.path on the handshake's own connection, response head only.
  bool http_ok = false;
  std::string http_error;
  long http_status = 0;
  std::string hsts;      // Strict-Transport-Security value, "" if absent
  std::string location;  // Location value
};

// One handshake with `min_version`..`max_version` (TLS1_VERSION etc.; 0 = library default)
// and OpenSSL cipher string `ciphers` (nullptr = default); with `get_page`, then one HTTP
// request for cfg.path on that connection. Never throws; network errors are in the result.
TlsHandshake TlsConnect(const TlsTargetConfig& cfg, int min_version, int max_version,
                        const char* ciphers, bool seclevel0, bool get_page = false);

class TlsCheck {
 public:
  TlsCheck(StateStore* state, const TimeSource& clock) : state_(state), clock_(clock) {}

  // One round for `target` (no-op without a tls section). Error status only for state failures.
  Result<std::vector<Finding>> Run(const TargetConfig& target);
  // Records the current leaf fingerprint as accepted. UNAVAILABLE if no handshake succeeds.
  Result<int> Accept(const TargetConfig& target);

 private:
  StateStore* state_;
  const TimeSource& clock_;
};

}  // namespace gs::monitor
