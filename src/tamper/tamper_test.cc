// Tests of the tamper guard core on real files in a TempDir: manifest format and signatures,
// baseline + vault, the restorer for every tamper kind, path safety and hostile names.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "audit/sink.h"
#include "platform/file.h"
#include "tamper/baseline.h"
#include "tamper/guard.h"
#include "tamper/json_fields.h"
#include "tamper/manifest.h"
#include "tamper/safe_fs.h"
#include "tamper/vault.h"
#include "testlib/base64.h"
#include "testlib/memory_sink.h"
#include "testlib/tamper_writer.h"
#include "testlib/temp_dir.h"

namespace gs::tamper {
namespace {

using gs::testing::TempDir;

using gs::testing::Base64Decode;
using gs::testing::MemorySink;

// The raw path of a record or evidence object, whichever encoding it used.
std::string RecordPath(const nlohmann::json& j) {
  if (j.contains("path")) return j["path"].get<std::string>();
  if (j.contains("path_b64")) return Base64Decode(j["path_b64"].get<std::string>());
  return "<none>";
}

void Write(const std::string& path, std::string_view data, mode_t mode = 0644) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, data.data(), data.size()), ssize_t(data.size()));
  ::close(fd);
  ::chmod(path.c_str(), mode);
}

std::string Read(const std::string& path) {
  auto r = platform::ReadFile(path);
  return r.ok() ? *r : std::string("<missing>");
}

crypto::Sm2PrivateKey TestKey() {
  static auto* key = new crypto::Sm2PrivateKey(*crypto::Sm2PrivateKey::Generate());
  return *key;
}

// A web root with a vault and a signed baseline.
struct Site {
  TempDir tmp;
  std::string root = tmp.path() + "/www";
  std::string vault_dir = tmp.path() + "/vault";
  std::optional<Vault> vault;
  Manifest manifest;
  std::string text;
  MemorySink sink;
  std::unique_ptr<Guard> guard;
  VaultCompression compression = VaultCompression::kAuto;

  Site() {
    platform::MakeDirs(root + "/news/2026", 0755).IgnoreError();
    platform::MakeDirs(root + "/static/css", 0755).IgnoreError();
    Write(root + "/index.html", "<html>home</html>");
    Write(root + "/news/index.html", "<html>news</html>");
    Write(root + "/news/2026/a.html", std::string(10240, 'a'));
    Write(root + "/static/css/site.css", "body{}", 0640);
    Write(root + "/static/app.js", "var x=1;", 0755);
    ::symlinkat("index.html", AT_FDCWD, (root + "/home.html").c_str());
  }

  void Baseline(BaselineOptions opt = {}, std::optional<std::string> key = std::nullopt) {
    vault.emplace(*Vault::Create(vault_dir, key));
    vault->SetCompression(compression);
    auto t = CreateSignedBaseline(root, *vault, TestKey(), opt, nullptr);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    text = *t;
    auto m = ParseSignedManifest(text, TestKey().PublicKey());
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    manifest = *m;
    GuardOptions go;
    go.sink = &sink;
    auto g = Guard::Create(root, manifest, &*vault, go);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    guard = std::move(*g);
  }

  // Differences between the tree and the baseline (a dry-run guard changes nothing).
  std::vector<Finding> Diff() {
    GuardOptions go;
    go.dry_run = true;
    auto g = Guard::Create(root, manifest, &*vault, go);
    EXPECT_TRUE(g.ok());
    return (*g)->Check(".", true);
  }
};

std::string Kinds(const std::vector<Finding>& fs) {
  std::string s;
  for (const auto& f : fs) s += EncodeField(f.path) + ":" + f.kind + "/" + f.action + " ";
  return s;
}

// ---- Manifest -------------------------------------------------------------------------------

Manifest SampleManifest() {
  Manifest m;
  m.version = 1;
  m.site_root = "/var/www/政府 site";
  m.created = 1'795'000'000LL * kNanosPerSecond + 5 * kNanosPerMilli;
  m.signer = TestKey().PublicKey().Fingerprint();
  m.excludes = {"*.log", "cache"};
  Entry root{".", EntryType::kDir, 0755, 0, 0, 0, {}, {}, {}};
  Entry a{"a b\nc", EntryType::kFile, 0644, 33, 33, 5, crypto::Sm3("hello"), {}, {}};
  Entry d{"d", EntryType::kDir, 0750, 1, 2, 0, {}, {}, {}};
  Entry bad{"d/\xff\xfe%", EntryType::kFile, 0600, 0, 0, 0, crypto::Sm3(""), {}, {}};
  Entry link{"d/l", EntryType::kSymlink, 0777, 0, 0, 8, {}, {}, "../a b\nc"};
  Entry longname{
      "d/" + std::string(255, 'x'), EntryType::kFile, 0644, 0, 0, 1, crypto::Sm3("x"), {}, {}};
  m.entries = {root, a, d, link, longname, bad};  // bytewise: "l" < "x..." < 0xff
  m.BuildIndex();
  return m;
}

TEST(Manifest, FieldEncodingIsCanonical) {
  std::string raw = "a b%\n\xff/政";
  std::string enc = EncodeField(raw);
  EXPECT_EQ(enc, "a%20b%25%0A%FF/%E6%94%BF");
  EXPECT_EQ(DecodeField(enc), raw);
  EXPECT_FALSE(DecodeField("%e6"));   // lowercase hex
  EXPECT_FALSE(DecodeField("%41"));   // needless escape of 'A'
  EXPECT_FALSE(DecodeField("ab%4"));  // truncated
  EXPECT_FALSE(DecodeField(""));
  EXPECT_FALSE(DecodeField("a b"));  // raw space
}

TEST(Manifest, SignedRoundTrip) {
  Manifest m = SampleManifest();
  auto text = SignManifest(m, TestKey());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto back = ParseSignedManifest(*text, TestKey().PublicKey());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->site_root, m.site_root);
  EXPECT_EQ(back->created, m.created);
  EXPECT_EQ(back->excludes, m.excludes);
  ASSERT_EQ(back->entries.size(), m.entries.size());
  for (size_t i = 0; i < m.entries.size(); ++i) {
    EXPECT_EQ(back->entries[i].path, m.entries[i].path);
    EXPECT_EQ(back->entries[i].type, m.entries[i].type);
    EXPECT_EQ(back->entries[i].mode, m.entries[i].mode);
    EXPECT_EQ(back->entries[i].uid, m.entries[i].uid);
    EXPECT_EQ(back->entries[i].sm3, m.entries[i].sm3);
    EXPECT_EQ(back->entries[i].target, m.entries[i].target);
  }
  // Canonical: re-serialising the parsed value gives the same signed body.
  auto body1 = SerializeManifestBody(m);
  auto body2 = SerializeManifestBody(*back);
  ASSERT_TRUE(body1.ok() && body2.ok());
  EXPECT_EQ(*body1, *body2);
  EXPECT_EQ(text->substr(0, body1->size()), *body1);
}

TEST(Manifest, RejectsUnsignedTamperedAndForeignKey) {
  auto text = SignManifest(SampleManifest(), TestKey());
  ASSERT_TRUE(text.ok());
  auto body = SerializeManifestBody(SampleManifest());
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(ParseSignedManifest(*body, TestKey().PublicKey()).ok());  // unsigned
  EXPECT_FALSE(ParseManifestUnverified(*body).ok());
  auto other = crypto::Sm2PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(ParseSignedManifest(*text, other->PublicKey()).ok());  // foreign key
  // Flipping any single byte of the body breaks either the parse or the signature.
  int rejected = 0, total = 0;
  for (size_t i = 0; i < body->size(); i += 7) {
    std::string t = *text;
    t[i] = char(t[i] ^ 0x01);
    ++total;
    if (!ParseSignedManifest(t, TestKey().PublicKey()).ok()) ++rejected;
  }
  EXPECT_EQ(rejected, total);
  // A signature by a foreign key over a manifest naming our signer does not verify.
  Manifest m = SampleManifest();
  auto body2 = SerializeManifestBody(m);
  auto sig = other->Sign(*body2);
  ASSERT_TRUE(sig.ok());
  std::string forged = *body2 + "signature " + HexEncode(*sig) + "\n";
  EXPECT_FALSE(ParseSignedManifest(forged, TestKey().PublicKey()).ok());
  // Trailing bytes after the signature line are rejected.
  EXPECT_FALSE(ParseSignedManifest(*text + "x\n", TestKey().PublicKey()).ok());
}

TEST(Manifest, RejectsStructuralViolations) {
  Manifest m = SampleManifest();
  std::swap(m.entries[1], m.entries[2]);  // order
  EXPECT_FALSE(SerializeManifestBody(m).ok());
  m = SampleManifest();
  m.entries.push_back(Entry{"zz/orphan", EntryType::kFile, 0644, 0, 0, 0, crypto::Sm3(""), {}, {}});
  EXPECT_FALSE(SerializeManifestBody(m).ok());  // parent missing
  m = SampleManifest();
  m.entries.push_back(Entry{"zz/..", EntryType::kDir, 0755, 0, 0, 0, {}, {}, {}});
  EXPECT_FALSE(SerializeManifestBody(m).ok());
  m = SampleManifest();
  m.version = 2;  // no previous
  EXPECT_FALSE(SerializeManifestBody(m).ok());
  m = SampleManifest();
  m.entries.push_back(Entry{"x.log", EntryType::kFile, 0644, 0, 0, 0, crypto::Sm3(""), {}, {}});
  EXPECT_FALSE(SerializeManifestBody(m).ok());  // excluded path listed

  // Text-level non-canonical forms, even when correctly signed, are rejected by the parser.
  auto body = *SerializeManifestBody(SampleManifest());
  auto resign = [&](std::string b) {
    return b + "signature " + HexEncode(*TestKey().Sign(b)) + "\n";
  };
  auto replace = [&](std::string from, std::string to) {
    std::string b = body;
    size_t p = b.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    b.replace(p, from.size(), to);
    return resign(b);
  };
  EXPECT_TRUE(ParseSignedManifest(resign(body), TestKey().PublicKey()).ok());
  EXPECT_FALSE(ParseSignedManifest(replace("version 1", "version 01"), TestKey().PublicKey()).ok());
  EXPECT_FALSE(ParseSignedManifest(replace(" 0644 33", " 644 33"), TestKey().PublicKey()).ok());
  EXPECT_FALSE(ParseSignedManifest(replace("entries 6", "entries 7"), TestKey().PublicKey()).ok());
  EXPECT_FALSE(ParseSignedManifest(replace("\nd 0750", "\nd  0750"), TestKey().PublicKey()).ok());
  EXPECT_FALSE(ParseSignedManifest(replace("%0A", "%0a"), TestKey().PublicKey()).ok());
  EXPECT_FALSE(
      ParseSignedManifest(replace("GSBASELINE 1", "GSBASELINE 2"), TestKey().PublicKey()).ok());
}

