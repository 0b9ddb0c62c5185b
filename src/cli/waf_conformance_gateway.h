// `govshield waf conformance --suite crs --via-gateway`: the CRS 3.3.4 regression suite sent over
// the wire through a real gateway. The gateway service runs in this process with real sockets on
// loopback (one worker, the site's WAF loaded with CrsTestConfig), in front of a real echo
// backend (waf/conformance/echo_backend.h). Each stage's bytes (BuildFtwRequest) go on a fresh TCP
// connection, the answer is read with the response parser, and the stage is judged like the
// in-process run. The rules the WAF logged for the request come from the gateway's own audit
// records ("waf_match"/"block" carry the ids and the client port; "http_reject" says the strict
// parser refused the request), correlated by the stage connection's local port. As go-ftw does, a
// marker request after each stage tells when every record of the stage has been written.
#pragma once

#include <string>

#include "waf/conformance/crs.h"
#include "waf/conformance/suite.h"

namespace gs::cli {

struct ViaGatewayOptions {
  waf::conformance::CrsOptions crs;
  // How long a stage waits for an answer before it counts as "no answer" (go-ftw's read
  // timeout; the suite's expect_error cases need it: Apache waits for a body that never comes).
  int read_timeout_ms = 2000;
};

waf::conformance::SuiteReport RunCrsViaGateway(const ViaGatewayOptions& options);

}  // namespace gs::cli
