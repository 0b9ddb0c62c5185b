// The declarative binding API: how a module turns its section of the YAML config into a typed,
// validated, immutable struct, and how files are loaded.
//
// A module declares its section once, as a plain struct whose member initialisers are the
// defaults, plus one bind function found by argument-dependent lookup:
//
//   struct AuditSection {
//     std::filesystem::path store;                  // required below
//     int retention_days = 400;                     // default
//     std::chrono::nanoseconds fsync_interval = std::chrono::milliseconds(100);
//   };
//   void BindConfig(config::MapReader& r, AuditSection* c) {
//     r.Field("store", &c->store, config::Required());
//     r.Field("retention_days", &c->retention_days, config::Range(365, 36500));
//     r.Field("fsync_interval", &c->fsync_interval, config::Range(1ms, 60s));
//   }
//
// and loads it with LoadConfig<T>(path) -> Result<std::shared_ptr<const T>>.
//
// What the machinery does, so bind functions stay declarations:
//  - The C++ type of the member picks the YAML decoding: bool, integers (range of the type
//    enforced), double, std::string, std::filesystem::path (relative paths resolved against the
//    config file's directory), std::chrono::duration ("100ms", unit required), ByteSize
//    ("64MiB"), enums (names from an ADL function `ConfigEnumEntries(E)` returning pairs of
//    {std::string_view name, E value}), std::optional<T> (absent = nullopt), std::vector<T>
//    (a YAML list), std::map<std::string, T> (a YAML mapping), and any struct with a
//    `BindConfig(MapReader&, T*)` (a nested section). Specialise Decoder<T> for other types.
//  - Every key of a mapping that no Field/Section/Allow asked for is an error, with a
//    "did you mean" hint for near misses.
//  - Every problem is recorded with file:line:col and decoding carries on, so one run reports
//    all of them; a field with an error keeps its default.
//  - Scalars are typed strictly: a quoted "400" is not an integer, "yes" is not a boolean, a
//    duration needs a unit.
//  - Work is budgeted (aliases can make a small file expand), so decoding hostile input ends.
//
// Thread-safety: a MapReader/Context belongs to one load on one thread. The loaded config is
// immutable and may be shared freely.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "config/diagnostics.h"
#include "config/node.h"
#include "config/units.h"
#include "config/yaml.h"
#include "core/status.h"

namespace gs::config {

// A failed validation: what is wrong and, where it helps, what to do.
struct Problem {
  std::string message;
  std::string hint;
};

// State of one load: where errors go, how paths resolve, how much work is left.
class Context {
 public:
  Context(Diagnostics* diags, std::string base_dir, size_t work_budget)
      : diags_(diags), base_dir_(std::move(base_dir)), budget_(work_budget) {}

  void Error(Mark mark, std::string message, std::string hint = {}) {
    diags_->Add(mark, std::move(message), std::move(hint));
  }
  size_t error_count() const { return diags_->total(); }
  // Directory that relative paths are resolved against; empty = leave them relative.
  const std::string& base_dir() const { return base_dir_; }

  // Spends one unit of decoding work. Returns false once the budget is gone (reported once).
  bool Spend(Mark mark);

