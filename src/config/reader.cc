// Scalar decoders, unknown-key reporting with "did you mean" hints, and file loading for the
// binding API (see reader.h).
#include "config/reader.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <system_error>

#include "platform/file.h"

namespace gs::config {
namespace {

std::string Where(const std::string& path) { return path.empty() ? "top level" : path; }

// Edit distance counting a swap of neighbours as one edit (optimal string alignment), since
// "mdoe" for "mode" is the commonest typo. For near-miss hints on short names only.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string Normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == ' ') c = '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The candidate closest to `word`, if it is close enough to be a likely typo.
std::optional<std::string> NearMiss(std::string_view word, const std::vector<std::string>& cands) {
  if (word.size() > 64) return std::nullopt;
  std::optional<std::string> best;
  size_t best_d = std::string::npos;
  for (const std::string& c : cands) {
    size_t d = Normalize(word) == Normalize(c) ? 0 : EditDistance(word, c);
    size_t allowed = std::max<size_t>(1, std::min<size_t>(3, c.size() / 3));
    if (d <= allowed && d < best_d) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

bool ExpectPlainScalar(Context& ctx, const Node& n, const std::string& path,
                       std::string_view what) {
  if (n.is_scalar() && !n.quoted) return true;
  std::string hint;
  if (n.is_scalar()) hint = "remove the quotes";
  ctx.Error(n.mark, Where(path) + ": expected " + std::string(what) + ", got " + n.Describe(),
            hint);
  return false;
}

bool ExpectScalar(Context& ctx, const Node& n, const std::string& path, std::string_view what) {
  if (n.is_scalar()) return true;
  ctx.Error(n.mark, Where(path) + ": expected " + std::string(what) + ", got " + n.Describe());
  return false;
}

}  // namespace

bool Context::Spend(Mark mark) {
  if (budget_ > 0) {
    --budget_;
    return true;
  }
  if (!exhausted_) {
    exhausted_ = true;
    Error(mark, "the config expands to too many values; stopped checking here",
          "aliases (*name) repeat their anchor's values; use less repetition");
  }
  return false;
}

std::string JoinKey(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string s(parent);
  s += '.';
  s += key;
  return s;
}

std::string FormatValue(bool v) { return v ? "true" : "false"; }
std::string FormatValue(const std::string& v) { return "'" + v + "'"; }
std::string FormatValue(const std::filesystem::path& v) { return v.string(); }
std::string FormatValue(ByteSize v) { return FormatByteSize(v); }

std::optional<Problem> IpAddressRule::Check(const std::string& v) const {
  unsigned char buf[16];
  if (inet_pton(AF_INET, v.c_str(), buf) == 1 || inet_pton(AF_INET6, v.c_str(), buf) == 1) {
    return std::nullopt;
  }
  return Problem{"'" + v + "' is not an IP address",
                 "write an address such as 127.0.0.1, 0.0.0.0 or ::1; host names are not "
                 "accepted"};
}

namespace internal {

bool ExpectKind(Context& ctx, const Node& n, const std::string& path, Node::Kind kind,
                std::string_view what, std::string_view hint) {
  if (n.kind == kind) return true;
  ctx.Error(n.mark, Where(path) + ": expected " + std::string(what) + ", got " + n.Describe(),
            std::string(hint));
  return false;
}

bool DecodeBool(Context& ctx, const Node& n, const std::string& path, bool* out) {
  if (!ExpectPlainScalar(ctx, n, path, "true or false")) return false;
  const std::string& s = n.scalar;
  if (s == "true" || s == "True" || s == "TRUE") {
    *out = true;
    return true;
  }
  if (s == "false" || s == "False" || s == "FALSE") {
    *out = false;
    return true;
  }
  std::string lower = Normalize(s);
  std::string hint = "write true or false";
  if (lower == "yes" || lower == "no" || lower == "on" || lower == "off" || lower == "y" ||
      lower == "n") {
    hint = "YAML 1.1 spellings such as yes/no/on/off are ambiguous; write true or false";
  }
  ctx.Error(n.mark, Where(path) + ": expected true or false, got " + n.Describe(), hint);
  return false;
}

namespace {
// Parses an optionally signed decimal integer; distinguishes "not a number" from "too big".
enum class IntParse { kOk, kNotInteger, kOverflow };
IntParse ParseInteger(std::string_view s, int64_t* out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return IntParse::kNotInteger;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (end != s.data() + s.size()) return IntParse::kNotInteger;
  if (ec == std::errc::result_out_of_range) return IntParse::kOverflow;
  if (ec != std::errc()) return IntParse::kNotInteger;
  return IntParse::kOk;
}
std::string IntegerHint(std::string_view s) {
  if (s.find_first_of(".eE") != std::string_view::npos) return "write a whole number";
  if (s.find('_') != std::string_view::npos || s.find(',') != std::string_view::npos) {
    return "write the digits without separators";
  }
  return {};
}
}  // namespace

bool DecodeInt(Context& ctx, const Node& n, const std::string& path, int64_t min, int64_t max,
               int64_t* out) {
  if (!ExpectPlainScalar(ctx, n, path, "an integer")) return false;
  int64_t v = 0;
  std::string range = "allowed: " + std::to_string(min) + " to " + std::to_string(max);
  switch (ParseInteger(n.scalar, &v)) {
    case IntParse::kNotInteger:
      ctx.Error(n.mark, Where(path) + ": expected an integer, got " + n.Describe(),
                IntegerHint(n.scalar));
      return false;
    case IntParse::kOverflow:
      ctx.Error(n.mark, Where(path) + ": " + n.Describe() + " is out of range", range);
      return false;
    case IntParse::kOk:
      break;
  }
  if (v < min || v > max) {
    ctx.Error(n.mark, Where(path) + ": " + std::to_string(v) + " is out of range", range);
    return false;
  }
  *out = v;
  return true;
}

bool DecodeUint(Context& ctx, const Node& n, const std::string& path, uint64_t max, uint64_t* out) {
  if (!ExpectPlainScalar(ctx, n, path, "a non-negative integer")) return false;
  std::string_view s = n.scalar;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::string range = "allowed: 0 to " + std::to_string(max);
  if (!s.empty() && s.front() == '-') {
    ctx.Error(n.mark, Where(path) + ": " + n.Describe() + " is negative", range);
    return false;
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || end != s.data() + s.size() ||
      (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    ctx.Error(n.mark, Where(path) + ": expected a non-negative integer, got " + n.Describe(),
              IntegerHint(s));
    return false;
  }
  if (ec == std::errc::result_out_of_range || v > max) {
    ctx.Error(n.mark, Where(path) + ": " + n.Describe() + " is out of range", range);
    return false;
  }
  *out = v;
  return true;
}

bool DecodeDouble(Context& ctx, const Node& n, const std::string& path, double* out) {
  if (!ExpectPlainScalar(ctx, n, path, "a number")) return false;
  std::string_view s = n.scalar;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  // from_chars also accepts "inf" and "nan", which no setting means.
  if (s.empty() || end != s.data() + s.size() || ec != std::errc() || v != v ||
      v == std::numeric_limits<double>::infinity() ||
      v == -std::numeric_limits<double>::infinity()) {
    ctx.Error(n.mark, Where(path) + ": expected a number, got " + n.Describe());
    return false;
  }
  *out = v;
  return true;
}

bool DecodeString(Context& ctx, const Node& n, const std::string& path, std::string* out) {
  if (n.is_null()) {
    ctx.Error(n.mark, Where(path) + ": expected a string, got nothing (null)",
              "write a value; \"\" is the empty string");
    return false;
  }
  if (!ExpectScalar(ctx, n, path, "a string")) return false;
  *out = n.scalar;
  return true;
}

bool DecodePath(Context& ctx, const Node& n, const std::string& path, std::filesystem::path* out) {
  std::string s;
  if (!DecodeString(ctx, n, path, &s)) return false;
  if (s.empty()) {
    ctx.Error(n.mark, Where(path) + ": the path is empty");
    return false;
  }
  if (s.find('\0') != std::string::npos) {
    ctx.Error(n.mark, Where(path) + ": the path contains a NUL byte");
    return false;
  }
  if (s.front() == '~') {
    ctx.Error(n.mark, Where(path) + ": '~' is not expanded in config files",
              "write the absolute path, or a path relative to the config file");
    return false;
  }
  std::filesystem::path p(s);
  if (p.is_relative() && !ctx.base_dir().empty()) p = std::filesystem::path(ctx.base_dir()) / p;
  *out = p.lexically_normal();
  return true;
}

bool DecodeByteSize(Context& ctx, const Node& n, const std::string& path, ByteSize* out) {
  if (!ExpectScalar(ctx, n, path, "a size such as 64MiB")) return false;
  Result<ByteSize> r = ParseByteSize(n.scalar);
  if (!r.ok()) {
    // The parser's message already names the accepted forms.
    ctx.Error(n.mark, Where(path) + ": " + std::string(r.status().message()));
    return false;
  }
  *out = *r;
  return true;
}

bool DecodeDurationNanos(Context& ctx, const Node& n, const std::string& path, int64_t* out) {
  if (!ExpectScalar(ctx, n, path, "a duration such as 100ms")) return false;
  Result<int64_t> r = ParseConfigDuration(n.scalar);
  if (!r.ok()) {
    ctx.Error(n.mark, Where(path) + ": " + std::string(r.status().message()));
    return false;
  }
  *out = *r;
  return true;
}

bool DecodeName(Context& ctx, const Node& n, const std::string& path,
                const std::vector<std::string_view>& names, size_t* index) {
  std::vector<std::string> all(names.begin(), names.end());
  if (!n.is_scalar()) {
    ctx.Error(n.mark, Where(path) + ": expected one of " + JoinList(all) + ", got " + n.Describe());
    return false;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == n.scalar) {
      *index = i;
      return true;
    }
  }
  std::string hint = "allowed: " + JoinList(all);
  if (auto near = NearMiss(n.scalar, all)) hint = "did you mean '" + *near + "'? " + hint;
  ctx.Error(n.mark, Where(path) + ": " + n.Describe() + " is not a valid value", hint);
  return false;
}

std::shared_ptr<const Node> ParseFile(const std::string& path, const LoadOptions& options,
                                      Diagnostics* diags) {
  Result<uint64_t> size = platform::FileSize(path);
  if (size.ok() && *size > options.limits.max_bytes) {
    diags->Add(Mark{}, "file is " + std::to_string(*size) + " bytes, over the " +
                           FormatByteSize(ByteSize{options.limits.max_bytes}) +
                           " limit for config files");
    return nullptr;
  }
  Result<std::string> text = platform::ReadFile(path);
  if (!text.ok()) {
    diags->Add(Mark{}, "cannot read the config file: " + std::string(text.status().message()));
    return nullptr;
  }
  return ParseYaml(*text, options.limits, diags);
}

bool CheckTopLevel(Context& ctx, const Node& root) {
  if (root.is_mapping()) return true;
  // A null document ("---" alone) is positioned at its end by yaml-cpp; its start is clearer.
  ctx.Error(root.is_null() ? Mark{1, 1} : root.mark,
            "the top level must be a mapping of 'key: value' lines, got " + root.Describe());
  return false;
}

std::string BaseDirOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(dir, ec);
  return (ec ? dir : abs).lexically_normal().string();
}

Status Conclude(const Diagnostics& diags, LoadReport* report) {
  if (report != nullptr) {
    report->errors = diags.Sorted();
    report->total_errors = diags.total();
  }
  return diags.ToStatus();
}

}  // namespace internal

Mark MapReader::MarkOf(std::string_view key) const {
  const Node::Entry* e = node_.Find(key);
  return e != nullptr ? e->value->mark : node_.mark;
}

void MapReader::Error(std::string_view key, std::string message, std::string hint) {
  ctx_.Error(MarkOf(key), JoinKey(path_, key) + ": " + message, std::move(hint));
}

Mark MapReader::MissingMark() const { return node_.mark; }

std::string MapReader::MissingHint(std::string_view key) const {
  if (path_.empty()) return "add '" + std::string(key) + ":' at the top level";
  return "add '" + std::string(key) + ":' under '" + path_ + ":'";
}

void MapReader::ReportUnknownKeys() {
  for (const Node::Entry& e : node_.entries) {
    if (std::find(known_.begin(), known_.end(), e.key) != known_.end()) continue;
    if (std::any_of(known_prefixes_.begin(), known_prefixes_.end(),
                    [&](const std::string& p) { return e.key.rfind(p, 0) == 0; })) {
      continue;
    }
    std::string message = "unknown key '" + e.key + "'";
    if (!path_.empty()) message += " in '" + path_ + "'";
    std::string hint;
    if (unknown_hint_) hint = unknown_hint_(e.key);
    if (hint.empty()) {
      if (auto near = NearMiss(e.key, known_)) {
        hint = "did you mean '" + *near + "'?";
      } else if (known_.empty()) {
        hint = "this mapping takes no keys";
      } else {
        hint = "valid keys here: " + JoinList(known_);
      }
    }
    ctx_.Error(e.key_mark, std::move(message), std::move(hint));
  }
}

}  // namespace gs::config
