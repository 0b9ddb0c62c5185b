// One HTTP exchange as plain data, and the standard way to drive a Transaction with it.
//
// The conformance runners (CRS go-ftw, ModSecurity regression), the differential test against
// libmodsecurity3 and the benchmarks all describe their inputs as Exchanges and judge Outcomes,
// so every harness feeds our engine and the peer identically.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gs::waf {

class Engine;

struct Exchange {
  std::string client_ip = "127.0.0.1";
  int client_port = 40000;
  std::string server_ip = "127.0.0.1";
  int server_port = 80;
  std::string method = "GET";
  std::string uri = "/";  // as sent on the request line
  std::string http_version = "1.1";
  std::vector<std::pair<std::string, std::string>> request_headers;  // in order, as sent
  std::string request_body;
  // Response side (phases 3/4). When response_status is 0 the response phases are skipped.
  int response_status = 0;
  std::string response_protocol = "HTTP/1.1";
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;
};

struct Outcome {
  bool disruptive = false;  // deny / drop / redirect
  int status = 200;         // intervention status, or the response status when none
  std::string redirect_url;
  int64_t deciding_rule_id = 0;
  int decided_in_phase = 0;
  std::vector<int64_t> matched_rule_ids;  // every matched rule (chain head), in match order
  std::vector<std::string> log_lines;     // ModSecurity-style line per logged matched rule
};

// Runs every phase for `exchange` on a new transaction of `engine`, stopping the request side
// at the first disruptive intervention as a server would (phase 5 always runs).
Outcome RunExchange(Engine& engine, const Exchange& exchange);

}  // namespace gs::waf