 private:
  Diagnostics* diags_;
  std::string base_dir_;
  size_t budget_;
  bool exhausted_ = false;
};

// "audit" + "store" -> "audit.store"; "" + "audit" -> "audit".
std::string JoinKey(std::string_view parent, std::string_view key);

// ---- rules: validations applied to a present value after it decoded ------------------------

struct RequiredRule {};
// The key must be present.
inline RequiredRule Required() { return {}; }

std::string FormatValue(bool v);
std::string FormatValue(const std::string& v);
std::string FormatValue(const std::filesystem::path& v);
std::string FormatValue(ByteSize v);
template <typename T>
requires std::is_arithmetic_v<T> std::string FormatValue(T v) { return std::to_string(v); }
template <typename Rep, typename Period>
std::string FormatValue(std::chrono::duration<Rep, Period> d) {
  return FormatDurationNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

// The name of an enum value per its ConfigEnumEntries, or "?" if it has none.
template <typename E>
requires std::is_enum_v<E> std::string_view EnumName(E v) {
  for (const auto& [name, value] : ConfigEnumEntries(E{})) {
    if (value == v) return name;
  }
  return "?";
}
template <typename E>
requires std::is_enum_v<E> std::string FormatValue(E v) { return std::string(EnumName(v)); }

namespace internal {
template <typename A, typename B>
bool Less(const A& a, const B& b) {
  if constexpr (std::is_integral_v<A> && std::is_integral_v<B>) {
    return std::cmp_less(a, b);
  } else {
    return a < b;
  }
}
}  // namespace internal

// Inclusive bounds; either may be absent (Min/Max). `Because` adds the reason a person needs
// to understand the limit (e.g. the regulation it comes from) to the message.
template <typename V>
struct RangeRule {
  std::optional<V> lo, hi;
  std::string why;

  RangeRule Because(std::string reason) const {
    RangeRule r = *this;
    r.why = std::move(reason);
    return r;
  }

  template <typename T>
  std::optional<Problem> Check(const T& v) const {
    std::string allowed = Allowed();
    if (lo && internal::Less(v, *lo)) {
      return Problem{FormatValue(v) + " is below the minimum of " + FormatValue(*lo) + Why(),
                     allowed};
    }
    if (hi && internal::Less(*hi, v)) {
      return Problem{FormatValue(v) + " is above the maximum of " + FormatValue(*hi) + Why(),
                     allowed};
    }
    return std::nullopt;
  }

 private:
  std::string Why() const { return why.empty() ? "" : ": " + why; }
  std::string Allowed() const {
    if (lo && hi) return "allowed: " + FormatValue(*lo) + " to " + FormatValue(*hi);
    if (lo) return "allowed: at least " + FormatValue(*lo);
    return "allowed: at most " + FormatValue(*hi);
  }
};

// Mixed bound types (1ms, 60s) meet in their common type.
template <typename A, typename B>
RangeRule<std::common_type_t<A, B>> Range(A lo, B hi) {
  return RangeRule<std::common_type_t<A, B>>{lo, hi, {}};
}
template <typename V>
RangeRule<V> Min(V lo) {
  return RangeRule<V>{lo, std::nullopt, {}};
}
template <typename V>
RangeRule<V> Max(V hi) {
  return RangeRule<V>{std::nullopt, hi, {}};
}

// Strings, paths, lists and maps: must not be empty.
struct NonEmptyRule {
  template <typename T>
  std::optional<Problem> Check(const T& v) const {
    if (v.empty()) return Problem{"must not be empty", {}};
    return std::nullopt;
  }
};
inline NonEmptyRule NonEmpty() { return {}; }

// Strings: an IPv4 or IPv6 address literal (no host names: binding must not depend on DNS).
struct IpAddressRule {
  std::optional<Problem> Check(const std::string& v) const;
};
inline IpAddressRule IpAddress() { return {}; }

// Any predicate: `fn(const T&) -> std::optional<Problem>`.
template <typename Fn>
struct SatisfiesRule {
  Fn fn;
  template <typename T>
  std::optional<Problem> Check(const T& v) const {
    return fn(v);
  }
};
template <typename Fn>
SatisfiesRule<Fn> Satisfies(Fn fn) {
  return SatisfiesRule<Fn>{std::move(fn)};
}

// ---- decoding by type ------------------------------------------------------------------------

// Non-template decoders (reader.cc). Each reports its own error and returns false on failure.
namespace internal {
bool DecodeBool(Context& ctx, const Node& n, const std::string& path, bool* out);
bool DecodeInt(Context& ctx, const Node& n, const std::string& path, int64_t min, int64_t max,
               int64_t* out);
bool DecodeUint(Context& ctx, const Node& n, const std::string& path, uint64_t max, uint64_t* out);
bool DecodeDouble(Context& ctx, const Node& n, const std::string& path, double* out);
bool DecodeString(Context& ctx, const Node& n, const std::string& path, std::string* out);
bool DecodePath(Context& ctx, const Node& n, const std::string& path, std::filesystem::path* out);
bool DecodeByteSize(Context& ctx, const Node& n, const std::string& path, ByteSize* out);
bool DecodeDurationNanos(Context& ctx, const Node& n, const std::string& path, int64_t* out);
// Sets *index to the position of the scalar in `names`.
bool DecodeName(Context& ctx, const Node& n, const std::string& path,
                const std::vector<std::string_view>& names, size_t* index);
bool ExpectKind(Context& ctx, const Node& n, const std::string& path, Node::Kind kind,
                std::string_view what, std::string_view hint);

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
struct IsVector : std::false_type {};
template <typename T, typename A>
struct IsVector<std::vector<T, A>> : std::true_type {};
template <typename T>
struct IsStringMap : std::false_type {};
template <typename T, typename C, typename A>
struct IsStringMap<std::map<std::string, T, C, A>> : std::true_type {};
template <typename T>
struct IsDuration : std::false_type {};
template <typename R, typename P>
struct IsDuration<std::chrono::duration<R, P>> : std::true_type {};

template <typename T>
bool DecodeStruct(Context& ctx, const Node& n, const std::string& path, T* out);
}  // namespace internal

// Decodes one YAML node into a T. Specialise for types the built-ins do not cover; a
// specialisation reports its own errors through ctx and returns false on failure.
template <typename T>
struct Decoder {
  static bool Decode(Context& ctx, const Node& n, const std::string& path, T* out) {
    if (!ctx.Spend(n.mark)) return false;
    if constexpr (std::is_same_v<T, bool>) {
      return internal::DecodeBool(ctx, n, path, out);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      int64_t v = 0;
      if (!internal::DecodeInt(ctx, n, path, std::numeric_limits<T>::min(),
                               std::numeric_limits<T>::max(), &v)) {
        return false;
      }
      *out = static_cast<T>(v);
      return true;
    } else if constexpr (std::is_integral_v<T>) {
      uint64_t v = 0;
      if (!internal::DecodeUint(ctx, n, path, std::numeric_limits<T>::max(), &v)) return false;
      *out = static_cast<T>(v);
      return true;
    } else if constexpr (std::is_floating_point_v<T>) {
      double v = 0;
      if (!internal::DecodeDouble(ctx, n, path, &v)) return false;
      *out = static_cast<T>(v);
      return true;
    } else if constexpr (std::is_same_v<T, std::string>) {
      return internal::DecodeString(ctx, n, path, out);
    } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
      return internal::DecodePath(ctx, n, path, out);
    } else if constexpr (std::is_same_v<T, ByteSize>) {
      return internal::DecodeByteSize(ctx, n, path, out);
    } else if constexpr (internal::IsDuration<T>::value) {
      int64_t nanos = 0;
      if (!internal::DecodeDurationNanos(ctx, n, path, &nanos)) return false;
      auto exact = std::chrono::nanoseconds(nanos);
      auto converted = std::chrono::duration_cast<T>(exact);
      if (std::chrono::duration_cast<std::chrono::nanoseconds>(converted) != exact) {
        ctx.Error(n.mark, path + ": " + n.Describe() + " is finer than this setting's unit",
                  "use a whole number of " +
                      FormatValue(std::chrono::duration_cast<std::chrono::nanoseconds>(T(1))));
        return false;
      }
      *out = converted;
      return true;
    } else if constexpr (std::is_enum_v<T>) {
      std::vector<std::string_view> names;
      std::vector<T> values;
      for (const auto& [name, value] : ConfigEnumEntries(T{})) {
        names.push_back(name);
        values.push_back(value);
      }
      size_t index = 0;
      if (!internal::DecodeName(ctx, n, path, names, &index)) return false;
      *out = values[index];
      return true;
    } else if constexpr (internal::IsOptional<T>::value) {
      typename T::value_type v{};
      if (!Decoder<typename T::value_type>::Decode(ctx, n, path, &v)) return false;
      *out = std::move(v);
      return true;
    } else if constexpr (internal::IsVector<T>::value) {
      if (n.is_null()) {
        out->clear();
        return true;
      }
      if (!internal::ExpectKind(ctx, n, path, Node::Kind::kSequence, "a list",
                                "write one '- item' line per entry, or [a, b]")) {
        return false;
      }
      T result;
      bool ok = true;
      for (size_t i = 0; i < n.items.size(); ++i) {
        typename T::value_type v{};
        if (Decoder<typename T::value_type>::Decode(ctx, *n.items[i],
                                                    path + "[" + std::to_string(i) + "]", &v)) {
          result.push_back(std::move(v));
        } else {
          ok = false;
        }
      }
      if (ok) *out = std::move(result);
      return ok;
    } else if constexpr (internal::IsStringMap<T>::value) {
      if (n.is_null()) {
        out->clear();
        return true;
      }
      if (!internal::ExpectKind(ctx, n, path, Node::Kind::kMapping, "a mapping",
                                "write 'name: value' lines")) {
        return false;
      }
      T result;
      bool ok = true;
      for (const Node::Entry& e : n.entries) {
        typename T::mapped_type v{};
        if (Decoder<typename T::mapped_type>::Decode(ctx, *e.value, JoinKey(path, e.key), &v)) {
          result.emplace(e.key, std::move(v));
        } else {
          ok = false;
        }
      }
      if (ok) *out = std::move(result);
      return ok;
    } else {
      return internal::DecodeStruct(ctx, n, path, out);
    }
  }
};

// Reads one YAML mapping into a struct. Created by the machinery and handed to BindConfig.
class MapReader {
 public:
  MapReader(Context& ctx, const Node& mapping, std::string path)
      : ctx_(ctx), node_(mapping), path_(std::move(path)) {}
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  // Declares key `key`: when present, decodes it by T's type into *out and applies `rules`
  // (Required(), Range(), NonEmpty(), IpAddress(), Satisfies(), ...); when absent, leaves
  // *out as it is (its default) unless Required() is among the rules. On any error *out keeps
  // its previous value. Returns true if the key was present and valid.
  template <typename T, typename... Rules>
  bool Field(std::string_view key, T* out, const Rules&... rules) {
    known_.emplace_back(key);
    const Node::Entry* e = node_.Find(key);
    std::string path = JoinKey(path_, key);
    if (e == nullptr) {
      if ((std::is_same_v<Rules, RequiredRule> || ...)) {
        ctx_.Error(MissingMark(), "missing required key '" + path + "'", MissingHint(key));
      }
      return false;
    }
    T value = *out;
    if (!Decoder<T>::Decode(ctx_, *e->value, path, &value)) return false;
    bool ok = true;
    (Apply(rules, *e->value, path, value, &ok), ...);
    if (ok) *out = std::move(value);
    return ok;
  }

