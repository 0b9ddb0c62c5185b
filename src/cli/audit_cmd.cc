// `govshield audit ...`: the tamper-evident audit log from the command line
// (init, append, verify, query, prove, verify-proof, export, purge). The store itself is
// src/audit; this file only parses flags, streams stdin/stdout and turns Status into exit codes.
//
// `audit append` reads NDJSON from stdin. A malformed line is rejected with
// "govshield: line N: reason" on stderr and the remaining lines are still appended (an audit
// feed must not lose good records because of one bad one); the exit status is then 1 and a
// summary names how many lines were rejected. Empty lines are skipped.
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "audit/query.h"
#include "audit/store.h"
#include "audit/verify.h"
#include "cli/cli.h"
#include "core/time.h"
#include "crypto/crypto.h"
#include "platform/file.h"

namespace gs::cli {
namespace {

struct InitOptions {
  std::string store, key;
  int retention_days = 400;
  uint64_t segment_max_bytes = 64ull << 20;
  std::string segment_max_age = "1d";
  uint64_t checkpoint_every = 1000;
  std::string checkpoint_interval = "1s";
  std::string fsync = "interval";
  std::string fsync_interval = "100ms";
};

Status RunInit(const InitOptions& o) {
  audit::StoreOptions so;
  so.retention_days = o.retention_days;
  so.segment_max_bytes = o.segment_max_bytes;
  GS_ASSIGN_OR_RETURN(int64_t age, ParseDurationNanos(o.segment_max_age));
  so.segment_max_age_ms = age / kNanosPerMilli;
  so.checkpoint_every_records = o.checkpoint_every;
  GS_ASSIGN_OR_RETURN(int64_t ci, ParseDurationNanos(o.checkpoint_interval));
  so.checkpoint_every_ms = ci / kNanosPerMilli;
  GS_ASSIGN_OR_RETURN(so.fsync, audit::ParseFsyncPolicy(o.fsync));
  GS_ASSIGN_OR_RETURN(int64_t fi, ParseDurationNanos(o.fsync_interval));
  so.fsync_interval_ms = fi / kNanosPerMilli;
  GS_RETURN_IF_ERROR(audit::InitStore(o.store, o.key, so));
  GS_ASSIGN_OR_RETURN(auto cfg, audit::LoadStoreConfig(o.store));
  std::printf("initialised audit store %s\nsigning key %s (fingerprint %s)\nretention %d days\n",
              o.store.c_str(), cfg.private_key_path.c_str(), cfg.key_fingerprint.c_str(),
              cfg.options.retention_days);
  return Status::Ok();
}

struct AppendOptions {
  std::string store, source, fsync, fsync_interval = "100ms";
  bool ack = false;
};

int RunAppend(const AppendOptions& o) {
  audit::AuditStore::OpenOptions oo;
  if (!o.fsync.empty()) {
    auto p = audit::ParseFsyncPolicy(o.fsync);
    if (!p.ok()) return Fail(p.status());
    auto fi = ParseDurationNanos(o.fsync_interval);
    if (!fi.ok()) return Fail(fi.status());
    oo.override_fsync = true;
    oo.fsync = *p;
    oo.fsync_interval_ms = *fi / kNanosPerMilli;
  }
  auto store = audit::AuditStore::Open(o.store, oo);
  if (!store.ok()) return Fail(store.status());
  auto& s = **store;
  for (const auto& t : s.recovery().torn) {
    std::fprintf(stderr,
                 "govshield: recovered torn tail of %s at offset %llu (%llu bytes moved to %s; "
                 "recorded as a torn_tail record)\n",
                 t.file.c_str(), static_cast<unsigned long long>(t.offset),
                 static_cast<unsigned long long>(t.bytes), t.evidence.c_str());
  }
  char* line = nullptr;
  size_t cap = 0;
  uint64_t lineno = 0, appended = 0, rejected = 0, first_rejected = 0;
  std::string filled;
  char ackbuf[32];
  while (true) {
    ssize_t n = ::getline(&line, &cap, stdin);
    if (n < 0) break;
    ++lineno;
    std::string_view rec(line, size_t(n));
    while (!rec.empty() && (rec.back() == '\n' || rec.back() == '\r')) rec.remove_suffix(1);
    if (rec.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (!o.source.empty()) {
      bool has = false;
      Status v = audit::JsonObjectHasKey(rec, "source", &has);
      if (v.ok() && !has) {
        filled = audit::InsertStringField(rec, "source", o.source);
        rec = filled;
      }
    }
    auto seq = s.Append(rec);
    if (!seq.ok()) {
      if (seq.status().code() != StatusCode::kInvalidArgument) {
        std::free(line);
        return Fail(seq.status().WithContext("line " + std::to_string(lineno)));
      }
      std::fprintf(stderr, "govshield: line %llu: %s (line skipped)\n",
                   static_cast<unsigned long long>(lineno),
                   std::string(seq.status().message()).c_str());
      if (rejected++ == 0) first_rejected = lineno;
      continue;
    }
    ++appended;
    if (o.ack) {
      int len =
          std::snprintf(ackbuf, sizeof ackbuf, "%llu\n", static_cast<unsigned long long>(*seq));
      // Straight to the fd: the ack must not sit in a stdio buffer after the record is safe.
      if (::write(STDOUT_FILENO, ackbuf, size_t(len)) != len) {
        std::free(line);
        return Fail(IoError("cannot write ack to stdout"));
      }
    }
  }
  std::free(line);
  Status c = s.Close();
  if (!c.ok()) return Fail(c);
  if (rejected > 0) {
    std::fprintf(stderr,
                 "govshield: appended %llu records; rejected %llu malformed line(s), first at "
                 "line %llu\n",
                 static_cast<unsigned long long>(appended),
                 static_cast<unsigned long long>(rejected),
                 static_cast<unsigned long long>(first_rejected));
    return 1;
  }
  if (!o.ack) {
    std::fprintf(stderr, "appended %llu records (next seq %llu)\n",
                 static_cast<unsigned long long>(appended),
                 static_cast<unsigned long long>(s.next_seq()));
  }
  return 0;
}

struct VerifyCmdOptions {
  std::string store, pubkey;
  uint64_t from_seq = 0, to_seq = UINT64_MAX;
};

int RunVerify(const VerifyCmdOptions& o) {
  audit::VerifyOptions vo;
  vo.pubkey_path = o.pubkey;
  vo.from_seq = o.from_seq;
  vo.to_seq = o.to_seq;
  auto r = audit::VerifyStore(o.store, vo);
  if (!r.ok()) return Fail(r.status());
  std::printf("key: %s (from %s)\n", r->key_fingerprint.c_str(), r->key_source.c_str());
  if (!r->ok) {
    std::printf("FAILED: %s\n", r->FailureLine().c_str());
    std::fflush(stdout);
    return Fail(
        DataLossError("audit store " + o.store + " fails verification at " + r->FailureLine()));
  }
  std::printf(
      "OK: %llu records in %llu segments, %llu checkpoints, %llu manifest entries, "
      "%llu bytes verified\n",
      static_cast<unsigned long long>(r->records), static_cast<unsigned long long>(r->segments),
      static_cast<unsigned long long>(r->checkpoints),
      static_cast<unsigned long long>(r->manifest_entries),
      static_cast<unsigned long long>(r->bytes));
  return 0;
}

struct QueryOptions {
  std::string store, since, until, source, type, grep;
  std::vector<std::string> fields;
  bool raw = false;
  uint64_t limit = 0;
};

Status RunQuery(const QueryOptions& o) {
  audit::QueryFilter f;
  if (!o.since.empty()) {
    GS_ASSIGN_OR_RETURN(auto t, ParseRfc3339(o.since));
    f.since = t;
  }
  if (!o.until.empty()) {
    GS_ASSIGN_OR_RETURN(auto t, ParseRfc3339(o.until));
    f.until = t;
  }
  f.source = o.source;
  f.type = o.type;
  f.grep = o.grep;
  for (const auto& kv : o.fields) {
    GS_ASSIGN_OR_RETURN(auto p, audit::ParseFieldFilter(kv));
    f.fields.push_back(std::move(p));
  }
  if (!platform::PathExists(platform::JoinPath(o.store, "config.json"))) {
    return NotFoundError(o.store + " is not an audit store (no config.json)");
  }
  uint64_t count = 0;
  std::string out;
  Status s = audit::QueryStore(o.store, f, [&](const audit::StoredRecord& r) {
    out.clear();
    if (o.raw) {
      out.append(r.json);
    } else {
      out += "{\"seq\":" + std::to_string(r.seq) + ",\"ingest\":\"" + FormatRfc3339(r.ingest) +
             "\",\"record\":";
      out.append(r.json);
      out += "}";
    }
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
    return !(o.limit && ++count >= o.limit);
  });
  std::fflush(stdout);
  return s;
}

struct ProveOptions {
  std::string store, out;
  uint64_t seq = 0;
};

Status RunProve(const ProveOptions& o) {
  GS_ASSIGN_OR_RETURN(auto p, audit::ProveRecord(o.store, o.seq));
  std::string json = audit::ProofToJson(p) + "\n";
  if (o.out.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
    return Status::Ok();
  }
  return platform::WriteFileAtomic(o.out, json);
}

struct VerifyProofOptions {
  std::string proof, pubkey;
};

Status RunVerifyProof(const VerifyProofOptions& o) {
  GS_ASSIGN_OR_RETURN(std::string text, platform::ReadFile(o.proof));
  GS_ASSIGN_OR_RETURN(auto p, audit::ProofFromJson(text));
  GS_ASSIGN_OR_RETURN(auto key, crypto::LoadSm2PublicKey(o.pubkey));
  Status s = audit::VerifyInclusionProof(p, key);
  if (!s.ok())
    return DataLossError("proof " + o.proof + " does not verify: " + std::string(s.message()));
  std::printf("OK: record seq %llu is included in segment %llu under a signed %s (key %s)\n",
              static_cast<unsigned long long>(p.seq), static_cast<unsigned long long>(p.segment),
              p.anchor_kind == audit::InclusionProof::kSeal ? "seal" : "checkpoint",
              key.Fingerprint().c_str());
  return Status::Ok();
}

struct ExportOptions {
  std::string store, to;
};

Status RunExport(const ExportOptions& o) {
  GS_ASSIGN_OR_RETURN(auto r, audit::ExportStore(o.store, o.to));
  std::printf(
      "exported %llu segments (%llu signed records, %llu bytes) to %s\n"
      "check it with: govshield audit verify --store %s --pubkey PUB\n",
      static_cast<unsigned long long>(r.segments), static_cast<unsigned long long>(r.records),
      static_cast<unsigned long long>(r.bytes), o.to.c_str(), o.to.c_str());
  return Status::Ok();
}

struct PurgeOptions {
  std::string store, now;
};

Status RunPurge(const PurgeOptions& o) {
  UnixNanos now = SystemTime().Now();
  if (!o.now.empty()) {
    GS_ASSIGN_OR_RETURN(now, ParseRfc3339(o.now));
  }
  GS_ASSIGN_OR_RETURN(auto store, audit::AuditStore::Open(o.store));
  GS_ASSIGN_OR_RETURN(auto purged, store->Purge(now));
  GS_RETURN_IF_ERROR(store->Close());
  std::printf("purged %zu segment(s) older than %d days", purged.size(),
              store->config().options.retention_days);
  for (size_t i = 0; i < purged.size(); ++i) {
    std::printf("%s%llu", i ? "," : ": ", static_cast<unsigned long long>(purged[i]));
  }
  std::printf("\n");
  return Status::Ok();
}

}  // namespace

void RegisterAudit(CLI::App& app) {
  auto* audit =
      app.add_subcommand("audit", "Tamper-evident audit log (SM3 chain, SM2 checkpoints)");
  audit->require_subcommand(1);

  auto init = std::make_shared<InitOptions>();
  auto* c = audit->add_subcommand("init", "Create a store whose checkpoints and seals PRIV signs");
  c->add_option("--store", init->store, "Store directory")->required();
  c->add_option("--key", init->key, "SM2 private key (PEM) that will sign the store")->required();
  c->add_option("--retention-days", init->retention_days, "Days to keep data (>= 365, Art. 20)");
  c->add_option("--segment-max-bytes", init->segment_max_bytes, "Seal a segment at this size");
  c->add_option("--segment-max-age", init->segment_max_age, "Seal a segment at this age (1d)");
  c->add_option("--checkpoint-every", init->checkpoint_every, "Checkpoint every N records");
  c->add_option("--checkpoint-interval", init->checkpoint_interval, "...or after this time (1s)");
  c->add_option("--fsync", init->fsync, "always | interval | batch");
  c->add_option("--fsync-interval", init->fsync_interval, "For --fsync interval (100ms)");
  c->callback(Action([init] { return RunInit(*init); }));

  auto app_o = std::make_shared<AppendOptions>();
  c = audit->add_subcommand("append",
                            "Append NDJSON records from stdin (bad lines are rejected by line "
                            "number; the rest continue; exit 1 if any was rejected)");
  c->add_option("--store", app_o->store, "Store directory")->required();
  c->add_option("--source", app_o->source, "Fill \"source\" for records that lack it");
  c->add_flag("--ack", app_o->ack,
              "Print each record's seq on stdout once it has reached the kernel");
  c->add_option("--fsync", app_o->fsync, "Override the store's policy: always|interval|batch");
  c->add_option("--fsync-interval", app_o->fsync_interval, "For --fsync interval (100ms)");
  c->callback(Action([app_o] { return RunAppend(*app_o); }));

  auto ver = std::make_shared<VerifyCmdOptions>();
  c = audit->add_subcommand("verify", "Verify the whole store (exit 0 only if all verifies)");
  c->add_option("--store", ver->store, "Store or exported backup directory")->required();
  c->add_option("--pubkey", ver->pubkey, "SM2 public key (PEM); default: the store's copy");
  c->add_option("--from-seq", ver->from_seq, "Check only segments holding seq >= N");
  c->add_option("--to-seq", ver->to_seq, "Check only segments holding seq <= N");
  c->callback(Action([ver] { return RunVerify(*ver); }));

  auto q = std::make_shared<QueryOptions>();
  c = audit->add_subcommand("query",
                            "Stream matching records as NDJSON {\"seq\",\"ingest\",\"record\"}");
  c->add_option("--store", q->store, "Store directory")->required();
  c->add_option("--since", q->since, "RFC 3339; on the record's ts (else ingest time)");
  c->add_option("--until", q->until, "RFC 3339, exclusive");
  c->add_option("--source", q->source, "Records whose \"source\" equals this");
  c->add_option("--type", q->type, "Records whose \"type\" equals this");
  c->add_option("--grep", q->grep, "Records whose JSON text contains this");
  c->add_option("--field", q->fields, "key=value on a top-level field (repeatable)");
  c->add_flag("--raw", q->raw, "Print only the records' own JSON");
  c->add_option("--limit", q->limit, "Stop after N records");
  c->callback(Action([q] { return RunQuery(*q); }));

  auto pr = std::make_shared<ProveOptions>();
  c = audit->add_subcommand("prove",
                            "Inclusion proof of one record against a signed seal or "
                            "checkpoint (JSON)");
  c->add_option("--store", pr->store, "Store directory")->required();
  c->add_option("--seq", pr->seq, "Sequence number of the record")->required();
  c->add_option("--out", pr->out, "Write the proof here instead of stdout");
  c->callback(Action([pr] { return RunProve(*pr); }));

  auto vp = std::make_shared<VerifyProofOptions>();
  c = audit->add_subcommand("verify-proof", "Check an inclusion proof offline with the public key");
  c->add_option("--proof", vp->proof, "Proof file from `audit prove`")->required();
  c->add_option("--pubkey", vp->pubkey, "SM2 public key (PEM)")->required();
  c->callback(Action([vp] { return RunVerifyProof(*vp); }));

  auto ex = std::make_shared<ExportOptions>();
  c = audit->add_subcommand("export", "Consistent backup copy of the signed part of the store");
  c->add_option("--store", ex->store, "Store directory")->required();
  c->add_option("--to", ex->to, "New directory for the copy")->required();
  c->callback(Action([ex] { return RunExport(*ex); }));

  auto pu = std::make_shared<PurgeOptions>();
  c = audit->add_subcommand("purge", "Remove whole sealed segments older than retention (signed)");
  c->add_option("--store", pu->store, "Store directory")->required();
  c->add_option("--now", pu->now, "Pretend the time is this (RFC 3339; for tests)");
  c->callback(Action([pu] { return RunPurge(*pu); }));

  RegisterAuditServe(*audit);
}

}  // namespace gs::cli