// ---- Baseline and vault ----------------------------------------------------------------------

TEST(Baseline, RecordsTreeAndFillsVault) {
  Site s;
  BaselineOptions opt;
  opt.with_sha256 = true;
  opt.excludes = {"*.tmp"};
  Write(s.root + "/news/draft.tmp", "scratch");
  ASSERT_NO_FATAL_FAILURE(s.Baseline(opt));
  const Manifest& m = s.manifest;
  EXPECT_EQ(m.version, 1u);
  EXPECT_EQ(m.entries.size(), 11u);  // . home.html index.html news news/2026 news/2026/a.html
                                     // news/index.html static static/app.js static/css site.css
  EXPECT_EQ(m.Find("news/draft.tmp"), nullptr);
  const Entry* css = m.Find("static/css/site.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->mode, 0640u);
  EXPECT_EQ(css->sm3, crypto::Sm3("body{}"));
  EXPECT_EQ(css->sha256, crypto::Sha256("body{}"));
  const Entry* link = m.Find("home.html");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, EntryType::kSymlink);
  EXPECT_EQ(link->target, "index.html");
  auto n = s.vault->VerifyObjects(m, 2);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 5u);
  EXPECT_EQ(*s.vault->GetObject(*css->sm3), "body{}");

  // A second baseline chains to the first.
  Write(s.root + "/index.html", "<html>v2</html>");
  auto t2 = CreateSignedBaseline(s.root, *s.vault, TestKey(), opt, nullptr);
  ASSERT_TRUE(t2.ok());
  auto m2 = ParseSignedManifest(*t2, TestKey().PublicKey());
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m2->version, 2u);
  EXPECT_EQ(m2->previous, crypto::Sm3(s.text));
  EXPECT_EQ(*s.vault->ReadCurrentManifest(), *t2);
}

TEST(Baseline, EncryptedVaultAndCorruptionDetected) {
  Site s;
  std::string key(16, '\x42');
  ASSERT_NO_FATAL_FAILURE(s.Baseline({}, key));
  const Entry* e = s.manifest.Find("index.html");
  ASSERT_NE(e, nullptr);
  // The stored object is not the plaintext.
  auto loc = s.vault->LocateObject(*e->sm3);
  ASSERT_TRUE(loc.ok()) << loc.status().ToString();
  std::string pack = Read(loc->path);
  std::string stored = pack.substr(loc->offset, loc->size);
  EXPECT_EQ(stored.size(), std::string("<html>home</html>").size() + 12 + 16);  // IV, GCM tag
  EXPECT_EQ(pack.find("<html>home"), std::string::npos);
  EXPECT_EQ(*s.vault->GetObject(*e->sm3), "<html>home</html>");
  EXPECT_FALSE(Vault::Open(s.vault_dir, std::nullopt).ok());
  EXPECT_FALSE(Vault::Open(s.vault_dir, std::string(16, '\x43')).ok());
  // Flip one byte of an object: verification names it.
  pack[loc->offset + loc->size / 2] ^= 1;
  Write(loc->path, pack, 0600);
  auto v = s.vault->VerifyObjects(s.manifest, 2);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kDataLoss);
  EXPECT_FALSE(s.vault->GetObject(*e->sm3).ok());
}

std::vector<std::string> PackFiles(const std::string& vault_dir, const std::string& suffix) {
  std::vector<std::string> out;
  auto names = platform::ListDir(vault_dir + "/packs");
  if (names.ok())
    for (const auto& n : *names)
      if (n.size() > suffix.size() && n.substr(n.size() - suffix.size()) == suffix)
        out.push_back(n);
  return out;
}

TEST(Vault, PackOfADeadWriterIsIgnoredThenRemoved) {
  Site s;
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  ASSERT_EQ(PackFiles(s.vault_dir, ".pack").size(), PackFiles(s.vault_dir, ".idx").size());
  crypto::Digest orphan = crypto::Sm3("never synced");
  {
    // A writer that stores an object and dies before Sync: its pack has no index.
    auto w = Vault::Open(s.vault_dir, std::nullopt);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->PutObject(orphan, "never synced", /*durable=*/false).ok());
  }
  EXPECT_EQ(PackFiles(s.vault_dir, ".pack").size(), PackFiles(s.vault_dir, ".idx").size() + 1);
  auto v = Vault::Open(s.vault_dir, std::nullopt);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->HasObject(orphan));
  auto n = v->VerifyObjects(s.manifest, 2);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 5u);
  // The next writer removes it.
  ASSERT_TRUE(v->PutObject(crypto::Sm3("x"), "x").ok());
  EXPECT_EQ(PackFiles(s.vault_dir, ".pack").size(), PackFiles(s.vault_dir, ".idx").size());
  EXPECT_EQ(*Vault::Open(s.vault_dir, std::nullopt)->GetObject(crypto::Sm3("x")), "x");
}

TEST(Vault, CorruptPackIndexIsNamed) {
  Site s;
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  auto idx = PackFiles(s.vault_dir, ".idx");
  ASSERT_FALSE(idx.empty());
  std::string path = s.vault_dir + "/packs/" + idx[0], text = Read(path);
  text[20] ^= 1;
  Write(path, text, 0600);
  auto v = Vault::Open(s.vault_dir, std::nullopt);
  ASSERT_TRUE(v.ok());
  auto n = v->VerifyObjects(s.manifest, 2);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(n.status().message().find("vault pack " + idx[0].substr(0, 32)), std::string::npos)
      << n.status().ToString();
}

TEST(Vault, FormatOneVaultWithLooseObjectsStillWorks) {
  TempDir tmp;
  std::string dir = tmp.path() + "/vault";
  crypto::Digest old = crypto::Sm3("old page");
  std::string hex = crypto::DigestHex(old);
  ASSERT_TRUE(platform::MakeDirs(dir + "/objects/" + hex.substr(0, 2)).ok());
  Write(dir + "/vault.conf", "govshield-vault 1\nencryption none\n", 0600);
  Write(dir + "/objects/" + hex.substr(0, 2) + "/" + hex, "old page", 0600);
  auto v = Vault::Open(dir, std::nullopt);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v->GetObject(old), "old page");
  Manifest m;
  Entry e;
  e.path = "a.html";
  e.type = EntryType::kFile;
  e.sm3 = old;
  m.entries.push_back(e);
  EXPECT_EQ(*v->VerifyObjects(m, 2), 1u);
  // Writing a pack upgrades vault.conf, so an older govshield refuses it instead of missing
  // objects; both kinds of object stay readable.
  ASSERT_TRUE(v->PutObject(crypto::Sm3("new page"), "new page").ok());
  EXPECT_EQ(Read(dir + "/vault.conf"), "govshield-vault 3\nencryption none\n");
  auto v2 = Vault::Open(dir, std::nullopt);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2->GetObject(old), "old page");
  EXPECT_EQ(*v2->GetObject(crypto::Sm3("new page")), "new page");
  EXPECT_EQ(*v2->VerifyObjects(m, 2), 2u);
}

// The stored record of an object: its magic ("GSOB" as it is, "GSOZ" zstd) and stored bytes.
std::pair<std::string, std::string> StoredRecord(const Vault& v, const crypto::Digest& sm3) {
  auto loc = v.LocateObject(sm3);
  if (!loc.ok()) return {"<missing>", ""};
  std::string pack = Read(loc->path);
  return {pack.substr(loc->offset - 44, 4), pack.substr(loc->offset, loc->size)};
}

std::string WebPage(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i)
    s += "<div class=\"item\"><a href=\"/news/" + std::to_string(i) + ".html\">news " +
         std::to_string(i * 7919 % 1000) + "</a></div>\n";
  s.resize(n);
  return s;
}

TEST(Vault, CompressesWhatShrinksAndStoresTheRestAsItIs) {
  TempDir tmp;
  for (bool encrypted : {false, true}) {
    SCOPED_TRACE(encrypted ? "encrypted" : "plain");
    std::optional<std::string> key;
    if (encrypted) key = std::string(16, '\x42');
    std::string dir = tmp.path() + (encrypted ? "/enc" : "/plain");
    auto v = Vault::Create(dir, key);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(Read(dir + "/vault.conf").substr(0, 18), "govshield-vault 3\n");
    v->SetCompression(VaultCompression::kAlways);
    std::mt19937_64 rng(7);
    std::string page = WebPage(20000), noise(20000, '\0'), tiny = "<p>hi</p>",
                png = "\x89PNG\r\n\x1a\n" + std::string(5000, 'x'), big = WebPage(9 << 20);
    for (char& c : noise) c = char(rng());
    std::vector<std::string> all = {page, noise, tiny, png, big};
    std::vector<crypto::Digest> d;
    std::vector<std::string_view> views;
    for (const auto& c : all) {
      d.push_back(crypto::Sm3(c));
      views.push_back(c);
    }
    ASSERT_TRUE(v->PutObjects(d, views, /*durable=*/false).ok());
    ASSERT_TRUE(v->Sync().ok());
    size_t overhead = encrypted ? 12 + 16 : 0;
    auto [m0, s0] = StoredRecord(*v, d[0]);
    EXPECT_EQ(m0, "GSOZ");
    EXPECT_LT(s0.size(), page.size() / 3);
    EXPECT_EQ(StoredRecord(*v, d[1]).first, "GSOB");  // random bytes: would not shrink
    EXPECT_EQ(StoredRecord(*v, d[1]).second.size(), noise.size() + overhead);
    EXPECT_EQ(StoredRecord(*v, d[2]).first, "GSOB");  // too small to try
    EXPECT_EQ(StoredRecord(*v, d[3]).first, "GSOB");  // a PNG is not tried
    EXPECT_EQ(StoredRecord(*v, d[4]).first, "GSOZ");  // larger than a pack chunk
    auto v2 = Vault::Open(dir, key);
    ASSERT_TRUE(v2.ok());
    for (size_t i = 0; i < all.size(); ++i) {
      auto got = v2->GetObject(d[i]);
      ASSERT_TRUE(got.ok()) << i << " " << got.status().ToString();
      EXPECT_TRUE(*got == all[i]) << i;
    }
    Manifest m;
    EXPECT_EQ(*v2->VerifyObjects(m, 2), all.size());
    // kNever: stored as it is.
    v2->SetCompression(VaultCompression::kNever);
    std::string page2 = WebPage(30000);
    ASSERT_TRUE(v2->PutObject(crypto::Sm3(page2), page2).ok());
    EXPECT_EQ(StoredRecord(*v2, crypto::Sm3(page2)).first, "GSOB");
    // A flipped byte in a compressed object is DATA_LOSS, by zstd, GCM or SM3.
    auto loc = v2->LocateObject(d[0]);
    std::string pack = Read(loc->path);
    pack[loc->offset + loc->size / 2] ^= 0x20;
    Write(loc->path, pack, 0600);
    auto bad = Vault::Open(dir, key)->GetObject(d[0]);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
    auto ver = Vault::Open(dir, key)->VerifyObjects(m, 2);
    EXPECT_EQ(ver.status().code(), StatusCode::kDataLoss);
  }
}

