// libmodsecurity3 behind WafUnderTest (test-only). Uses the C API for the call sequence and
// the C++ API only to read TX variables (captures), which the C API does not expose.
#include "waf/conformance/msc_driver_test_util.h"

#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <string>

namespace gs::waf::conformance {
namespace {

namespace msc = modsecurity;

struct TxLog {
  std::vector<int64_t> ids;
  int lines = 0;
};

void LogCallback(void* data, const void* msg) {
  if (!data || !msg) return;
  auto* log = static_cast<TxLog*>(data);
  std::string_view line(static_cast<const char*>(msg));
  ++log->lines;
  size_t p = line.find("[id \"");
  if (p == std::string_view::npos) return;
  p += 5;
  int64_t id = 0;
  bool any = false;
  while (p < line.size() && line[p] >= '0' && line[p] <= '9') {
    id = id * 10 + (line[p++] - '0');
    any = true;
  }
  if (any) log->ids.push_back(id);
}

class MscWaf : public WafUnderTest {
 public:
  MscWaf() {
    msc_ = msc::msc_init();
    msc::msc_set_connector_info(msc_, "govshield-conformance");
    msc::msc_set_log_cb(msc_, LogCallback);
  }
  ~MscWaf() override {
    if (rules_) msc::msc_rules_cleanup(rules_);
    msc::msc_cleanup(msc_);
  }
  std::string name() const override { return "libmodsecurity3"; }

  Status Load(std::string_view seclang, std::string_view base_dir) override {
    if (rules_) msc::msc_rules_cleanup(rules_);
    rules_ = msc::msc_create_rules_set();
    // libmodsecurity resolves relative Include/@pmFromFile paths against the working directory.
    char old_cwd[4096];
    bool have_cwd = getcwd(old_cwd, sizeof old_cwd) != nullptr;
    if (!base_dir.empty() && chdir(std::string(base_dir).c_str()) != 0) {
      return InvalidArgumentError("cannot chdir to " + std::string(base_dir));
    }
    const char* error = nullptr;
    std::string text(seclang);
    int r = msc::msc_rules_add(rules_, text.c_str(), &error);
    if (have_cwd && chdir(old_cwd) != 0) {
      // best effort; the suites use absolute paths after loading
    }
    if (r < 0) {
      std::string msg = error ? error : "unknown error";
      std::free(const_cast<char*>(error));
      msc::msc_rules_cleanup(rules_);
      rules_ = nullptr;
      return InvalidArgumentError(msg);
    }
    return Status::Ok();
  }

  Evaluation Evaluate(const Exchange& ex, const std::vector<std::string>& tx_names,
                      bool stop_at_disruption) override {
    Evaluation ev;
    if (!rules_) return ev;
    TxLog log;
    msc::Transaction* t = msc::msc_new_transaction(msc_, rules_, &log);
    bool stopped = false;
    int harness_status = 200;
    auto check = [&](int phase) {
      msc::ModSecurityIntervention it;
      it.status = 200;
      it.pause = 0;
      it.url = nullptr;
      it.log = nullptr;
      it.disruptive = 0;
      int r = msc::msc_intervention(t, &it);
      if (r > 0) {
        if (it.status != 0) harness_status = it.status;
        if (it.url) ev.outcome.redirect_url = it.url;
        if (it.disruptive && !ev.outcome.disruptive) {
          ev.outcome.disruptive = true;
          ev.outcome.status = it.status;
          ev.outcome.decided_in_phase = phase;
          stopped = stop_at_disruption;
        }
      }
      if (r > 0 && it.log) ++log.lines;
      std::free(it.url);
      std::free(it.log);
    };
    msc::msc_process_connection(t, ex.client_ip.c_str(), ex.client_port, ex.server_ip.c_str(),
                                ex.server_port);
    check(0);
    if (!stopped) {
      msc::msc_process_uri(t, ex.uri.c_str(), ex.method.c_str(), ex.http_version.c_str());
      for (const auto& [k, v] : ex.request_headers) {
        msc::msc_add_n_request_header(t, reinterpret_cast<const unsigned char*>(k.data()), k.size(),
                                      reinterpret_cast<const unsigned char*>(v.data()), v.size());
      }
      msc::msc_process_request_headers(t);
      check(1);
    }
    if (!stopped) {
      if (!ex.request_body.empty()) {
        msc::msc_append_request_body(t,
                                     reinterpret_cast<const unsigned char*>(ex.request_body.data()),
                                     ex.request_body.size());
      }
      msc::msc_process_request_body(t);
      check(2);
    }
    bool response_side = stop_at_disruption ? (!stopped && ex.response_status != 0) : true;
    if (response_side) {
      for (const auto& [k, v] : ex.response_headers) {
        msc::msc_add_n_response_header(t, reinterpret_cast<const unsigned char*>(k.data()),
                                       k.size(), reinterpret_cast<const unsigned char*>(v.data()),
                                       v.size());
      }
      int status = stop_at_disruption ? ex.response_status : harness_status;
      msc::msc_process_response_headers(t, status, ex.response_protocol.c_str());
      check(3);
      if (!stopped) {
        if (!ex.response_body.empty()) {
          msc::msc_append_response_body(
              t, reinterpret_cast<const unsigned char*>(ex.response_body.data()),
              ex.response_body.size());
        }
        msc::msc_process_response_body(t);
        check(4);
      }
    }
    msc::msc_process_logging(t);
    if (!stop_at_disruption) {
      ev.outcome.status = harness_status;
    } else if (!ev.outcome.disruptive) {
      ev.outcome.status = ex.response_status != 0 ? ex.response_status : 200;
    }
    for (const std::string& name : tx_names) {
      auto v = t->m_collections.m_tx_collection->resolveFirst(name);
      if (v) ev.tx[name] = *v;
    }
    ev.logged_ids = log.ids;
    ev.error_log_lines = log.lines;
    ev.matched_ids = log.ids;  // the C API reports logged matches only
    ev.outcome.matched_rule_ids = log.ids;
    msc::msc_transaction_cleanup(t);
    return ev;
  }

 private:
  msc::ModSecurity* msc_ = nullptr;
  msc::RulesSet* rules_ = nullptr;
};

}  // namespace

std::unique_ptr<WafUnderTest> NewLibModsecurityWaf() { return std::make_unique<MscWaf>(); }

}  // namespace gs::waf::conformance
