// Serve-time check against the signed baseline (see serve_check.h).
#include "tamper/serve_check.h"

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <nlohmann/json.hpp>

#include "tamper/json_fields.h"

namespace gs::tamper {

std::string_view ServeVerdictName(ServeVerdict v) {
  switch (v) {
    case ServeVerdict::kIntact:
      return "intact";
    case ServeVerdict::kFromVault:
      return "from_vault";
    case ServeVerdict::kBlocked:
      return "blocked";
    case ServeVerdict::kNotInBaseline:
      return "not_in_baseline";
    case ServeVerdict::kExcluded:
      return "excluded";
    case ServeVerdict::kError:
      return "error";
  }
  return "error";
}

bool ServeChecker::Identity::operator==(const Identity& o) const {
  return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
         mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec &&
         ctime.tv_nsec == o.ctime.tv_nsec;
}

Result<std::unique_ptr<ServeChecker>> ServeChecker::Create(const std::string& root,
                                                           Manifest manifest, const Vault* vault,
                                                           ServeCheckOptions options) {
  if (options.serve_vault_copy && vault == nullptr)
    return InvalidArgumentError("serve-time check: serving vault copies needs a vault");
  std::unique_ptr<ServeChecker> c(new ServeChecker());
  GS_ASSIGN_OR_RETURN(c->root_fd_, OpenRootDir(root));
  c->root_path_ = root;
  c->vault_ = vault;
  c->options_ = options;
  c->clock_ = options.clock ? options.clock : &SystemTime();
  manifest.BuildIndex();
  c->manifest_ = std::make_shared<const Manifest>(std::move(manifest));
  return c;
}

Result<std::unique_ptr<ServeChecker>> ServeChecker::OpenSite(const std::string& root,
                                                             const std::string& vault_dir,
                                                             const crypto::Sm2PublicKey& pubkey,
                                                             std::optional<std::string> vault_key,
                                                             ServeCheckOptions options) {
  GS_ASSIGN_OR_RETURN(Vault v, Vault::Open(vault_dir, std::move(vault_key)));
  GS_ASSIGN_OR_RETURN(std::string text, v.ReadCurrentManifest());
  auto m = ParseSignedManifest(text, pubkey);
  if (!m.ok())
    return DataLossError("baseline in " + vault_dir +
                         " rejected: " + std::string(m.status().message()));
  char real[PATH_MAX];
  if (!::realpath(root.c_str(), real)) return NotFoundError("web root " + root + " not found");
  if (m->site_root != real)
    return FailedPreconditionError("baseline was made for " + EncodeField(m->site_root) + ", not " +
                                   real);
  // Create() takes the vault's address, so build the checker first and move the vault in.
  GS_ASSIGN_OR_RETURN(auto c,
                      Create(root, std::move(*m), nullptr,
                             ServeCheckOptions{false, options.cache_bytes, options.max_file_bytes,
                                               options.sink, options.clock}));
  c->owned_vault_.emplace(std::move(v));
  c->vault_ = &*c->owned_vault_;
  c->options_.serve_vault_copy = options.serve_vault_copy;
  return c;
}

void ServeChecker::ReplaceManifest(Manifest manifest) {
  manifest.BuildIndex();
  auto m = std::make_shared<const Manifest>(std::move(manifest));
  std::lock_guard<std::mutex> lock(mu_);
  manifest_ = std::move(m);
  paths_.clear();  // judgements were made against the old entries
}

uint64_t ServeChecker::manifest_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return manifest_->version;
}

std::shared_ptr<const std::string> ServeChecker::CachedBody(const crypto::Digest& sm3) {
  auto it = bodies_.find(std::string(reinterpret_cast<const char*>(sm3.data()), sm3.size()));
  return it == bodies_.end() ? nullptr : it->second;
}

void ServeChecker::CacheBody(const crypto::Digest& sm3, std::shared_ptr<const std::string> body) {
  if (body->size() > options_.cache_bytes) return;
  if (body_bytes_ + body->size() > options_.cache_bytes) {
    // Simple and bounded: a web root's hot set normally fits; when it does not, start over.
    bodies_.clear();
    body_bytes_ = 0;
  }
  auto [it, inserted] = bodies_.emplace(
      std::string(reinterpret_cast<const char*>(sm3.data()), sm3.size()), std::move(body));
  if (inserted) body_bytes_ += it->second->size();
}

ServeResult ServeChecker::Fetch(std::string_view rel) { return Check(rel, true); }

ServeVerdict ServeChecker::Verify(std::string_view rel) {
  ServeResult r = Check(rel, false);
  return r.verdict == ServeVerdict::kFromVault ? ServeVerdict::kBlocked : r.verdict;
}

