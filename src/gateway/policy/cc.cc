// CC defence state: per-shard LRU tables of token buckets, offences and bans.
//
// Each shard's table is a node array (grown up to its capacity, never beyond) indexed by an
// open-addressing hash of node numbers (linear probing, backward-shift deletion), with an
// intrusive LRU list through the nodes. No allocation per request once a shard is warm; memory
// is bounded by the capacity fixed at construction.
#include "gateway/policy/cc.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "gateway/policy/access.h"  // NormalisePath

namespace gs::gateway::policy {

std::string_view CcVerdictName(CcVerdict v) {
  switch (v) {
    case CcVerdict::kAllow:
      return "allow";
    case CcVerdict::kLimited:
      return "limited";
    case CcVerdict::kBanned:
      return "banned";
  }
  return "?";
}

std::string_view SlowVerdictName(SlowVerdict v) {
  switch (v) {
    case SlowVerdict::kOk:
      return "ok";
    case SlowVerdict::kHeaderTimeout:
      return "header_timeout";
    case SlowVerdict::kBodyTooSlow:
      return "body_too_slow";
  }
  return "?";
}

namespace {

constexpr size_t kShards = 64;
constexpr uint32_t kNil = ~uint32_t{0};
constexpr int kBanSkipTries = 8;

struct Key {
  Uint128 ip = 0;
  uint32_t tag = 0;  // 0 = the client itself; i + 1 = path rule i
  friend bool operator==(const Key& a, const Key& b) { return a.ip == b.ip && a.tag == b.tag; }
};

uint64_t HashKey(const Key& k) {
  uint64_t h = IpAddress::FromBits(k.ip).Hash();
  return h ^ (uint64_t{k.tag} * 0xD6E8FEB86659FD93ull);
}

struct Entry {
  double tokens = 0;
  int64_t last_refill = 0;
  // Client entries only (tag 0).
  int64_t ban_until = 0;
  int64_t last_ban_end = 0;
  int64_t offence_window_start = 0;
  uint32_t offences = 0;
  uint32_t ban_level = 0;
  int32_t connections = 0;
};

struct Node {
  Key key;
  Entry e;
  uint32_t prev = kNil, next = kNil;
};

class LruTable {
 public:
  explicit LruTable(size_t capacity) : capacity_(std::max<size_t>(capacity, 4)) {
    size_t slots = 1;
    while (slots < capacity_ * 2) slots <<= 1;
    index_.assign(slots, kNil);
    mask_ = slots - 1;
  }

  Entry* Find(const Key& k) {
    size_t s = FindSlot(k);
    if (index_[s] == kNil) return nullptr;
    Touch(index_[s]);
    return &nodes_[index_[s]].e;
  }
  const Entry* Peek(const Key& k) const {
    size_t s = FindSlot(k);
    return index_[s] == kNil ? nullptr : &nodes_[index_[s]].e;
  }

  // Returns the entry for k, creating it (value-initialised) if absent; *inserted says which.
  // When full, evicts from the LRU end, skipping up to kBanSkipTries entries for which
  // `keep(entry)` holds. *evicted counts evictions.
  template <typename Keep>
  Entry* FindOrInsert(const Key& k, bool* inserted, Keep keep, uint64_t* evicted) {
    size_t s = FindSlot(k);
    if (index_[s] != kNil) {
      *inserted = false;
      Touch(index_[s]);
      return &nodes_[index_[s]].e;
    }
    *inserted = true;
    uint32_t n;
    if (nodes_.size() < capacity_) {
      n = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
    } else {
      n = tail_;
      for (int i = 0; i < kBanSkipTries && keep(nodes_[n].key, nodes_[n].e); ++i) {
        Touch(n);
        n = tail_;
      }
      EraseSlot(FindSlot(nodes_[n].key));
      Unlink(n);
      ++*evicted;
      s = FindSlot(k);  // the deletion may have shifted the probe sequence
    }
    nodes_[n].key = k;
    nodes_[n].e = Entry{};
    index_[s] = n;
    PushFront(n);
    return &nodes_[n].e;
  }

