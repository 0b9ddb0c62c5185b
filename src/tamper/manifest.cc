// Canonical writer and strict parser of the baseline manifest (docs/formats/baseline.md).
#include "tamper/manifest.h"

#include <fnmatch.h>

#include <charconv>
#include <unordered_set>

namespace gs::tamper {
namespace {

constexpr std::string_view kMagic = "GSBASELINE 1";
constexpr char kHexUpper[] = "0123456789ABCDEF";

bool Verbatim(uint8_t c) { return c >= 0x21 && c <= 0x7E && c != '%'; }

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseDecimal(std::string_view s, uint64_t max, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return false;
  *out = v;
  return true;
}

bool ParseLowerHexDigest(std::string_view s, crypto::Digest* out) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  auto d = crypto::DigestFromHex(s);
  if (!d) return false;
  *out = *d;
  return true;
}

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t sp = line.find(' ', start);
    out.push_back(line.substr(start, sp == std::string_view::npos ? line.npos : sp - start));
    if (sp == std::string_view::npos) break;
    start = sp + 1;
  }
  return out;
}

std::string ModeOctal(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

Status ValidateEntries(const Manifest& m) {
  if (m.entries.empty() || m.entries[0].path != "." || m.entries[0].type != EntryType::kDir)
    return InvalidArgumentError("first entry must be the root directory \".\"");
  if (m.entries.size() > kMaxEntries) return InvalidArgumentError("too many entries");
  std::unordered_set<std::string_view> dirs;
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const Entry& e = m.entries[i];
    std::string where = "entry " + std::to_string(i + 1);
    if (!IsValidEntryPath(e.path)) return InvalidArgumentError(where + ": invalid path");
    if (i > 0) {
      if (e.path == ".") return InvalidArgumentError(where + ": duplicate root");
      if (i > 1 && !(m.entries[i - 1].path < e.path))
        return InvalidArgumentError(where + ": paths not strictly increasing");
      if (!dirs.count(ParentPath(e.path)))
        return InvalidArgumentError(where + ": parent is not an earlier directory entry");
      if (IsExcluded(m.excludes, e.path)) return InvalidArgumentError(where + ": path is excluded");
    }
    if (e.mode > 07777) return InvalidArgumentError(where + ": bad mode");
    switch (e.type) {
      case EntryType::kFile:
        if (!e.sm3) return InvalidArgumentError(where + ": file without sm3");
        if (m.with_sha256 != e.sha256.has_value())
          return InvalidArgumentError(where + ": sha256 presence differs from header");
        if (!e.target.empty()) return InvalidArgumentError(where + ": file with target");
        break;
      case EntryType::kDir:
        if (e.sm3 || e.sha256 || !e.target.empty() || e.size != 0)
          return InvalidArgumentError(where + ": directory with content fields");
        dirs.insert(e.path);
        break;
      case EntryType::kSymlink:
        if (e.sm3 || e.sha256) return InvalidArgumentError(where + ": symlink with digest");
        if (e.target.empty() || e.target.size() > 4095 || e.target.find('\0') != std::string::npos)
          return InvalidArgumentError(where + ": bad symlink target");
        if (e.size != e.target.size() || e.mode != 0777)
          return InvalidArgumentError(where + ": symlink size/mode");
        break;
      default:
        return InvalidArgumentError(where + ": bad type");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view EntryTypeName(EntryType t) {
  switch (t) {
    case EntryType::kFile:
      return "file";
    case EntryType::kDir:
      return "dir";
    case EntryType::kSymlink:
      return "symlink";
  }
  return "unknown";
}

void Manifest::BuildIndex() {
  index.clear();
  index.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) index.emplace(entries[i].path, i);
}

const Entry* Manifest::Find(std::string_view path) const {
  auto it = index.find(std::string(path));
  return it == index.end() ? nullptr : &entries[it->second];
}

std::string EncodeField(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (unsigned char c : raw) {
    if (Verbatim(c)) {
      out.push_back(char(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> DecodeField(std::string_view enc) {
  if (enc.empty()) return std::nullopt;
  std::string out;
  out.reserve(enc.size());
  for (size_t i = 0; i < enc.size(); ++i) {
    unsigned char c = enc[i];
    if (c == '%') {
      if (i + 2 >= enc.size()) return std::nullopt;
      int hi = HexVal(enc[i + 1]), lo = HexVal(enc[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      unsigned char b = static_cast<unsigned char>(hi << 4 | lo);
      if (Verbatim(b)) return std::nullopt;  // needless escape: not canonical
      out.push_back(char(b));
      i += 2;
    } else if (Verbatim(c)) {
      out.push_back(char(c));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool IsValidEntryPath(std::string_view path) {
  if (path == ".") return true;
  if (path.empty() || path.size() > kMaxPathBytes) return false;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view comp =
        path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    if (comp.empty() || comp == "." || comp == ".." || comp.size() > kMaxNameBytes) return false;
    if (comp.find('\0') != std::string_view::npos) return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

std::string_view ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  return path.substr(0, slash);
}

bool IsExcluded(const std::vector<std::string>& globs, std::string_view path) {
  if (globs.empty() || path == ".") return false;
  std::string whole(path);
  size_t slash = whole.rfind('/');
  const char* base = whole.c_str() + (slash == std::string::npos ? 0 : slash + 1);
  for (const auto& g : globs) {
    if (::fnmatch(g.c_str(), whole.c_str(), 0) == 0) return true;
    if (::fnmatch(g.c_str(), base, 0) == 0) return true;
  }
  return false;
}

Result<std::string> SerializeManifestBody(const Manifest& m) {
  if (m.version < 1 || m.version > uint64_t(INT64_MAX))
    return InvalidArgumentError("version out of range");
  if ((m.version == 1) != !m.previous.has_value())
    return InvalidArgumentError("previous digest must be present exactly when version > 1");
  if (m.site_root.empty() || m.site_root[0] != '/')
    return InvalidArgumentError("site root must be an absolute path");
  if (m.site_root.find('\0') != std::string::npos)
    return InvalidArgumentError("site root contains NUL");
  if (!crypto::DigestFromHex(m.signer) || m.signer.size() != 64)
    return InvalidArgumentError("signer must be a 64-hex fingerprint");
  for (size_t i = 0; i < m.excludes.size(); ++i) {
    if (m.excludes[i].empty() || m.excludes[i].find('\0') != std::string::npos)
      return InvalidArgumentError("empty exclusion glob");
    if (i > 0 && !(m.excludes[i - 1] < m.excludes[i]))
      return InvalidArgumentError("exclusions not sorted and unique");
  }
  GS_RETURN_IF_ERROR(ValidateEntries(m));

  std::string out;
  out.reserve(64 * m.entries.size() + 512);
  out += kMagic;
  out += "\nversion " + std::to_string(m.version);
  out += "\nsite-root " + EncodeField(m.site_root);
  out += "\ncreated " + FormatRfc3339(m.created);
  out += "\nprevious " + (m.previous ? crypto::DigestHex(*m.previous) : std::string("none"));
  out += m.with_sha256 ? "\ndigests sm3,sha256" : "\ndigests sm3";
  out += "\nsigner " + m.signer;
  for (const auto& g : m.excludes) out += "\nexclude " + EncodeField(g);
  out += "\nentries " + std::to_string(m.entries.size()) + "\n";
  for (const Entry& e : m.entries) {
    out.push_back(char(e.type));
    out += ' ';
    out += ModeOctal(e.mode);
    out += ' ' + std::to_string(e.uid) + ' ' + std::to_string(e.gid) + ' ' +
           std::to_string(e.size) + ' ';
    out += e.sm3 ? crypto::DigestHex(*e.sm3) : "-";
    out += ' ';
    out += e.sha256 ? crypto::DigestHex(*e.sha256) : "-";
    out += ' ';
    out += EncodeField(e.path);
    out += ' ';
    out += e.type == EntryType::kSymlink ? EncodeField(e.target) : "-";
    out += '\n';
  }
  return out;
}

Result<std::string> SignManifest(const Manifest& m, const crypto::Sm2PrivateKey& key) {
  if (m.signer != key.PublicKey().Fingerprint())
    return InvalidArgumentError("manifest signer does not match the signing key");
  GS_ASSIGN_OR_RETURN(std::string body, SerializeManifestBody(m));
  GS_ASSIGN_OR_RETURN(std::string sig, key.Sign(body));
  body += "signature " + HexEncode(sig) + "\n";
  return body;
}

namespace {

// Splits the text into the signed body and the DER signature, checking the framing.
Status SplitSignature(std::string_view text, std::string_view* body, std::string* der) {
  if (text.empty() || text.back() != '\n') return DataLossError("manifest: missing final newline");
  size_t last_nl = text.rfind('\n', text.size() - 2);
  if (last_nl == std::string_view::npos) return DataLossError("manifest: no signature line");
  std::string_view sig_line = text.substr(last_nl + 1, text.size() - last_nl - 2);
  constexpr std::string_view kSig = "signature ";
  if (sig_line.substr(0, kSig.size()) != kSig) return DataLossError("manifest: unsigned");
  std::string_view hex = sig_line.substr(kSig.size());
  if (hex.empty() || hex.size() > 512) return DataLossError("manifest: bad signature length");
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return DataLossError("manifest: signature is not lowercase hex");
  auto bytes = HexDecode(hex);
  if (!bytes) return DataLossError("manifest: signature is not hex");
  *der = std::string(AsStringView(*bytes));
  *body = text.substr(0, last_nl + 1);
  return Status::Ok();
}

Result<Manifest> ParseBody(std::string_view body) {
  Manifest m;
  size_t pos = 0;
  size_t line_no = 0;
  auto next_line = [&](std::string_view* line) -> bool {
    if (pos >= body.size()) return false;
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) return false;
    *line = body.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    return true;
  };
  auto err = [&](std::string_view what) {
    return DataLossError("manifest line " + std::to_string(line_no) + ": " + std::string(what));
  };
  auto header = [&](std::string_view key, std::string_view* value) -> Status {
    std::string_view line;
    if (!next_line(&line)) return err("truncated header");
    if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ' ')
      return err("expected '" + std::string(key) + "'");
    *value = line.substr(key.size() + 1);
    return Status::Ok();
  };

  std::string_view line, v;
  if (!next_line(&line) || line != kMagic) return err("not a GSBASELINE 1 manifest");
  GS_RETURN_IF_ERROR(header("version", &v));
  if (!ParseDecimal(v, uint64_t(INT64_MAX), &m.version) || m.version == 0)
    return err("bad version");
  GS_RETURN_IF_ERROR(header("site-root", &v));
  auto root = DecodeField(v);
  if (!root || (*root)[0] != '/' || root->find('\0') != std::string::npos)
    return err("bad site-root");
  m.site_root = *root;
  GS_RETURN_IF_ERROR(header("created", &v));
  auto created = ParseRfc3339(v);
  if (!created.ok() || FormatRfc3339(*created) != v) return err("bad created time");
  m.created = *created;
  GS_RETURN_IF_ERROR(header("previous", &v));
  if (v == "none") {
    if (m.version != 1) return err("version > 1 needs a previous digest");
  } else {
    crypto::Digest d;
    if (!ParseLowerHexDigest(v, &d)) return err("bad previous digest");
    if (m.version == 1) return err("version 1 has no previous manifest");
    m.previous = d;
  }
  GS_RETURN_IF_ERROR(header("digests", &v));
  if (v == "sm3") {
    m.with_sha256 = false;
  } else if (v == "sm3,sha256") {
    m.with_sha256 = true;
  } else {
    return err("bad digests");
  }
  GS_RETURN_IF_ERROR(header("signer", &v));
  crypto::Digest signer;
  if (!ParseLowerHexDigest(v, &signer)) return err("bad signer");
  m.signer = std::string(v);

  uint64_t count = 0;
  while (true) {
    if (!next_line(&line)) return err("truncated header");
    if (line.substr(0, 8) == "exclude ") {
      auto g = DecodeField(line.substr(8));
      if (!g || g->find('\0') != std::string::npos) return err("bad exclude");
      if (!m.excludes.empty() && !(m.excludes.back() < *g))
        return err("exclusions not sorted/unique");
      m.excludes.push_back(*g);
      continue;
    }
    if (line.substr(0, 8) != "entries " || !ParseDecimal(line.substr(8), kMaxEntries, &count))
      return err("expected 'entries <count>'");
    break;
  }
  if (count == 0) return err("no entries");
  // Each entry line is at least 19 bytes; refuse counts the text cannot hold before reserving.
  if (count > (body.size() - pos) / 19 + 1) return err("entry count exceeds text");
  m.entries.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (!next_line(&line)) return err("truncated entries");
    auto f = SplitSpaces(line);
    if (f.size() != 9) return err("entry needs 9 fields");
    Entry e;
    if (f[0].size() != 1) return err("bad type");
    switch (f[0][0]) {
      case 'f':
        e.type = EntryType::kFile;
        break;
      case 'd':
        e.type = EntryType::kDir;
        break;
      case 'l':
        e.type = EntryType::kSymlink;
        break;
      default:
        return err("bad type");
    }
    if (f[1].size() != 4) return err("bad mode");
    uint32_t mode = 0;
    for (char c : f[1]) {
      if (c < '0' || c > '7') return err("bad mode");
      mode = mode * 8 + uint32_t(c - '0');
    }
    e.mode = mode;
    uint64_t n;
    if (!ParseDecimal(f[2], UINT32_MAX, &n)) return err("bad uid");
    e.uid = uint32_t(n);
    if (!ParseDecimal(f[3], UINT32_MAX, &n)) return err("bad gid");
    e.gid = uint32_t(n);
    if (!ParseDecimal(f[4], UINT64_MAX, &e.size)) return err("bad size");
    if (f[5] != "-") {
      crypto::Digest d;
      if (!ParseLowerHexDigest(f[5], &d)) return err("bad sm3");
      e.sm3 = d;
    }
    if (f[6] != "-") {
      crypto::Digest d;
      if (!ParseLowerHexDigest(f[6], &d)) return err("bad sha256");
      e.sha256 = d;
    }
    auto path = DecodeField(f[7]);
    if (!path) return err("bad path encoding");
    e.path = std::move(*path);
    if (e.type == EntryType::kSymlink) {
      auto t = DecodeField(f[8]);
      if (!t) return err("bad target encoding");
      e.target = std::move(*t);
    } else if (f[8] != "-") {
      return err("target on a non-symlink");
    }
    m.entries.push_back(std::move(e));
  }
  if (pos != body.size()) return err("trailing data before signature");
  Status s = ValidateEntries(m);
  if (!s.ok()) return DataLossError("manifest: " + std::string(s.message()));
  m.BuildIndex();
  return m;
}

}  // namespace

Result<Manifest> ParseManifestUnverified(std::string_view text) {
  std::string_view body;
  std::string der;
  GS_RETURN_IF_ERROR(SplitSignature(text, &body, &der));
  return ParseBody(body);
}

Result<Manifest> ParseSignedManifest(std::string_view text, const crypto::Sm2PublicKey& key) {
  std::string_view body;
  std::string der;
  GS_RETURN_IF_ERROR(SplitSignature(text, &body, &der));
  GS_ASSIGN_OR_RETURN(Manifest m, ParseBody(body));
  if (m.signer != key.Fingerprint())
    return DataLossError("manifest signed by key " + m.signer.substr(0, 16) +
                         "..., not by the given public key " + key.Fingerprint().substr(0, 16) +
                         "...");
  if (!key.Verify(body, der)) return DataLossError("manifest signature does not verify");
  return m;
}

}  // namespace gs::tamper
