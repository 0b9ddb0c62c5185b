// `govshield tamper ...`: the host side of the tamper guard (网页防篡改).
//   baseline  walk a web root, fill the vault, write a signed baseline manifest
//   watch     verify the baseline and vault, then restore/quarantine every unauthorised change
//   publish   the authorised way to change content: sign the next baseline, update the root
//   verify    compare a web root with its baseline (exit 0 only if identical); changes nothing
// Formats: docs/formats/baseline.md.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "audit/store.h"
#include "cli/cli.h"
#include "crypto/crypto.h"
#include "platform/file.h"
#include "tamper/baseline.h"
#include "tamper/guard.h"
#include "tamper/json_fields.h"
#include "tamper/jsonl_sink.h"
#include "tamper/manifest.h"
#include "tamper/vault.h"
#include "tamper/watcher.h"
#include "webshell/scanner.h"

namespace gs::cli {
namespace {

struct TamperOptions {
  std::string root, vault, key, pubkey, vault_key, quarantine, events, ready_file, from, audit;
  std::vector<std::string> excludes;
  bool sha256 = false, progress = false, no_progress = false, no_fanotify = false, fsync = false,
       block = false, allow_flagged = false;
  int threads = 0;
  std::string sweep_interval = "300s";
  std::string compress = "auto";
  uint64_t sweep_rate = 2000;
};

Result<std::optional<std::string>> VaultKey(const TamperOptions& o) {
  if (o.vault_key.empty()) return std::optional<std::string>();
  GS_ASSIGN_OR_RETURN(std::string k, tamper::LoadVaultKey(o.vault_key));
  return std::optional<std::string>(k);
}

// Where a command's records go: the audit store (--audit) and/or an NDJSON file (--events).
// With neither flag they go to stdout as NDJSON. When `spool_if_busy` and another process (a
// running `tamper watch`) holds the store's writer lock, records go to the vault's audit spool,
// which that watch appends to the store.
struct Sinks {
  std::unique_ptr<audit::AuditStore> store;
  std::unique_ptr<tamper::SpoolSink> spool;
  std::unique_ptr<tamper::JsonLinesSink> lines;
  std::unique_ptr<tamper::TeeSink> tee;
  audit::RecordSink* sink = nullptr;

