// Building a baseline: a multithreaded walk of the web root that records every entry, hashes
// every regular file with SM3 (and SHA-256 when asked) and copies its content into the vault.
// The walk opens every directory with openat(O_NOFOLLOW) beneath the root fd and never follows
// a symlink; symlinks are recorded as symlinks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit/sink.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/crypto.h"
#include "tamper/manifest.h"
#include "tamper/vault.h"

namespace gs::tamper {

struct BaselineOptions {
  std::vector<std::string> excludes;  // globs (see IsExcluded)
  bool with_sha256 = false;
  int threads = 0;        // 0 = hardware cores
  bool progress = false;  // one line per second on stderr
  // false: only hash (for a parallel comparison with a manifest); the vault is not written.
  bool store_objects = true;
  const TimeSource* clock = nullptr;  // nullptr = SystemTime()
};

struct BaselineStats {
  uint64_t files = 0, dirs = 0, symlinks = 0, bytes = 0;
  double seconds = 0;
};

// Walks `root` and fills `vault` with every file's content. Returns the manifest entries and
// header fields (site_root = realpath of root, created, excludes, with_sha256); version,
// previous and signer are left for the caller. FAILED_PRECONDITION naming the path for an
// entry the format cannot hold (fifo, socket, device, path too long) — exclude it.
Result<Manifest> BuildBaseline(const std::string& root, const Vault& vault,
                               const BaselineOptions& options, BaselineStats* stats);

// Differences between `want` (a signed manifest) and `have` (BuildBaseline of the same root
// with want's excludes): one line per entry, "<kind> <enc path>", kinds as in the audit
// records (modify, delete, create, chmod, chown, symlink_swap, type_change). Empty = identical.
std::vector<std::string> DiffManifests(const Manifest& want, const Manifest& have);

// BuildBaseline, then chain to the vault's current manifest (version+1, previous = SM3 of its
// text; it must verify against `key`'s public key), sign with `key` and store it in the vault.
// Returns the signed manifest text; `signed_manifest` (may be null) receives it parsed.
Result<std::string> CreateSignedBaseline(const std::string& root, const Vault& vault,
                                         const crypto::Sm2PrivateKey& key,
                                         const BaselineOptions& options, BaselineStats* stats,
                                         Manifest* signed_manifest = nullptr);

// Fills version/previous/signer of `m` from the vault's current manifest (if any) and signs it;
// completes the vault's packs (Vault::Sync, on another thread meanwhile) and stores it.
Result<std::string> ChainAndSign(Manifest& m, const Vault& vault, const crypto::Sm2PrivateKey& key);

struct PublishResult {
  uint64_t version = 0;
  size_t added = 0, changed = 0, removed = 0;
  size_t applied = 0;  // changes made in the web root
};

// Called by Publish with the staging tree and the files that the new baseline adds or changes
// (raw relative paths), before anything is signed: a non-OK status aborts the publish (nothing
// changes). The webshell gate of `tamper publish` is one.
using PublishGate =
    std::function<Status(const std::string& from, const std::vector<std::string>& changed)>;

// The authorised way to change a protected site: builds a baseline from the staging tree
// `from` (with the current manifest's exclusions), stores its content in the vault, signs it
// as the successor of the current manifest (which must verify with `key`), then makes `root`
// match it (atomic per file; entries no longer published go to quarantine, never deleted).
// Audit records go to `sink` (may be null): the root changes with "type":"publish" and one
// summary record. A crash after signing leaves a state that `watch` completes to the new
// baseline from the vault.
Result<PublishResult> Publish(const std::string& root, const std::string& from, const Vault& vault,
                              const crypto::Sm2PrivateKey& key, const BaselineOptions& options,
                              audit::RecordSink* sink, const PublishGate& gate = nullptr);

}  // namespace gs::tamper