ServeResult ServeChecker::Mismatch(std::string_view rel, const Entry& want,
                                   const std::string& actual_hex, bool report, bool want_body) {
  ServeResult r;
  r.expected = want.sm3;
  stats_.tampered.fetch_add(1);
  std::shared_ptr<const std::string> body;
  std::string vault_error;
  if (options_.serve_vault_copy && vault_ && want_body) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      body = CachedBody(*want.sm3);
    }
    if (!body) {
      auto got = vault_->GetObject(*want.sm3);  // verified against the SM3 by the vault
      if (got.ok()) {
        body = std::make_shared<const std::string>(std::move(*got));
        std::lock_guard<std::mutex> lock(mu_);
        CacheBody(*want.sm3, body);
      } else {
        vault_error = std::string(got.status().message());
      }
    }
  }
  if (body) {
    r.verdict = ServeVerdict::kFromVault;
    r.body = std::move(body);
    stats_.from_vault.fetch_add(1);
  } else {
    r.verdict = ServeVerdict::kBlocked;
  }
  if (report && options_.sink) {
    nlohmann::json j;
    j["ts"] = FormatRfc3339(clock_->Now());
    j["source"] = "tamper";
    j["type"] = "serve_tamper";
    PutName(j, "path", rel);
    PutName(j, "root", root_path_);
    j["expected_sm3"] = crypto::DigestHex(*want.sm3);
    if (!actual_hex.empty()) j["actual_sm3"] = actual_hex;
    j["action"] = r.verdict == ServeVerdict::kFromVault ? "served_vault_copy" : "blocked";
    if (!vault_error.empty()) j["vault_error"] = vault_error;
    auto a = options_.sink->Append(DumpJson(j));
    (void)a;  // the response is already decided; a full sink must not fail the request
  }
  return r;
}

ServeResult ServeChecker::Check(std::string_view rel, bool want_body) {
  stats_.requests.fetch_add(1);
  ServeResult r;
  if (rel.empty() || rel == "." || !IsValidEntryPath(rel)) {
    r.error = "not a valid relative path";
    return r;
  }
  std::shared_ptr<const Manifest> m;
  {
    std::lock_guard<std::mutex> lock(mu_);
    m = manifest_;
  }
  if (IsExcluded(m->excludes, rel)) {
    r.verdict = ServeVerdict::kExcluded;
    return r;
  }
  const Entry* want = m->Find(rel);
  if (!want || want->type != EntryType::kFile || !want->sm3) {
    r.verdict = ServeVerdict::kNotInBaseline;
    return r;
  }
  r.expected = want->sm3;
  if (want->size > options_.max_file_bytes) {
    r.error = "file larger than the serve-time check's limit";
    r.too_large = true;
    return r;
  }
  std::string key(rel);

  // Open beneath the root without following any symlink; anything that is not the regular
  // file of the baseline is a mismatch.
  UniqueFd fd;
  struct stat st {};
  {
    auto parent = OpenParentBeneath(root_fd_.get(), rel);
    if (parent.ok()) {
      fd.reset(::openat(parent->dir.get(), parent->name.c_str(),
                        O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    }
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      bool report;
      {
        // Report a missing/replaced file once until it reappears.
        std::lock_guard<std::mutex> lock(mu_);
        PathState& ps = paths_[key];
        report = ps.intact || ps.version != m->version || ps.id.ino != 0;
        ps = PathState{};
        ps.version = m->version;
      }
      return Mismatch(rel, *want, "", report, want_body);
    }
  }
  Identity id{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};

  bool known_tampered = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = paths_.find(key);
    if (it != paths_.end() && it->second.version == m->version && it->second.id == id) {
      if (it->second.intact) {
        if (!want_body) {
          r.verdict = ServeVerdict::kIntact;
          r.cache_hit = true;
          stats_.cache_hits.fetch_add(1);
          return r;
        }
        if (auto body = CachedBody(*want->sm3)) {
          r.verdict = ServeVerdict::kIntact;
          r.body = std::move(body);
          r.cache_hit = true;
          stats_.cache_hits.fetch_add(1);
          return r;
        }
      } else {
        known_tampered = true;
      }
    }
  }
  if (known_tampered) {
    ServeResult t = Mismatch(rel, *want, "", /*report=*/false, want_body);
    t.cache_hit = true;
    return t;
  }

  // Read (bounded by the limit, whatever the file claims) and hash what was read: these exact
  // bytes are what may be served.
  auto body = std::make_shared<std::string>();
  {
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd.get(), buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        r.error = std::string("read: ") + std::strerror(errno);
        return r;
      }
      if (n == 0) break;
      body->append(buf, size_t(n));
      if (body->size() > options_.max_file_bytes) break;
    }
  }
  stats_.hashed.fetch_add(1);
  crypto::Digest got = crypto::Sm3(*body);
  bool intact = got == *want->sm3;
  bool report;
  {
    std::lock_guard<std::mutex> lock(mu_);
    PathState& ps = paths_[key];
    report = !intact && !(ps.version == m->version && ps.id == id && !ps.intact);
    ps.id = id;
    ps.intact = intact;
    ps.sm3 = got;
    ps.version = m->version;
    if (intact) CacheBody(got, body);
  }
  if (!intact) return Mismatch(rel, *want, crypto::DigestHex(got), report, want_body);
  r.verdict = ServeVerdict::kIntact;
  if (want_body) r.body = std::move(body);
  return r;
}

}  // namespace gs::tamper