  size_t size() const { return nodes_.size(); }
  size_t MemoryBytes() const {
    return nodes_.capacity() * sizeof(Node) + index_.capacity() * sizeof(uint32_t);
  }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const Node& n : nodes_) fn(n.key, n.e);
  }

 private:
  size_t FindSlot(const Key& k) const {
    size_t s = HashKey(k) & mask_;
    while (index_[s] != kNil && !(nodes_[index_[s]].key == k)) s = (s + 1) & mask_;
    return s;
  }
  void EraseSlot(size_t i) {
    size_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (index_[j] == kNil) break;
      size_t home = HashKey(nodes_[index_[j]].key) & mask_;
      // Leave j where it is if its home lies cyclically in (i, j].
      bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      index_[i] = index_[j];
      i = j;
    }
    index_[i] = kNil;
  }
  void Unlink(uint32_t n) {
    Node& x = nodes_[n];
    if (x.prev != kNil)
      nodes_[x.prev].next = x.next;
    else
      head_ = x.next;
    if (x.next != kNil)
      nodes_[x.next].prev = x.prev;
    else
      tail_ = x.prev;
    x.prev = x.next = kNil;
  }
  void PushFront(uint32_t n) {
    Node& x = nodes_[n];
    x.prev = kNil;
    x.next = head_;
    if (head_ != kNil) nodes_[head_].prev = n;
    head_ = n;
    if (tail_ == kNil) tail_ = n;
  }
  void Touch(uint32_t n) {
    if (head_ == n) return;
    Unlink(n);
    PushFront(n);
  }

  size_t capacity_;
  size_t mask_ = 0;
  std::vector<Node> nodes_;
  std::vector<uint32_t> index_;
  uint32_t head_ = kNil, tail_ = kNil;
};

// Refills and takes one token. Returns 0 when allowed, else nanoseconds until a token.
int64_t TakeToken(Entry* e, const BucketSpec& spec, int64_t now, bool fresh) {
  if (fresh) {
    e->tokens = spec.burst;
    e->last_refill = now;
  } else if (now > e->last_refill) {
    e->tokens = std::min(spec.burst,
                         e->tokens + static_cast<double>(now - e->last_refill) * spec.rate / 1e9);
    e->last_refill = now;
  }
  if (e->tokens >= 1.0) {
    e->tokens -= 1.0;
    return 0;
  }
  double missing = 1.0 - e->tokens;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(missing / spec.rate * 1e9)));
}

}  // namespace

struct alignas(64) CcGuard::Shard {
  explicit Shard(size_t capacity) : table(capacity) {}
  mutable std::mutex mu;
  LruTable table;
};

CcGuard::CcGuard(CcOptions options) : options_(std::move(options)) {
  size_t per_shard = std::max<size_t>(options_.max_tracked_clients / kShards, 4);
  if (!options_.per_path.empty()) per_shard *= 2;  // room for (IP, path) buckets too
  // Shard has no default constructor; build the array in place.
  auto* raw = static_cast<Shard*>(::operator new[](sizeof(Shard) * kShards, std::align_val_t{64}));
  for (size_t i = 0; i < kShards; ++i) new (&raw[i]) Shard(per_shard);
  shards_.reset(raw);
}

CcGuard::~CcGuard() {
  Shard* raw = shards_.release();
  for (size_t i = 0; i < kShards; ++i) raw[i].~Shard();
  ::operator delete[](raw, std::align_val_t{64});
}

IpAddress CcGuard::ClientKey(const IpAddress& ip) const {
  // One IPv6 subscriber usually holds a whole /64 (or /56, /48): per-address state would let
  // it rotate addresses past every bucket.
  int len = options_.ipv6_prefix_len;
  if (ip.is_v4() || len >= 128) return ip;
  Uint128 mask = len <= 0 ? Uint128{0} : ~Uint128{0} << (128 - len);
  return IpAddress::FromBits(ip.bits() & mask);
}

CcGuard::Shard& CcGuard::ShardFor(const IpAddress& ip) const {
  return shards_[(ip.Hash() >> 58) & (kShards - 1)];
}

