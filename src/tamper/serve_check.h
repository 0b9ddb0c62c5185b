// Serve-time check (核心内嵌): the gateway asks, for each static file it is about to send, for
// the bytes it may send. The answer comes from the signed baseline manifest, so tampered bytes
// are never handed to the gateway, whatever the watcher is doing at that moment.
//
// How it stays cheap and still exact:
//  - every body returned was hashed with SM3 and matched the manifest entry: either just now
//    (read from disk, then hashed), or earlier and kept in a content cache keyed by its SM3;
//  - per path, the file's identity (device, inode, size, mtime, ctime) decides whether the disk
//    must be read and hashed again. When the identity is unchanged the cached verified bytes are
//    returned without touching the file. Because the cache only holds baseline content, a
//    change the identity misses (same size within one timestamp tick) can at worst make us
//    serve the baseline bytes — never the tampered ones;
//  - a tampered file (hash differs) is answered with the vault's copy (verified against the
//    manifest too) or with kBlocked (the gateway then sends its 503 page), per options; one
//    audit record per distinct tampered identity, not per request.
// Paths are opened beneath the root one component at a time with O_NOFOLLOW (tamper/safe_fs.h).
//
// Thread-safety: Fetch/Verify/ReplaceManifest may be called from any number of threads; reads
// and hashing run outside the internal lock.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "audit/sink.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/crypto.h"
#include "tamper/manifest.h"
#include "tamper/safe_fs.h"
#include "tamper/vault.h"

namespace gs::tamper {

enum class ServeVerdict {
  kIntact,         // body = the file's bytes, equal to the baseline
  kFromVault,      // the file on disk differs (or is missing); body = the baseline from the vault
  kBlocked,        // the file differs and no vault copy may or can be served; no body
  kNotInBaseline,  // no such file entry (unknown, a directory, a symlink): the gateway's 404
  kExcluded,       // excluded from protection: the caller serves it as it would unprotected
  kError,          // an I/O error or a bad path (see ServeResult::error); no body
};
std::string_view ServeVerdictName(ServeVerdict v);

struct ServeResult {
  ServeVerdict verdict = ServeVerdict::kError;
  std::shared_ptr<const std::string> body;  // set for kIntact and kFromVault only
  std::optional<crypto::Digest> expected;   // the manifest's SM3 (entries of type file)
  bool cache_hit = false;                   // no read of the file was needed
  bool too_large = false;  // kError because the entry exceeds max_file_bytes (not an I/O error)
  std::string error;
};

struct ServeCheckOptions {
  // On a mismatch serve the vault's copy (true) or answer kBlocked (false).
  bool serve_vault_copy = true;
  // Bytes of verified content kept in memory (whole cache dropped when exceeded; 0 = keep
  // nothing, every request then reads and hashes the file).
  uint64_t cache_bytes = 64ull << 20;
  // Files larger than this are not served through the check (kError): the gateway should not
  // buffer them. The manifest's size is compared first, so no oversized read happens.
  uint64_t max_file_bytes = 64ull << 20;
  audit::RecordSink* sink = nullptr;  // not owned; "type":"serve_tamper" records
  const TimeSource* clock = nullptr;  // nullptr = SystemTime()
};

struct ServeCheckStats {
  std::atomic<uint64_t> requests{0}, cache_hits{0}, hashed{0}, tampered{0}, from_vault{0};
};

class ServeChecker {
 public:
  // `vault` (may be null when serve_vault_copy is false) must outlive the checker.
  static Result<std::unique_ptr<ServeChecker>> Create(const std::string& root, Manifest manifest,
                                                      const Vault* vault,
                                                      ServeCheckOptions options);
  // Opens the vault at `vault_dir` (SM4 key if encrypted), reads the current manifest, which
  // must verify with `pubkey` and name `root`. The checker owns the vault.
  static Result<std::unique_ptr<ServeChecker>> OpenSite(const std::string& root,
                                                        const std::string& vault_dir,
                                                        const crypto::Sm2PublicKey& pubkey,
                                                        std::optional<std::string> vault_key,
                                                        ServeCheckOptions options);

  // The bytes to send for relative path `rel` ("index.html", "news/a.html"; no leading '/',
  // no "." or ".." components: kError otherwise).
  ServeResult Fetch(std::string_view rel);

  // Verdict only (kIntact / kBlocked for a mismatch / ...), for callers that send the file
  // themselves (sendfile): cheaper, but the file may change between this check and the send.
  ServeVerdict Verify(std::string_view rel);

  // After an authorised publish: the new manifest applies to every later call.
  void ReplaceManifest(Manifest manifest);
  uint64_t manifest_version() const;

  const ServeCheckStats& stats() const { return stats_; }

 private:
  struct Identity {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    timespec mtime{}, ctime{};
    bool operator==(const Identity& o) const;
  };
  struct PathState {
    Identity id;
    bool intact = false;  // the identity's content matched `sm3`
    crypto::Digest sm3{};
    uint64_t version = 0;  // manifest version the judgement was made under
  };
  ServeChecker() = default;

  ServeResult Check(std::string_view rel, bool want_body);
  std::shared_ptr<const std::string> CachedBody(const crypto::Digest& sm3);
  void CacheBody(const crypto::Digest& sm3, std::shared_ptr<const std::string> body);
  ServeResult Mismatch(std::string_view rel, const Entry& want, const std::string& actual_hex,
                       bool report, bool want_body);

  std::string root_path_;
  UniqueFd root_fd_;
  std::optional<Vault> owned_vault_;
  const Vault* vault_ = nullptr;
  ServeCheckOptions options_;
  const TimeSource* clock_ = nullptr;

  mutable std::mutex mu_;
  std::shared_ptr<const Manifest> manifest_;
  std::unordered_map<std::string, PathState> paths_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies_;  // by SM3 bytes
  uint64_t body_bytes_ = 0;
  ServeCheckStats stats_;
};

}  // namespace gs::tamper