TEST(Vault, FormatTwoVaultStillOpensAndIsUpgradedByItsFirstPack) {
  TempDir tmp;
  std::string dir = tmp.path() + "/vault";
  {
    auto v = Vault::Create(dir, std::nullopt);
    ASSERT_TRUE(v.ok());
    v->SetCompression(VaultCompression::kNever);  // a format-2 pack: GSOB records only
    ASSERT_TRUE(v->PutObject(crypto::Sm3("old page"), "old page").ok());
  }
  Write(dir + "/vault.conf", "govshield-vault 2\nencryption none\n", 0600);
  auto v = Vault::Open(dir, std::nullopt);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v->GetObject(crypto::Sm3("old page")), "old page");
  std::string page = WebPage(4000);
  v->SetCompression(VaultCompression::kAlways);
  ASSERT_TRUE(v->PutObject(crypto::Sm3(page), page).ok());
  EXPECT_EQ(Read(dir + "/vault.conf"), "govshield-vault 3\nencryption none\n");
  auto v2 = Vault::Open(dir, std::nullopt);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2->GetObject(crypto::Sm3("old page")), "old page");
  EXPECT_EQ(*v2->GetObject(crypto::Sm3(page)), page);
  // A format this version does not know is refused, not misread.
  Write(dir + "/vault.conf", "govshield-vault 4\nencryption none\n", 0600);
  EXPECT_EQ(Vault::Open(dir, std::nullopt).status().code(), StatusCode::kDataLoss);
  Write(dir + "/vault.conf", "govshield-vault 0\nencryption none\n", 0600);
  EXPECT_EQ(Vault::Open(dir, std::nullopt).status().code(), StatusCode::kDataLoss);
}

TEST(Baseline, RestoresFromCompressedObjects) {
  Site s;
  s.compression = VaultCompression::kAlways;
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  const Entry* e = s.manifest.Find("news/2026/a.html");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(StoredRecord(*s.vault, *e->sm3).first, "GSOZ");
  Write(s.root + "/news/2026/a.html", "defaced");
  auto f = s.guard->Check("news/2026/a.html", false);
  ASSERT_EQ(f.size(), 1u) << Kinds(f);
  EXPECT_EQ(f[0].action, "restored");
  EXPECT_EQ(Read(s.root + "/news/2026/a.html"), std::string(10240, 'a'));
}

TEST(Baseline, NeverFollowsSymlinkedDirectories) {
  Site s;
  TempDir outside;
  Write(outside.path() + "/secret", "outside");
  ::symlink(outside.path().c_str(), (s.root + "/linkdir").c_str());
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  const Entry* e = s.manifest.Find("linkdir");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, EntryType::kSymlink);
  EXPECT_EQ(s.manifest.Find("linkdir/secret"), nullptr);
}

// ---- Restorer --------------------------------------------------------------------------------

class Restore : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(s.Baseline()); }
  // Runs the guard on `rel` and checks the tree matches the baseline afterwards.
  std::vector<Finding> FixAndVerify(const std::string& rel, bool recursive = false) {
    auto f = s.guard->Check(rel, recursive, Writer{4242, "evil --x"});
    auto diff = s.Diff();
    EXPECT_TRUE(diff.empty()) << Kinds(diff);
    return f;
  }
  Site s;
};

TEST_F(Restore, Modify) {
  Write(s.root + "/index.html", "<html>HACKED</html>");
  auto f = FixAndVerify("index.html");
  ASSERT_EQ(f.size(), 1u) << Kinds(f);
  EXPECT_EQ(f[0].kind, "modify");
  EXPECT_EQ(f[0].action, "restored");
  EXPECT_EQ(f[0].before, crypto::Sm3("<html>HACKED</html>"));
  EXPECT_EQ(Read(s.root + "/index.html"), "<html>home</html>");
  // The tampered content is kept as evidence.
  std::string q = s.vault->QuarantineDir() + "/" + f[0].quarantine_id;
  EXPECT_EQ(Read(q), "<html>HACKED</html>");
  auto ev = nlohmann::json::parse(Read(q + ".json"));
  EXPECT_EQ(ev["path"], "index.html");
  EXPECT_EQ(ev["sm3"], crypto::DigestHex(crypto::Sm3("<html>HACKED</html>")));
  EXPECT_EQ(ev["writer_pid"], 4242);
  // The audit record.
  auto recs = s.sink.records();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["source"], "tamper");
  EXPECT_EQ(recs[0]["type"], "tamper");
  EXPECT_EQ(recs[0]["kind"], "modify");
  EXPECT_EQ(recs[0]["before_sm3"], crypto::DigestHex(crypto::Sm3("<html>HACKED</html>")));
  EXPECT_EQ(recs[0]["after_sm3"], crypto::DigestHex(crypto::Sm3("<html>home</html>")));
  EXPECT_EQ(recs[0]["writer_cmdline"], "evil --x");
}

TEST_F(Restore, AppendAndTruncate) {
  std::string p = s.root + "/news/2026/a.html";
  {
    std::ofstream o(p, std::ios::app);
    o << "<script src=//evil></script>";
  }
  auto f = FixAndVerify("news/2026/a.html");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "modify");
  ASSERT_EQ(::truncate(p.c_str(), 10), 0);
  f = FixAndVerify("news/2026/a.html");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Read(p), std::string(10240, 'a'));
}

TEST_F(Restore, DeleteAndRename) {
  ASSERT_EQ(::unlink((s.root + "/news/index.html").c_str()), 0);
  auto f = FixAndVerify("news/index.html");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "delete");
  ASSERT_EQ(::rename((s.root + "/index.html").c_str(), (s.root + "/moved.html").c_str()), 0);
  s.guard->Check("index.html", false);
  f = FixAndVerify("moved.html");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "create");
  EXPECT_EQ(f[0].action, "quarantined");
  EXPECT_EQ(Read(s.vault->QuarantineDir() + "/" + f[0].quarantine_id), "<html>home</html>");
}

TEST_F(Restore, ChmodAndChownAndDirectoryMode) {
  ASSERT_EQ(::chmod((s.root + "/static/app.js").c_str(), 04777), 0);
  auto f = FixAndVerify("static/app.js");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "chmod");
  EXPECT_EQ(f[0].action, "metadata_fixed");
  struct stat st;
  ASSERT_EQ(::stat((s.root + "/static/app.js").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown((s.root + "/index.html").c_str(), 12345, 54321), 0);
    f = FixAndVerify("index.html");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, "chown");
  }
  ASSERT_EQ(::chmod((s.root + "/news").c_str(), 0777), 0);
  f = FixAndVerify("news");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "chmod");
}

TEST_F(Restore, NewPhpFileIsQuarantinedWithEvidence) {
  Write(s.root + "/news/2026/shell.php", "<?php eval($_POST['x']); ?>");
  auto f = FixAndVerify("news/2026/shell.php");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "create");
  EXPECT_EQ(f[0].action, "quarantined");
  std::string q = s.vault->QuarantineDir() + "/" + f[0].quarantine_id;
  EXPECT_EQ(Read(q), "<?php eval($_POST['x']); ?>");
  auto ev = nlohmann::json::parse(Read(q + ".json"));
  EXPECT_EQ(ev["path"], "news/2026/shell.php");
  EXPECT_EQ(ev["size"], 27);
  EXPECT_EQ(ev["removed_from_root"], true);
}

TEST_F(Restore, FileReplacedBySymlinkToEtcPasswd) {
  std::string p = s.root + "/index.html";
  std::string before = Read("/etc/passwd");
  ASSERT_EQ(::unlink(p.c_str()), 0);
  ASSERT_EQ(::symlink("/etc/passwd", p.c_str()), 0);
  auto f = FixAndVerify("index.html");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "symlink_swap");
  struct stat st;
  ASSERT_EQ(::lstat(p.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(Read(p), "<html>home</html>");
  EXPECT_EQ(Read("/etc/passwd"), before);  // the target was never written
  // The evidence is the link itself, not a copy of /etc/passwd.
  std::string q = s.vault->QuarantineDir() + "/" + f[0].quarantine_id;
  ASSERT_EQ(::lstat(q.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST_F(Restore, SymlinkRetargetedAndDeletedIsRestoredAsSymlink) {
  std::string p = s.root + "/home.html";
  ASSERT_EQ(::unlink(p.c_str()), 0);
  ASSERT_EQ(::symlink("/etc/shadow", p.c_str()), 0);
  auto f = FixAndVerify("home.html");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "symlink_swap");
  ASSERT_EQ(::unlink(p.c_str()), 0);
  Write(p, "not a link");
  f = FixAndVerify("home.html");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "type_change");
  char buf[64] = {};
  ASSERT_GT(::readlink(p.c_str(), buf, sizeof buf - 1), 0);
  EXPECT_STREQ(buf, "index.html");
}

TEST_F(Restore, DirectoryReplacedByFileAndFileByDirectory) {
  std::string dir = s.root + "/news";
  ASSERT_EQ(::rename(dir.c_str(), (s.tmp.path() + "/stolen").c_str()), 0);
  Write(dir, "<html>defaced</html>");
  auto f = FixAndVerify("news");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "type_change");
  EXPECT_EQ(Read(s.root + "/news/2026/a.html"), std::string(10240, 'a'));
  // A file replaced by a directory full of things.
  std::string file = s.root + "/static/app.js";
  ASSERT_EQ(::unlink(file.c_str()), 0);
  ASSERT_EQ(::mkdir(file.c_str(), 0755), 0);
  Write(file + "/x.php", "<?php ?>");
  f = FixAndVerify("static/app.js");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "type_change");
  EXPECT_EQ(Read(s.vault->QuarantineDir() + "/" + f[0].quarantine_id + "/x.php"), "<?php ?>");
}

