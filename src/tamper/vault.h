// The vault: a directory outside the web root holding the signed manifests and a
// content-addressed (SM3-named) copy of every protected file, optionally SM4-GCM encrypted,
// packed into append-only pack files with an index. Layout, pack format, verification and crash
// recovery: docs/formats/baseline.md §4.
//
// Thread-safety: all methods may be called from many threads. Copies of a Vault share one
// object index and one set of open pack writers (each writer is used by one thread at a time).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/crypto.h"
#include "tamper/manifest.h"

namespace gs::tamper {

// Compression of objects written from now on (docs/formats/baseline.md §4.2). kAuto: zstd
// while the disk is behind (chunks of a pack wait to be written), otherwise as they are, so
// compression only spends CPU that would have waited for the disk. kAlways: every object that
// is worth it. kNever: none. Already-compressed formats and objects that would not shrink by an
// eighth are always stored as they are. Reading never depends on it.
enum class VaultCompression { kAuto, kAlways, kNever };

// Parses "auto", "always", "never".
Result<VaultCompression> ParseVaultCompression(std::string_view s);

// Reads a vault key file: 16 raw bytes, or 32 hex digits (optionally followed by a newline).
Result<std::string> LoadVaultKey(const std::string& path);

class Vault {
 public:
  // Creates the layout (or opens an existing vault, which must use the same encryption and key).
  // `key` (16 bytes) selects SM4-GCM encryption of new vaults.
  static Result<Vault> Create(const std::string& dir, std::optional<std::string> key);
  // Opens an existing vault. FAILED_PRECONDITION if it is encrypted and no key (or the wrong
  // key) is given; NOT_FOUND if there is no vault.conf.
  static Result<Vault> Open(const std::string& dir, std::optional<std::string> key);

  const std::string& dir() const { return dir_; }
  bool encrypted() const { return key_.has_value(); }
  std::string QuarantineDir() const;

  // Where the stored bytes of an object are (the pack or, in a format-1 vault, the loose file):
  // NOT_FOUND if absent. For tests and tools that inspect the vault.
  struct Location {
    std::string path;
    uint64_t offset = 0, size = 0;  // of the stored object (ciphertext when encrypted)
  };
  Result<Location> LocateObject(const crypto::Digest& sm3) const;

  bool HasObject(const crypto::Digest& sm3) const;
  // Applies to every copy of this Vault; default kAuto.
  void SetCompression(VaultCompression c) const;
  // Stores `content` whose SM3 is `sm3` (the caller computed it), appending it to a pack of
  // this process. Idempotent. With `durable` false the object is not yet durable nor visible to
  // other processes: bulk writers call Sync() once afterwards, before any manifest refers to
  // the objects.
  Status PutObject(const crypto::Digest& sm3, std::string_view content, bool durable = true) const;
  // PutObject of contents[i] with SM3 sm3[i], taking the vault's locks once for all of them.
  Status PutObjects(std::span<const crypto::Digest> sm3, std::span<const std::string_view> contents,
                    bool durable) const;
  // Completes every pack written so far: fdatasync, index written atomically, fsync of packs/.
  // Packs are completed in parallel.
  // Must not run concurrently with PutObject.
  Status Sync() const;
  // Returns the content, verified: DATA_LOSS if it does not decrypt or its SM3 is not `sm3`,
  // NOT_FOUND if absent.
  Result<std::string> GetObject(const crypto::Digest& sm3) const;

  // Verifies every object in objects/ and that every file of `m` has one. `threads` 0 = cores.
  // Returns the number of objects checked; DATA_LOSS naming the first bad or missing object.
  Result<uint64_t> VerifyObjects(const Manifest& m, int threads) const;

  // The manifest in force: NOT_FOUND if none was stored yet.
  Result<std::string> ReadCurrentManifest() const;
  // Writes manifests/v<N>.manifest and then manifests/current, each atomically.
  Status StoreManifest(uint64_t version, std::string_view text) const;

 private:
  struct State;
  std::string dir_;
  std::optional<std::string> key_;
  std::shared_ptr<State> state_;
};

// Runs fn(i) for i in [0, n) on `threads` std::threads (0 = hardware cores); stops early and
// returns the first error.
Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn);
int DefaultThreads();

}  // namespace gs::tamper