  // An inline sub-mapping without a struct of its own: `fn(MapReader&)` declares its keys.
  // Absent (and not required) = fn is not called.
  template <typename Fn>
  bool Section(std::string_view key, Fn&& fn, bool required = false) {
    known_.emplace_back(key);
    const Node::Entry* e = node_.Find(key);
    std::string path = JoinKey(path_, key);
    if (e == nullptr) {
      if (required) {
        ctx_.Error(MissingMark(), "missing required section '" + path + "'", MissingHint(key));
      }
      return false;
    }
    Node empty;
    const Node* n = e->value.get();
    if (n->is_null()) {
      empty.kind = Node::Kind::kMapping;
      empty.mark = n->mark;
      n = &empty;
    }
    if (!internal::ExpectKind(ctx_, *n, path, Node::Kind::kMapping, "a mapping",
                              "write the section's settings as indented 'key: value' lines")) {
      return false;
    }
    size_t before = ctx_.error_count();
    MapReader sub(ctx_, *n, path);
    fn(sub);
    sub.ReportUnknownKeys();
    return ctx_.error_count() == before;
  }

  bool Has(std::string_view key) const { return node_.Find(key) != nullptr; }
  // Position of the key's value if present, else of this mapping.
  Mark MarkOf(std::string_view key) const;
  // Cross-field errors, reported at `key`'s value (or the mapping if absent); message is
  // prefixed with the key's dotted path.
  void Error(std::string_view key, std::string message, std::string hint = {});
  // Declares a key as valid without reading it.
  void Allow(std::string_view key) { known_.emplace_back(key); }
  // Declares every key starting with `prefix` as valid without reading it (e.g. "x-" for
  // blocks that only hold YAML anchors for reuse).
  void AllowPrefix(std::string_view prefix) { known_prefixes_.emplace_back(prefix); }
  // Replaces the generic hint for unknown keys of this mapping, e.g. for sections that exist
  // in other builds. Return "" to fall back to the generic hint.
  void SetUnknownKeyHint(std::function<std::string(std::string_view key)> fn) {
    unknown_hint_ = std::move(fn);
  }