TEST_F(Restore, FullScanFindsEverythingAndIsIdempotent) {
  Write(s.root + "/index.html", "x");
  ::unlink((s.root + "/static/css/site.css").c_str());
  Write(s.root + "/static/css/new.php", "<?php");
  ::chmod((s.root + "/news/2026").c_str(), 0700);
  auto f = s.guard->FullScan();
  EXPECT_EQ(f.size(), 4u) << Kinds(f);
  EXPECT_TRUE(s.Diff().empty());
  EXPECT_TRUE(s.guard->FullScan().empty());
  EXPECT_EQ(s.sink.records().size(), 4u);
}

TEST_F(Restore, SymlinkedParentIsNotFollowedOutOfRoot) {
  // The attacker swaps a baseline directory for a link to a directory outside the root that
  // holds files with the same names; the guard must fix the link, never touch the outside.
  TempDir outside;
  platform::MakeDirs(outside.path() + "/2026").IgnoreError();
  Write(outside.path() + "/index.html", "outside news");
  Write(outside.path() + "/2026/a.html", "outside a");
  Write(outside.path() + "/extra.php", "outside extra");
  std::string news = s.root + "/news";
  ASSERT_EQ(::rename(news.c_str(), (s.tmp.path() + "/gone").c_str()), 0);
  ASSERT_EQ(::symlink(outside.path().c_str(), news.c_str()), 0);
  // An event on a file below the link: ancestors are repaired first.
  auto f = FixAndVerify("news/2026/a.html");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].path, "news");
  EXPECT_EQ(f[0].kind, "symlink_swap");
  EXPECT_EQ(Read(outside.path() + "/index.html"), "outside news");
  EXPECT_EQ(Read(outside.path() + "/2026/a.html"), "outside a");
  EXPECT_EQ(Read(outside.path() + "/extra.php"), "outside extra");
  struct stat st;
  ASSERT_EQ(::lstat(news.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  // Same with the file-level check of an unknown name through a link: nothing outside moves.
  ASSERT_EQ(::symlink(outside.path().c_str(), (s.root + "/static/css/evil").c_str()), 0);
  s.guard->Check("static/css/evil/extra.php", false);
  EXPECT_EQ(Read(outside.path() + "/extra.php"), "outside extra");
  EXPECT_TRUE(s.Diff().empty());
}

TEST(HostileNames, BaselineRestoreAndLogLosslessly) {
  Site s;
  std::vector<std::string> names = {
      "new\nline.html", "\xff\xfeinvalid.html",          std::string(255, 'n'),
      "sp ace%.html",   "\xe6\x94\xbf\xe5\xba\x9c.html", "-",
      "tab\there"};
  for (const auto& n : names) Write(s.root + "/" + n, "content of " + n);
  // A deep tree whose path is longer than PATH_MAX.
  std::string deep = s.root;
  std::string deep_rel;
  for (int i = 0; i < 24; ++i) {
    std::string comp = std::string(200, char('a' + i % 26));
    deep += "/" + comp;
    deep_rel += (deep_rel.empty() ? "" : "/") + comp;
  }
  {
    // Create it with *at() calls: the full path exceeds PATH_MAX.
    int fd = ::open(s.root.c_str(), O_RDONLY | O_DIRECTORY);
    for (int i = 0; i < 24; ++i) {
      std::string comp = std::string(200, char('a' + i % 26));
      ASSERT_EQ(::mkdirat(fd, comp.c_str(), 0755), 0);
      int next = ::openat(fd, comp.c_str(), O_RDONLY | O_DIRECTORY);
      ::close(fd);
      fd = next;
    }
    int f = ::openat(fd, "leaf\n.html", O_WRONLY | O_CREAT, 0644);
    ASSERT_EQ(::write(f, "deep", 4), 4);
    ::close(f);
    ::close(fd);
  }
  deep_rel += "/leaf\n.html";
  ASSERT_GT(deep_rel.size(), 4096u);
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  for (const auto& n : names) ASSERT_NE(s.manifest.Find(n), nullptr) << EncodeField(n);
  ASSERT_NE(s.manifest.Find(deep_rel), nullptr);

  // Tamper with each, and drop hostile new files.
  for (const auto& n : names) Write(s.root + "/" + n, "tampered");
  Write(s.root + "/drop\n\xc0.php", "<?php");
  {
    auto p = OpenParentBeneath(s.guard->root_fd(), deep_rel);
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(::unlinkat(p->dir.get(), p->name.c_str(), 0), 0);
  }
  for (const auto& n : names) s.guard->Check(n, false);
  s.guard->Check("drop\n\xc0.php", false);
  s.guard->Check(deep_rel, false);
  EXPECT_TRUE(s.Diff().empty()) << Kinds(s.Diff());
  for (const auto& n : names) EXPECT_EQ(Read(s.root + "/" + n), "content of " + n);

  std::set<std::string> logged;
  for (const auto& r : s.sink.records()) logged.insert(RecordPath(r));
  for (const auto& n : names) EXPECT_TRUE(logged.count(n)) << EncodeField(n);
  EXPECT_TRUE(logged.count("drop\n\xc0.php"));
  EXPECT_TRUE(logged.count(deep_rel));
  // Invalid UTF-8 went to path_b64, valid names (with newline) to path.
  for (const auto& r : s.sink.records()) {
    std::string p = RecordPath(r);
    EXPECT_EQ(r.contains("path"), IsValidUtf8(p)) << EncodeField(p);
  }
}

}  // namespace
}  // namespace gs::tamper

namespace gs::tamper {
namespace {

// The fuzz seeds are meant to reach deep into the parser: the valid ones must verify with the
// fuzz key, the broken ones must all be rejected.
TEST(Manifest, FuzzSeedCorpusHasValidAndInvalidSeeds) {
  auto key = crypto::Sm2PrivateKey::FromScalar(Bytes(32, 0x11));
  ASSERT_TRUE(key.ok());
  std::string dir = std::string(GS_SOURCE_DIR) + "/fuzz/corpus/baseline_manifest";
  auto names = platform::ListDir(dir);
  ASSERT_TRUE(names.ok());
  int valid = 0, invalid = 0;
  for (const auto& n : *names) {
    auto text = platform::ReadFile(dir + "/" + n);
    ASSERT_TRUE(text.ok());
    if (ParseSignedManifest(*text, key->PublicKey()).ok()) {
      ++valid;
    } else {
      ++invalid;
    }
  }
  EXPECT_EQ(valid, 6);
  EXPECT_GE(invalid, 10);
}

}  // namespace
}  // namespace gs::tamper

// ---- Integration: the real govshield binary ---------------------------------------------------

#include <chrono>
#include <random>
#include <sstream>
#include <thread>

#include "testlib/subprocess.h"

namespace gs::tamper {
namespace {

using gs::testing::BackgroundProcess;
using gs::testing::GovshieldBinary;
using gs::testing::RunProcess;
using gs::testing::WaitFor;

size_t EnvSize(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? size_t(std::strtoull(v, nullptr, 10)) : fallback;
}

std::vector<nlohmann::json> ReadRecords(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(j);
  }
  return out;
}

// The records of `type` in an audit store, through the real `audit query --raw`.
std::vector<nlohmann::json> AuditRecords(const std::string& store, const std::string& type) {
  auto q =
      RunProcess({GovshieldBinary(), "audit", "query", "--store", store, "--type", type, "--raw"});
  EXPECT_EQ(q.exit_code, 0) << q.err;
  std::vector<nlohmann::json> out;
  std::istringstream in(q.out);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    if (!j.is_discarded()) out.push_back(j);
  }
  return out;
}

std::multiset<std::string> AuditPaths(const std::string& store, const std::string& type) {
  std::multiset<std::string> m;
  for (const auto& j : AuditRecords(store, type)) m.insert(RecordPath(j));
  return m;
}

