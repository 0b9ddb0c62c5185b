// Fuzz target: one hostile HTTP exchange through the WAF engine with a rule set that exercises
// every body processor (chosen by Content-Type, JSON/XML via ctl), chains, captures, macros,
// multiMatch, counts, regex keys, setvar arithmetic and the literal prefilter.
// Input: line 1 "METHOD URI", then "Name: value" header lines, an empty line, the body.
// The engine must never crash or fail: malformed input only becomes flags and matches.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "waf/exchange.h"
#include "waf/waf.h"

namespace {

constexpr char kRules[] = R"RULES(SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecRequestBodyLimit 65536
SecArgumentsLimit 200
SecRule REQUEST_HEADERS:Content-Type "(?i)^application/json" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule REQUEST_HEADERS:Content-Type "(?i)xml" "id:2,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
SecAction "id:3,phase:1,pass,nolog,setvar:tx.score=0,setvar:tx.limit=5"
SecRule ARGS|ARGS_NAMES|REQUEST_COOKIES|XML:/* "@rx (?i)(union\s+select|<script)" "id:10,phase:2,pass,log,capture,t:none,t:urlDecodeUni,t:htmlEntityDecode,t:lowercase,msg:'%{MATCHED_VAR_NAME}=%{tx.0}',setvar:tx.score=+5"
SecRule ARGS "@detectSQLi" "id:11,phase:2,pass,log,t:none,multiMatch,t:urlDecode,setvar:tx.score=+3"
SecRule ARGS:/^json\./ "@pm passwd shadow" "id:12,phase:2,pass,log,t:none,t:lowercase,setvar:tx.score=+1"
SecRule &ARGS "@gt 50" "id:13,phase:2,pass,log"
SecRule REQBODY_ERROR "!@eq 0" "id:14,phase:2,pass,log,logdata:'%{reqbody_error_msg}'"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:15,phase:2,pass,log"
SecRule FILES|FILES_NAMES "@rx \.(php|jsp)$" "id:16,phase:2,pass,log,chain"
  SecRule REQUEST_METHOD "@streq POST" "setvar:tx.score=+2"
SecRule REQUEST_URI|REQUEST_FILENAME "@contains .." "id:17,phase:1,pass,log,t:none,t:normalizePath,skipAfter:END"
SecRule REQUEST_HEADERS:/^x-/ "@validateByteRange 32-126" "id:18,phase:1,pass,log"
SecMarker END
SecRule TX:/^sco/ "@ge %{tx.limit}" "id:19,phase:2,deny,status:403,msg:'score %{tx.score}'"
SecRule RESPONSE_BODY "@rx (?i)sql syntax" "id:20,phase:4,deny,status:502"
)RULES";

gs::waf::Engine& TheEngine() {
  static gs::waf::Engine* engine = [] {
    gs::waf::CompileReport r = gs::waf::CompileString(kRules, "fuzz.conf");
    if (!r.ok()) __builtin_trap();
    return new gs::waf::Engine(r.rules);
  }();
  return *engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  gs::waf::Exchange ex;
  size_t eol = in.find('\n');
  std::string_view line = in.substr(0, eol);
  size_t sp = line.find(' ');
  ex.method = std::string(line.substr(0, sp));
  ex.uri = sp == std::string_view::npos ? "/" : std::string(line.substr(sp + 1));
  in = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);
  while (!in.empty()) {
    eol = in.find('\n');
    line = in.substr(0, eol);
    in = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    ex.request_headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  ex.request_body = std::string(in);
  ex.response_status = 200;
  ex.response_headers = {{"Content-Type", "text/html"}};
  ex.response_body = ex.request_body.substr(0, 64);
  gs::waf::Outcome o = gs::waf::RunExchange(TheEngine(), ex);
  if (o.disruptive && o.status < 100) __builtin_trap();
  return 0;
}
