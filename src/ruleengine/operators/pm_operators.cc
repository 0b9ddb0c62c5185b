// @pm and @pmFromFile (alias @pmf): ASCII-case-insensitive multi-phrase matching, as
// ModSecurity's @pm (which uses its own Aho-Corasick, acmp). The phrases are compiled once at
// load into the prefilter module's Aho-Corasick automaton (ruleengine/prefilter/automaton.h,
// checked exhaustively against a reference matcher), which is immutable and shared read-only;
// evaluation needs no per-thread state and allocates nothing. The first match reported is the
// one that ends earliest, and its phrase (as written in the rule or file) becomes TX.0 under
// `capture`.
//
// Not Vectorscan: libvectorscan 5.4.9 (Debian 12) on AVX-512 hardware misses literal matches
// near the end of inputs when the database holds several short literals (1,871 of 19,700
// placements of "ab" in {"ab","ac","ad"}), which would make @pm rules miss attacks; see
// docs/adr/0005-no-vectorscan.md.
#include <cctype>
#include <memory>

#include "platform/file.h"
#include "ruleengine/operators/internal.h"
#include "ruleengine/prefilter/automaton.h"

namespace gs::operators::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ModSecurity's @pm argument syntax: optional surrounding double quotes, |hex bytes| sections
// (e.g. "|41 42|" is "AB"), then phrases separated by whitespace.
Result<std::vector<std::string>> ParsePmArgument(std::string_view arg) {
  std::string_view s = arg;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  std::string decoded;
  bool hex = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '|') {
      hex = !hex;
      continue;
    }
    if (!hex) {
      decoded += c;
      continue;
    }
    if (c == ' ') continue;
    int hi = HexValue(c);
    int lo = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
    if (hi < 0 || lo < 0) {
      return InvalidArgumentError("bad hex byte at offset " + std::to_string(i) +
                                  " in |...| section");
    }
    decoded += static_cast<char>(hi * 16 + lo);
    ++i;
  }
  if (hex) return InvalidArgumentError("unterminated |...| hex section");
  std::vector<std::string> phrases;
  size_t i = 0;
  while (i < decoded.size()) {
    while (i < decoded.size() && std::isspace(static_cast<unsigned char>(decoded[i]))) ++i;
    size_t start = i;
    while (i < decoded.size() && !std::isspace(static_cast<unsigned char>(decoded[i]))) ++i;
    if (i > start) phrases.emplace_back(decoded.substr(start, i - start));
  }
  return phrases;
}

class PmOperator final : public Operator {
 public:
  static Result<std::unique_ptr<const Operator>> Create(std::string name, std::string_view arg,
                                                        std::vector<std::string> phrases) {
    auto op = std::unique_ptr<PmOperator>(new PmOperator(std::move(name), arg));
    // The parsers never produce empty phrases; drop any defensively (the automaton needs
    // non-empty literals, and ModSecurity's trie ignores them too).
    std::erase_if(phrases, [](const std::string& p) { return p.empty(); });
    op->phrases_ = std::move(phrases);
    if (op->phrases_.empty()) return std::unique_ptr<const Operator>(std::move(op));
    std::vector<prefilter::Literal> literals;
    literals.reserve(op->phrases_.size());
    for (const auto& p : op->phrases_) literals.push_back({p, /*caseless=*/true});
    op->automaton_ = std::make_unique<const prefilter::internal::LiteralAutomaton>(literals);
    return std::unique_ptr<const Operator>(std::move(op));
  }

  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    if (ctx->want_captures) ctx->ClearCaptures();
    if (automaton_ == nullptr) return false;
    // The automaton reports hits by end position, and at one end position the longest phrase
    // first (the state's own phrases before its dictionary suffixes), so the first hit is the
    // earliest-ending phrase, the longest among ties: what ModSecurity's acmp reports. Among
    // phrases equal up to case the first listed is reported, as acmp keeps the first's text.
    const std::string* hit = nullptr;
    automaton_->Scan(input, [&](uint32_t id) {
      hit = &phrases_[id];
      return false;  // stop at the first hit
    });
    if (hit == nullptr) return false;
    if (ctx->want_captures) ctx->captures.push_back({true, *hit});
    return true;
  }

  const std::vector<std::string>* Phrases() const override { return &phrases_; }

 private:
  PmOperator(std::string name, std::string_view arg)
      : Operator(std::move(name), std::string(arg)) {}

  std::vector<std::string> phrases_;  // as written; ids of automaton_
  std::unique_ptr<const prefilter::internal::LiteralAutomaton> automaton_;  // null: no phrases
};

Result<std::unique_ptr<const Operator>> MakePm(std::string_view arg, const OperatorOptions&) {
  GS_ASSIGN_OR_RETURN(auto phrases, ParsePmArgument(arg));
  return PmOperator::Create("pm", arg, std::move(phrases));
}

// @pmFromFile: the argument is one or more file names separated by spaces, relative to the rules
// file's directory. Each line is one phrase (spaces included); blank lines and lines whose
// first non-blank character is '#' are skipped.
Result<std::unique_ptr<const Operator>> MakePmFromFile(std::string_view arg,
                                                       const OperatorOptions& options) {
  std::vector<std::string> phrases;
  size_t files = 0;
  size_t i = 0;
  while (i < arg.size()) {
    while (i < arg.size() && std::isspace(static_cast<unsigned char>(arg[i]))) ++i;
    size_t start = i;
    while (i < arg.size() && !std::isspace(static_cast<unsigned char>(arg[i]))) ++i;
    if (i == start) break;
    std::string_view file = arg.substr(start, i - start);
    if (file.substr(0, 7) == "http://" || file.substr(0, 8) == "https://") {
      return UnimplementedError("phrase files from URLs are not supported: " + std::string(file));
    }
    std::string path = ResolvePath(file, options);
    GS_ASSIGN_OR_RETURN(std::string content, platform::ReadFile(path));
    ++files;
    size_t pos = 0;
    while (pos < content.size()) {
      size_t nl = content.find('\n', pos);
      std::string_view line(content.data() + pos,
                            (nl == std::string::npos ? content.size() : nl) - pos);
      pos = nl == std::string::npos ? content.size() : nl + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      size_t first = line.find_first_not_of(" \t");
      if (first == std::string_view::npos || line[first] == '#') continue;
      phrases.emplace_back(line);
    }
  }
  if (files == 0) return InvalidArgumentError("needs at least one file name");
  return PmOperator::Create("pmFromFile", arg, std::move(phrases));
}

}  // namespace

void RegisterPmOperators(OperatorRegistry* registry) {
  RegisterWithDynamic(registry, "pm", MakePm);
  RegisterWithDynamic(registry, "pmFromFile", MakePmFromFile);
  RegisterWithDynamic(registry, "pmf", MakePmFromFile);
}

}  // namespace gs::operators::internal