// Builds a tree of `files` files under `dirs` directories (two levels), runs the real
// `tamper baseline` and `tamper watch`, performs random tamper actions on distinct targets and
// waits until the watcher has converged: the tree verifies and every action has a record.
void RunRandomTamper(bool fanotify) {
  const size_t kFiles = EnvSize("GS_TAMPER_FILES", 10000);
  const size_t kActions = EnvSize("GS_TAMPER_ACTIONS", 1000);
  TempDir tmp;
  std::string root = tmp.path() + "/www", vault = tmp.path() + "/vault";
  std::string events = tmp.path() + "/events.jsonl", ready = tmp.path() + "/ready";
  const size_t kDirs = std::max<size_t>(10, kFiles / 50);
  std::vector<std::string> dirs, files;
  for (size_t d = 0; d < kDirs; ++d) {
    std::string rel = "s" + std::to_string(d % 10) + "/d" + std::to_string(d);
    ASSERT_TRUE(platform::MakeDirs(root + "/" + rel).ok());
    dirs.push_back(rel);
  }
  std::mt19937_64 rng(20261125);
  for (size_t i = 0; i < kFiles; ++i) {
    std::string rel = dirs[i % kDirs] + "/page" + std::to_string(i) + ".html";
    Write(root + "/" + rel, std::string(1000 + rng() % 9000, char('a' + i % 26)));
    files.push_back(rel);
  }
  std::string gs = GovshieldBinary();
  auto r = RunProcess({gs, "keys", "gen", "--out", tmp.path() + "/keys"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunProcess({gs, "tamper", "baseline", "--root", root, "--vault", vault, "--key",
                  tmp.path() + "/keys/sm2-private.pem"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string pub = tmp.path() + "/keys/sm2-public.pem";
  std::string store = tmp.path() + "/audit";
  r = RunProcess(
      {gs, "audit", "init", "--store", store, "--key", tmp.path() + "/keys/sm2-private.pem"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> argv = {
      gs,    "tamper",       "watch", "--root",           root,   "--vault",
      vault, "--pubkey",     pub,     "--events",         events, "--audit",
      store, "--ready-file", ready,   "--sweep-interval", "0"};
  if (!fanotify) argv.push_back("--no-fanotify");
  BackgroundProcess watch(argv, tmp.path());
  ASSERT_TRUE(WaitFor([&] { return platform::PathExists(ready); }, 30000))
      << Read(watch.StderrPath());
  EXPECT_EQ(Read(ready), fanotify ? "fanotify\n" : "inotify\n");

  // Reserve a few whole directories for "replace a directory by a file"; their files are not
  // used by other actions.
  std::shuffle(files.begin(), files.end(), rng);
  std::set<std::string> replaced_dirs;
  for (size_t i = 0; i < std::max<size_t>(1, kActions / 50); ++i)
    replaced_dirs.insert(dirs[(i * 7) % kDirs]);
  std::vector<std::string> targets;
  for (const auto& f : files)
    if (!replaced_dirs.count(std::string(ParentPath(f)))) targets.push_back(f);
  ASSERT_GE(targets.size(), kActions);

  std::vector<std::vector<std::string>> expect;  // per action: paths that must be recorded
  size_t next_target = 0;
  for (const auto& d : replaced_dirs) {
    // The watcher may restore the directory between our rename and our create: an attacker
    // would simply try again, and so do we.
    bool replaced = false;
    for (int attempt = 0; attempt < 50 && !replaced; ++attempt) {
      std::string away =
          tmp.path() + "/moved-" + std::to_string(expect.size()) + "-" + std::to_string(attempt);
      ::rename((root + "/" + d).c_str(), away.c_str());
      int fd = ::open((root + "/" + d).c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
      if (fd >= 0) {
        replaced = ::write(fd, "<html>defaced</html>", 20) == 20;
        ::close(fd);
      }
    }
    ASSERT_TRUE(replaced) << d;
    expect.push_back({d});
  }
  const char* kKinds[] = {"modify", "append", "truncate", "delete",
                          "rename", "chmod",  "newphp",   "symlink"};
  while (expect.size() < kActions) {
    std::string rel = targets[next_target++];
    std::string p = root + "/" + rel;
    std::string kind = kKinds[rng() % 8];
    if (kind == "modify") {
      Write(p, "<html>hacked " + std::to_string(rng()) + "</html>");
      expect.push_back({rel});
    } else if (kind == "append") {
      std::ofstream(p, std::ios::app) << "<a href=//dark.link>x</a>";
      expect.push_back({rel});
    } else if (kind == "truncate") {
      ASSERT_EQ(::truncate(p.c_str(), 3), 0);
      expect.push_back({rel});
    } else if (kind == "delete") {
      ASSERT_EQ(::unlink(p.c_str()), 0);
      expect.push_back({rel});
    } else if (kind == "rename") {
      ASSERT_EQ(::rename(p.c_str(), (p + ".bak").c_str()), 0);
      expect.push_back({rel, rel + ".bak"});
    } else if (kind == "chmod") {
      ASSERT_EQ(::chmod(p.c_str(), 0777), 0);
      expect.push_back({rel});
    } else if (kind == "newphp") {
      Write(p + ".php", "<?php @eval($_POST['c']);?>");
      expect.push_back({rel + ".php"});
    } else {
      // Swapped in atomically, as an attacker racing the guard would.
      std::string link = tmp.path() + "/link-" + std::to_string(expect.size());
      ASSERT_EQ(::symlink("/etc/passwd", link.c_str()), 0);
      ASSERT_EQ(::rename(link.c_str(), p.c_str()), 0);
      expect.push_back({rel});
    }
  }

  auto verify = [&] {
    return RunProcess({gs, "tamper", "verify", "--root", root, "--vault", vault, "--pubkey", pub})
               .exit_code == 0;
  };
  auto all_recorded = [&](std::string* missing) {
    std::set<std::string> seen;
    for (const auto& j : ReadRecords(events)) seen.insert(RecordPath(j));
    for (const auto& paths : expect)
      for (const auto& p : paths)
        if (!seen.count(p)) {
          if (missing) *missing = p;
          return false;
        }
    return true;
  };
  auto t_acted = std::chrono::steady_clock::now();
  bool converged = WaitFor([&] { return all_recorded(nullptr) && verify(); }, 120000);
  double converge_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_acted).count();
  std::string missing;
  EXPECT_TRUE(all_recorded(&missing)) << "no record for " << EncodeField(missing);
  auto v = RunProcess({gs, "tamper", "verify", "--root", root, "--vault", vault, "--pubkey", pub});
  EXPECT_EQ(v.exit_code, 0) << v.out.substr(0, 2000);
  EXPECT_TRUE(converged);
  // Every record is a well-formed tamper record; with fanotify the writer (this process) is
  // named in the records of the actions.
  size_t with_pid = 0, records = 0;
  for (const auto& j : ReadRecords(events)) {
    ++records;
    EXPECT_EQ(j["source"], "tamper");
    EXPECT_EQ(j["type"], "tamper");
    EXPECT_NE(j["action"], "failed") << j.dump();
    if (j.contains("writer_pid") && j["writer_pid"] == int(::getpid())) ++with_pid;
  }
  if (fanotify) {
    EXPECT_GE(with_pid, kActions);
  }
  std::fprintf(stderr,
               "[tamper] %s: %zu files, %zu actions, %zu records (%zu with writer pid), "
               "converged %.2f s after the last action\n",
               fanotify ? "fanotify" : "inotify", kFiles, expect.size(), records, with_pid,
               converge_s);
  watch.Signal(SIGTERM);
  EXPECT_EQ(watch.Wait(10000), 0);
  // The same records are in the tamper-evident audit store, which verifies.
  EXPECT_EQ(AuditPaths(store, "tamper"), [&] {
    std::multiset<std::string> m;
    for (const auto& j : ReadRecords(events)) m.insert(RecordPath(j));
    return m;
  }());
  auto av = RunProcess({gs, "audit", "verify", "--store", store});
  EXPECT_EQ(av.exit_code, 0) << av.out << av.err;
}

bool FanotifyAvailable() {
  int fd = ::fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME, O_RDONLY);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

TEST(TamperIntegration, RandomActionsConvergeInotify) { RunRandomTamper(false); }

TEST(TamperIntegration, RandomActionsConvergeFanotify) {
  // Where the kernel or container refuses fanotify the watcher falls back to inotify, which
  // the test above covers; this case then checks that the fallback is what runs.
  if (!FanotifyAvailable()) {
    TempDir tmp;
    auto r = RunProcess({GovshieldBinary(), "tamper", "watch", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    GTEST_SKIP() << "fanotify not available here";
  }
  RunRandomTamper(true);
}

}  // namespace
}  // namespace gs::tamper

namespace gs::tamper {
namespace {

// An authorised publish while `watch` runs: the watcher adopts the new signed baseline before
// judging the publisher's writes, so nothing is reverted or reported; later tampering is
// restored to the published content.
TEST(TamperIntegration, PublishWhileWatching) {
  TempDir tmp;
  std::string root = tmp.path() + "/www", stage = tmp.path() + "/stage";
  std::string vault = tmp.path() + "/vault", events = tmp.path() + "/events.jsonl";
  for (const std::string& d : {root, stage}) {
    ASSERT_TRUE(platform::MakeDirs(d + "/news").ok());
    Write(d + "/index.html", "<html>v1</html>");
    Write(d + "/news/old.html", "old");
    Write(d + "/news/keep.html", "keep");
  }
  Write(stage + "/index.html", "<html>v2</html>");
  ::unlink((stage + "/news/old.html").c_str());
  ASSERT_TRUE(platform::MakeDirs(stage + "/new").ok());
  Write(stage + "/new/page.html", "fresh");
  std::string gs = GovshieldBinary(), priv = tmp.path() + "/keys/sm2-private.pem",
              pub = tmp.path() + "/keys/sm2-public.pem";
  ASSERT_EQ(RunProcess({gs, "keys", "gen", "--out", tmp.path() + "/keys"}).exit_code, 0);
  std::string store = tmp.path() + "/audit";
  ASSERT_EQ(RunProcess({gs, "audit", "init", "--store", store, "--key", priv}).exit_code, 0);
  auto r = RunProcess({gs, "tamper", "baseline", "--root", root, "--vault", vault, "--key", priv,
                       "--audit", store});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto baseline_recs = AuditRecords(store, "baseline");
  ASSERT_EQ(baseline_recs.size(), 1u);
  EXPECT_EQ(baseline_recs[0]["version"], 1);
  EXPECT_EQ(baseline_recs[0]["files"], 3);
  BackgroundProcess watch({gs, "tamper", "watch", "--root", root, "--vault", vault, "--pubkey", pub,
                           "--events", events, "--audit", store, "--ready-file",
                           tmp.path() + "/ready", "--sweep-interval", "0", "--no-fanotify"},
                          tmp.path());
  ASSERT_TRUE(WaitFor([&] { return platform::PathExists(tmp.path() + "/ready"); }, 30000));

  // The watch holds the audit store: publish spools its records through the vault.
  r = RunProcess({gs, "tamper", "publish", "--root", root, "--vault", vault, "--key", priv,
                  "--from", stage, "--events", tmp.path() + "/publish.jsonl", "--audit", store});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Read(root + "/index.html"), "<html>v2</html>");
  EXPECT_EQ(Read(root + "/new/page.html"), "fresh");
  EXPECT_FALSE(platform::PathExists(root + "/news/old.html"));
  auto pubrecs = ReadRecords(tmp.path() + "/publish.jsonl");
  ASSERT_FALSE(pubrecs.empty());
  EXPECT_EQ(pubrecs.back()["type"], "publish");
  EXPECT_EQ(pubrecs.back()["version"], 2);
  EXPECT_EQ(pubrecs.back()["added"], 2);  // new, new/page.html
  EXPECT_EQ(pubrecs.back()["changed"], 1);
  EXPECT_EQ(pubrecs.back()["removed"], 1);

  // Give the watcher time to see the publish: nothing is reverted.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(Read(root + "/index.html"), "<html>v2</html>");
  EXPECT_EQ(Read(root + "/new/page.html"), "fresh");
  // The running watch applied the publish itself ("type":"publish"); nothing counted as tamper.
  auto count_type = [&](const std::string& type) {
    size_t n = 0;
    for (const auto& j : ReadRecords(events)) n += j["type"] == type;
    return n;
  };
  EXPECT_EQ(count_type("tamper"), 0u);
  EXPECT_GE(count_type("publish"), 3u);  // index.html changed, new + new/page.html, old removed
  auto v = RunProcess({gs, "tamper", "verify", "--root", root, "--vault", vault, "--pubkey", pub});
  EXPECT_EQ(v.exit_code, 0) << v.out;

  // Tampering with published content restores the published version.
  Write(root + "/new/page.html", "defaced");
  EXPECT_TRUE(WaitFor([&] { return Read(root + "/new/page.html") == "fresh"; }, 10000));
  // The record follows the restore.
  EXPECT_TRUE(WaitFor([&] { return count_type("tamper") >= 1; }, 10000));
  std::vector<nlohmann::json> recs;
  for (const auto& j : ReadRecords(events))
    if (j["type"] == "tamper") recs.push_back(j);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["path"], "new/page.html");
  EXPECT_EQ(recs[0]["baseline_version"], 2);
  watch.Signal(SIGTERM);
  EXPECT_EQ(watch.Wait(10000), 0);

  // In the audit store: the baseline, the watch's publish changes, the publisher's own summary
  // (delivered through the spool) and the restore, each once; the store verifies.
  auto stored_publish = AuditRecords(store, "publish");
  size_t summaries = 0;
  for (const auto& j : stored_publish) summaries += j.contains("manifest_sm3");
  EXPECT_EQ(summaries, 1u);
  EXPECT_EQ(stored_publish.size(), count_type("publish") + 1);
  auto stored_tamper = AuditRecords(store, "tamper");
  ASSERT_EQ(stored_tamper.size(), 1u);
  EXPECT_EQ(stored_tamper[0]["path"], "new/page.html");
  EXPECT_EQ(stored_tamper[0]["action"], "restored");
  EXPECT_TRUE(stored_tamper[0].contains("before_sm3"));
  EXPECT_TRUE(stored_tamper[0].contains("after_sm3"));
  EXPECT_TRUE(platform::ListDir(vault + "/audit-spool")->empty());
  auto av = RunProcess({gs, "audit", "verify", "--store", store});
  EXPECT_EQ(av.exit_code, 0) << av.out << av.err;
}

}  // namespace
}  // namespace gs::tamper

// ---- Serve-time check (核心内嵌) ---------------------------------------------------------------

#include <atomic>

#include "tamper/serve_check.h"

namespace gs::tamper {
namespace {

std::unique_ptr<ServeChecker> MakeChecker(Site& s, MemorySink* sink, bool vault_copy = true) {
  ServeCheckOptions o;
  o.sink = sink;
  o.serve_vault_copy = vault_copy;
  auto c = ServeChecker::Create(s.root, s.manifest, &*s.vault, o);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(*c) : nullptr;
}

TEST(ServeCheck, IntactFileServedAndThenFromCacheWithoutReading) {
  Site s;
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  MemorySink sink;
  auto c = MakeChecker(s, &sink);
  auto r = c->Fetch("news/2026/a.html");
  ASSERT_EQ(r.verdict, ServeVerdict::kIntact) << r.error;
  EXPECT_EQ(*r.body, std::string(10240, 'a'));
  EXPECT_FALSE(r.cache_hit);
  r = c->Fetch("news/2026/a.html");
  EXPECT_EQ(r.verdict, ServeVerdict::kIntact);
  EXPECT_TRUE(r.cache_hit);
  EXPECT_EQ(c->stats().hashed.load(), 1u);
  EXPECT_EQ(c->Verify("index.html"), ServeVerdict::kIntact);
  EXPECT_EQ(sink.size(), 0u);
}

TEST(ServeCheck, TamperedFileIsAnsweredWithTheVaultCopyAndReportedOnce) {
  Site s;
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  MemorySink sink;
  auto c = MakeChecker(s, &sink);
  ASSERT_EQ(c->Fetch("index.html").verdict, ServeVerdict::kIntact);
  Write(s.root + "/index.html", "<html>HACKED by x</html>");
  for (int i = 0; i < 5; ++i) {
    auto r = c->Fetch("index.html");
    ASSERT_EQ(r.verdict, ServeVerdict::kFromVault);
    EXPECT_EQ(*r.body, "<html>home</html>");
  }
  EXPECT_EQ(c->Verify("index.html"), ServeVerdict::kBlocked);
  auto recs = sink.records();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["type"], "serve_tamper");
  EXPECT_EQ(recs[0]["path"], "index.html");
  EXPECT_EQ(recs[0]["action"], "served_vault_copy");
  EXPECT_EQ(recs[0]["expected_sm3"], crypto::DigestHex(crypto::Sm3("<html>home</html>")));
  EXPECT_EQ(recs[0]["actual_sm3"], crypto::DigestHex(crypto::Sm3("<html>HACKED by x</html>")));
  // Restored by the guard: served from disk again.
  s.guard->Check("index.html", false);
  auto r = c->Fetch("index.html");
  EXPECT_EQ(r.verdict, ServeVerdict::kIntact);
  EXPECT_EQ(*r.body, "<html>home</html>");
}

TEST(ServeCheck, DeletedOrSymlinkSwappedFileNeverServesForeignBytes) {
  Site s;
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  MemorySink sink;
  auto c = MakeChecker(s, &sink);
  ASSERT_EQ(::unlink((s.root + "/news/index.html").c_str()), 0);
  auto r = c->Fetch("news/index.html");
  ASSERT_EQ(r.verdict, ServeVerdict::kFromVault);
  EXPECT_EQ(*r.body, "<html>news</html>");
  ASSERT_EQ(::unlink((s.root + "/index.html").c_str()), 0);
  ASSERT_EQ(::symlink("/etc/passwd", (s.root + "/index.html").c_str()), 0);
  r = c->Fetch("index.html");
  ASSERT_EQ(r.verdict, ServeVerdict::kFromVault);
  EXPECT_EQ(*r.body, "<html>home</html>");
  // A parent directory swapped for a symlink is not followed either.
  TempDir outside;
  platform::MakeDirs(outside.path() + "/2026").IgnoreError();
  Write(outside.path() + "/2026/a.html", "outside");
  ASSERT_EQ(::rename((s.root + "/news").c_str(), (s.tmp.path() + "/news-away").c_str()), 0);
  ASSERT_EQ(::symlink(outside.path().c_str(), (s.root + "/news").c_str()), 0);
  r = c->Fetch("news/2026/a.html");
  ASSERT_EQ(r.verdict, ServeVerdict::kFromVault);
  EXPECT_EQ(*r.body, std::string(10240, 'a'));
  EXPECT_EQ(sink.size(), 3u);
}

TEST(ServeCheck, BlockModeUnknownExcludedAndBadPaths) {
  Site s;
  Write(s.root + "/debug.log", "log");
  BaselineOptions bo;
  bo.excludes = {"*.log"};
  ASSERT_NO_FATAL_FAILURE(s.Baseline(bo));
  MemorySink sink;
  auto c = MakeChecker(s, &sink, /*vault_copy=*/false);
  Write(s.root + "/static/app.js", "alert(1)");
  auto r = c->Fetch("static/app.js");
  EXPECT_EQ(r.verdict, ServeVerdict::kBlocked);
  EXPECT_EQ(r.body, nullptr);
  ASSERT_EQ(sink.size(), 1u);
  EXPECT_EQ(sink.records()[0]["action"], "blocked");
  Write(s.root + "/shell.php", "<?php eval($_POST[1]);");
  EXPECT_EQ(c->Fetch("shell.php").verdict, ServeVerdict::kNotInBaseline);
  EXPECT_EQ(c->Fetch("news").verdict, ServeVerdict::kNotInBaseline);       // a directory
  EXPECT_EQ(c->Fetch("home.html").verdict, ServeVerdict::kNotInBaseline);  // a symlink entry
  EXPECT_EQ(c->Fetch("debug.log").verdict, ServeVerdict::kExcluded);
  for (const char* bad : {"../etc/passwd", "/etc/passwd", "news/../index.html", "", ".", "a//b"})
    EXPECT_EQ(c->Fetch(bad).verdict, ServeVerdict::kError) << bad;
  ServeCheckOptions o;
  o.serve_vault_copy = true;
  EXPECT_FALSE(ServeChecker::Create(s.root, s.manifest, nullptr, o).ok());
}

TEST(ServeCheck, OpenSiteVerifiesTheSignatureAndFollowsPublishedManifests) {
  Site s;
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  auto other = crypto::Sm2PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(
      ServeChecker::OpenSite(s.root, s.vault_dir, other->PublicKey(), std::nullopt, {}).ok());
  auto c = ServeChecker::OpenSite(s.root, s.vault_dir, TestKey().PublicKey(), std::nullopt, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->Fetch("index.html").verdict, ServeVerdict::kIntact);
  // Publish new content: the old checker serves the new version once told of the new manifest.
  TempDir stage;
  platform::MakeDirs(stage.path() + "/s").IgnoreError();
  Write(stage.path() + "/s/index.html", "<html>v2</html>");
  auto p = Publish(s.root, stage.path() + "/s", *s.vault, TestKey(), {}, nullptr);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ((*c)->Fetch("index.html").verdict, ServeVerdict::kFromVault);  // still v1's judge
  auto m = ParseSignedManifest(*s.vault->ReadCurrentManifest(), TestKey().PublicKey());
  ASSERT_TRUE(m.ok());
  (*c)->ReplaceManifest(*m);
  EXPECT_EQ((*c)->manifest_version(), 2u);
  auto r = (*c)->Fetch("index.html");
  ASSERT_EQ(r.verdict, ServeVerdict::kIntact);
  EXPECT_EQ(*r.body, "<html>v2</html>");
  EXPECT_EQ((*c)->Fetch("news/index.html").verdict, ServeVerdict::kNotInBaseline);
}

// Acceptance 4 at the library level: a writer rewrites a page as fast as it can (in place, by
// truncation, and by rename over it) while readers fetch it; no body that is not the baseline
// is ever returned, among at least 100,000 responses. Run with the cache on and off.
void RaceWriterAgainstReaders(uint64_t cache_bytes) {
  Site s;
  const std::string page(10240, 'p');
  Write(s.root + "/hot.html", page);
  ASSERT_NO_FATAL_FAILURE(s.Baseline());
  ServeCheckOptions o;
  o.cache_bytes = cache_bytes;
  auto c = ServeChecker::Create(s.root, s.manifest, &*s.vault, o);
  ASSERT_TRUE(c.ok());
  const crypto::Digest want = crypto::Sm3(page);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> writes{0};
  std::thread writer([&] {
    std::string path = s.root + "/hot.html", tmp = s.root + "/.hot.tmp";
    uint64_t i = 0;
    while (!stop) {
      gs::testing::TamperRewrite(path, tmp, page, i);  // same size: only the content differs
      ++i;
      writes.fetch_add(1);
    }
  });
  constexpr int kReaders = 2;
  constexpr uint64_t kPerReader = 50'000;
  // On a loaded machine the writer can be starved: readers go on past 50,000 each until it has
  // made kMinWrites rewrites (bounded by a deadline), so the race below really happened.
  constexpr uint64_t kMinWrites = 1000;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::atomic<uint64_t> bad{0}, intact{0}, from_vault{0}, responses{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&] {
      for (uint64_t i = 0; i < kPerReader || (writes.load() <= kMinWrites &&
                                              std::chrono::steady_clock::now() < deadline);
           ++i) {
        responses.fetch_add(1);
        auto r = (*c)->Fetch("hot.html");
        if (!r.body || crypto::Sm3(*r.body) != want) bad.fetch_add(1);
        if (r.verdict == ServeVerdict::kIntact) intact.fetch_add(1);
        if (r.verdict == ServeVerdict::kFromVault) from_vault.fetch_add(1);
      }
    });
  }
  for (auto& t : readers) t.join();
  stop = true;
  writer.join();
  EXPECT_EQ(bad.load(), 0u);
  EXPECT_GE(responses.load(), kReaders * kPerReader);
  EXPECT_EQ(intact.load() + from_vault.load(), responses.load());
  // The race really happened: the writer ran throughout and both answers occurred.
  EXPECT_GT(writes.load(), kMinWrites);
  EXPECT_GT(from_vault.load(), 0u);
  std::fprintf(stderr,
               "[serve-check cache=%llu] %llu responses, %llu intact, %llu from vault, %llu "
               "writer rewrites, 0 tampered\n",
               static_cast<unsigned long long>(cache_bytes),
               static_cast<unsigned long long>(responses.load()),
               static_cast<unsigned long long>(intact.load()),
               static_cast<unsigned long long>(from_vault.load()),
               static_cast<unsigned long long>(writes.load()));
}

TEST(ServeCheck, WriterRaceNeverYieldsTamperedBodyCached) { RaceWriterAgainstReaders(64 << 20); }
TEST(ServeCheck, WriterRaceNeverYieldsTamperedBodyUncached) { RaceWriterAgainstReaders(0); }

}  // namespace
}  // namespace gs::tamper

// ---- Blocking mode with a real reader process --------------------------------------------------

namespace gs::tamper {
namespace {

bool PermissionEventsAvailable(std::string* why) {
  int fd = ::fanotify_init(FAN_CLASS_CONTENT, O_RDONLY);
  if (fd < 0) {
    *why = std::string("fanotify_init(FAN_CLASS_CONTENT): ") + std::strerror(errno);
    return false;
  }
  ::close(fd);
  return true;
}

// `tamper watch --block`: while this process tampers with a page 300 times (in place, truncated,
// replaced by rename, replaced by a symlink to /etc/passwd), a separate reader process reads it
// in a loop. The reader must never get anything but the baseline bytes (a denied read is
// retried, as a web server would answer 403/500 and the next request succeeds).
TEST(TamperIntegration, BlockingModeNeverServesTamperedPage) {
  std::string why;
  if (!PermissionEventsAvailable(&why)) {
    // Then --block must fail with the kernel's reason rather than run unprotected.
    GTEST_SKIP() << "fanotify permission events not available here: " << why;
  }
  TempDir tmp;
  std::string root = tmp.path() + "/www", vault = tmp.path() + "/vault";
  ASSERT_TRUE(platform::MakeDirs(root + "/news").ok());
  const std::string good = "<html>" + std::string(10000, 'g') + "</html>";
  Write(root + "/news/page.html", good);
  Write(root + "/index.html", "<html>home</html>");
  std::string gs = GovshieldBinary(), priv = tmp.path() + "/keys/sm2-private.pem",
              pub = tmp.path() + "/keys/sm2-public.pem";
  ASSERT_EQ(RunProcess({gs, "keys", "gen", "--out", tmp.path() + "/keys"}).exit_code, 0);
  auto r = RunProcess({gs, "tamper", "baseline", "--root", root, "--vault", vault, "--key", priv});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string events = tmp.path() + "/events.jsonl", ready = tmp.path() + "/ready";
  BackgroundProcess watch(
      {gs, "tamper", "watch", "--root", root, "--vault", vault, "--pubkey", pub, "--events", events,
       "--ready-file", ready, "--sweep-interval", "0", "--block"},
      tmp.path());
  ASSERT_TRUE(WaitFor([&] { return platform::PathExists(ready); }, 30000))
      << Read(watch.StderrPath());

  // The reader: a separate process (python3) reading the page until told to stop; prints
  // "good denied bad" counts.
  std::string stop_file = tmp.path() + "/stop-reader";
  std::string script = tmp.path() + "/reader.py";
  Write(script,
        "import os, sys\n"
        "path, stop, want = sys.argv[1], sys.argv[2], open(sys.argv[3], 'rb').read()\n"
        "good = denied = bad = 0\n"
        "while not os.path.exists(stop):\n"
        "    try:\n"
        "        with open(path, 'rb') as f:\n"
        "            data = f.read()\n"
        "    except OSError:\n"
        "        denied += 1\n"
        "        continue\n"
        "    if data == want: good += 1\n"
        "    else: bad += 1\n"
        "print(good, denied, bad)\n");
  Write(tmp.path() + "/want", good);
  BackgroundProcess reader(
      {"python3", script, root + "/news/page.html", stop_file, tmp.path() + "/want"}, tmp.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  std::string page = root + "/news/page.html";
  int writes_denied = 0, writes_through = 0;
  for (int i = 0; i < 300; ++i) {
    std::string evil = "<html>HACKED " + std::to_string(i) + "</html>";
    switch (i % 3) {
      case 0: {  // open for writing (in place, truncating, or a new file): denied
        const char* target = i % 2 ? "/news/page.html" : "/news/shell.php";
        int fd = ::open((root + target).c_str(), O_WRONLY | O_CREAT | (i % 4 ? O_TRUNC : 0), 0644);
        if (fd >= 0) {
          (void)!::write(fd, evil.data(), evil.size());
          ::close(fd);
          ++writes_through;
        } else {
          EXPECT_EQ(errno, EPERM);
          ++writes_denied;
        }
        break;
      }
      default: {  // replace by rename: not a permission event; reads of it are denied
        std::string t = tmp.path() + "/x" + std::to_string(i);
        Write(t, evil);
        ::rename(t.c_str(), page.c_str());
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(writes_through, 0);
  EXPECT_EQ(writes_denied, 100);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Write(stop_file, "");
  ASSERT_EQ(reader.Wait(30000), 0) << Read(reader.StderrPath());
  std::istringstream counts(Read(reader.StdoutPath()));
  uint64_t good_reads = 0, denied = 0, bad = 0;
  counts >> good_reads >> denied >> bad;
  EXPECT_EQ(bad, 0u) << "tampered bytes were read";
  EXPECT_GT(good_reads, 100u);
  EXPECT_GT(denied, 0u) << "the reader never hit a tampered page: the race did not happen";
  // And the page is back.
  EXPECT_TRUE(WaitFor([&] { return Read(page) == good; }, 10000));
  watch.Signal(SIGTERM);
  EXPECT_EQ(watch.Wait(10000), 0) << Read(watch.StderrPath());
  size_t blocked = 0;
  for (const auto& j : ReadRecords(events))
    if (j["kind"] == "write" && j["action"] == "blocked" && j["writer_pid"] == int(::getpid()))
      ++blocked;
  EXPECT_EQ(blocked, 100u) << [&] {
    std::string kinds;
    for (const auto& j : ReadRecords(events))
      if (j["kind"] == "write") kinds += j.value("path", "?") + " ";
    return kinds;
  }();
  std::fprintf(stderr, "[tamper --block] reader: %llu good reads, %llu denied, %llu tampered\n",
               static_cast<unsigned long long>(good_reads), static_cast<unsigned long long>(denied),
               static_cast<unsigned long long>(bad));
}

}  // namespace
}  // namespace gs::tamper

// ---- kill -9 convergence (acceptance 3) --------------------------------------------------------

namespace gs::tamper {
namespace {

// Checks what a crash must never break: the vault's current manifest verifies with the
// publisher key and every object it names is present and intact. Returns the version.
uint64_t ExpectVaultSound(const std::string& vault_dir, const crypto::Sm2PublicKey& pub) {
  auto v = Vault::Open(vault_dir, std::nullopt);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  if (!v.ok()) return 0;
  auto text = v->ReadCurrentManifest();
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  if (!text.ok()) return 0;
  auto m = ParseSignedManifest(*text, pub);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (!m.ok()) return 0;
  auto objs = v->VerifyObjects(*m, 2);
  EXPECT_TRUE(objs.ok()) << objs.status().ToString();
  return m->version;
}

struct KillSite {
  TempDir tmp;
  std::string root = tmp.path() + "/www", vault = tmp.path() + "/vault";
  std::string gs = GovshieldBinary();
  std::string priv = tmp.path() + "/keys/sm2-private.pem",
              pub = tmp.path() + "/keys/sm2-public.pem";
  std::mt19937_64 rng{777};
  std::vector<std::string> files;

  void Build(const std::string& dir, int version) {
    for (int d = 0; d < 10; ++d)
      ASSERT_TRUE(platform::MakeDirs(dir + "/d" + std::to_string(d)).ok());
    files.clear();
    for (int i = 0; i < 400; ++i) {
      std::string rel = "d" + std::to_string(i % 10) + "/p" + std::to_string(i) + ".html";
      Write(dir + "/" + rel, "v" + std::to_string(version) +
                                 std::string(8000 + (i * 997) % 32000, char('a' + i % 26)));
      files.push_back(rel);
    }
  }

  void Init() {
    ASSERT_NO_FATAL_FAILURE(Build(root, 1));
    ASSERT_EQ(RunProcess({gs, "keys", "gen", "--out", tmp.path() + "/keys"}).exit_code, 0);
    auto r =
        RunProcess({gs, "tamper", "baseline", "--root", root, "--vault", vault, "--key", priv});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Tampers with ~40% of the tree without a watch running, so the next watch start has a long
  // restore to do.
  void Deface(int round) {
    for (size_t i = 0; i < files.size(); ++i) {
      std::string p = root + "/" + files[i];
      switch (rng() % 10) {
        case 0:
        case 1:
          Write(p, "<html>defaced in round " + std::to_string(round) + "</html>");
          break;
        case 2:
          ::unlink(p.c_str());
          break;
        case 3:
          Write(p + ".php", "<?php @eval($_POST['x']);");
          break;
        default:
          break;
      }
    }
  }

  bool Verify() { return Differences() == 0; }

  // Entries that differ from the current baseline (`tamper verify` prints one line each).
  size_t Differences() {
    auto r =
        RunProcess({gs, "tamper", "verify", "--root", root, "--vault", vault, "--pubkey", pub});
    if (r.exit_code == 0) return 0;
    size_t n = std::count(r.out.begin(), r.out.end(), '\n');
    return n == 0 ? 1 : n;
  }

  // Starts a watch, waits until its first scan is done (the restore), stops it.
  void RunWatchToReady(const std::string& tag) {
    std::string ready = tmp.path() + "/ready-" + tag;
    BackgroundProcess w(
        {gs, "tamper", "watch", "--root", root, "--vault", vault, "--pubkey", pub, "--events",
         tmp.path() + "/events.jsonl", "--ready-file", ready, "--sweep-interval", "0"},
        tmp.path());
    ASSERT_TRUE(WaitFor([&] { return platform::PathExists(ready); }, 60000))
        << tag << ": exit " << w.Wait(100) << " " << Read(w.StderrPath())
        << RunProcess({"sh", "-c", "ps -eo pid,stat,etime,args | grep '[g]ovshield tamper'"}).out;
    w.Signal(SIGTERM);
    EXPECT_EQ(w.Wait(10000), 0);
    ::unlink(ready.c_str());
  }
};

TEST(TamperIntegration, KillNineDuringRestoreConverges) {
  KillSite s;
  ASSERT_NO_FATAL_FAILURE(s.Init());
  auto pub = crypto::LoadSm2PublicKey(s.pub);
  ASSERT_TRUE(pub.ok());
  const int kRounds = int(EnvSize("GS_TAMPER_KILL_ROUNDS", 50));
  // Calibrate: how long a start with a full restore takes here; kills land within it.
  s.Deface(-1);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(s.RunWatchToReady("calibrate"));
  int64_t start_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_TRUE(s.Verify());
  int partial = 0;  // kills that left the restore half done (some, not all, entries fixed)
  for (int round = 0; round < kRounds; ++round) {
    s.Deface(round);
    size_t before = s.Differences();
    ASSERT_GT(before, 0u);
    BackgroundProcess w(
        {s.gs, "tamper", "watch", "--root", s.root, "--vault", s.vault, "--pubkey", s.pub,
         "--events", s.tmp.path() + "/events.jsonl", "--sweep-interval", "0"},
        s.tmp.path());
    std::this_thread::sleep_for(std::chrono::microseconds(start_us / 4 + s.rng() % start_us));
    w.Signal(SIGKILL);
    w.Wait(10000);
    size_t after = s.Differences();
    if (after > 0 && after < before) ++partial;
    EXPECT_EQ(ExpectVaultSound(s.vault, *pub), 1u) << "round " << round;
    // Restart: the site converges to exactly the baseline.
    ASSERT_NO_FATAL_FAILURE(s.RunWatchToReady(std::to_string(round)));
    ASSERT_TRUE(s.Verify()) << "round " << round;
  }
  std::fprintf(stderr,
               "[kill -9 restore] %d rounds (start+restore %.0f ms), %d kills landed mid-restore; "
               "all converged\n",
               kRounds, start_us / 1000.0, partial);
  EXPECT_GE(partial, kRounds / 5) << "the kills mostly missed the restore";
}

TEST(TamperIntegration, KillNineDuringPublishConverges) {
  KillSite s;
  ASSERT_NO_FATAL_FAILURE(s.Init());
  auto pub = crypto::LoadSm2PublicKey(s.pub);
  ASSERT_TRUE(pub.ok());
  const int kRounds = int(EnvSize("GS_TAMPER_KILL_ROUNDS", 50));
  int killed_mid = 0, publisher_killed = 0, watch_killed = 0;
  uint64_t version = 1;
  Write(s.root + "/version.html", "v1");
  {
    auto r = RunProcess(
        {s.gs, "tamper", "baseline", "--root", s.root, "--vault", s.vault, "--key", s.priv});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    version = 2;  // the re-baseline above is v2
    Write(s.root + "/version.html", "v1");
  }
  ASSERT_EQ(RunProcess({"cp", "-a", s.root, s.tmp.path() + "/stage-base"}).exit_code, 0);
  // Calibrate: how long an uninterrupted publish takes here; kills land within it.
  int64_t publish_us;
  {
    Write(s.tmp.path() + "/stage-base/version.html", "v1");
    auto t0 = std::chrono::steady_clock::now();
    auto r = RunProcess({s.gs, "tamper", "publish", "--root", s.root, "--vault", s.vault, "--key",
                         s.priv, "--from", s.tmp.path() + "/stage-base", "--events",
                         s.tmp.path() + "/publish.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    publish_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    version = 3;
  }
  for (int round = 0; round < kRounds; ++round) {
    // Each round publishes a new version: 80 pages change, one is added, version.html says
    // which version it is.
    std::string stage = s.tmp.path() + "/stage";
    ASSERT_EQ(RunProcess({"rm", "-rf", stage}).exit_code, 0);
    ASSERT_EQ(RunProcess({"cp", "-a", s.vault + "/../stage-base", stage}).exit_code, 0);
    for (int k = 0; k < 80; ++k)
      Write(stage + "/" + s.files[s.rng() % s.files.size()],
            "<html>v" + std::to_string(round + 2) + std::string(20000 + k, 'n') + "</html>");
    Write(stage + "/d0/extra" + std::to_string(round) + ".html", "new");
    Write(stage + "/version.html", "v" + std::to_string(round + 2));
    bool kill_watch = round % 2 == 1;
    std::unique_ptr<BackgroundProcess> watch;
    std::string ready = s.tmp.path() + "/pready" + std::to_string(round);
    if (kill_watch) {
      // The watch applies the publish; it is the one killed, and the publisher takes over.
      watch = std::make_unique<BackgroundProcess>(
          std::vector<std::string>{s.gs, "tamper", "watch", "--root", s.root, "--vault", s.vault,
                                   "--pubkey", s.pub, "--events", s.tmp.path() + "/events.jsonl",
                                   "--ready-file", ready, "--sweep-interval", "0"},
          s.tmp.path());
      ASSERT_TRUE(WaitFor([&] { return platform::PathExists(ready); }, 60000));
    }
    BackgroundProcess p({s.gs, "tamper", "publish", "--root", s.root, "--vault", s.vault, "--key",
                         s.priv, "--from", stage, "--events", s.tmp.path() + "/publish.jsonl"},
                        s.tmp.path());
    // Late in the publish, where it writes the vault, signs and applies.
    std::this_thread::sleep_for(
        std::chrono::microseconds(publish_us / 3 + s.rng() % (publish_us + 1)));
    if (kill_watch) {
      watch->Signal(SIGKILL);
      watch->Wait(10000);
      ++watch_killed;
      // The publisher notices the free lock and completes the publish itself.
      EXPECT_EQ(p.Wait(60000), 0) << Read(p.StderrPath());
    } else {
      p.Signal(SIGKILL);
      int rc = p.Wait(10000);
      if (rc == -SIGKILL) ++publisher_killed;
    }
    uint64_t now = ExpectVaultSound(s.vault, *pub);
    ASSERT_TRUE(now == version || now == version + 1) << now << " after v" << version;
    // The round's version number in version.html is round + 2 (v1 before round 0).
    if (!s.Verify()) ++killed_mid;
    // Restart the guard: the root converges to whichever baseline is signed and current.
    ASSERT_NO_FATAL_FAILURE(s.RunWatchToReady("p" + std::to_string(round)));
    ASSERT_TRUE(s.Verify()) << "round " << round;
    // And that baseline's content is exactly what was published (or the previous version).
    EXPECT_EQ(Read(s.root + "/version.html"),
              "v" + std::to_string(now == version ? round + 1 : round + 2));
    version = now;
    // The next round's staging tree starts from what is now published.
    ASSERT_EQ(RunProcess({"rm", "-rf", s.tmp.path() + "/stage-base"}).exit_code, 0);
    ASSERT_EQ(RunProcess({"cp", "-a", s.root, s.tmp.path() + "/stage-base"}).exit_code, 0);
  }
  std::fprintf(stderr,
               "[kill -9 publish] %d rounds (publish %.0f ms): %d publishers and %d watches "
               "killed, %d kills left the root between versions; now at v%llu; all converged\n",
               kRounds, publish_us / 1000.0, publisher_killed, watch_killed, killed_mid,
               static_cast<unsigned long long>(version));
  EXPECT_GE(killed_mid, kRounds / 10) << "the kills mostly missed the publish";
}

}  // namespace
}  // namespace gs::tamper

// ---- Publish gate: webshell scan of added and changed files -----------------------------------

namespace gs::tamper {
namespace {

TEST(TamperIntegration, PublishRefusesWebshellUnlessOverriddenAndAudits) {
  TempDir tmp;
  std::string root = tmp.path() + "/www", stage = tmp.path() + "/stage";
  std::string vault = tmp.path() + "/vault", store = tmp.path() + "/audit";
  for (const std::string& d : {root, stage}) {
    ASSERT_TRUE(platform::MakeDirs(d).ok());
    Write(d + "/index.php", "<?php echo 'home';");
  }
  Write(stage + "/news.php", "<?php echo htmlspecialchars($_GET['q'] ?? '');");
  Write(stage + "/up.php", "<?php $r = function($c) { eval($c); }; $r($_COOKIE['x']);");
  std::string gs = GovshieldBinary(), priv = tmp.path() + "/keys/sm2-private.pem",
              pub = tmp.path() + "/keys/sm2-public.pem";
  ASSERT_EQ(RunProcess({gs, "keys", "gen", "--out", tmp.path() + "/keys"}).exit_code, 0);
  ASSERT_EQ(RunProcess({gs, "audit", "init", "--store", store, "--key", priv}).exit_code, 0);
  ASSERT_EQ(RunProcess({gs, "tamper", "baseline", "--root", root, "--vault", vault, "--key", priv})
                .exit_code,
            0);
  std::vector<std::string> publish = {gs,        "tamper",  "publish", "--root", root,
                                      "--vault", vault,     "--key",   priv,     "--from",
                                      stage,     "--audit", store};
  auto r = RunProcess(publish);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(platform::PathExists(root + "/up.php"));
  EXPECT_FALSE(platform::PathExists(root + "/news.php"));  // nothing at all was published
  auto flagged = AuditRecords(store, "publish_flagged");
  ASSERT_EQ(flagged.size(), 1u);
  EXPECT_EQ(flagged[0]["path"], "up.php");
  EXPECT_EQ(flagged[0]["action"], "publish_refused");
  EXPECT_EQ(AuditRecords(store, "publish").size(), 0u);
  EXPECT_EQ(RunProcess({gs, "tamper", "verify", "--root", root, "--vault", vault, "--pubkey", pub})
                .exit_code,
            0);

  publish.push_back("--allow-flagged");
  r = RunProcess(publish);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(platform::PathExists(root + "/up.php"));
  flagged = AuditRecords(store, "publish_flagged");
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[1]["action"], "published_by_override");
  auto summary = AuditRecords(store, "publish");
  ASSERT_FALSE(summary.empty());
  EXPECT_EQ(summary.back()["added"], 2);
  EXPECT_EQ(RunProcess({gs, "audit", "verify", "--store", store}).exit_code, 0);
}

}  // namespace
}  // namespace gs::tamper
