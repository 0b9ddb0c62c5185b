// gs::modsec_peer::ModsecPeer behind WafUnderTest (test-only); see the header.
#include "waf/conformance/modsec_peer_waf_test_util.h"

#include <unistd.h>

#include "tests/modsec_peer/modsec_peer.h"

namespace gs::waf::conformance {
namespace {

class ModsecPeerWaf : public WafUnderTest {
 public:
  std::string name() const override { return "libmodsecurity3 (modsec_peer)"; }

  Status Load(std::string_view seclang, std::string_view base_dir) override {
    peer_ = std::make_unique<modsec_peer::ModsecPeer>();
    // ModsecPeer resolves relative paths against the working directory, as libmodsecurity does.
    char old_cwd[4096];
    bool have_cwd = getcwd(old_cwd, sizeof old_cwd) != nullptr;
    if (!base_dir.empty() && chdir(std::string(base_dir).c_str()) != 0) {
      return InvalidArgumentError("cannot chdir to " + std::string(base_dir));
    }
    Status s = peer_->LoadText(seclang, "conformance.conf");
    if (have_cwd && chdir(old_cwd) != 0) {
      return InternalError("cannot return to the working directory");
    }
    if (!s.ok()) peer_.reset();
    return s;
  }

  Evaluation Evaluate(const Exchange& ex, const std::vector<std::string>& tx_names,
                      bool stop_at_disruption) override {
    Evaluation ev;
    if (!peer_) return ev;
    modsec_peer::PeerDetail detail;
    ev.outcome = peer_->Evaluate(ex, &detail);
    ev.logged_ids = detail.logged_rule_ids;
    ev.matched_ids = ev.outcome.matched_rule_ids;
    ev.error_log_lines = static_cast<int>(ev.logged_ids.size());
    return ev;
  }

 private:
  std::unique_ptr<modsec_peer::ModsecPeer> peer_;
};

}  // namespace

std::unique_ptr<WafUnderTest> NewModsecPeerWaf() { return std::make_unique<ModsecPeerWaf>(); }

}  // namespace gs::waf::conformance