namespace {

bool BannedAt(const Entry& e, int64_t now) { return e.ban_until > now; }

// What eviction should spare: clients with an active ban or open connections.
auto KeepFn(int64_t now) {
  return [now](const Key& k, const Entry& e) {
    return k.tag == 0 && (BannedAt(e, now) || e.connections > 0);
  };
}

// Adds `weight` offences; starts a ban when the window's total reaches the threshold.
void AddOffence(Entry* e, uint32_t weight, int64_t now, const CcOptions& o, CcDecision* d) {
  if (o.ban_after_offences <= 0) return;
  if (e->offences == 0 || now - e->offence_window_start > o.ban_window_ns) {
    e->offences = 0;
    e->offence_window_start = now;
  }
  e->offences += weight;
  if (e->offences < static_cast<uint32_t>(o.ban_after_offences)) return;
  if (e->ban_level > 0 && now - e->last_ban_end > o.ban_forget_after_ns) e->ban_level = 0;
  e->ban_level += 1;
  double d_ns =
      static_cast<double>(o.ban_duration_ns) * std::pow(o.ban_escalation, e->ban_level - 1);
  int64_t duration = d_ns >= static_cast<double>(o.ban_max_duration_ns)
                         ? o.ban_max_duration_ns
                         : static_cast<int64_t>(d_ns);
  e->ban_until = now + duration;
  e->last_ban_end = e->ban_until;
  e->offences = 0;
  d->ban_started = true;
  d->ban_duration_ns = duration;
  d->ban_level = e->ban_level;
}

}  // namespace

CcDecision CcGuard::OnRequest(const IpAddress& raw, std::string_view path, int64_t now) {
  const IpAddress ip = ClientKey(raw);
  CcDecision d;
  if (!options_.exempt.empty() && options_.exempt.Contains(raw)) {
    allowed_.fetch_add(1, std::memory_order_relaxed);
    return d;
  }
  int rule = -1;
  if (!options_.per_path.empty()) {
    // Match on the normalised path so "//login" or "/%6cogin" cannot dodge the /login bucket.
    thread_local std::string norm;
    NormalisePath(path, &norm);
    path = norm;
  }
  for (size_t i = 0; i < options_.per_path.size(); ++i) {
    const std::string& p = options_.per_path[i].prefix;
    if (path.size() >= p.size() && path.compare(0, p.size(), p) == 0) {
      rule = static_cast<int>(i);
      break;
    }
  }
  Shard& s = ShardFor(ip);
  uint64_t evicted = 0;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    auto keep = KeepFn(now);
    bool fresh = false;
    Entry* c = s.table.FindOrInsert(Key{ip.bits(), 0}, &fresh, keep, &evicted);
    if (BannedAt(*c, now)) {
      d.verdict = CcVerdict::kBanned;
      d.retry_after_ns = c->ban_until - now;
      d.bucket = "ban";
    } else {
      int64_t wait = 0;
      if (options_.per_ip.rate > 0) {
        wait = TakeToken(c, options_.per_ip, now, fresh);
        if (wait > 0) d.bucket = "ip";
      }
      if (wait == 0 && rule >= 0 && options_.per_path[rule].bucket.rate > 0) {
        bool pfresh = false;
        Entry* pe = s.table.FindOrInsert(Key{ip.bits(), static_cast<uint32_t>(rule + 1)}, &pfresh,
                                         keep, &evicted);
        wait = TakeToken(pe, options_.per_path[rule].bucket, now, pfresh);
        if (wait > 0) d.bucket = options_.per_path[rule].prefix;
        // The insert may have grown the node array: re-find the client entry.
        c = s.table.Find(Key{ip.bits(), 0});
      }
      if (wait > 0) {
        d.verdict = CcVerdict::kLimited;
        d.retry_after_ns = wait;
        if (c != nullptr) AddOffence(c, 1, now, options_, &d);
      }
    }
  }
  if (evicted != 0) evictions_.fetch_add(evicted, std::memory_order_relaxed);
  switch (d.verdict) {
    case CcVerdict::kAllow:
      allowed_.fetch_add(1, std::memory_order_relaxed);
      break;
    case CcVerdict::kLimited:
      limited_.fetch_add(1, std::memory_order_relaxed);
      break;
    case CcVerdict::kBanned:
      banned_.fetch_add(1, std::memory_order_relaxed);
      break;
  }
  if (d.ban_started) bans_started_.fetch_add(1, std::memory_order_relaxed);
  if (d.verdict != CcVerdict::kAllow) d.status = 429;
  return d;
}

