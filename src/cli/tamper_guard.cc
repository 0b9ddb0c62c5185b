// tamper::ServeChecker as the gateway's ContentGuard (tamper_guard.h).
#include "cli/tamper_guard.h"

#include <climits>
#include <cstdlib>
#include <map>
#include <mutex>

#include "crypto/crypto.h"
#include "platform/file.h"
#include "tamper/manifest.h"
#include "tamper/serve_check.h"
#include "tamper/vault.h"

namespace gs::cli {
namespace {

using gateway::GuardedFile;
using gateway::GuardVerdict;
using tamper::ServeVerdict;

class ServeCheckGuard final : public gateway::ContentGuard {
 public:
  ServeCheckGuard(std::unique_ptr<tamper::ServeChecker> checker, tamper::Vault vault,
                  crypto::Sm2PublicKey pubkey)
      : checker_(std::move(checker)), vault_(std::move(vault)), pubkey_(std::move(pubkey)) {}

  GuardedFile Fetch(std::string_view rel) override {
    tamper::ServeResult r = checker_->Fetch(rel);
    GuardedFile f;
    f.body = std::move(r.body);
    if (r.expected) f.etag = crypto::DigestHex(*r.expected);
    f.error = std::move(r.error);
    switch (r.verdict) {
      case ServeVerdict::kIntact:
        f.verdict = GuardVerdict::kIntact;
        break;
      case ServeVerdict::kFromVault:
        f.verdict = GuardVerdict::kRestored;
        break;
      case ServeVerdict::kBlocked:
        f.verdict = GuardVerdict::kBlocked;
        break;
      case ServeVerdict::kNotInBaseline:
        f.verdict = GuardVerdict::kNotInBaseline;
        break;
      case ServeVerdict::kExcluded:
        f.verdict = GuardVerdict::kUnprotected;
        break;
      case ServeVerdict::kError:
        f.verdict = r.too_large ? GuardVerdict::kTooLarge : GuardVerdict::kError;
        break;
    }
    return f;
  }

  void AppendMetrics(std::string_view site, std::string* out) const override {
    const tamper::ServeCheckStats& s = checker_->stats();
    std::string label = "{site=\"" + std::string(site) + "\"} ";
    auto line = [&](std::string_view name, uint64_t v) {
      *out += "gs_gateway_serve_check_";
      *out += name;
      *out += label + std::to_string(v) + "\n";
    };
    line("requests_total", s.requests.load());
    line("cache_hits_total", s.cache_hits.load());
    line("hashed_total", s.hashed.load());
    line("tampered_total", s.tampered.load());
    line("manifest_version", checker_->manifest_version());
  }

  // Picks up the vault's current manifest if it is a newer version than the one in use.
  Status Refresh(const std::string& root) {
    GS_ASSIGN_OR_RETURN(std::string text, vault_.ReadCurrentManifest());
    auto m = tamper::ParseSignedManifest(text, pubkey_);
    if (!m.ok())
      return DataLossError("baseline in " + vault_.dir() +
                           " rejected: " + std::string(m.status().message()));
    char real[PATH_MAX];
    if (!::realpath(root.c_str(), real)) return NotFoundError("web root " + root + " not found");
    if (m->site_root != real)
      return FailedPreconditionError("the vault's current baseline was made for another root");
    if (m->version != checker_->manifest_version()) checker_->ReplaceManifest(std::move(*m));
    return Status::Ok();
  }

 private:
  std::unique_ptr<tamper::ServeChecker> checker_;
  tamper::Vault vault_;  // to read published manifests (the checker has its own handle)
  crypto::Sm2PublicKey pubkey_;
};

std::string GuardKey(const config::GatewayTamperSection& t) {
  std::string k;
  for (const std::string& part :
       {t.root.string(), t.vault.string(), t.pubkey.string(),
        t.vault_key ? t.vault_key->string() : std::string("-"),
        std::to_string(static_cast<int>(t.on_mismatch)), std::to_string(t.cache.bytes),
        std::to_string(t.max_file.bytes)}) {
    k += part;
    k += '\0';
  }
  return k;
}

Result<std::shared_ptr<ServeCheckGuard>> OpenGuard(const config::GatewayTamperSection& t,
                                                   audit::RecordSink* sink) {
  auto pub = crypto::LoadSm2PublicKey(t.pubkey.string());
  if (!pub.ok())
    return InvalidArgumentError("pubkey " + t.pubkey.string() + ": " +
                                std::string(pub.status().message()));
  std::optional<std::string> key;
  if (t.vault_key) {
    auto k = tamper::LoadVaultKey(t.vault_key->string());
    if (!k.ok())
      return InvalidArgumentError("vault_key " + t.vault_key->string() + ": " +
                                  std::string(k.status().message()));
    key = std::move(*k);
  }
  tamper::ServeCheckOptions o;
  o.serve_vault_copy = t.on_mismatch == config::TamperMismatchAction::kVault;
  o.cache_bytes = t.cache.bytes;
  o.max_file_bytes = t.max_file.bytes;
  o.sink = sink;
  GS_ASSIGN_OR_RETURN(auto checker, tamper::ServeChecker::OpenSite(t.root.string(),
                                                                   t.vault.string(), *pub, key, o));
  GS_ASSIGN_OR_RETURN(tamper::Vault vault, tamper::Vault::Open(t.vault.string(), key));
  return std::make_shared<ServeCheckGuard>(std::move(checker), std::move(vault), std::move(*pub));
}

}  // namespace

gateway::ContentGuardBuilder MakeTamperGuardBuilder() {
  struct Cache {
    std::mutex mu;
    std::map<std::string, std::pair<std::string, std::shared_ptr<ServeCheckGuard>>> by_site;
  };
  auto cache = std::make_shared<Cache>();
  return [cache](const config::GatewaySiteSection& site,
                 audit::RecordSink* sink) -> Result<std::shared_ptr<gateway::ContentGuard>> {
    const config::GatewayTamperSection& t = *site.tamper;
    // The key file's content counts too: a reload re-reads it, as it re-reads certificates.
    std::string key = GuardKey(t) + platform::ReadFile(t.pubkey.string()).value_or("");
    std::lock_guard<std::mutex> lock(cache->mu);
    auto it = cache->by_site.find(site.name);
    if (it != cache->by_site.end() && it->second.first == key) {
      GS_RETURN_IF_ERROR(it->second.second->Refresh(t.root.string()));
      return std::shared_ptr<gateway::ContentGuard>(it->second.second);
    }
    GS_ASSIGN_OR_RETURN(auto guard, OpenGuard(t, sink));
    cache->by_site[site.name] = {key, guard};
    return std::shared_ptr<gateway::ContentGuard>(guard);
  };
}

}  // namespace gs::cli
