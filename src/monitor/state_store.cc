// SQLite implementation of StateStore. Each statement is prepared once per connection and
// reused (a round of 10,000 targets runs ~10 statements per target).
#include "monitor/state_store.h"

#include <sqlite3.h>

#include <map>

namespace gs::monitor {
namespace {

// A statement from the connection's cache (prepared on first use), reset and unbound when
// the scope ends. `sql` must be a string literal: its address is the cache key.
class Stmt {
 public:
  Stmt(sqlite3* db, std::map<const char*, sqlite3_stmt*>& cache, const char* sql) {
    sqlite3_stmt*& cached = cache[sql];
    rc_ = cached != nullptr
              ? SQLITE_OK
              : sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &cached, nullptr);
    s_ = cached;
  }
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return s_; }
  void Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

Status SqlError(sqlite3* db, const char* what) {
  return IoError(std::string("monitor state: ") + what + ": " + sqlite3_errmsg(db));
}

}  // namespace

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return IoError("cannot open monitor state " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<StateStore> s(new StateStore(db));
  GS_RETURN_IF_ERROR(s->Exec("PRAGMA journal_mode=WAL"));
  // WAL + NORMAL: a commit survives a crash of the process; only a power loss can drop the
  // last commits (a probe or a streak count), and one fsync per commit would cap a round of
  // 10,000 targets at the disk's sync rate.
  GS_RETURN_IF_ERROR(s->Exec("PRAGMA synchronous=NORMAL"));
  GS_RETURN_IF_ERROR(s->Exec(
      "CREATE TABLE IF NOT EXISTS baseline(kind TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT "
      "NULL, value TEXT NOT NULL, updated INTEGER NOT NULL, PRIMARY KEY(kind, target, key))"));
  GS_RETURN_IF_ERROR(s->Exec(
      "CREATE TABLE IF NOT EXISTS streak(target TEXT NOT NULL, key TEXT NOT NULL, count INTEGER "
      "NOT NULL, PRIMARY KEY(target, key))"));
  GS_RETURN_IF_ERROR(s->Exec(
      "CREATE TABLE IF NOT EXISTS probe(target TEXT NOT NULL, ts INTEGER NOT NULL, ok INTEGER NOT "
      "NULL, latency_ms INTEGER NOT NULL)"));
  GS_RETURN_IF_ERROR(s->Exec(
      "CREATE TABLE IF NOT EXISTS open_finding(key TEXT PRIMARY KEY, last_reported INTEGER NOT "
      "NULL)"));
  GS_RETURN_IF_ERROR(s->Exec("CREATE INDEX IF NOT EXISTS probe_target_ts ON probe(target, ts)"));
  return s;
}

StateStore::~StateStore() {
  for (auto& [sql, st] : stmts_) sqlite3_finalize(st);
  sqlite3_close(db_);
}

Status StateStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return IoError("monitor state: " + msg);
  }
  return Status::Ok();
}

Result<std::optional<std::string>> StateStore::GetBaseline(const std::string& kind,
                                                           const std::string& target,
                                                           const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_, "SELECT value FROM baseline WHERE kind=?1 AND target=?2 AND key=?3");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, kind);
  st.Bind(2, target);
  st.Bind(3, key);
  int rc = sqlite3_step(st.get());
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return SqlError(db_, "read baseline");
  const unsigned char* t = sqlite3_column_text(st.get(), 0);
  int n = sqlite3_column_bytes(st.get(), 0);
  return std::optional<std::string>(std::string(reinterpret_cast<const char*>(t), n));
}

Status StateStore::PutBaseline(const std::string& kind, const std::string& target,
                               const std::string& key, const std::string& value, UnixNanos ts) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_,
          "INSERT OR REPLACE INTO baseline(kind,target,key,value,updated) VALUES(?1,?2,?3,?4,?5)");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, kind);
  st.Bind(2, target);
  st.Bind(3, key);
  st.Bind(4, value);
  st.Bind(5, static_cast<int64_t>(ts));
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "write baseline");
  return Status::Ok();
}

Status StateStore::DeleteBaselines(const std::string& kind, const std::string& target,
                                   const std::string& key_prefix) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_,
          "DELETE FROM baseline WHERE kind=?1 AND target=?2 AND substr(key,1,length(?3))=?3");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, kind);
  st.Bind(2, target);
  st.Bind(3, key_prefix);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "delete baselines");
  return Status::Ok();
}

Result<int> StateStore::IncrementStreak(const std::string& target, const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_,
          "INSERT INTO streak(target,key,count) VALUES(?1,?2,1) ON CONFLICT(target,key) DO UPDATE "
          "SET count=count+1 RETURNING count");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, target);
  st.Bind(2, key);
  if (sqlite3_step(st.get()) != SQLITE_ROW) return SqlError(db_, "increment streak");
  int n = sqlite3_column_int(st.get(), 0);
  sqlite3_step(st.get());
  return n;
}

Status StateStore::ResetStreak(const std::string& target, const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_, "DELETE FROM streak WHERE target=?1 AND key=?2");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, target);
  st.Bind(2, key);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "reset streak");
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, UnixNanos>>> StateStore::ListOpenFindings() {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_, "SELECT key, last_reported FROM open_finding");
  if (!st.ok()) return SqlError(db_, "prepare");
  std::vector<std::pair<std::string, UnixNanos>> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    const unsigned char* k = sqlite3_column_text(st.get(), 0);
    int n = sqlite3_column_bytes(st.get(), 0);
    out.emplace_back(std::string(reinterpret_cast<const char*>(k), n),
                     sqlite3_column_int64(st.get(), 1));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, "list open findings");
  return out;
}

Status StateStore::PutOpenFinding(const std::string& key, UnixNanos last_reported) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_, "INSERT OR REPLACE INTO open_finding(key, last_reported) VALUES(?1, ?2)");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, key);
  st.Bind(2, static_cast<int64_t>(last_reported));
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "write open finding");
  return Status::Ok();
}

Status StateStore::DeleteOpenFinding(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_, "DELETE FROM open_finding WHERE key=?1");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, key);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "delete open finding");
  return Status::Ok();
}

Status StateStore::RecordProbe(const std::string& target, UnixNanos ts, bool ok,
                               int64_t latency_ms) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_, "INSERT INTO probe(target,ts,ok,latency_ms) VALUES(?1,?2,?3,?4)");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, target);
  st.Bind(2, static_cast<int64_t>(ts));
  st.Bind(3, static_cast<int64_t>(ok ? 1 : 0));
  st.Bind(4, latency_ms);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "record probe");
  return Status::Ok();
}

Result<StateStore::ProbeStats> StateStore::GetProbeStats(const std::string& target, UnixNanos since,
                                                         UnixNanos until) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_,
          "SELECT count(*), coalesce(sum(ok = 0), 0) FROM probe WHERE target=?1 AND ts>?2 AND "
          "ts<=?3");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, target);
  st.Bind(2, static_cast<int64_t>(since));
  st.Bind(3, static_cast<int64_t>(until));
  if (sqlite3_step(st.get()) != SQLITE_ROW) return SqlError(db_, "probe stats");
  ProbeStats p;
  p.total = sqlite3_column_int64(st.get(), 0);
  p.failed = sqlite3_column_int64(st.get(), 1);
  return p;
}

Status StateStore::PruneProbes(UnixNanos before) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, stmts_, "DELETE FROM probe WHERE ts<?1");
  if (!st.ok()) return SqlError(db_, "prepare");
  st.Bind(1, static_cast<int64_t>(before));
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "prune probes");
  return Status::Ok();
}

}  // namespace gs::monitor
