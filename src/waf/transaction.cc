// The WAF runtime: Engine (shared rules + persistent collections) and Transaction (one HTTP
// exchange walked through phases 1-5 with ModSecurity v3 semantics).
//
// How a rule is evaluated mirrors libmodsecurity 3.0.9's RuleWithOperator::evaluate: for every
// target value not excluded, run the transformation chain (every changed intermediate value too
// under multiMatch), run the operator; on each match update MATCHED_VAR(S), store captures, run
// setvar and expand msg/logdata; after the whole chain matched run the rest (ctl, skip, skipAfter,
// initcol, status ...) innermost rule first, then the head's disruptive action. `block` runs the
// phase's SecDefaultAction disruptive action. Disruptive actions (and allow) take effect only
// when the engine is On; DetectionOnly evaluates and logs everything.
//
// Memory: request data is copied once into a per-transaction arena and every variable value is
// a string_view into it (or into the body buffer); computed values (counts, lengths) go to the
// arena as well, so evaluating a rule allocates only when a transformation changes a value (into
// two reused scratch buffers) or a rule matches.
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <ctime>
#include <mutex>
#include <unordered_map>

#include "core/utf8.h"
#include "ruleengine/body/body.h"
#include "waf/compiled.h"
#include "waf/exchange.h"

namespace gs::waf {

using seclang::ActionId;
using seclang::CtlOption;
using seclang::VariableId;

namespace {

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerStr(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool IEq(std::string_view a, std::string_view b) { return seclang::EqualsIgnoreCase(a, b); }

// std::stoi-like: optional whitespace and sign, digits; anything else -> 0 for no digits.
int64_t ToInt(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    neg = s[i] == '-';
    ++i;
  }
  int64_t v = 0;
  bool any = false;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    any = true;
    if (v < (int64_t{1} << 60)) v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (!any) return 0;
  return neg ? -v : v;
}

// ModSecurity's utils::uri_decode: %XX only ('+' stays), invalid escapes kept.
std::string UriDecode(std::string_view in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() + 0 && i + 2 <= in.size() - 1) {
      int a = hex(in[i + 1]), b = hex(in[i + 2]);
      if (a >= 0 && b >= 0) {
        out.push_back(static_cast<char>(a * 16 + b));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

constexpr int kPersistentCount = 5;
// Values longer than this skip the literal prefilter (see ContentBits).
constexpr size_t kMaxPrefilterScan = 32 * 1024;
// LargeMayMatch gives up (the operator runs) when its literal comparisons would exceed one per
// this many bytes of the value.
constexpr size_t kLargeBytesPerCompare = 2;
int PersistentIndex(VariableId id) {
  switch (id) {
    case VariableId::kIp:
      return 0;
    case VariableId::kGlobal:
      return 1;
    case VariableId::kSession:
      return 2;
    case VariableId::kUser:
      return 3;
    case VariableId::kResource:
      return 4;
    default:
      return -1;
  }
}

// Whether a variable's values keep their bytes at the same address for the whole transaction
// (request and response data, connection facts), so transformed values can be cached by address.
// TX values are the variables' own strings, which setvar rewrites in place; the others listed
// here are copied afresh on every collection (a cache entry would never be found again).
bool StableValues(VariableId id) {
  if (seclang::IsWritableCollection(id)) return false;  // TX, IP, GLOBAL, SESSION ...
  switch (id) {
    case VariableId::kMatchedVar:
    case VariableId::kMatchedVarName:
    case VariableId::kMatchedVars:
    case VariableId::kMatchedVarsNames:
    case VariableId::kRule:
    case VariableId::kDuration:
    case VariableId::kHighestSeverity:
      return false;
    default:
      return true;
  }
}

constexpr std::string_view kPersistentNames[kPersistentCount] = {"ip", "global", "session", "user",
                                                                 "resource"};

struct KV {
  std::string_view key;
  std::string_view value;
};

struct VarValue {
  VariableId coll;
  std::string_view key;
  std::string_view value;
};

struct TxVar {
  std::string name;
  std::string value;
  uint32_t gen = 0;  // live only when equal to the transaction's TX generation
  // Answers of the rule set's key regexes (KeyRegex::id < 64) for this name: bit i of `re_known`
  // says whether bit i of `re_match` holds regex i's answer. Names repeat in every transaction
  // and the node outlives them (pooled), so each regex runs once per name, not once per rule
  // and transaction. Cleared when the pooled transaction starts on another rule set.
  uint64_t re_known = 0;
  uint64_t re_match = 0;
};

// Heterogeneous lookup, so finding a TX variable by a string_view key allocates nothing.
struct SvHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using TxMap = std::unordered_map<std::string, TxVar, SvHash, std::equal_to<>>;

struct RuleMsg {
  std::string msg;
  std::string data;
};

}  // namespace

// ---- Engine -------------------------------------------------------------------------------

struct Engine::Impl {
  mutable std::mutex rules_mu;
  std::shared_ptr<const CompiledRules> rules;
  EngineOptions options;
  const TimeSource* time = nullptr;
  std::atomic<uint64_t> counter{0};

  struct PVar {
    std::string name;
    std::string value;
    int64_t expires_ns = 0;  // 0: never
  };
  struct Record {
    std::unordered_map<std::string, PVar> vars;
    int64_t expires_ns = 0;
  };
  std::mutex coll_mu;
  std::unordered_map<std::string, Record> records;

  // Finished transactions' resources, reused by NewTransaction (bounded).
  std::mutex pool_mu;
  std::vector<std::unique_ptr<Transaction::Impl>> pool;
  static constexpr size_t kMaxPooled = 256;

  int64_t Now() const { return time->Now(); }
};

Engine::Engine(std::shared_ptr<const CompiledRules> rules, EngineOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->rules = std::move(rules);
  impl_->options = options;
  impl_->time = options.time_source != nullptr ? options.time_source : &SystemTime();
}

void Engine::SwapRules(std::shared_ptr<const CompiledRules> rules) {
  std::lock_guard<std::mutex> l(impl_->rules_mu);
  impl_->rules = std::move(rules);
}

std::shared_ptr<const CompiledRules> Engine::rules() const {
  std::lock_guard<std::mutex> l(impl_->rules_mu);
  return impl_->rules;
}

// ---- Transaction --------------------------------------------------------------------------

// Per-transaction state that starts fresh for every transaction (cheap to construct: nothing
// here allocates until used).
struct TxState {
  Engine::Impl* engine = nullptr;
  std::shared_ptr<const CompiledRules> rules_holder;
  const CompiledRules* rules = nullptr;
  const WafConfig* cfg = nullptr;
  std::string id;
  int64_t start_ns = 0;

  // Request.
  std::string_view client_ip, server_ip, client_port, server_port;
  std::string_view uri_raw, method, http_version, request_line, protocol, query_string, request_uri,
      filename, basename;
  bool has_query = false;
  std::string_view content_type;
  bool body_processed = false;
  bool multipart_seen = false;
  std::string reqbody_processor;  // REQBODY_PROCESSOR (empty: unset)
  std::string processor_override;
  int reqbody_error = -1;  // -1 unset
  bool inbound_data_error = false;
  bool outbound_data_error = false;
  int body_access = -1;           // ctl:requestBodyAccess
  int response_body_access = -1;  // ctl:responseBodyAccess
  uint64_t request_body_limit = 0;
  uint64_t response_body_limit = 0;

  // Response.
  int response_status = 0;
  std::string_view response_protocol;
  std::string_view resp_content_type;
  bool resp_body_set = false;

  // State.
  EngineMode mode = EngineMode::kDetectionOnly;
  bool matched_set = false;
  Intervention it;
  int it_status = 200;
  AllowType allow = AllowType::kNone;
  int skip_next = 0;
  int marker_pending = -1;
  bool phase_done[6] = {};
  std::vector<std::pair<int64_t, int64_t>> removed_ranges;
  std::vector<std::string> removed_tags, removed_msgs;
  std::vector<const RunAction*> remove_target_by_id;
  std::vector<const RunAction*> remove_target_by_tag;
  std::vector<MatchedRule> matched;
  std::string persistent_key[kPersistentCount];
  int highest_severity = 255;
  operators::GeoResult geo;
  bool geo_set = false;
  bool pcre_limit_recorded = false;
  std::string audit_engine;
  std::string user_id, session_id;
  const CompiledRule* current_head = nullptr;
  RuleMsg* current_msg = nullptr;
  int current_phase = 0;
};

// A transaction: TxState plus the expensive-to-build resources (PCRE2 match data, Vectorscan
// scratch, arena blocks, buffers with their capacity) that the Engine pools and reuses, so a
// transaction in steady state sets nothing up.
struct Transaction::Impl : TxState {
  body::Arena arena;
  operators::MatchContext mctx;
  operators::MatchContext key_mctx;  // key regexes, so they never clobber captures
  std::string scratch_a, scratch_b;
  std::vector<VarValue> values;          // reused per target
  std::vector<std::string_view> multi_;  // values to test for one target value (multiMatch)
  std::vector<KV> req_headers;
  std::vector<KV> cookies;
  body::BodyResult args;  // query-string args, then body args, files, multipart facts
  std::string req_body;
  std::vector<KV> resp_headers;
  std::string resp_body;
  TxMap tx;
  uint32_t tx_gen_ = 1;
  uint64_t tx_rules_serial_ = 0;  // rule set whose key-regex answers and slots tx holds
  std::vector<TxVar*> tx_nodes_;  // by TX slot; null: not looked up since the map was cleared
  std::string lower_buf_, name_buf_, value_buf_, expand_tmp_;
  std::vector<int64_t> matched_ids;
  // MATCHED_VAR, MATCHED_VAR_NAME and MATCHED_VARS (its first matched_vars_n_ entries): kept
  // across pooled transactions so their strings keep their capacity (a rule match allocates
  // nothing once they have grown).
  std::string matched_var, matched_var_name;
  std::vector<std::pair<std::string, std::string>> matched_vars;
  size_t matched_vars_n_ = 0;
  std::string expanded_arg_;   // a dynamic operator's macro-expanded argument (EvalRule)
  std::string capture_input_;  // a TX value a capturing rule evaluates (EvalRule)

  // Transformation cache: (value bytes' address and length, chain) -> transformed value, valid
  // for one transaction (values live in the arena or request buffers until Reset). Open
  // addressing; entries of older transactions are recognised by their generation. Only
  // (value, chain) pairs the chain may change get an entry (see ValueEntry).
  struct CacheEntry {
    const char* ptr = nullptr;
    uint32_t len = 0;
    uint32_t chain = 0;
    uint32_t gen = 0;
    int32_t bits = -1;  // index into bitsets_ once the prefilter ran on `out`
    std::string_view out;
  };
  std::vector<CacheEntry> tcache_ = std::vector<CacheEntry>(1024);
  // Per value Transformed sees (same stability rule as tcache_): its transforms::ValueFeatures
  // and the prefilter bits of its own bytes. A chain whose triggers the features miss returns
  // the value as it is, so such a (value, chain) pair costs one lookup here, on a cache line
  // every chain of the value shares, and no tcache_ entry. Direct-mapped: a collision
  // recomputes the features and finds the bits again by content (ContentBits).
  struct ValueEntry {
    const char* ptr = nullptr;
    uint32_t len = 0;
    uint32_t gen = 0;
    transforms::Features features = 0;
    int32_t bits = -1;  // index into bitsets_ once the prefilter ran on the value
  };
  std::array<ValueEntry, 512> values_{};
  ValueEntry& ValueOf(std::string_view in) {
    const uintptr_t key = reinterpret_cast<uintptr_t>(in.data()) ^ (uintptr_t{in.size()} << 48);
    ValueEntry& e = values_[((key >> 3) * 0x9E3779B97F4A7C15ull) >> 55];
    if (e.gen != tgen_ || e.ptr != in.data() || e.len != in.size()) {
      e.ptr = in.data();
      e.len = static_cast<uint32_t>(in.size());
      e.gen = tgen_;
      e.features = transforms::ValueFeatures(in);
      e.bits = -1;
    }
    return e;
  }
  // A transformed value and where its prefilter bits index is kept (-1 until PrefilterBits
  // computes it). `bits` stays valid until the next Transformed call.
  struct Cached {
    std::string_view out;
    int32_t* bits;
  };
  uint32_t tgen_ = 1;
  size_t tcache_used_ = 0;
  std::vector<prefilter::Bitset> bitsets_;
  size_t bitsets_used_ = 0;

  // Per (target, chain): the OR of the chain's prefilter bits over every value of the target,
  // valid while the request data it was computed from is unchanged (data_epoch_).
  struct TargetEntry {
    uint32_t gen = 0;
    uint32_t epoch = 0;
    int32_t bits = -1;
  };
  std::vector<TargetEntry> targets_;
  // Per target: the OR of its values' own prefilter bits and the union of their
  // transforms::ValueFeatures. A chain none of the values can trigger leaves every value as it
  // is, so its aggregate is this one (most of the ~20 chains, for most targets).
  struct TargetRaw {
    uint32_t gen = 0;
    uint32_t epoch = 0;
    int32_t bits = -1;
    transforms::Features features = 0;
  };
  std::vector<TargetRaw> target_raw_;
  std::vector<VarValue> target_values_;
  uint32_t data_epoch_[kDataClasses] = {};
  void DataChanged(std::initializer_list<int> classes) {
    for (int c : classes) ++data_epoch_[c];
  }
  // The OR of `chain`'s prefilter bits over every value of target `cv` (cv's target id and
  // data class may be passed in, so that a cached answer does not load `cv`).
  const prefilter::Bitset& TargetMayMatch(const CompiledVar& cv, uint32_t chain);
  const prefilter::Bitset& TargetMayMatch(uint32_t target_id, int data_class, const CompiledVar& cv,
                                          uint32_t chain);
  // Whether a by_prefilter walk entry's rule may match (some target has its bit).
  bool AnyTargetMayMatch(const WalkEntry& e, const WalkTarget* targets);
  prefilter::Bitset& NewBitset() {
    if (bitsets_used_ == bitsets_.size()) bitsets_.emplace_back(rules->rule_count);
    prefilter::Bitset& b = bitsets_[bitsets_used_++];
    b.Resize(rules->rule_count);
    b.Clear();
    return b;
  }

  static size_t CacheHash(const char* p, uint32_t len, uint32_t chain) {
    uint64_t h = reinterpret_cast<uintptr_t>(p) * 0x9E3779B97F4A7C15ull;
    h ^= (static_cast<uint64_t>(len) << 32 | chain) * 0xC2B2AE3D27D4EB4Full;
    return static_cast<size_t>(h ^ (h >> 29));
  }
  Cached Transformed(std::string_view in, uint32_t chain);
  // Whether chain `chain` returns every value with these features as it is (none triggers it).
  bool ChainLeavesAsIs(transforms::Features features, uint32_t chain) const {
    return chain >= rules->chains.size() || (features & rules->chains[chain].any_trigger) == 0;
  }
  // Runs transformation chain `chain` over `in`, alternating between the two scratch buffers.
  // The result is `in` itself or lives in a scratch buffer (`*changed` says which) until the
  // next call; with `steps`, every value a transformation produced is also kept there
  // (multiMatch). A step whose trigger features the current value lacks would return it
  // unchanged and is passed over; `in_features` are `in`'s, when the caller has them.
  std::string_view RunChain(std::string_view in, uint32_t chain, bool* changed = nullptr,
                            std::vector<std::string_view>* steps = nullptr,
                            transforms::Features in_features = 0) {
    std::string_view cur = in;
    bool in_a = false;  // cur is scratch_a's bytes: the next output goes to scratch_b
    bool any = false;
    if (chain < rules->chains.size()) {
      const auto& fns = rules->chains[chain].fns;
      const auto& triggers = rules->chains[chain].triggers;
      transforms::Features f = in_features;
      for (size_t k = 0; k < fns.size(); ++k) {
        // A value's features cost one pass over it, about what a step's own check costs: they
        // are worked out for the input when at least two steps are left (Transformed passes
        // them in, computed once per value); a changed value runs the remaining steps.
        if (f == 0) {
          f = fns.size() - k >= 2 && cur.size() <= kFeatureScanLimit
                  ? transforms::ValueFeatures(cur)
                  : ~0u;
        }
        if ((f & triggers[k]) == 0) continue;
        std::string* out = in_a ? &scratch_b : &scratch_a;
        if (fns[k](cur, out, &rules->transform_ctx)) {
          cur = *out;
          in_a = out == &scratch_a;
          any = true;
          f = ~0u;
          if (steps != nullptr) steps->push_back(Keep(cur));
        }
      }
    }
    if (changed != nullptr) *changed = any;
    return cur;
  }
  static constexpr size_t kFeatureScanLimit = 512;
  bool LargeMayMatch(const CompiledRule& r, std::string_view s);
  struct LargeCounts {  // byte counts of one large value, for LargeMayMatch
    uint32_t gen = 0;
    std::string_view text;
    prefilter::ByteCounts counts;
  };
  std::vector<LargeCounts> large_counts_;
  prefilter::RareByteScratch rare_scratch_;
  const prefilter::Bitset& PrefilterBits(const Cached& c);
  struct ContentEntry {
    uint64_t hash = 0;
    std::string_view text;
    uint32_t gen = 0;
    int32_t bits = -1;
  };
  std::vector<ContentEntry> content_;
  size_t content_used_ = 0;
  int32_t ContentBits(std::string_view s);

  // Back to the state of a new transaction, keeping the pooled resources' capacity.
  void Reset() {
    static_cast<TxState&>(*this) = TxState{};
    arena.Reset();
    mctx.ResetFlags();
    mctx.ClearCaptures();
    key_mctx.ResetFlags();
    values.clear();
    req_headers.clear();
    cookies.clear();
    args.Clear();
    req_body.clear();
    resp_headers.clear();
    resp_body.clear();
    // TX entries stay allocated across pooled transactions (their strings keep capacity); a
    // new generation makes them all unset. Bounded: many distinct names -> really clear.
    if (++tx_gen_ == 0 || tx.size() > 4096) {
      tx.clear();
      tx_nodes_.assign(tx_nodes_.size(), nullptr);
      tx_gen_ = 1;
    }
    matched_ids.clear();
    matched_var.clear();
    matched_var_name.clear();
    matched_vars_n_ = 0;
    if (++tgen_ == 0) {
      for (CacheEntry& e : tcache_) e.gen = 0;
      for (ContentEntry& e : content_) e.gen = 0;
      for (TargetEntry& e : targets_) e.gen = 0;
      for (TargetRaw& e : target_raw_) e.gen = 0;
      for (ValueEntry& e : values_) e.gen = 0;
      tgen_ = 1;
    }
    tcache_used_ = 0;
    content_used_ = 0;
    bitsets_used_ = 0;
  }

  // --- helpers ---
  std::string_view id_view() const;
  std::string_view Keep(std::string_view s) { return arena.Copy(s); }
  std::string_view KeepNumber(int64_t v) {
    // Small numbers (counts: &TX:name, &ARGS ...) come from a constant table, with no arena copy.
    static const auto* const kSmall = [] {
      auto* t = new std::array<std::string, 256>;
      for (size_t i = 0; i < t->size(); ++i) (*t)[i] = std::to_string(i);
      return t;
    }();
    if (v >= 0 && v < static_cast<int64_t>(kSmall->size()))
      return (*kSmall)[static_cast<size_t>(v)];
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return arena.Copy(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  }
  int64_t NowNs() const { return engine->Now(); }

  void Init(Engine::Impl* e, std::shared_ptr<const CompiledRules> r, std::string tid);
  void ParseCookies(std::string_view value);

  // Variables.
  void Collect(VariableId id, std::string_view key, std::string_view key_lower,
               const KeyRegex* key_re, std::vector<VarValue>* out);
  void CollectVar(const CompiledVar& cv, std::vector<VarValue>* out) {
    size_t before = out->size();
    if (cv.tx_slot >= 0) {
      // TX:name through its slot (as Collect's kTx case: the node's own strings, not copied).
      TxVar* n = TxNode(cv.tx_slot);
      if (n->gen == tx_gen_) out->push_back(VarValue{cv.id, n->name, n->value});
    } else {
      Collect(cv.id, cv.key, cv.key_lower, cv.key_regex.get(), out);
    }
    // libmodsecurity's scalar ("anchored") variables always exist, empty until set: a rule on
    // REQUEST_BASENAME sees "" for "/", and &REQUEST_BODY is 1 without a body.
    if (out->size() == before && !seclang::GetVariable(cv.id).takes_key &&
        cv.id != VariableId::kMscPcreError && cv.id != VariableId::kMscPcreLimitsExceeded) {
      out->push_back(VarValue{cv.id, {}, {}});
    }
    if (cv.count) {
      size_t n = out->size() - before;
      out->resize(before);
      out->push_back(VarValue{cv.id, cv.key, KeepNumber(static_cast<int64_t>(n))});
    }
  }
  bool FirstValue(VariableId id, std::string_view key_lower, std::string* out);
  void CollectXml(std::string_view xpath, std::vector<VarValue>* out);

  // Collections.
  bool TxKeyMatches(const KeyRegex& re, const std::string& name, TxVar* v) {
    if (re.id >= 64) return re.Matches(name, &key_mctx);
    const uint64_t bit = uint64_t{1} << re.id;
    if ((v->re_known & bit) == 0) {
      if (re.Matches(name, &key_mctx)) v->re_match |= bit;
      v->re_known |= bit;
    }
    return (v->re_match & bit) != 0;
  }
  // The node of TX slot `slot` (CompiledRules::tx_slot_names), created unset (gen 0) the first
  // time: its address is stable until the map is cleared, which clears tx_nodes_ too.
  TxVar* TxNode(int32_t slot) {
    TxVar*& n = tx_nodes_[static_cast<size_t>(slot)];
    if (n == nullptr) {
      const std::string& name = rules->tx_slot_names[static_cast<size_t>(slot)];
      auto it = tx.find(std::string_view(name));
      if (it == tx.end()) it = tx.emplace(name, TxVar{name, {}, 0}).first;
      n = &it->second;
    }
    return n;
  }
  std::string* TxFindSlot(int32_t slot) {
    TxVar* n = TxNode(slot);
    return n->gen == tx_gen_ ? &n->value : nullptr;
  }
  void TxSetSlot(int32_t slot, std::string_view value) {
    TxVar* n = TxNode(slot);
    n->value.assign(value);
    n->gen = tx_gen_;
  }
  std::string* TxFind(std::string_view name_lower) {
    auto it = tx.find(name_lower);
    return it == tx.end() || it->second.gen != tx_gen_ ? nullptr : &it->second.value;
  }
  void TxSet(std::string_view name, std::string_view value) {
    lower_buf_.assign(name);
    for (char& c : lower_buf_) c = LowerChar(c);
    auto it = tx.find(std::string_view(lower_buf_));
    if (it == tx.end()) {
      it = tx.emplace(lower_buf_, TxVar{lower_buf_, {}, 0}).first;
    }
    it->second.value.assign(value);
    it->second.gen = tx_gen_;
  }
  void TxDelete(std::string_view name) {
    lower_buf_.assign(name);
    for (char& c : lower_buf_) c = LowerChar(c);
    auto it = tx.find(std::string_view(lower_buf_));
    if (it != tx.end()) it->second.gen = 0;
  }
  bool PGet(int idx, std::string_view name_lower, std::string* out);
  void PSet(int idx, std::string_view name, std::string value);
  void PDel(int idx, std::string_view name);
  void PExpire(int idx, std::string_view name, int64_t seconds);
  void PCollect(int idx, VariableId id, std::string_view key_lower, const KeyRegex* key_re,
                std::vector<VarValue>* out);
  void InitCol(int idx, std::string key);

  // Rules.
  std::string Expand(const MacroString& m);
  void ExpandInto(const MacroString& m, std::string* out);
  bool Excluded(const CompiledRule& r, const CompiledRule& head, const VarValue& v);
  bool EvalRule(const CompiledRule& r, const CompiledRule& head, RuleMsg* rm);
  void OnMatch(const CompiledRule& r, const VarValue& v, std::string_view transformed, RuleMsg* rm);
  void RunSetVar(const CompiledSetVar& sv);
  void AfterFullMatch(const CompiledRule& r, const CompiledRule& head, RuleMsg* rm);
  void RunAfterAction(const RunAction& ra);
  void Disrupt(const CompiledRule& head, Disruptive d, AllowType allow, const MacroString& url,
               RuleMsg* rm);
  void EvalHead(const CompiledRule& head);
  void RunPhase(int phase);
  bool RuleRemovedByCtl(const CompiledRule& r) const;
  MatchedRule MakeMatched(const CompiledRule& head, const RuleMsg& rm, bool disruptive, bool log);

  // Body.
  void ProcessBody();
};

void Transaction::Impl::Init(Engine::Impl* e, std::shared_ptr<const CompiledRules> r,
                             std::string tid) {
  engine = e;
  rules_holder = std::move(r);
  rules = rules_holder.get();
  cfg = &rules->config;
  mode = cfg->engine;
  if (tx_rules_serial_ != rules->serial) {
    for (auto& [k, v] : tx) v.re_known = v.re_match = 0;
    tx_nodes_.assign(rules->tx_slot_names.size(), nullptr);
    tx_rules_serial_ = rules->serial;
  }
  // Per-target state of this rule set's size (TargetMayMatch indexes without checking).
  const size_t target_chains = static_cast<size_t>(rules->target_count) * rules->chains.size();
  if (targets_.size() < target_chains) targets_.resize(target_chains);
  if (target_raw_.size() < rules->target_count) target_raw_.resize(rules->target_count);
  request_body_limit = cfg->request_body_limit;
  response_body_limit = cfg->response_body_limit;
  audit_engine = cfg->audit_engine;
  start_ns = e->Now();
  if (tid.empty()) {
    uint64_t n = e->counter.fetch_add(1);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%016llx%08llx", static_cast<unsigned long long>(start_ns),
                  static_cast<unsigned long long>(n));
    tid = buf;
  }
  id = std::move(tid);
}

void Transaction::Impl::ParseCookies(std::string_view value) {
  // ModSecurity v3: split on ';', trim the final pair's trailing space, left-trim keys, skip
  // empty keys, split at the first '='.
  std::vector<std::string_view> parts;
  size_t p = 0;
  while (p <= value.size()) {
    size_t e = value.find(';', p);
    if (e == std::string_view::npos) e = value.size();
    parts.push_back(value.substr(p, e - p));
    if (e == value.size()) break;
    p = e + 1;
  }
  // ssplit drops a trailing empty piece (std::getline semantics).
  if (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (!parts.empty()) {
    std::string_view& last = parts.back();
    while (!last.empty() && std::isspace(static_cast<unsigned char>(last.back()))) {
      last.remove_suffix(1);
    }
  }
  for (std::string_view c : parts) {
    if (c.empty()) continue;
    size_t eq = c.find('=');
    std::string_view k = eq == std::string_view::npos ? c : c.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view() : c.substr(eq + 1);
    while (!k.empty() && std::isspace(static_cast<unsigned char>(k.front()))) k.remove_prefix(1);
    if (k.empty()) continue;
    cookies.push_back(KV{k, v});
  }
}

// ---- persistent collections ----------------------------------------------------------------

bool Transaction::Impl::PGet(int idx, std::string_view name_lower, std::string* out) {
  if (persistent_key[idx].empty()) return false;
  std::lock_guard<std::mutex> l(engine->coll_mu);
  auto rit = engine->records.find(persistent_key[idx]);
  if (rit == engine->records.end()) return false;
  auto vit = rit->second.vars.find(std::string(name_lower));
  if (vit == rit->second.vars.end()) return false;
  if (vit->second.expires_ns != 0 && vit->second.expires_ns <= NowNs()) {
    rit->second.vars.erase(vit);
    return false;
  }
  *out = vit->second.value;
  return true;
}

void Transaction::Impl::PSet(int idx, std::string_view name, std::string value) {
  if (persistent_key[idx].empty()) return;
  std::lock_guard<std::mutex> l(engine->coll_mu);
  auto& rec = engine->records[persistent_key[idx]];
  rec.expires_ns = NowNs() + cfg->collection_timeout * 1000000000LL;
  std::string k = LowerStr(name);
  auto& v = rec.vars[k];
  v.name = k;
  v.value = std::move(value);
}

void Transaction::Impl::PDel(int idx, std::string_view name) {
  if (persistent_key[idx].empty()) return;
  std::lock_guard<std::mutex> l(engine->coll_mu);
  auto rit = engine->records.find(persistent_key[idx]);
  if (rit != engine->records.end()) rit->second.vars.erase(LowerStr(name));
}

void Transaction::Impl::PExpire(int idx, std::string_view name, int64_t seconds) {
  if (persistent_key[idx].empty()) return;
  std::lock_guard<std::mutex> l(engine->coll_mu);
  auto rit = engine->records.find(persistent_key[idx]);
  if (rit == engine->records.end()) return;
  auto vit = rit->second.vars.find(LowerStr(name));
  if (vit == rit->second.vars.end()) return;
  vit->second.expires_ns = NowNs() + seconds * 1000000000LL;
}

void Transaction::Impl::PCollect(int idx, VariableId id, std::string_view key_lower,
                                 const KeyRegex* key_re, std::vector<VarValue>* out) {
  if (persistent_key[idx].empty()) return;
  std::lock_guard<std::mutex> l(engine->coll_mu);
  auto rit = engine->records.find(persistent_key[idx]);
  if (rit == engine->records.end()) return;
  int64_t now = NowNs();
  for (auto& [k, v] : rit->second.vars) {
    if (v.expires_ns != 0 && v.expires_ns <= now) continue;
    if (key_re != nullptr) {
      if (!key_re->Matches(k, &key_mctx)) continue;
    } else if (!key_lower.empty() && k != key_lower) {
      continue;
    }
    out->push_back(VarValue{id, Keep(v.name), Keep(v.value)});
  }
}

void Transaction::Impl::InitCol(int idx, std::string key) {
  persistent_key[idx] = std::string(kPersistentNames[idx]) + ":" + key;
  std::lock_guard<std::mutex> l(engine->coll_mu);
  int64_t now = NowNs();
  auto it = engine->records.find(persistent_key[idx]);
  if (it != engine->records.end() && it->second.expires_ns != 0 && it->second.expires_ns <= now) {
    engine->records.erase(it);
  }
  if (engine->records.size() >= engine->options.max_collection_records &&
      engine->records.find(persistent_key[idx]) == engine->records.end()) {
    // Evict expired records first, then an arbitrary one: the store is bounded.
    for (auto r = engine->records.begin(); r != engine->records.end();) {
      if (r->second.expires_ns != 0 && r->second.expires_ns <= now) {
        r = engine->records.erase(r);
      } else {
        ++r;
      }
    }
    if (engine->records.size() >= engine->options.max_collection_records) {
      engine->records.erase(engine->records.begin());
    }
  }
}

// ---- variables -----------------------------------------------------------------------------

void Transaction::Impl::CollectXml(std::string_view xpath, std::vector<VarValue>* out) {
  if (!args.xml) return;
  if (xpath.empty() || xpath == "/*") {
    out->push_back(VarValue{VariableId::kXml, xpath, args.xml_text});
    return;
  }
  xmlXPathContextPtr ctx = xmlXPathNewContext(args.xml.get());
  if (ctx == nullptr) return;
  std::string expr(xpath);
  xmlXPathObjectPtr obj =
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expr.c_str()), ctx);
  if (obj != nullptr) {
    if (obj->nodesetval != nullptr) {
      for (int i = 0; i < obj->nodesetval->nodeNr; ++i) {
        xmlChar* content = xmlNodeGetContent(obj->nodesetval->nodeTab[i]);
        if (content != nullptr) {
          out->push_back(
              VarValue{VariableId::kXml, xpath, Keep(reinterpret_cast<const char*>(content))});
          xmlFree(content);
        }
      }
    }
    xmlXPathFreeObject(obj);
  }
  xmlXPathFreeContext(ctx);
}

void Transaction::Impl::Collect(VariableId id, std::string_view key, std::string_view key_lower,
                                const KeyRegex* key_re, std::vector<VarValue>* out) {
  auto key_ok = [&](std::string_view k) {
    if (key_re != nullptr) return key_re->Matches(k, &key_mctx);
    return key_lower.empty() || IEq(k, key_lower);
  };
  auto add_kvs = [&](const std::vector<KV>& kvs, bool names) {
    for (const KV& kv : kvs) {
      if (key_ok(kv.key)) out->push_back(VarValue{id, kv.key, names ? kv.key : kv.value});
    }
  };
  auto scalar = [&](std::string_view v) { out->push_back(VarValue{id, {}, v}); };
  auto flag = [&](body::Flag f) {
    if (multipart_seen) scalar(args.Has(f) ? "1" : "0");
  };
  auto args_of = [&](int which, bool names) {
    // which: 0 all, 1 GET, 2 POST
    for (const body::Arg& a : args.args) {
      if (which == 1 && a.origin != body::Origin::kQueryString) continue;
      if (which == 2 && a.origin != body::Origin::kBody) continue;
      if (key_ok(a.name)) out->push_back(VarValue{id, a.name, names ? a.name : a.value});
    }
  };
  switch (id) {
    case VariableId::kArgs:
      return args_of(0, false);
    case VariableId::kArgsGet:
      return args_of(1, false);
    case VariableId::kArgsPost:
      return args_of(2, false);
    case VariableId::kArgsNames:
      return args_of(0, true);
    case VariableId::kArgsGetNames:
      return args_of(1, true);
    case VariableId::kArgsPostNames:
      return args_of(2, true);
    case VariableId::kArgsCombinedSize:
      return scalar(KeepNumber(static_cast<int64_t>(args.args_combined_size)));
    case VariableId::kRequestHeaders:
      return add_kvs(req_headers, false);
    case VariableId::kRequestHeadersNames:
      return add_kvs(req_headers, true);
    case VariableId::kRequestCookies:
      return add_kvs(cookies, false);
    case VariableId::kRequestCookiesNames:
      return add_kvs(cookies, true);
    case VariableId::kResponseHeaders:
      return add_kvs(resp_headers, false);
    case VariableId::kResponseHeadersNames:
      return add_kvs(resp_headers, true);
    case VariableId::kFiles:
      for (const body::FilePart& f : args.files) {
        if (key_ok(f.part_name)) out->push_back(VarValue{id, f.part_name, f.filename});
      }
      return;
    case VariableId::kFilesNames:
      for (const body::FilePart& f : args.files) {
        if (key_ok(f.part_name)) out->push_back(VarValue{id, f.part_name, f.part_name});
      }
      return;
    case VariableId::kFilesSizes:
      for (const body::FilePart& f : args.files) {
        if (key_ok(f.part_name)) {
          out->push_back(VarValue{id, f.part_name, KeepNumber(static_cast<int64_t>(f.size))});
        }
      }
      return;
    case VariableId::kFilesTmpContent:
      for (const body::FilePart& f : args.files) {
        if (key_ok(f.part_name)) out->push_back(VarValue{id, f.part_name, f.content});
      }
      return;
    case VariableId::kFilesTmpNames:
      return;
    case VariableId::kFilesCombinedSize:
      if (multipart_seen) scalar(KeepNumber(static_cast<int64_t>(args.files_combined_size)));
      return;
    case VariableId::kMultipartPartHeaders:
      for (const body::KeyValue& kv : args.part_headers) {
        if (key_ok(kv.key)) out->push_back(VarValue{id, kv.key, kv.value});
      }
      return;
    case VariableId::kMultipartName:
      for (std::string_view n : args.multipart_names) out->push_back(VarValue{id, n, n});
      return;
    case VariableId::kMultipartFilename:
      for (std::string_view n : args.multipart_filenames) out->push_back(VarValue{id, n, n});
      return;
    case VariableId::kMultipartBoundaryQuoted:
      return flag(body::Flag::kMultipartBoundaryQuoted);
    case VariableId::kMultipartBoundaryWhitespace:
      return flag(body::Flag::kMultipartBoundaryWhitespace);
    case VariableId::kMultipartCrlfLfLines:
      return flag(body::Flag::kMultipartCrlfLfLines);
    case VariableId::kMultipartDataAfter:
      return flag(body::Flag::kMultipartDataAfter);
    case VariableId::kMultipartDataBefore:
      return flag(body::Flag::kMultipartDataBefore);
    case VariableId::kMultipartFileLimitExceeded:
      return flag(body::Flag::kMultipartFileLimitExceeded);
    case VariableId::kMultipartHeaderFolding:
      return flag(body::Flag::kMultipartHeaderFolding);
    case VariableId::kMultipartInvalidHeaderFolding:
      return flag(body::Flag::kMultipartInvalidHeaderFolding);
    case VariableId::kMultipartInvalidPart:
      return flag(body::Flag::kMultipartInvalidPart);
    case VariableId::kMultipartInvalidQuoting:
      return flag(body::Flag::kMultipartInvalidQuoting);
    case VariableId::kMultipartLfLine:
      return flag(body::Flag::kMultipartLfLine);
    case VariableId::kMultipartMissingSemicolon:
      return flag(body::Flag::kMultipartMissingSemicolon);
    case VariableId::kMultipartStrictError:
      return flag(body::Flag::kMultipartStrictError);
    case VariableId::kMultipartUnmatchedBoundary:
      return flag(body::Flag::kMultipartUnmatchedBoundary);
    case VariableId::kUrlencodedError:
      if (args.Has(body::Flag::kUrlencodedError)) scalar("1");
      return;
    case VariableId::kReqbodyError:
    case VariableId::kReqbodyProcessorError:
      if (reqbody_error >= 0) scalar(reqbody_error ? "1" : "0");
      return;
    case VariableId::kReqbodyErrorMsg:
    case VariableId::kReqbodyProcessorErrorMsg:
      if (reqbody_error > 0) scalar(args.error_msg);
      return;
    case VariableId::kReqbodyProcessor:
      if (!reqbody_processor.empty()) scalar(reqbody_processor);
      return;
    case VariableId::kInboundDataError:
      if (body_processed) scalar(inbound_data_error ? "1" : "0");
      return;
    case VariableId::kOutboundDataError:
      if (resp_body_set) scalar(outbound_data_error ? "1" : "0");
      return;
    case VariableId::kMscPcreError:
      if (mctx.pcre_error) scalar("1");
      return;
    case VariableId::kMscPcreLimitsExceeded:
      if (mctx.pcre_limits_exceeded) scalar("1");
      return;
    case VariableId::kQueryString:
      if (has_query) scalar(query_string);
      return;
    case VariableId::kRequestBasename:
      if (!basename.empty()) scalar(basename);
      return;
    case VariableId::kRequestFilename:
    case VariableId::kPathInfo:
      if (!uri_raw.empty()) scalar(filename);
      return;
    case VariableId::kRequestUri:
      if (!uri_raw.empty()) scalar(request_uri);
      return;
    case VariableId::kRequestUriRaw:
      if (!uri_raw.empty()) scalar(uri_raw);
      return;
    case VariableId::kRequestLine:
      if (!request_line.empty()) scalar(request_line);
      return;
    case VariableId::kRequestMethod:
      if (!method.empty()) scalar(method);
      return;
    case VariableId::kRequestProtocol:
      if (!protocol.empty()) scalar(protocol);
      return;
    case VariableId::kRequestBody:
      if (!req_body.empty() && body_processed) scalar(req_body);
      return;
    case VariableId::kRequestBodyLength:
      if (!req_body.empty() && body_processed) {
        scalar(KeepNumber(static_cast<int64_t>(req_body.size())));
      }
      return;
    case VariableId::kFullRequest: {
      std::string full(request_line);
      full += "\n";
      for (const KV& h : req_headers) {
        full.append(h.key).append(": ").append(h.value).append("\n");
      }
      full += "\n\n";
      full += req_body;
      scalar(Keep(full));
      return;
    }
    case VariableId::kFullRequestLength: {
      size_t n = request_line.size() + 3 + req_body.size();
      for (const KV& h : req_headers) n += h.key.size() + h.value.size() + 3;
      scalar(KeepNumber(static_cast<int64_t>(n)));
      return;
    }
    case VariableId::kRemoteAddr:
      if (!client_ip.empty()) scalar(client_ip);
      return;
    case VariableId::kRemoteHost:
      if (!client_ip.empty()) scalar(client_ip);
      return;
    case VariableId::kRemotePort:
      if (!client_port.empty()) scalar(client_port);
      return;
    case VariableId::kServerAddr:
      if (!server_ip.empty()) scalar(server_ip);
      return;
    case VariableId::kServerPort:
      if (!server_port.empty()) scalar(server_port);
      return;
    case VariableId::kServerName:
      for (const KV& h : req_headers) {
        if (IEq(h.key, "host")) {
          std::string_view v = h.value;
          size_t c = v.rfind(':');
          if (c != std::string_view::npos && v.find(']') == std::string_view::npos) {
            v = v.substr(0, c);
          }
          scalar(v);
          return;
        }
      }
      return;
    case VariableId::kRemoteUser:
    case VariableId::kAuthType:
      for (const KV& h : req_headers) {
        if (IEq(h.key, "authorization")) {
          std::string_view v = h.value;
          size_t sp = v.find(' ');
          if (id == VariableId::kAuthType) {
            scalar(v.substr(0, sp));
          }
          return;
        }
      }
      return;
    case VariableId::kUniqueId:
      return scalar(id_view());
    case VariableId::kDuration:
      return scalar(KeepNumber((NowNs() - start_ns) / 1000));
    case VariableId::kTime:
    case VariableId::kTimeDay:
    case VariableId::kTimeEpoch:
    case VariableId::kTimeHour:
    case VariableId::kTimeMin:
    case VariableId::kTimeMon:
    case VariableId::kTimeSec:
    case VariableId::kTimeWday:
    case VariableId::kTimeYear: {
      time_t secs = static_cast<time_t>(NowNs() / 1000000000LL);
      if (id == VariableId::kTimeEpoch) return scalar(KeepNumber(secs));
      struct tm tmv;
      localtime_r(&secs, &tmv);
      char buf[32];
      switch (id) {
        case VariableId::kTime:
          std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tmv.tm_hour, tmv.tm_min, tmv.tm_sec);
          return scalar(Keep(buf));
        case VariableId::kTimeDay:
          return scalar(KeepNumber(tmv.tm_mday));
        case VariableId::kTimeHour:
          return scalar(KeepNumber(tmv.tm_hour));
        case VariableId::kTimeMin:
          return scalar(KeepNumber(tmv.tm_min));
        case VariableId::kTimeMon:
          return scalar(KeepNumber(tmv.tm_mon));
        case VariableId::kTimeSec:
          return scalar(KeepNumber(tmv.tm_sec));
        case VariableId::kTimeWday:
          return scalar(KeepNumber(tmv.tm_wday));
        default:
          return scalar(KeepNumber(tmv.tm_year + 1900));
      }
    }
    case VariableId::kHighestSeverity:
      return scalar(KeepNumber(highest_severity));
    case VariableId::kMatchedVar:
      if (matched_set) scalar(Keep(matched_var));
      return;
    case VariableId::kMatchedVarName:
      if (matched_set) scalar(Keep(matched_var_name));
      return;
    case VariableId::kMatchedVars:
    case VariableId::kMatchedVarsNames:
      for (size_t i = 0; i < matched_vars_n_; ++i) {
        const auto& [n, v] = matched_vars[i];
        if (key_ok(n)) {
          std::string_view kn = Keep(n);
          out->push_back(VarValue{id, kn, id == VariableId::kMatchedVars ? Keep(v) : kn});
        }
      }
      return;
    case VariableId::kTx:
      // The name is the map node's own string, which lives until the map is cleared (Reset);
      // values change with setvar, so several values are copied (a setvar while a rule walks
      // them must not move the bytes under it). A single value is not: EvalRule copies a value
      // before running a rule's actions on it and never uses it after (see EvalRule).
      if (key_re == nullptr && !key_lower.empty()) {
        auto it = tx.find(key_lower);
        if (it != tx.end() && it->second.gen == tx_gen_) {
          out->push_back(VarValue{id, it->second.name, it->second.value});
        }
        return;
      }
      for (auto& [k, v] : tx) {
        if (v.gen != tx_gen_) continue;
        if (key_re != nullptr ? TxKeyMatches(*key_re, k, &v)
                              : (key_lower.empty() || k == key_lower)) {
          out->push_back(VarValue{id, v.name, Keep(v.value)});
        }
      }
      return;
    case VariableId::kIp:
    case VariableId::kGlobal:
    case VariableId::kSession:
    case VariableId::kUser:
    case VariableId::kResource:
      return PCollect(PersistentIndex(id), id, key_lower, key_re, out);
    case VariableId::kXml:
      return CollectXml(key, out);
    case VariableId::kGeo: {
      if (!geo_set) return;
      const std::pair<std::string_view, std::string> fields[] = {
          {"country_code", geo.country_code},
          {"country_code3", geo.country_code3},
          {"country_name", geo.country_name},
          {"country_continent", geo.country_continent},
          {"region", geo.region},
          {"city", geo.city},
          {"postal_code", geo.postal_code},
          {"latitude", std::to_string(geo.latitude)},
          {"longitude", std::to_string(geo.longitude)}};
      for (const auto& [k, v] : fields) {
        if (key_ok(k)) out->push_back(VarValue{id, k, Keep(v)});
      }
      return;
    }
    case VariableId::kRule: {
      if (current_head == nullptr) return;
      auto emit = [&](std::string_view k, std::string_view v) {
        if (key_ok(k)) out->push_back(VarValue{id, k, v});
      };
      emit("id", KeepNumber(current_head->id));
      emit("phase", KeepNumber(current_head->phase));
      if (current_msg != nullptr) {
        emit("msg", Keep(current_msg->msg));
        emit("logdata", Keep(current_msg->data));
      }
      if (current_head->severity >= 0) emit("severity", KeepNumber(current_head->severity));
      if (!current_head->rev.empty()) emit("rev", current_head->rev);
      if (!current_head->ver.empty()) emit("ver", current_head->ver);
      return;
    }
    case VariableId::kResponseStatus:
      if (response_status != 0) scalar(KeepNumber(response_status));
      return;
    case VariableId::kResponseProtocol:
      if (response_status != 0) scalar(response_protocol);
      return;
    case VariableId::kStatusLine:
      if (response_status != 0) {
        scalar(Keep(std::string(response_protocol) + " " + std::to_string(response_status)));
      }
      return;
    case VariableId::kResponseContentType:
      if (!resp_content_type.empty()) scalar(resp_content_type);
      return;
    case VariableId::kResponseContentLength:
      if (resp_body_set) scalar(KeepNumber(static_cast<int64_t>(resp_body.size())));
      return;
    case VariableId::kResponseBody:
      if (resp_body_set) scalar(resp_body);
      return;
    case VariableId::kWebAppId:
      return scalar(cfg->web_app_id);
    case VariableId::kSessionId:
      if (!session_id.empty()) scalar(session_id);
      return;
    case VariableId::kUserId:
      if (!user_id.empty()) scalar(user_id);
      return;
    case VariableId::kModsecBuild:
      return scalar("03000900");
    case VariableId::kEnv:
      return;
  }
}

bool Transaction::Impl::FirstValue(VariableId vid, std::string_view key_lower, std::string* out) {
  if (vid == VariableId::kTx) {
    std::string* v = TxFind(key_lower);
    if (v == nullptr) return false;
    *out = *v;
    return true;
  }
  int pidx = PersistentIndex(vid);
  if (pidx >= 0) return PGet(pidx, key_lower, out);
  if (vid == VariableId::kMatchedVar) {
    if (!matched_set) return false;
    *out = matched_var;
    return true;
  }
  if (vid == VariableId::kMatchedVarName) {
    if (!matched_set) return false;
    *out = matched_var_name;
    return true;
  }
  std::vector<VarValue> tmp;
  Collect(vid, key_lower, key_lower, nullptr, &tmp);
  if (tmp.empty()) return false;
  out->assign(tmp[0].value);
  return true;
}

std::string_view Transaction::Impl::id_view() const { return id; }

// ---- macros ----------------------------------------------------------------------------------

void Transaction::Impl::ExpandInto(const MacroString& m, std::string* out) {
  if (!m.has_macros) {
    out->append(m.raw);
    return;
  }
  for (const MacroPart& p : m.parts) {
    if (p.literal) {
      out->append(p.text);
    } else if (p.var == VariableId::kTx) {
      const std::string* v = p.tx_slot >= 0 ? TxFindSlot(p.tx_slot) : TxFind(p.key);
      if (v != nullptr) out->append(*v);  // no copy for the common case
    } else if (FirstValue(p.var, p.key, &expand_tmp_)) {
      out->append(expand_tmp_);
    }
  }
}

std::string Transaction::Impl::Expand(const MacroString& m) {
  std::string out;
  ExpandInto(m, &out);
  return out;
}

// ---- rule evaluation -------------------------------------------------------------------------

bool Transaction::Impl::RuleRemovedByCtl(const CompiledRule& r) const {
  if (removed_ranges.empty() && removed_tags.empty() && removed_msgs.empty()) return false;
  if (!r.is_action && r.id != 0) {
    for (const auto& [a, b] : removed_ranges) {
      if (r.id >= a && r.id <= b) return true;
    }
  }
  for (const std::string& t : removed_tags) {
    for (const std::string& rt : r.tags) {
      if (rt == t) return true;
    }
  }
  for (const std::string& m : removed_msgs) {
    if (r.msg.raw == m) return true;
  }
  return false;
}

namespace {
bool TargetMatches(const CompiledVar& t, const VarValue& v, operators::MatchContext* ctx) {
  if (t.id != v.coll) return false;
  if (t.key_regex) return t.key_regex->Matches(v.key, ctx);
  if (t.key.empty()) return true;
  return IEq(t.key, v.key);
}
}  // namespace

bool Transaction::Impl::Excluded(const CompiledRule& r, const CompiledRule& head,
                                 const VarValue& v) {
  for (const CompiledVar& ex : r.exclusions) {
    if (ex.key_regex) {
      // ModSecurity v3 tests a regex exclusion against the key alone.
      if (ex.key_regex->Matches(v.key, &key_mctx)) return true;
      continue;
    }
    if (ex.id != v.coll) continue;
    if (ex.key.empty() || IEq(ex.key, v.key)) return true;
  }
  if (&r == &head && head.id != 0) {
    for (const RunAction* ra : remove_target_by_id) {
      bool hit = false;
      for (const auto& [a, b] : ra->ranges) hit |= head.id >= a && head.id <= b;
      if (!hit) continue;
      for (const CompiledVar& t : ra->ctl_targets) {
        if (TargetMatches(t, v, &key_mctx)) return true;
      }
    }
    for (const RunAction* ra : remove_target_by_tag) {
      bool hit = false;
      for (const std::string& tag : head.tags) hit |= tag == ra->ctl.selector;
      if (!hit) continue;
      for (const CompiledVar& t : ra->ctl_targets) {
        if (TargetMatches(t, v, &key_mctx)) return true;
      }
    }
  }
  return false;
}

void Transaction::Impl::RunSetVar(const CompiledSetVar& sv) {
  // Expansion into reused buffers: the CRS runs ~150 setvars per request.
  std::string_view name = sv.name.raw;
  if (sv.name.has_macros) {
    name_buf_.clear();
    ExpandInto(sv.name, &name_buf_);
    name = name_buf_;
  }
  int pidx = PersistentIndex(sv.collection);
  if (sv.op == seclang::SetVar::Op::kDelete) {
    if (sv.tx_slot >= 0) {
      TxNode(sv.tx_slot)->gen = 0;
    } else if (sv.collection == VariableId::kTx) {
      TxDelete(name);
    } else if (pidx >= 0) {
      PDel(pidx, name);
    }
    return;
  }
  std::string_view value = "1";
  if (sv.has_value) {
    value = sv.value.raw;
    if (sv.value.has_macros) {
      value_buf_.clear();
      ExpandInto(sv.value, &value_buf_);
      value = value_buf_;
    }
  }
  char num[24];
  if (sv.op == seclang::SetVar::Op::kAdd || sv.op == seclang::SetVar::Op::kSubtract) {
    int64_t a = 0;
    if (sv.tx_slot >= 0) {
      if (std::string* c = TxFindSlot(sv.tx_slot)) a = ToInt(*c);
    } else if (sv.collection == VariableId::kTx) {
      lower_buf_.assign(name);
      for (char& c : lower_buf_) c = LowerChar(c);
      if (std::string* c = TxFind(lower_buf_)) a = ToInt(*c);
    } else if (pidx >= 0) {
      std::string cur;
      if (PGet(pidx, LowerStr(name), &cur)) a = ToInt(cur);
    }
    int64_t b = ToInt(value);
    auto r =
        std::to_chars(num, num + sizeof num, sv.op == seclang::SetVar::Op::kAdd ? a + b : a - b);
    value = std::string_view(num, static_cast<size_t>(r.ptr - num));
  }
  if (sv.tx_slot >= 0) {
    TxSetSlot(sv.tx_slot, value);
  } else if (sv.collection == VariableId::kTx) {
    TxSet(name, value);
  } else if (pidx >= 0) {
    PSet(pidx, name, std::string(value));
  }
}

void Transaction::Impl::OnMatch(const CompiledRule& r, const VarValue& v,
                                std::string_view transformed, RuleMsg* rm) {
  matched_var.assign(transformed);
  const seclang::VariableInfo& info = seclang::GetVariable(v.coll);
  matched_var_name.assign(info.name);
  if (!v.key.empty() && info.takes_key) {
    matched_var_name.push_back(':');
    matched_var_name.append(v.key);
  }
  matched_set = true;
  if (matched_vars_n_ == matched_vars.size()) matched_vars.emplace_back();
  matched_vars[matched_vars_n_].first.assign(matched_var_name);
  matched_vars[matched_vars_n_].second.assign(matched_var);
  ++matched_vars_n_;
  for (const CompiledSetVar& sv : r.setvars) RunSetVar(sv);
  if (r.severity >= 0 && r.severity < highest_severity) highest_severity = r.severity;
  if (!r.logdata.empty()) {
    rm->data.clear();
    ExpandInto(r.logdata, &rm->data);
  }
  if (!r.msg.empty()) {
    rm->msg.clear();
    ExpandInto(r.msg, &rm->msg);
  }
}

Transaction::Impl::Cached Transaction::Impl::Transformed(std::string_view in, uint32_t chain) {
  ValueEntry& value = ValueOf(in);
  if (ChainLeavesAsIs(value.features, chain)) return Cached{in, &value.bits};
  const char* p = in.data();
  uint32_t len = static_cast<uint32_t>(in.size());
  size_t mask = tcache_.size() - 1;
  size_t i = CacheHash(p, len, chain) & mask;
  while (tcache_[i].gen == tgen_) {
    CacheEntry& e = tcache_[i];
    if (e.ptr == p && e.len == len && e.chain == chain) {
      return e.out.data() == p ? Cached{in, &value.bits} : Cached{e.out, &e.bits};
    }
    i = (i + 1) & mask;
  }
  if ((tcache_used_ + 1) * 2 > tcache_.size()) {
    // Grow (capacity is kept across pooled transactions) and rehash this generation's entries.
    std::vector<CacheEntry> old(tcache_.size() * 2);
    old.swap(tcache_);
    mask = tcache_.size() - 1;
    for (const CacheEntry& e : old) {
      if (e.gen != tgen_) continue;
      size_t j = CacheHash(e.ptr, e.len, e.chain) & mask;
      while (tcache_[j].gen == tgen_) j = (j + 1) & mask;
      tcache_[j] = e;
    }
    i = CacheHash(p, len, chain) & mask;
    while (tcache_[i].gen == tgen_) i = (i + 1) & mask;
  }
  bool changed = false;
  std::string_view cur = RunChain(in, chain, &changed, nullptr, value.features);
  if (changed) cur = Keep(cur);
  CacheEntry& e = tcache_[i];
  e.ptr = p;
  e.len = len;
  e.chain = chain;
  e.gen = tgen_;
  e.bits = -1;
  e.out = cur;
  ++tcache_used_;
  // Unchanged: the value's own bits serve (the same bytes).
  return changed ? Cached{e.out, &e.bits} : Cached{in, &value.bits};
}

const prefilter::Bitset& Transaction::Impl::PrefilterBits(const Cached& c) {
  if (*c.bits < 0) *c.bits = ContentBits(c.out);
  return bitsets_[*c.bits];
}

// The all-rules automaton's bits for `s`, computed once per distinct content in the
// transaction: different chains often produce the same bytes (and the bits of a content do not
// depend on which chain produced it), so a large body is scanned once, not once per chain.
int32_t Transaction::Impl::ContentBits(std::string_view s) {
  uint64_t h = s.size() * 0x9E3779B97F4A7C15ull;
  {
    uint64_t w[4] = {0, 0, 0, 0};
    // memcpy/memcmp with a null pointer are undefined even for 0 bytes (empty string_view).
    if (!s.empty()) std::memcpy(w, s.data(), std::min<size_t>(s.size(), 16));
    if (s.size() > 16) std::memcpy(w + 2, s.data() + s.size() - 16, 16);
    for (uint64_t x : w) h = (h ^ x) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 31;
  }
  if ((content_used_ + 1) * 2 > content_.size()) {
    std::vector<ContentEntry> old(std::max<size_t>(content_.size() * 2, 256));
    old.swap(content_);
    size_t m = content_.size() - 1;
    for (const ContentEntry& e : old) {
      if (e.gen != tgen_) continue;
      size_t j = e.hash & m;
      while (content_[j].gen == tgen_) j = (j + 1) & m;
      content_[j] = e;
    }
  }
  size_t mask = content_.size() - 1;
  size_t i = h & mask;
  while (content_[i].gen == tgen_) {
    const ContentEntry& e = content_[i];
    if (e.hash == h && e.text.size() == s.size() &&
        (s.empty() || e.text.data() == s.data() ||
         std::memcmp(e.text.data(), s.data(), s.size()) == 0)) {
      return e.bits;
    }
    i = (i + 1) & mask;
  }
  prefilter::Bitset& b = NewBitset();
  if (s.size() > kMaxPrefilterScan) {
    // The literal automaton runs at several ns/byte; large values are checked per rule through
    // the rarest bytes of its literals instead (LargeMayMatch).
    for (size_t k = 0; k < rules->rule_count; ++k) b.Set(k);
  } else {
    rules->all_prefilter->Scan(s, nullptr, &b);
  }
  ContentEntry& e = content_[i];
  e.hash = h;
  e.text = s;
  e.gen = tgen_;
  e.bits = static_cast<int32_t>(bitsets_used_ - 1);
  ++content_used_;
  return e.bits;
}

// Values over kMaxPrefilterScan get every prefilter bit set (ContentBits); instead each rule's
// literals are looked for through their rarest bytes in that value (its byte counts are computed
// once per value). When even those bytes are too frequent the operator runs.
bool Transaction::Impl::LargeMayMatch(const CompiledRule& r, std::string_view s) {
  if (s.size() <= kMaxPrefilterScan || r.large_literals.empty()) return true;
  // By address, else by content: different chains often produce the same bytes.
  LargeCounts* lc = nullptr;
  for (LargeCounts& c : large_counts_) {
    if (c.gen == tgen_ && c.text.data() == s.data() && c.text.size() == s.size()) lc = &c;
  }
  for (LargeCounts& c : large_counts_) {
    if (lc == nullptr && c.gen == tgen_ && c.text == s) lc = &c;
  }
  if (lc == nullptr) {
    auto free = std::find_if(large_counts_.begin(), large_counts_.end(),
                             [&](const LargeCounts& c) { return c.gen != tgen_; });
    lc = free != large_counts_.end() ? &*free : &large_counts_.emplace_back();
    lc->gen = tgen_;
    lc->text = s;
    prefilter::CountBytes(s, &lc->counts);
  }
  return prefilter::FindAnyByRareBytes(r.large_literals, s, lc->counts,
                                       s.size() / kLargeBytesPerCompare, &rare_scratch_)
      .value_or(true);
}

bool Transaction::Impl::AnyTargetMayMatch(const WalkEntry& e, const WalkTarget* targets) {
  for (uint32_t k = e.targets_begin; k < e.targets_end; ++k) {
    const WalkTarget& t = targets[k];
    if (TargetMayMatch(t.target_id, t.data_class, *t.var, e.chain_id).Test(e.rule_index)) {
      return true;
    }
  }
  return false;
}

const prefilter::Bitset& Transaction::Impl::TargetMayMatch(const CompiledVar& cv, uint32_t chain) {
  return TargetMayMatch(cv.target_id, DataClassOf(cv.id), cv, chain);
}

const prefilter::Bitset& Transaction::Impl::TargetMayMatch(uint32_t target_id, int data_class,
                                                           const CompiledVar& cv, uint32_t chain) {
  const size_t idx = static_cast<size_t>(target_id) * rules->chains.size() + chain;
  TargetEntry& te = targets_[idx];
  const uint32_t epoch = data_epoch_[data_class];
  if (te.gen == tgen_ && te.epoch == epoch) return bitsets_[te.bits];
  // The target's values, collected at most once here; OR of `bits_of(value)` over them.
  bool collected = false;
  auto aggregate = [&](auto&& bits_of) {
    if (!collected) {
      target_values_.clear();
      CollectVar(cv, &target_values_);
      collected = true;
    }
    NewBitset();
    const int32_t index = static_cast<int32_t>(bitsets_used_ - 1);
    for (const VarValue& v : target_values_) {
      // bits_of may add bitsets (reallocating bitsets_): take its answer before indexing.
      const prefilter::Bitset& bits = bits_of(v);
      bitsets_[index].OrWith(bits);
    }
    return index;
  };
  TargetRaw& raw = target_raw_[target_id];
  if (raw.gen != tgen_ || raw.epoch != epoch) {
    transforms::Features features = 0;
    const int32_t raw_bits = aggregate([&](const VarValue& v) -> const prefilter::Bitset& {
      ValueEntry& value = ValueOf(v.value);
      features |= value.features;
      return PrefilterBits(Cached{v.value, &value.bits});
    });
    raw = TargetRaw{tgen_, epoch, raw_bits, features};
  }
  const int32_t bits = ChainLeavesAsIs(raw.features, chain)
                           ? raw.bits
                           : aggregate([&](const VarValue& v) -> const prefilter::Bitset& {
                               return PrefilterBits(Transformed(v.value, chain));
                             });
  te = TargetEntry{tgen_, epoch, bits};
  return bitsets_[bits];
}

bool Transaction::Impl::EvalRule(const CompiledRule& r, const CompiledRule& head, RuleMsg* rm) {
  if (r.is_action) {
    for (const CompiledSetVar& sv : r.setvars) RunSetVar(sv);
    if (r.severity >= 0 && r.severity < highest_severity) highest_severity = r.severity;
    if (!r.logdata.empty()) rm->data = Expand(r.logdata);
    if (!r.msg.empty()) rm->msg = Expand(r.msg);
    AfterFullMatch(r, head, rm);
    return true;
  }
  if (r.op == nullptr) return false;
  if (r.dynamic) {
    expanded_arg_.clear();
    ExpandInto(r.op_arg, &expanded_arg_);
  }
  bool matched_any = false;
  for (const CompiledVar& cv : r.vars) {
    // When no value of this target contains a literal the regex needs, skip the target whole:
    // the common benign case costs one bit test instead of a loop over every value.
    if (PrefilterDecidesTarget(r, cv) && !TargetMayMatch(cv, r.chain_id).Test(r.rule_index)) {
      continue;
    }
    const bool cacheable = !cv.count && StableValues(cv.id);
    values.clear();
    CollectVar(cv, &values);
    // Only EvalRule fills `values` (macro expansion collects into its own vector), and a chain
    // child runs after this loop, so iterating it directly is safe.
    for (const VarValue& v : values) {
      if (Excluded(r, head, v)) continue;
      // Transformations: multiMatch needs every intermediate value; otherwise the result is
      // cached per (value, chain) for the transaction, with the chain's prefilter bits.
      std::vector<std::string_view>& multi = multi_;
      multi.clear();
      Cached cached{{}, nullptr};  // bits set: the value went through the cache
      if (r.multi_match) {
        multi.push_back(v.value);
        RunChain(v.value, r.chain_id, nullptr, &multi);
      } else if (!cacheable) {
        // Values made afresh by each collection (TX's, counts ...) never repeat an address, and
        // a single TX value is the variable's own string, whose bytes a setvar may change at the
        // same address: transformed here, not through the per-transaction cache.
        multi.push_back(RunChain(v.value, r.chain_id));
      } else {
        cached = Transformed(v.value, r.chain_id);
        multi.push_back(cached.out);
      }
      for (std::string_view tv : multi) {
        if (cached.bits != nullptr &&
            ((r.prefiltered && !PrefilterBits(cached).Test(r.rule_index)) ||
             (tv.size() > kMaxPrefilterScan && !LargeMayMatch(r, tv)))) {
          // None of the literals every match needs is present: the operator cannot match.
          if (r.negated) {
            OnMatch(r, v, tv, rm);
            matched_any = true;
          }
          continue;
        }
        if (r.capture && !cacheable) {
          // Captures go to TX:0-9 and point into `tv`, which may be one of those variables'
          // own strings: evaluate a copy.
          capture_input_.assign(tv);
          tv = capture_input_;
        }
        mctx.want_captures = r.capture;
        bool m = r.dynamic ? r.op->EvaluateExpanded(expanded_arg_, tv, &mctx)
                           : r.op->Evaluate(tv, &mctx);
        if (m && r.capture && !r.negated) {
          for (size_t i = 0; i < mctx.captures.size() && i < 10; ++i) {
            if (!mctx.captures[i].set) continue;
            TxSetSlot(static_cast<int32_t>(i), mctx.captures[i].value);  // slots 0-9: "0".."9"
          }
        }
        if (mctx.pcre_limits_exceeded && !pcre_limit_recorded) {
          // As libmodsecurity's @rx: the limit hit is visible to rules as
          // TX:MSC_PCRE_LIMITS_EXCEEDED.
          pcre_limit_recorded = true;
          TxSet("MSC_PCRE_LIMITS_EXCEEDED", "1");
        }
        if (m && r.op_id == seclang::OperatorId::kGeoLookup) {
          geo = mctx.geo;
          geo_set = true;
        }
        if (r.negated) m = !m;
        if (!m) continue;
        // OnMatch copies `tv` (MATCHED_VAR) before anything it runs can touch the buffers `tv`
        // may point into (a TX variable's string, the transformation scratch buffers).
        OnMatch(r, v, tv, rm);
        matched_any = true;
      }
    }
  }
  if (!matched_any) {
    matched_set = false;
    matched_vars_n_ = 0;
    return false;
  }
  if (r.child != nullptr) {
    if (!EvalRule(*r.child, head, rm)) return false;
  }
  AfterFullMatch(r, head, rm);
  return true;
}

void Transaction::Impl::RunAfterAction(const RunAction& ra) {
  switch (ra.id) {
    case ActionId::kSkip:
      skip_next = static_cast<int>(ra.number);
      break;
    case ActionId::kSkipAfter:
      marker_pending = ra.marker;
      break;
    case ActionId::kInitcol: {
      int idx = PersistentIndex(ra.collection);
      if (idx >= 0) InitCol(idx, Expand(ra.value));
      break;
    }
    case ActionId::kSetuid:
      user_id = Expand(ra.value);
      InitCol(PersistentIndex(VariableId::kUser), user_id);
      break;
    case ActionId::kSetsid:
      session_id = Expand(ra.value);
      InitCol(PersistentIndex(VariableId::kSession), session_id);
      break;
    case ActionId::kSetrsc:
      InitCol(PersistentIndex(VariableId::kResource), Expand(ra.value));
      break;
    case ActionId::kExpirevar: {
      int idx = PersistentIndex(ra.collection);
      int64_t secs = ToInt(Expand(ra.value));
      std::string name = Expand(ra.name);
      if (idx >= 0) {
        PExpire(idx, name, secs);
      } else if (ra.collection == VariableId::kTx && secs <= 0) {
        TxDelete(name);
      }
      break;
    }
    case ActionId::kDeprecatevar: {
      int idx = PersistentIndex(ra.collection);
      if (idx < 0) break;
      std::string name = Expand(ra.name);
      std::string cur;
      if (!PGet(idx, LowerStr(name), &cur)) break;
      std::string spec = Expand(ra.value);
      int64_t amount = ToInt(spec.substr(0, spec.find('/')));
      int64_t v = ToInt(cur) - amount;
      PSet(idx, name, std::to_string(v < 0 ? 0 : v));
      break;
    }
    case ActionId::kCtl: {
      const seclang::Ctl& c = ra.ctl;
      auto on = [&] { return IEq(c.value, "On") || IEq(c.value, "true"); };
      switch (c.option) {
        case CtlOption::kRuleEngine:
          mode = IEq(c.value, "On")    ? EngineMode::kOn
                 : IEq(c.value, "Off") ? EngineMode::kOff
                                       : EngineMode::kDetectionOnly;
          break;
        case CtlOption::kRuleRemoveById:
          removed_ranges.insert(removed_ranges.end(), ra.ranges.begin(), ra.ranges.end());
          break;
        case CtlOption::kRuleRemoveByTag:
          removed_tags.push_back(c.value);
          break;
        case CtlOption::kRuleRemoveByMsg:
          removed_msgs.push_back(c.value);
          break;
        case CtlOption::kRuleRemoveTargetById:
          remove_target_by_id.push_back(&ra);
          break;
        case CtlOption::kRuleRemoveTargetByTag:
          remove_target_by_tag.push_back(&ra);
          break;
        case CtlOption::kRuleRemoveTargetByMsg:
          break;
        case CtlOption::kRequestBodyProcessor:
          processor_override = LowerStr(c.value);
          for (char& ch : processor_override) ch = static_cast<char>(std::toupper(ch));
          reqbody_processor = processor_override;
          break;
        case CtlOption::kRequestBodyAccess:
          body_access = on() ? 1 : 0;
          break;
        case CtlOption::kResponseBodyAccess:
          response_body_access = on() ? 1 : 0;
          break;
        case CtlOption::kRequestBodyLimit:
          request_body_limit = static_cast<uint64_t>(ToInt(c.value));
          break;
        case CtlOption::kResponseBodyLimit:
          response_body_limit = static_cast<uint64_t>(ToInt(c.value));
          break;
        case CtlOption::kAuditEngine:
          audit_engine = c.value;
          break;
        default:
          break;  // forceRequestBodyVariable (REQUEST_BODY is always set), auditLogParts, ...
      }
      break;
    }
    default:
      break;
  }
}

void Transaction::Impl::Disrupt(const CompiledRule& head, Disruptive d, AllowType allow_type,
                                const MacroString& url, RuleMsg* rm) {
  if (d == Disruptive::kNone || d == Disruptive::kPass || d == Disruptive::kBlock) return;
  if (mode != EngineMode::kOn) return;
  if (d == Disruptive::kAllow) {
    allow = allow_type;
    it.kind = Intervention::Kind::kAllow;
    it.rule_id = head.id;
    it.phase = current_phase;
    return;
  }
  it.rule_id = head.id;
  it.phase = current_phase;
  if (d == Disruptive::kRedirect) {
    it.kind = Intervention::Kind::kRedirect;
    it.url = Expand(url);
    it.status = (it_status >= 301 && it_status <= 308) ? it_status : 302;
  } else {
    it.kind = d == Disruptive::kDrop ? Intervention::Kind::kDrop : Intervention::Kind::kDeny;
    it.status = it_status == 200 ? 403 : it_status;
  }
  it.log = MakeMatched(head, *rm, true, true).ModsecLogLine();
}

MatchedRule Transaction::Impl::MakeMatched(const CompiledRule& head, const RuleMsg& rm,
                                           bool disruptive, bool log) {
  MatchedRule m;
  m.id = head.id;
  m.phase = head.phase;
  m.file = head.file;
  m.line = head.line;
  m.msg = rm.msg;
  m.data = rm.data;
  m.severity = head.severity;
  m.tags = head.tags;
  m.ver = head.ver;
  m.rev = head.rev;
  m.maturity = head.maturity;
  m.accuracy = head.accuracy;
  if (matched_set) {
    m.matched_var_name = matched_var_name;
    m.matched_var = matched_var.substr(0, 200);
  }
  m.disruptive = disruptive;
  m.log = log;
  return m;
}

void Transaction::Impl::AfterFullMatch(const CompiledRule& r, const CompiledRule& head,
                                       RuleMsg* rm) {
  const DefaultActions& def = rules->defaults[head.phase];
  if (def.status != 0) it_status = def.status;
  if (r.status != 0) it_status = r.status;
  for (const RunAction& ra : r.after_match) RunAfterAction(ra);
  if (&r != &head) return;
  Disruptive d = r.disruptive;
  AllowType at = r.allow;
  const MacroString* url = &r.redirect_url;
  if (d == Disruptive::kBlock) {
    d = def.disruptive;
    at = def.allow;
    url = &def.redirect_url;
  }
  bool was_disruptive = it.disruptive();
  Disrupt(head, d, at, *url, rm);
  bool disruptive = !was_disruptive && it.disruptive();
  int log = r.log != -1 ? r.log : (def.log != -1 ? def.log : 1);
  matched_ids.push_back(head.id);
  bool listed;
  if (r.is_action) {
    listed = r.disruptive == Disruptive::kBlock || (log == 1 && !rm->msg.empty());
  } else {
    listed = log == 1;
  }
  if (listed || disruptive) matched.push_back(MakeMatched(head, *rm, disruptive, log == 1));
}

void Transaction::Impl::EvalHead(const CompiledRule& head) {
  RuleMsg rm;
  current_head = &head;
  current_msg = &rm;
  EvalRule(head, head, &rm);
  current_head = nullptr;
  current_msg = nullptr;
}

void Transaction::Impl::RunPhase(int phase) {
  if (phase_done[phase]) return;
  phase_done[phase] = true;
  if (mode == EngineMode::kOff) return;
  // After an intervention libmodsecurity still enters later request/response phases: it
  // evaluates the first rule that is not skipped, then sees the intervention and leaves the
  // phase. Phase 5 (logging) is different: 3.0.9 runs every logging rule after a deny, which
  // decides whether CRS's correlation rules (980xxx) log; tests/modsec_peer pins this down.
  if (allow == AllowType::kFromNowOn && phase != 5) return;
  if (allow == AllowType::kRequest && phase <= 2) return;
  allow = AllowType::kNone;
  current_phase = phase;
  const auto& list = rules->walk[phase];
  const WalkTarget* walk_targets = rules->walk_targets[phase].data();
  const auto& markers = rules->marker_positions[phase];
  for (size_t i = 0; i < list.size(); ++i) {
    if (marker_pending >= 0) {
      // skipAfter: straight to the marker's next entry in this phase (the rules in between are
      // not looked at: with the CRS at PL1, most of each phase); none left: the skip carries
      // into the next phase, as when walking the list.
      size_t next = list.size();
      if (static_cast<size_t>(marker_pending) < markers.size()) {
        for (uint32_t pos : markers[static_cast<size_t>(marker_pending)]) {
          if (pos >= i) {
            next = pos;
            break;
          }
        }
      }
      if (next == list.size()) break;
      i = next;  // the marker entry itself, passed over like any marker
      marker_pending = -1;
      continue;
    }
    const WalkEntry& e = list[i];
    if (i + 1 < list.size() && !list[i + 1].by_prefilter) {
      // The next rule will be loaded: start fetching its hot line and targets now, while this
      // one runs (rules are far apart in memory, and the gateway's other work evicts them).
      __builtin_prefetch(list[i + 1].rule);
      __builtin_prefetch(list[i + 1].vars);
    }
    if (skip_next > 0) {
      --skip_next;
      continue;
    }
    if (allow != AllowType::kNone) continue;
    if (e.marker) continue;
    if (e.by_prefilter && !AnyTargetMayMatch(e, walk_targets)) continue;  // cannot match
    if (RuleRemovedByCtl(*e.rule)) continue;
    EvalHead(*e.rule);
    if (it.disruptive() && phase != 5) break;
  }
}

// ---- body ------------------------------------------------------------------------------------

void Transaction::Impl::ProcessBody() {
  DataChanged({kDataArgs, kDataBody});  // facts cached per target on these are stale now
  body_processed = true;
  body::Limits limits;
  limits.argument_separator = cfg->argument_separator;
  limits.arguments_limit = cfg->arguments_limit;
  limits.json_depth_limit = cfg->json_depth_limit;
  limits.upload_file_limit = cfg->upload_file_limit;
  limits.keep_file_content = true;
  std::string proc = processor_override;
  if (proc.empty()) {
    std::string ct = LowerStr(content_type);
    if (ct.rfind("multipart/form-data", 0) == 0) {
      proc = "MULTIPART";
    } else if (ct.rfind("application/x-www-form-urlencoded", 0) == 0) {
      proc = "URLENCODED";
    }
  }
  if (proc == "URLENCODED") {
    body::ParseUrlEncoded(req_body, body::Origin::kBody, limits, &args);
    reqbody_error = args.Has(body::Flag::kReqbodyError) ? 1 : 0;
  } else if (proc == "MULTIPART") {
    multipart_seen = true;
    body::ParseMultipart(content_type, req_body, limits, &args);
    reqbody_error = args.Has(body::Flag::kReqbodyError) ? 1 : 0;
  } else if (proc == "JSON") {
    body::ParseJson(req_body, limits, &args);
    if (args.Has(body::Flag::kArgumentsLimitExceeded)) {
      args.SetError("JSON parsing error: argument limit exceeded (SecArgumentsLimit)");
    }
    reqbody_error = args.Has(body::Flag::kReqbodyError) ? 1 : 0;
  } else if (proc == "XML") {
    body::ParseXml(req_body, limits, &args);
    reqbody_error = args.Has(body::Flag::kReqbodyError) ? 1 : 0;
  } else {
    reqbody_error = 0;
  }
  // SecRequestBodyNoFilesLimit: the body without file parts must stay under the limit.
  // (Multipart bodies are not checked: how libmodsecurity discounts file parts is not settled.)
  if (proc != "MULTIPART" && cfg->request_body_no_files_limit > 0 &&
      req_body.size() > cfg->request_body_no_files_limit) {
    args.SetError("Request body excluding files is bigger than the maximum expected.");
    reqbody_error = 1;
  }
}

// ---- public API ------------------------------------------------------------------------------

std::unique_ptr<Transaction> Engine::NewTransaction(std::string id) {
  std::unique_ptr<Transaction::Impl> impl;
  {
    std::lock_guard<std::mutex> l(impl_->pool_mu);
    if (!impl_->pool.empty()) {
      impl = std::move(impl_->pool.back());
      impl_->pool.pop_back();
    }
  }
  if (!impl) impl = std::make_unique<Transaction::Impl>();
  impl->Init(impl_.get(), rules(), std::move(id));
  return std::unique_ptr<Transaction>(new Transaction(std::move(impl)));
}

Engine::~Engine() = default;

Transaction::Transaction(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Transaction::~Transaction() {
  Engine::Impl* engine = impl_->engine;
  impl_->Reset();
  std::lock_guard<std::mutex> l(engine->pool_mu);
  if (engine->pool.size() < Engine::Impl::kMaxPooled) engine->pool.push_back(std::move(impl_));
}

void Transaction::ProcessConnection(std::string_view client_ip, int client_port,
                                    std::string_view server_ip, int server_port) {
  Impl& t = *impl_;
  t.client_ip = t.Keep(client_ip);
  t.server_ip = t.Keep(server_ip);
  t.client_port = t.KeepNumber(client_port);
  t.server_port = t.KeepNumber(server_port);
}

void Transaction::ProcessUri(std::string_view uri, std::string_view method,
                             std::string_view http_version) {
  impl_->DataChanged({kDataLine, kDataArgs});
  Impl& t = *impl_;
  t.uri_raw = t.Keep(uri);
  t.method = t.Keep(method);
  t.http_version = t.Keep(http_version);
  std::string line =
      std::string(method) + " " + std::string(uri) + " HTTP/" + std::string(http_version);
  t.request_line = t.Keep(line);
  t.protocol = t.request_line.substr(method.size() + 1 + uri.size() + 1);
  // As libmodsecurity (3.0.10+): a #fragment stays only in REQUEST_URI_RAW and REQUEST_LINE;
  // QUERY_STRING comes from the raw URI; REQUEST_FILENAME/PATH_INFO/BASENAME are the %-decoded
  // path before the raw '?'; REQUEST_URI is the whole decoded URI, minus scheme and authority
  // for absolute-form requests.
  std::string_view u = t.uri_raw;
  size_t frag = u.find('#');
  if (frag != std::string_view::npos) u = u.substr(0, frag);
  size_t q = u.find('?');
  if (q != std::string_view::npos) {
    t.has_query = true;
    t.query_string = u.substr(q + 1);
  }
  std::string decoded_path = UriDecode(u.substr(0, q));
  t.filename = t.Keep(decoded_path);
  size_t slash = t.filename.find_last_of("/\\");
  if (slash != std::string_view::npos && t.filename.size() > slash + 1) {
    t.basename = t.filename.substr(slash + 1);
  }
  std::string decoded = UriDecode(u);
  std::string_view parsed = decoded;
  if (!decoded.empty() && decoded[0] != '/') {
    size_t scheme = decoded.find(':');
    if (scheme != std::string::npos && decoded.compare(scheme + 1, 2, "//") == 0) {
      size_t p = decoded.find('/', scheme + 3);
      if (p != std::string::npos) parsed = std::string_view(decoded).substr(p);
    }
  }
  t.request_uri = t.Keep(parsed);
  if (t.has_query && !t.query_string.empty()) {
    body::Limits limits;
    limits.argument_separator = t.cfg->argument_separator;
    limits.arguments_limit = t.cfg->arguments_limit;
    body::ParseUrlEncoded(t.query_string, body::Origin::kQueryString, limits, &t.args);
  }
}

void Transaction::AddRequestHeader(std::string_view name, std::string_view value) {
  impl_->DataChanged({kDataHeaders});
  Impl& t = *impl_;
  KV kv{t.Keep(name), t.Keep(value)};
  t.req_headers.push_back(kv);
  if (IEq(name, "cookie")) t.ParseCookies(kv.value);
  if (IEq(name, "content-type")) {
    t.content_type = kv.value;
    std::string l = LowerStr(value);
    if (l.rfind("multipart/form-data", 0) == 0) {
      t.reqbody_processor = "MULTIPART";
    } else if (l.rfind("application/x-www-form-urlencoded", 0) == 0) {
      t.reqbody_processor = "URLENCODED";
    }
  }
}

bool Transaction::ProcessRequestHeaders() {
  impl_->RunPhase(1);
  return impl_->it.disruptive();
}

void Transaction::AppendRequestBody(std::string_view data) {
  Impl& t = *impl_;
  uint64_t limit = t.request_body_limit;
  if (limit > 0 && t.req_body.size() + data.size() > limit) {
    t.inbound_data_error = true;
    if (!t.cfg->request_body_limit_reject) {
      size_t room = t.req_body.size() < limit ? limit - t.req_body.size() : 0;
      t.req_body.append(data.substr(0, room));
      return;
    }
    if (t.mode == EngineMode::kOn && !t.it.disruptive()) {
      t.it.kind = Intervention::Kind::kDeny;
      t.it.status = 403;
      t.it.phase = 2;
      t.it.rule_id = 0;
      t.it.log = "Request body limit is marked to reject the request";
    }
    return;
  }
  t.req_body.append(data);
}

bool Transaction::ProcessRequestBody() {
  Impl& t = *impl_;
  if (t.mode == EngineMode::kOff) return t.it.disruptive();
  bool access = t.body_access >= 0 ? t.body_access == 1 : t.cfg->request_body_access;
  if (!access) {
    t.phase_done[2] = true;
    return t.it.disruptive();
  }
  if (!t.body_processed) t.ProcessBody();
  t.RunPhase(2);
  return t.it.disruptive();
}

void Transaction::AddResponseHeader(std::string_view name, std::string_view value) {
  impl_->DataChanged({kDataRespHeaders});
  Impl& t = *impl_;
  KV kv{t.Keep(name), t.Keep(value)};
  t.resp_headers.push_back(kv);
  if (IEq(name, "content-type")) {
    std::string_view v = kv.value;
    size_t semi = v.find(';');
    if (semi != std::string_view::npos) v = v.substr(0, semi);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    t.resp_content_type = v;
  }
}

bool Transaction::ProcessResponseHeaders(int status, std::string_view protocol) {
  Impl& t = *impl_;
  t.response_status = status;
  t.response_protocol = t.Keep(protocol);
  t.RunPhase(3);
  return t.it.disruptive();
}

void Transaction::AppendResponseBody(std::string_view data) {
  Impl& t = *impl_;
  uint64_t limit = t.response_body_limit;
  if (limit > 0 && t.resp_body.size() + data.size() > limit) {
    t.outbound_data_error = true;
    size_t room = t.resp_body.size() < limit ? limit - t.resp_body.size() : 0;
    t.resp_body.append(data.substr(0, room));
    if (t.cfg->response_body_limit_reject && t.mode == EngineMode::kOn && !t.it.disruptive()) {
      t.it.kind = Intervention::Kind::kDeny;
      t.it.status = 403;
      t.it.phase = 4;
      t.it.log = "Response body limit is marked to reject the request";
    }
    return;
  }
  t.resp_body.append(data);
}

bool Transaction::ProcessResponseBody() {
  impl_->DataChanged({kDataRespBody});
  Impl& t = *impl_;
  if (t.mode == EngineMode::kOff) return t.it.disruptive();
  bool access =
      t.response_body_access >= 0 ? t.response_body_access == 1 : t.cfg->response_body_access;
  if (!access) return t.it.disruptive();
  if (!t.cfg->response_mime_types.empty()) {
    std::string ct = LowerStr(t.resp_content_type);
    if (std::find(t.cfg->response_mime_types.begin(), t.cfg->response_mime_types.end(), ct) ==
        t.cfg->response_mime_types.end()) {
      return t.it.disruptive();
    }
  }
  t.resp_body_set = true;
  t.RunPhase(4);
  return t.it.disruptive();
}

void Transaction::ProcessLogging() { impl_->RunPhase(5); }

const Intervention& Transaction::intervention() const { return impl_->it; }
const std::vector<MatchedRule>& Transaction::matched_rules() const { return impl_->matched; }
const std::vector<int64_t>& Transaction::matched_rule_ids() const { return impl_->matched_ids; }
const std::string& Transaction::id() const { return impl_->id; }

bool Transaction::GetTxVariable(std::string_view name, std::string* value) const {
  std::string* v = impl_->TxFind(LowerStr(name));
  if (v == nullptr) return false;
  *value = *v;
  return true;
}

namespace {
// Audit JSON strings: UTF-8 (Chinese msg/data, request lines) kept as text; bytes that are not
// UTF-8 become U+FFFD (core/utf8.h).
void JsonEscape(std::string_view s, std::string* out) { AppendJsonString(out, s); }
}  // namespace

std::string Transaction::AuditJson() const {
  const Impl& t = *impl_;
  std::string o = "{\"transaction_id\":";
  JsonEscape(t.id, &o);
  o += ",\"client_ip\":";
  JsonEscape(t.client_ip, &o);
  o += ",\"client_port\":";
  o += t.client_port.empty() ? std::string("0") : std::string(t.client_port);
  o += ",\"request_line\":";
  JsonEscape(t.request_line, &o);
  o += ",\"verdict\":";
  const char* verdict = "pass";
  switch (t.it.kind) {
    case Intervention::Kind::kDeny:
      verdict = "deny";
      break;
    case Intervention::Kind::kDrop:
      verdict = "drop";
      break;
    case Intervention::Kind::kRedirect:
      verdict = "redirect";
      break;
    case Intervention::Kind::kAllow:
      verdict = "allow";
      break;
    default:
      break;
  }
  JsonEscape(verdict, &o);
  o += ",\"status\":" + std::to_string(t.it.disruptive() ? t.it.status : t.response_status);
  o += ",\"deciding_rule\":" + std::to_string(t.it.rule_id);
  o += ",\"matched_rules\":[";
  bool first = true;
  for (const MatchedRule& m : t.matched) {
    if (!first) o += ",";
    first = false;
    o += "{\"id\":" + std::to_string(m.id) + ",\"phase\":" + std::to_string(m.phase);
    o += ",\"msg\":";
    JsonEscape(m.msg, &o);
    o += ",\"data\":";
    JsonEscape(m.data, &o);
    o += ",\"severity\":" + std::to_string(m.severity);
    o += ",\"tags\":[";
    for (size_t i = 0; i < m.tags.size(); ++i) {
      if (i) o += ",";
      JsonEscape(m.tags[i], &o);
    }
    o += "]}";
  }
  o += "],\"anomaly_scores\":{";
  first = true;
  for (std::string_view k :
       {"anomaly_score", "inbound_anomaly_score", "outbound_anomaly_score", "sql_injection_score",
        "xss_score", "rfi_score", "lfi_score", "rce_score", "php_injection_score",
        "http_violation_score", "session_fixation_score"}) {
    auto it = t.tx.find(k);
    if (it == t.tx.end() || it->second.gen != t.tx_gen_) continue;
    if (!first) o += ",";
    first = false;
    JsonEscape(k, &o);
    o += ":" + std::to_string(ToInt(it->second.value));
  }
  o += "}}";
  return o;
}

std::string MatchedRule::ModsecLogLine() const {
  std::string s;
  s += "[file \"" + file + "\"] [line \"" + std::to_string(line) + "\"] [id \"" +
       std::to_string(id) + "\"]";
  if (!rev.empty()) s += " [rev \"" + rev + "\"]";
  s += " [msg \"" + msg + "\"] [data \"" + data.substr(0, 200) + "\"]";
  s += " [severity \"" + std::to_string(severity < 0 ? 0 : severity) + "\"]";
  if (!ver.empty()) s += " [ver \"" + ver + "\"]";
  if (maturity >= 0) s += " [maturity \"" + std::to_string(maturity) + "\"]";
  if (accuracy >= 0) s += " [accuracy \"" + std::to_string(accuracy) + "\"]";
  for (const std::string& t : tags) s += " [tag \"" + t + "\"]";
  return s;
}

}  // namespace gs::waf