  Status Finish() {
    if (sink) GS_RETURN_IF_ERROR(sink->Sync());
    if (spool) GS_RETURN_IF_ERROR(spool->Commit());
    if (store) GS_RETURN_IF_ERROR(store->Close());
    return Status::Ok();
  }
};

Result<std::unique_ptr<Sinks>> OpenSinks(const TamperOptions& o, bool spool_if_busy) {
  auto s = std::make_unique<Sinks>();
  std::vector<audit::RecordSink*> all;
  if (!o.audit.empty()) {
    auto store = audit::AuditStore::Open(o.audit);
    if (store.ok()) {
      s->store = std::move(*store);
      all.push_back(s->store.get());
    } else if (spool_if_busy && store.status().code() == StatusCode::kUnavailable) {
      GS_ASSIGN_OR_RETURN(s->spool, tamper::SpoolSink::Create(o.vault));
      all.push_back(s->spool.get());
    } else {
      return FailedPreconditionError("audit store " + o.audit + ": " +
                                     std::string(store.status().message()) +
                                     " (create it with `govshield audit init`)");
    }
  }
  if (!o.events.empty() || o.audit.empty()) {
    GS_ASSIGN_OR_RETURN(s->lines, tamper::JsonLinesSink::Open(o.events.empty() ? "-" : o.events));
    all.push_back(s->lines.get());
  }
  if (all.size() == 1) {
    s->sink = all[0];
  } else {
    s->tee = std::make_unique<tamper::TeeSink>(all);
    s->sink = s->tee.get();
  }
  return s;
}

Status RunBaseline(const TamperOptions& o) {
  GS_ASSIGN_OR_RETURN(auto key, crypto::LoadSm2PrivateKey(o.key));
  GS_ASSIGN_OR_RETURN(auto vkey, VaultKey(o));
  char rroot[PATH_MAX], rvault[PATH_MAX];
  if (!::realpath(o.root.c_str(), rroot)) return NotFoundError("web root " + o.root + " not found");
  GS_RETURN_IF_ERROR(platform::MakeDirs(o.vault, 0700));
  if (::realpath(o.vault.c_str(), rvault)) {
    std::string v(rvault), r(rroot);
    if (v == r || v.rfind(r + "/", 0) == 0)
      return InvalidArgumentError("the vault must be outside the web root");
  }
  GS_ASSIGN_OR_RETURN(auto compress, tamper::ParseVaultCompression(o.compress));
  GS_ASSIGN_OR_RETURN(auto vault, tamper::Vault::Create(o.vault, vkey));
  vault.SetCompression(compress);
  tamper::BaselineOptions bo;
  bo.excludes = o.excludes;
  bo.with_sha256 = o.sha256;
  bo.threads = o.threads;
  bo.progress = !o.no_progress && (o.progress || ::isatty(STDERR_FILENO));
  tamper::BaselineStats st;
  tamper::Manifest m;  // as signed (not parsed back from the text: that costs a verification)
  GS_ASSIGN_OR_RETURN(std::string text,
                      tamper::CreateSignedBaseline(o.root, vault, key, bo, &st, &m));
  if (!o.audit.empty()) {
    // The new baseline is an audited event: who signed which manifest for which root.
    TamperOptions ao = o;
    ao.events.clear();
    GS_ASSIGN_OR_RETURN(auto sinks, OpenSinks(ao, /*spool_if_busy=*/true));
    nlohmann::json j;
    j["ts"] = FormatRfc3339(SystemTime().Now());
    j["source"] = "tamper";
    j["type"] = "baseline";
    tamper::PutName(j, "root", rroot);
    j["version"] = m.version;
    j["manifest_sm3"] = crypto::DigestHex(crypto::Sm3(text));
    j["signer"] = m.signer;
    j["files"] = st.files;
    j["dirs"] = st.dirs;
    j["symlinks"] = st.symlinks;
    j["bytes"] = st.bytes;
    GS_RETURN_IF_ERROR(sinks->sink->Append(tamper::DumpJson(j)).status());
    GS_RETURN_IF_ERROR(sinks->Finish());
  }
  std::printf(
      "baseline v%llu of %s: %llu files, %llu dirs, %llu symlinks, %.1f MB in %.2f s "
      "(%.0f files/s, %d threads)\nmanifest %s/manifests/current signed by %s\n",
      static_cast<unsigned long long>(m.version), rroot, static_cast<unsigned long long>(st.files),
      static_cast<unsigned long long>(st.dirs), static_cast<unsigned long long>(st.symlinks),
      st.bytes / 1e6, st.seconds, st.seconds > 0 ? st.files / st.seconds : 0.0,
      o.threads > 0 ? o.threads : tamper::DefaultThreads(), o.vault.c_str(),
      key.PublicKey().Fingerprint().c_str());
  return Status::Ok();
}

// Loads vault + signed manifest and checks the manifest names this root.
Status LoadSite(const TamperOptions& o, std::optional<tamper::Vault>* vault, tamper::Manifest* m) {
  GS_ASSIGN_OR_RETURN(auto pub, crypto::LoadSm2PublicKey(o.pubkey));
  GS_ASSIGN_OR_RETURN(auto vkey, VaultKey(o));
  GS_ASSIGN_OR_RETURN(auto v, tamper::Vault::Open(o.vault, vkey));
  GS_ASSIGN_OR_RETURN(std::string text, v.ReadCurrentManifest());
  auto parsed = tamper::ParseSignedManifest(text, pub);
  if (!parsed.ok())
    return DataLossError("baseline in " + o.vault +
                         " rejected: " + std::string(parsed.status().message()));
  char rroot[PATH_MAX];
  if (!::realpath(o.root.c_str(), rroot)) return NotFoundError("web root " + o.root + " not found");
  if (parsed->site_root != rroot)
    return FailedPreconditionError("baseline was made for " +
                                   tamper::EncodeField(parsed->site_root) + ", not " + rroot);
  *m = std::move(*parsed);
  vault->emplace(std::move(v));
  return Status::Ok();
}

tamper::Watcher* g_watcher = nullptr;
void OnSignal(int) {
  if (g_watcher) g_watcher->Stop();
}

Status RunWatch(const TamperOptions& o) {
  std::optional<tamper::Vault> vault;
  tamper::Manifest m;
  GS_RETURN_IF_ERROR(LoadSite(o, &vault, &m));
  GS_ASSIGN_OR_RETURN(uint64_t objects, vault->VerifyObjects(m, o.threads));
  std::fprintf(
      stderr,
      "tamper watch: baseline v%llu verified (%zu entries), vault verified (%llu objects)\n",
      static_cast<unsigned long long>(m.version), m.entries.size(),
      static_cast<unsigned long long>(objects));
  GS_ASSIGN_OR_RETURN(auto sinks, OpenSinks(o, /*spool_if_busy=*/false));
  GS_ASSIGN_OR_RETURN(int64_t interval, ParseDurationNanos(o.sweep_interval));
  // Records that `tamper publish` spooled while we hold the store: appended now and every
  // 200 ms while watching.
  std::mutex drain_mu;
  std::condition_variable drain_cv;
  bool drain_stop = false;
  std::thread drainer;
  if (sinks->store) {
    GS_RETURN_IF_ERROR(tamper::DrainSpool(o.vault, sinks->store.get()).status());
    drainer = std::thread([&] {
      std::unique_lock<std::mutex> lock(drain_mu);
      while (!drain_stop) {
        drain_cv.wait_for(lock, std::chrono::milliseconds(200));
        auto n = tamper::DrainSpool(o.vault, sinks->store.get());
        if (!n.ok())
          std::fprintf(stderr, "tamper watch: audit spool: %s\n",
                       std::string(n.status().message()).c_str());
      }
    });
  }
  struct StopDrainer {
    std::mutex* mu;
    std::condition_variable* cv;
    bool* stop;
    std::thread* t;
    ~StopDrainer() {
      {
        std::lock_guard<std::mutex> l(*mu);
        *stop = true;
      }
      cv->notify_all();
      if (t->joinable()) t->join();
    }
  } stop_drainer{&drain_mu, &drain_cv, &drain_stop, &drainer};
  tamper::GuardOptions go;
  go.sink = sinks->sink;
  go.quarantine_dir = o.quarantine;
  go.fsync = o.fsync;
  GS_ASSIGN_OR_RETURN(auto guard, tamper::Guard::Create(o.root, std::move(m), &*vault, go));
  tamper::WatchOptions wo;
  wo.try_fanotify = !o.no_fanotify;
  wo.block = o.block;
  wo.sweep_interval_ms = interval / kNanosPerMilli;
  wo.sweep_files_per_second = o.sweep_rate;
  wo.ready_file = o.ready_file;
  wo.vault = &*vault;
  GS_ASSIGN_OR_RETURN(wo.pubkey, crypto::LoadSm2PublicKey(o.pubkey));
  GS_ASSIGN_OR_RETURN(auto watcher, tamper::Watcher::Create(guard.get(), wo));
  std::fprintf(stderr, "tamper watch: mechanism %s (%s)\n", watcher->mechanism().c_str(),
               watcher->reason().c_str());
  g_watcher = watcher.get();
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  Status s = watcher->Run();
  g_watcher = nullptr;
  sinks->sink->Sync().IgnoreError();
  std::fprintf(stderr,
               "tamper watch: stopped after %llu events, %llu findings, %llu overflows, "
               "%llu accesses denied\n",
               static_cast<unsigned long long>(watcher->stats().events.load()),
               static_cast<unsigned long long>(guard->findings_total()),
               static_cast<unsigned long long>(watcher->stats().overflows.load()),
               static_cast<unsigned long long>(watcher->stats().perm_denied.load()));
  return s;
}

Status RunPublish(const TamperOptions& o) {
  GS_ASSIGN_OR_RETURN(auto key, crypto::LoadSm2PrivateKey(o.key));
  GS_ASSIGN_OR_RETURN(auto vkey, VaultKey(o));
  GS_ASSIGN_OR_RETURN(auto compress, tamper::ParseVaultCompression(o.compress));
  GS_ASSIGN_OR_RETURN(auto vault, tamper::Vault::Open(o.vault, vkey));
  vault.SetCompression(compress);
  GS_ASSIGN_OR_RETURN(auto sinks, OpenSinks(o, /*spool_if_busy=*/true));
  tamper::BaselineOptions bo;
  bo.threads = o.threads;
  // The webshell gate: every added or changed file is scanned; a flagged one stops the publish
  // unless --allow-flagged, and either way each flagged file is an audit record.
  GS_ASSIGN_OR_RETURN(auto scanner, webshell::Scanner::Create());
  audit::RecordSink* sink = sinks->sink;
  tamper::PublishGate gate = [&](const std::string& from, const std::vector<std::string>& changed) {
    std::vector<std::string> flagged;
    for (const auto& rel : changed) {
      webshell::FileResult fr = scanner->ScanFile(from + "/" + rel);
      if (fr.skipped || fr.verdict == webshell::Verdict::kClean) continue;
      flagged.push_back(rel);
      nlohmann::json j;
      j["ts"] = FormatRfc3339(SystemTime().Now());
      j["source"] = "tamper";
      j["type"] = "publish_flagged";
      tamper::PutName(j, "path", rel);
      j["verdict"] = webshell::VerdictName(fr.verdict);
      j["score"] = fr.score;
      if (!fr.findings.empty()) j["rule"] = fr.findings[0].rule;
      j["action"] = o.allow_flagged ? "published_by_override" : "publish_refused";
      GS_RETURN_IF_ERROR(sink->Append(tamper::DumpJson(j)).status());
      std::fprintf(stderr, "publish: %s flagged as %s (%s)\n", tamper::EncodeField(rel).c_str(),
                   webshell::VerdictName(fr.verdict),
                   fr.findings.empty() ? "" : fr.findings[0].rule.c_str());
    }
    if (!flagged.empty() && !o.allow_flagged) {
      sink->Sync().IgnoreError();
      return FailedPreconditionError(
          std::to_string(flagged.size()) +
          " file(s) flagged by the webshell scan; nothing was published (inspect them with "
          "`govshield tamper scan`, or publish anyway with --allow-flagged, which is audited)");
    }
    return Status::Ok();
  };
  auto published = tamper::Publish(o.root, o.from, vault, key, bo, sinks->sink, gate);
  if (!published.ok()) {
    sinks->Finish().IgnoreError();  // the refusal records must reach the store
    return published.status();
  }
  auto& r = *published;
  GS_RETURN_IF_ERROR(sinks->Finish());
  std::fprintf(stderr,
               "published baseline v%llu: %zu added, %zu changed, %zu removed; %zu changes "
               "applied to %s\n",
               static_cast<unsigned long long>(r.version), r.added, r.changed, r.removed, r.applied,
               o.root.c_str());
  return Status::Ok();
}

Status RunVerify(const TamperOptions& o) {
  std::optional<tamper::Vault> vault;
  tamper::Manifest m;
  GS_RETURN_IF_ERROR(LoadSite(o, &vault, &m));
  // Hash the tree on every core (the baseline walker, nothing stored) and compare.
  tamper::BaselineOptions bo;
  bo.excludes = m.excludes;
  bo.with_sha256 = false;
  bo.threads = o.threads;
  bo.store_objects = false;
  auto have = tamper::BuildBaseline(o.root, *vault, bo, nullptr);
  if (!have.ok())
    return DataLossError("root does not match baseline v" + std::to_string(m.version) + ": " +
                         std::string(have.status().message()));
  have->BuildIndex();
  auto diffs = tamper::DiffManifests(m, *have);
  for (const auto& d : diffs) std::printf("%s\n", d.c_str());
  if (!diffs.empty())
    return DataLossError(std::to_string(diffs.size()) + " difference(s) from baseline v" +
                         std::to_string(m.version));
  std::printf("root matches baseline v%llu\n", static_cast<unsigned long long>(m.version));
  return Status::Ok();
}

}  // namespace

void RegisterTamper(CLI::App& app) {
  auto* tamper = app.add_subcommand("tamper", "Web-page anti-tampering (网页防篡改)");
  tamper->require_subcommand(1);
  RegisterTamperScan(*tamper);
  auto o = std::make_shared<TamperOptions>();

  auto* b = tamper->add_subcommand(
      "baseline", "Hash a web root, copy it into the vault and sign a new baseline manifest");
  b->add_option("--root", o->root, "Web root to protect")->required();
  b->add_option("--vault", o->vault, "Vault directory (outside the web root)")->required();
  b->add_option("--key", o->key, "SM2 private key (PEM) of the publisher")->required();
  b->add_option("--audit", o->audit, "Audit store (DIR) that records the new baseline");
  b->add_option("--exclude", o->excludes, "Glob of paths not to protect (repeatable)");
  b->add_option("--vault-key", o->vault_key, "SM4 key file: encrypt vault objects (SM4-GCM)");
  b->add_flag("--sha256", o->sha256, "Record SHA-256 digests as well as SM3");
  b->add_option("--compress", o->compress,
                "zstd for vault objects: auto (while the disk is behind), always, never")
      ->capture_default_str();
  b->add_option("--threads", o->threads, "Hashing threads (default: CPU cores)");
  b->add_flag("--progress", o->progress, "Print progress on stderr (default when a terminal)");
  b->add_flag("--no-progress", o->no_progress, "Never print progress");
  b->callback(Action([o] { return RunBaseline(*o); }));

  auto* w = tamper->add_subcommand(
      "watch", "Watch a web root; restore or quarantine every change not in the baseline");
  w->add_option("--root", o->root, "Protected web root")->required();
  w->add_option("--vault", o->vault, "Vault directory")->required();
  w->add_option("--pubkey", o->pubkey, "SM2 public key (PEM) that signed the baseline")->required();
  w->add_option("--vault-key", o->vault_key, "SM4 key file of an encrypted vault");
  w->add_option("--quarantine", o->quarantine, "Quarantine directory (default VAULT/quarantine)");
  w->add_option("--audit", o->audit,
                "Audit store (DIR, from `audit init`) for every detection, restore, quarantine");
  w->add_option("--events", o->events,
                "Also append the records (NDJSON) to FILE ('-' = stdout; the default without "
                "--audit)");
  w->add_option("--ready-file", o->ready_file, "Write FILE once watching has started");
  w->add_flag("--no-fanotify", o->no_fanotify, "Use inotify even where fanotify is available");
  w->add_flag("--block", o->block,
              "Blocking mode: deny opens for writing by any other process, and reads of a "
              "tampered or unknown file until it is restored (fanotify permission events; "
              "fails if the kernel refuses them)");
  w->add_option("--sweep-interval", o->sweep_interval, "Full sweep period (e.g. 300s, 0 = off)");
  w->add_option("--sweep-rate", o->sweep_rate, "Full sweep cap in files per second");
  w->add_option("--threads", o->threads, "Threads for verifying the vault");
  w->add_flag("--fsync", o->fsync, "fsync every restore and evidence file (slower restores)");
  w->callback(Action([o] { return RunWatch(*o); }));

  auto* p = tamper->add_subcommand(
      "publish", "Publish new content: sign it as the next baseline and update the web root");
  p->add_option("--root", o->root, "Protected web root")->required();
  p->add_option("--vault", o->vault, "Vault directory")->required();
  p->add_option("--key", o->key, "SM2 private key (PEM) of the publisher")->required();
  p->add_option("--from", o->from, "Staging directory holding the new content")->required();
  p->add_option("--vault-key", o->vault_key, "SM4 key file of an encrypted vault");
  p->add_option("--audit", o->audit,
                "Audit store (DIR); spooled through the vault while `tamper watch` holds it");
  p->add_option("--events", o->events,
                "Also append the records (NDJSON) to FILE ('-' = stdout; the default without "
                "--audit)");
  p->add_option("--threads", o->threads, "Hashing threads (default: CPU cores)");
  p->add_option("--compress", o->compress,
                "zstd for vault objects: auto (while the disk is behind), always, never")
      ->capture_default_str();
  p->add_flag("--allow-flagged", o->allow_flagged,
              "Publish even if the webshell scan flags added or changed files (audited)");
  p->callback(Action([o] { return RunPublish(*o); }));

  auto* v = tamper->add_subcommand(
      "verify", "Compare a web root with its signed baseline; exit 0 only if identical");
  v->add_option("--root", o->root, "Protected web root")->required();
  v->add_option("--vault", o->vault, "Vault directory")->required();
  v->add_option("--pubkey", o->pubkey, "SM2 public key (PEM) that signed the baseline")->required();
  v->add_option("--vault-key", o->vault_key, "SM4 key file of an encrypted vault");
  v->add_option("--threads", o->threads, "Hashing threads (default: CPU cores)");
  v->callback(Action([o] { return RunVerify(*o); }));
}

}  // namespace gs::cli