CcVerdict CcGuard::OnConnectionOpen(const IpAddress& raw, int64_t now) {
  const IpAddress ip = ClientKey(raw);
  if (!options_.exempt.empty() && options_.exempt.Contains(raw)) return CcVerdict::kAllow;
  Shard& s = ShardFor(ip);
  CcVerdict v = CcVerdict::kAllow;
  CcDecision d;
  uint64_t evicted = 0;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    auto keep = KeepFn(now);
    bool fresh = false;
    Entry* c = s.table.FindOrInsert(Key{ip.bits(), 0}, &fresh, keep, &evicted);
    if (fresh) {
      c->tokens = options_.per_ip.burst;
      c->last_refill = now;
    }
    if (BannedAt(*c, now)) {
      v = CcVerdict::kBanned;
    } else if (options_.max_connections_per_ip > 0 &&
               c->connections >= options_.max_connections_per_ip) {
      v = CcVerdict::kLimited;
      AddOffence(c, static_cast<uint32_t>(options_.slow_offence_weight), now, options_, &d);
    } else {
      ++c->connections;
    }
  }
  if (evicted != 0) evictions_.fetch_add(evicted, std::memory_order_relaxed);
  if (v == CcVerdict::kBanned) banned_.fetch_add(1, std::memory_order_relaxed);
  if (v == CcVerdict::kLimited) conn_refused_.fetch_add(1, std::memory_order_relaxed);
  if (d.ban_started) bans_started_.fetch_add(1, std::memory_order_relaxed);
  return v;
}

void CcGuard::OnConnectionClose(const IpAddress& raw) {
  const IpAddress ip = ClientKey(raw);
  if (!options_.exempt.empty() && options_.exempt.Contains(raw)) return;
  Shard& s = ShardFor(ip);
  std::lock_guard<std::mutex> lock(s.mu);
  Entry* c = s.table.Find(Key{ip.bits(), 0});
  // An entry with open connections is never evicted while the table has other candidates;
  // if it was anyway (a table full of connected clients), there is nothing to decrement.
  if (c != nullptr && c->connections > 0) --c->connections;
}

SlowVerdict CcGuard::CheckHeaders(int64_t started, int64_t now) const {
  if (options_.header_timeout_ns > 0 && now - started >= options_.header_timeout_ns) {
    return SlowVerdict::kHeaderTimeout;
  }
  return SlowVerdict::kOk;
}

SlowVerdict CcGuard::CheckBody(int64_t started, uint64_t received, int64_t now) const {
  if (options_.body_min_rate <= 0) return SlowVerdict::kOk;
  int64_t elapsed = now - started;
  if (elapsed <= options_.body_grace_ns) return SlowVerdict::kOk;
  double rate = static_cast<double>(received) * 1e9 / static_cast<double>(elapsed);
  return rate < options_.body_min_rate ? SlowVerdict::kBodyTooSlow : SlowVerdict::kOk;
}

CcDecision CcGuard::ReportSlowClient(const IpAddress& raw, SlowVerdict why, int64_t now) {
  const IpAddress ip = ClientKey(raw);
  CcDecision d;
  if (why == SlowVerdict::kOk) return d;
  (why == SlowVerdict::kHeaderTimeout ? slow_headers_ : slow_bodies_)
      .fetch_add(1, std::memory_order_relaxed);
  d.verdict = CcVerdict::kLimited;
  d.status = 408;
  d.bucket = SlowVerdictName(why);
  if (!options_.exempt.empty() && options_.exempt.Contains(raw)) return d;
  Shard& s = ShardFor(ip);
  uint64_t evicted = 0;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    auto keep = KeepFn(now);
    bool fresh = false;
    Entry* c = s.table.FindOrInsert(Key{ip.bits(), 0}, &fresh, keep, &evicted);
    if (fresh) {
      c->tokens = options_.per_ip.burst;
      c->last_refill = now;
    }
    AddOffence(c, static_cast<uint32_t>(options_.slow_offence_weight), now, options_, &d);
  }
  if (evicted != 0) evictions_.fetch_add(evicted, std::memory_order_relaxed);
  if (d.ban_started) bans_started_.fetch_add(1, std::memory_order_relaxed);
  return d;
}

