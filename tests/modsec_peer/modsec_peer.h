// libmodsecurity3 (v3.0.9) driven with our Exchange/Outcome types: the reference peer for the
// differential test and the WAF benchmark. Test/bench-only: govshield itself never links
// libmodsecurity.
//
// Matched rule ids. ModSecurity's Transaction::m_rulesMessages lists only rules that log
// (a `nolog` rule never gets there, nor a SecAction without msg), and the server-log callback
// sees even fewer (not the disruptive one). To list EVERY matched rule, like our
// Transaction::matched_rule_ids(), Load() appends one extra run-time action (a "recorder") to
// each top-level rule after parsing. ModSecurity runs a rule's run-time-if-match actions exactly
// once per full match (for a chain: on the head, after the whole chain matched; for SecAction:
// always when reached), so the recorder sees each match in match order, including nolog rules,
// rules removed from logging by ctl, and multiMatch rules (once per rule evaluation). The
// messages list is kept as well (`logged_rule_ids`, `log_lines`).
//
// Flow mirrors gs::waf::RunExchange (waf/exchange.h): connection, URI, request headers
// (phase 1), request body (phase 2) — stopping the request side at the first disruptive
// intervention — then response headers/body (phases 3/4) only when the exchange has a response
// and nothing disrupted, and phase 5 always.
//
// Thread-safety: Load() once, then Evaluate() may run concurrently from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "waf/exchange.h"

namespace gs::modsec_peer {

// The CRS 3.3.4 configuration as Debian 12 ships it, switched to blocking, as SecLang text that
// both engines compile: /etc/nginx/modsecurity.conf (SecRuleEngine On, audit log off, unicode
// map by absolute path), crs-setup.conf, then `SecAction id:900000 ... setvar:
// tx.paranoia_level=N` in crs-setup.conf style (before the rules, so 901120 keeps it), the two
// Debian exclusion files and rules/*.conf. `paranoia_level` is 1..4.
std::string CrsConfigText(int paranoia_level);

// What Evaluate() saw besides the Outcome.
struct PeerDetail {
  std::vector<int64_t> logged_rule_ids;  // from m_rulesMessages, in order (may repeat)
};

struct PeerOptions {
  // true: take the intervention after every step with Transaction::intervention(), as the nginx
  // connector does (libmodsecurity then resets it). false: only peek at it
  // (Transaction::m_it), as a harness that never takes it. Either way 3.0.9 runs every phase-5
  // rule after a deny (tested); the option exists to show exactly that.
  bool take_intervention = true;
};

class ModsecPeer {
 public:
  explicit ModsecPeer(PeerOptions options = {});
  ~ModsecPeer();
  ModsecPeer(const ModsecPeer&) = delete;
  ModsecPeer& operator=(const ModsecPeer&) = delete;

  // Adds rules; may be called several times before the first Evaluate(). Errors carry
  // ModSecurity's parser message. `reference` names the text in errors; relative Include
  // paths resolve against the process working directory (as libmodsecurity does).
  Status LoadFiles(const std::vector<std::string>& paths);
  Status LoadText(std::string_view text, std::string_view reference = "<text>");

  // Runs the exchange through a fresh ModSecurity transaction. Never fails: a request that
  // ModSecurity cannot process is what it is (the outcome says what happened).
  gs::waf::Outcome Evaluate(const gs::waf::Exchange& exchange, PeerDetail* detail = nullptr);

  // Ids of the top-level rules of SecLang phase 1..5, in rule-set order.
  std::vector<int64_t> PhaseRuleIds(int phase) const;

  // Process-wide, lazily built peer with CrsConfigText(pl); built once per level and reused
  // (loading CRS takes ~0.5 s). Dies with a message when CRS fails to load (test setup bug).
  static ModsecPeer& SharedCrs(int paranoia_level);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// "ModSecurity v3.0.9 (Linux)" as the library reports itself.
std::string ModsecVersion();

}  // namespace gs::modsec_peer