  const std::string& path() const { return path_; }
  const Node& node() const { return node_; }
  Context& context() { return ctx_; }

  // Reports every key not declared. Called by the machinery after the bind function.
  void ReportUnknownKeys();

 private:
  template <typename R, typename T>
  void Apply(const R& rule, const Node& n, const std::string& path, const T& value, bool* ok) {
    if constexpr (std::is_same_v<R, RequiredRule>) {
      return;
    } else if constexpr (internal::IsOptional<T>::value) {
      if (value.has_value()) Apply(rule, n, path, *value, ok);
    } else {
      std::optional<Problem> p = rule.Check(value);
      if (p) {
        ctx_.Error(n.mark, path + ": " + p->message, p->hint);
        *ok = false;
      }
    }
  }
  Mark MissingMark() const;
  std::string MissingHint(std::string_view key) const;

  Context& ctx_;
  const Node& node_;
  std::string path_;
  std::vector<std::string> known_;
  std::vector<std::string> known_prefixes_;
  std::function<std::string(std::string_view)> unknown_hint_;
};

namespace internal {
template <typename T>
bool DecodeStruct(Context& ctx, const Node& n, const std::string& path, T* out) {
  Node empty;
  const Node* m = &n;
  if (n.is_null()) {  // "section:" with nothing under it = all defaults
    empty.kind = Node::Kind::kMapping;
    empty.mark = n.mark;
    m = &empty;
  }
  if (!ExpectKind(ctx, *m, path, Node::Kind::kMapping, "a mapping",
                  "write the settings as indented 'key: value' lines")) {
    return false;
  }
  size_t before = ctx.error_count();
  MapReader r(ctx, *m, path);
  BindConfig(r, out);  // found by argument-dependent lookup in T's namespace
  r.ReportUnknownKeys();
  return ctx.error_count() == before;
}
}  // namespace internal

// ---- loading ---------------------------------------------------------------------------------

struct LoadOptions {
  ParseLimits limits;
  size_t max_errors_kept = 100;
  size_t work_budget = 2'000'000;  // decoded values, counting each use of an alias
};

// What went wrong, for callers that print diagnostics one by one (the CLI).
struct LoadReport {
  std::vector<Diagnostic> errors;  // the first LoadOptions::max_errors_kept
  size_t total_errors = 0;
};

namespace internal {
// Reads and parses; returns nullptr root with diagnostics on failure.
std::shared_ptr<const Node> ParseFile(const std::string& path, const LoadOptions& options,
                                      Diagnostics* diags);
// Reports a non-mapping top level. True if the root can be bound.
bool CheckTopLevel(Context& ctx, const Node& root);
std::string BaseDirOf(const std::string& path);
Status Conclude(const Diagnostics& diags, LoadReport* report);

template <typename T>
Result<std::shared_ptr<const T>> Bind(std::shared_ptr<const Node> root, Diagnostics& diags,
                                      std::string base_dir, const LoadOptions& options,
                                      LoadReport* report) {
  auto config = std::make_shared<T>();
  if (root != nullptr) {
    Context ctx(&diags, std::move(base_dir), options.work_budget);
    if (CheckTopLevel(ctx, *root)) Decoder<T>::Decode(ctx, *root, "", config.get());
  }
  GS_RETURN_IF_ERROR(Conclude(diags, report));
  return std::shared_ptr<const T>(std::move(config));
}
}  // namespace internal

// Parses YAML text named `file_name` (used in diagnostics) into a T. Relative paths in it are
// resolved against `base_dir` (left relative when empty). On any error returns
// INVALID_ARGUMENT listing every diagnostic (and fills *report when given).
template <typename T>
Result<std::shared_ptr<const T>> ParseConfig(std::string_view text, const std::string& file_name,
                                             const LoadOptions& options = {},
                                             LoadReport* report = nullptr,
                                             std::string base_dir = {}) {
  Diagnostics diags(file_name, options.max_errors_kept);
  auto root = ParseYaml(text, options.limits, &diags);
  return internal::Bind<T>(std::move(root), diags, std::move(base_dir), options, report);
}

// Reads the file at `path` (refusing files over options.limits.max_bytes before reading them)
// and parses it as ParseConfig does, resolving relative paths against the file's directory.
// An unreadable file is reported like any other diagnostic (without a position).
template <typename T>
Result<std::shared_ptr<const T>> LoadConfig(const std::string& path,
                                            const LoadOptions& options = {},
                                            LoadReport* report = nullptr) {
  Diagnostics diags(path, options.max_errors_kept);
  auto root = internal::ParseFile(path, options, &diags);
  return internal::Bind<T>(std::move(root), diags, internal::BaseDirOf(path), options, report);
}

}  // namespace gs::config
