// The signed baseline manifest of a protected web root (format: docs/formats/baseline.md).
//
// A Manifest is a plain value: the entries that the root must contain, sorted, plus version,
// chain and signer metadata. SignManifest() produces the one canonical text; the parsers accept
// only that canonical text, so the signed bytes and the parsed value can never disagree.
// Thread-safety: values; const methods may be called concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/crypto.h"

namespace gs::tamper {

enum class EntryType : char { kFile = 'f', kDir = 'd', kSymlink = 'l' };

std::string_view EntryTypeName(EntryType t);  // "file", "dir", "symlink"

struct Entry {
  std::string path;  // raw bytes, relative to the root; "." is the root itself
  EntryType type = EntryType::kFile;
  uint32_t mode = 0;  // st_mode & 07777
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  std::optional<crypto::Digest> sm3;     // files only
  std::optional<crypto::Digest> sha256;  // files only, when the manifest records SHA-256
  std::string target;                    // symlinks only (raw bytes)
};

struct Manifest {
  uint64_t version = 1;
  std::string site_root;  // raw bytes
  UnixNanos created = 0;
  std::optional<crypto::Digest> previous;  // SM3 of manifest version-1; none for version 1
  bool with_sha256 = false;
  std::string signer;                 // public key fingerprint (hex)
  std::vector<std::string> excludes;  // globs, sorted, unique
  std::vector<Entry> entries;         // "." first, then strictly increasing raw path

  // Index into `entries` by path; built by the parsers and by BuildIndex().
  std::unordered_map<std::string, size_t> index;
  void BuildIndex();
  const Entry* Find(std::string_view path) const;
};

// Limits enforced by the parser (and by the builder, so it never writes what it cannot read).
constexpr size_t kMaxEntries = 10'000'000;
constexpr size_t kMaxPathBytes = 65'535;
constexpr size_t kMaxNameBytes = 255;

// Percent-encoding of §2 (bytes 0x21-0x7E except '%' verbatim, all else %XX uppercase).
std::string EncodeField(std::string_view raw);
// Strict inverse: rejects empty input, lowercase hex, truncated escapes and needless escapes.
std::optional<std::string> DecodeField(std::string_view enc);

// True if `path` is a valid relative entry path (rules of §1; "." allowed).
bool IsValidEntryPath(std::string_view path);
// Parent of a valid entry path: "a/b" -> "a", "a" -> ".".
std::string_view ParentPath(std::string_view path);
// True if `path` (relative, "." never excluded) matches one of the globs, as a whole or by its
// last component.
bool IsExcluded(const std::vector<std::string>& globs, std::string_view path);

// The canonical text without the signature line (what the signature covers). Sorts nothing:
// INVALID_ARGUMENT if `m` breaks any rule (order, parents, limits, fields by type).
Result<std::string> SerializeManifestBody(const Manifest& m);
// Body + "signature <hex>\n". Sets nothing in `m`; the caller sets m.signer to the key's
// fingerprint beforehand (checked: INVALID_ARGUMENT if it differs).
Result<std::string> SignManifest(const Manifest& m, const crypto::Sm2PrivateKey& key);

// Parses canonical manifest text and checks its structure; the signature line must be present
// and well-formed but is NOT verified. DATA_LOSS (with a line number) on anything malformed.
Result<Manifest> ParseManifestUnverified(std::string_view text);
// As above, and the signer must be `key` and the signature must verify (DATA_LOSS otherwise).
Result<Manifest> ParseSignedManifest(std::string_view text, const crypto::Sm2PublicKey& key);

}  // namespace gs::tamper
