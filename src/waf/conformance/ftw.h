// The CRS regression suite's test format (go-ftw YAML, CRS 3.3.4) and the three emulations the
// runner needs to judge a WAF on it in process, without sockets:
//   1. BuildFtwRequest: the exact bytes go-ftw puts on the wire for a stage (request line as
//      given, headers in file order, `data` with go-ftw's auto-completed Content-Type /
//      Content-Length / Connection unless `stop_magic`, raw and base64 `encoded_request` as is).
//   2. EmulateFrontServer: what the web server in front of ModSecurity in the CRS test setup
//      (Apache httpd 2.4, the server the suite's `status:` expectations were written for) does
//      with those bytes: refuse malformed ones with 400/405, wait forever on a short body (go-ftw
//      then sees an error), or hand a parsed request to the WAF (dechunked, as Apache does).
//   3. EmulateBackend: the echo backend behind it (status 200 and a JSON echo for the known
//      echo endpoints, 404 otherwise).
// JudgeFtwStage then applies the stage's `output` the way go-ftw does: `status` (one of a list),
// `log_contains` / `no_log_contains` (regexes over the error log, judged on the rule ids the WAF
// logged), `expect_error`.
//
// Everything here is pure and thread-safe; parse errors come back as Status, never exceptions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "waf/conformance/suite.h"
#include "waf/exchange.h"

namespace gs::waf::conformance {

struct FtwInput {
  std::string dest_addr = "localhost";
  int port = 80;
  std::string method = "GET";
  std::string uri = "/";
  std::string version = "HTTP/1.1";
  std::vector<std::pair<std::string, std::string>> headers;  // in file order
  bool has_data = false;
  std::string data;  // a YAML list of lines is joined with CRLF (as the Python ftw did)
  bool raw = false;  // raw_request / encoded_request: `raw_bytes` is sent as is
  std::string raw_bytes;
  bool stop_magic = false;  // no auto-completed headers
};

struct FtwOutput {
  std::vector<int> status;  // empty: not checked
  std::optional<std::string> log_contains;
  std::optional<std::string> no_log_contains;
  std::optional<std::string> response_contains;
  std::optional<bool> expect_error;
};

struct FtwStage {
  FtwInput input;
  FtwOutput output;
};

struct FtwTest {
  std::string file;   // path of the YAML file
  std::string title;  // test_title, e.g. "920100-2"
  bool enabled = true;
  std::vector<FtwStage> stages;
};

// Parses one go-ftw YAML document. Errors: INVALID_ARGUMENT naming file:line and the field.
Result<std::vector<FtwTest>> ParseFtwYaml(std::string_view text, std::string_view file_name);
// Every *.yaml under `dir` (recursively, sorted by path), parsed. Files that fail to parse are
// reported in `errors` and left out.
std::vector<FtwTest> LoadFtwDir(const std::string& dir, std::vector<std::string>* errors);

// The bytes go-ftw sends for `input` (see the file comment).
std::string BuildFtwRequest(const FtwInput& input);

struct FrontResult {
  enum class Kind : uint8_t {
    kForwarded,   // parsed; `exchange` goes to the WAF
    kRefused,     // the server answered `status` itself; the WAF never saw the request
    kNoResponse,  // the server waits (short body, unfinished head): go-ftw reports an error
  };
  Kind kind = Kind::kForwarded;
  int status = 0;
  std::string reason;  // why refused / no response
  Exchange exchange;
};

// Parses `wire` as the front server would. `server_ip`/`server_port` fill the connection.
FrontResult EmulateFrontServer(std::string_view wire, std::string_view server_ip, int server_port);

// Fills the response side of `exchange` as the echo backend would answer it.
void EmulateBackend(Exchange* exchange);

struct StageJudgement {
  bool pass = true;
  std::string klass;  // e.g. "missing expected id", "unexpected id", "status", "front refused"
  std::string reason;
};

// Judges one stage. `eval` is null when the WAF did not run (front refused / no response).
StageJudgement JudgeFtwStage(const FtwOutput& want, const FrontResult& front,
                             const Evaluation* eval);

// The ids a go-ftw log regex asks about, when it is the usual `id "NNN"` (or a bare number);
// empty when the pattern is something else (then it is matched as a regex against synthesized
// `[id "NNN"]` log lines).
std::vector<int64_t> FtwPatternIds(std::string_view pattern);

}  // namespace gs::waf::conformance