bool CcGuard::IsBanned(const IpAddress& raw, int64_t now) const {
  const IpAddress ip = ClientKey(raw);
  Shard& s = ShardFor(ip);
  std::lock_guard<std::mutex> lock(s.mu);
  const Entry* c = s.table.Peek(Key{ip.bits(), 0});
  return c != nullptr && BannedAt(*c, now);
}

CcCounters CcGuard::Counters(int64_t now) const {
  CcCounters c;
  c.allowed = allowed_.load(std::memory_order_relaxed);
  c.limited = limited_.load(std::memory_order_relaxed);
  c.banned = banned_.load(std::memory_order_relaxed);
  c.bans_started = bans_started_.load(std::memory_order_relaxed);
  c.connections_refused = conn_refused_.load(std::memory_order_relaxed);
  c.slow_headers = slow_headers_.load(std::memory_order_relaxed);
  c.slow_bodies = slow_bodies_.load(std::memory_order_relaxed);
  c.evictions = evictions_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards_[i].mu);
    shards_[i].table.ForEach([&](const Key& k, const Entry& e) {
      if (k.tag != 0) return;
      ++c.tracked_clients;
      if (BannedAt(e, now)) ++c.active_bans;
    });
  }
  return c;
}

void CcGuard::AppendPrometheus(std::string_view site, int64_t now, std::string* out) const {
  CcCounters c = Counters(now);
  // Site names come from config; keep the label value printable and unquoted-safe.
  std::string label;
  for (char ch : site) {
    if (ch == '"' || ch == '\\' || ch == '\n') continue;
    label.push_back(ch);
  }
  auto line = [&](const char* name, const char* extra, uint64_t v) {
    *out += name;
    *out += "{site=\"" + label + "\"";
    *out += extra;
    *out += "} " + std::to_string(v) + "\n";
  };
  *out += "# HELP govshield_cc_requests_total Requests seen by CC defence, by result.\n";
  *out += "# TYPE govshield_cc_requests_total counter\n";
  line("govshield_cc_requests_total", ",result=\"allowed\"", c.allowed);
  line("govshield_cc_requests_total", ",result=\"limited\"", c.limited);
  line("govshield_cc_requests_total", ",result=\"banned\"", c.banned);
  *out += "# HELP govshield_cc_bans_started_total Temporary bans started.\n";
  *out += "# TYPE govshield_cc_bans_started_total counter\n";
  line("govshield_cc_bans_started_total", "", c.bans_started);
  *out += "# HELP govshield_cc_connections_refused_total Connections over the per-IP cap.\n";
  *out += "# TYPE govshield_cc_connections_refused_total counter\n";
  line("govshield_cc_connections_refused_total", "", c.connections_refused);
  *out += "# HELP govshield_cc_slow_clients_total Slow clients cut off, by kind.\n";
  *out += "# TYPE govshield_cc_slow_clients_total counter\n";
  line("govshield_cc_slow_clients_total", ",kind=\"headers\"", c.slow_headers);
  line("govshield_cc_slow_clients_total", ",kind=\"body\"", c.slow_bodies);
  *out += "# HELP govshield_cc_evictions_total Idle client states evicted to bound memory.\n";
  *out += "# TYPE govshield_cc_evictions_total counter\n";
  line("govshield_cc_evictions_total", "", c.evictions);
  *out += "# HELP govshield_cc_active_bans Clients banned right now.\n";
  *out += "# TYPE govshield_cc_active_bans gauge\n";
  line("govshield_cc_active_bans", "", c.active_bans);
  *out += "# HELP govshield_cc_tracked_clients Client addresses with state.\n";
  *out += "# TYPE govshield_cc_tracked_clients gauge\n";
  line("govshield_cc_tracked_clients", "", c.tracked_clients);
}

size_t CcGuard::MemoryBytes() const {
  size_t total = sizeof(Shard) * kShards;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards_[i].mu);
    total += shards_[i].table.MemoryBytes();
  }
  return total;
}

}  // namespace gs::gateway::policy
