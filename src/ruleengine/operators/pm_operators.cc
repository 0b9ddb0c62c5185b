// @pm and @pmFromFile (alias @pmf): case-insensitive multi-phrase matching through a Vectorscan
// literal database (hs_compile_lit_multi, HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH). The database
// is built once at load and shared read-only; each thread scans with the scratch in its
// MatchContext. Like ModSecurity's Aho-Corasick, the first match reported is the one that ends
// earliest, and its phrase becomes TX.0 under `capture`.
#include <hs/hs.h>

#include <atomic>
#include <cctype>

#include "platform/file.h"
#include "ruleengine/operators/internal.h"

namespace gs::operators::internal {
namespace {

std::atomic<uint64_t> next_db_serial{1};

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
    op->phrases_ = std::move(phrases);
    if (op->phrases_.empty()) return std::unique_ptr<const Operator>(std::move(op));
    std::vector<const char*> exprs;
    std::vector<size_t> lens;
    std::vector<unsigned> flags, ids;
    for (size_t i = 0; i < op->phrases_.size(); ++i) {
      exprs.push_back(op->phrases_[i].data());
      lens.push_back(op->phrases_[i].size());
      flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* err = nullptr;
    hs_error_t rc = hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                                         nullptr, &op->db_, &err);
    if (rc != HS_SUCCESS) {
      std::string msg = err != nullptr && err->message != nullptr ? err->message : "unknown";
      int which = err != nullptr ? err->expression : -1;
      hs_free_compile_error(err);
      std::string where =
          which >= 0 ? " (phrase '" + op->phrases_[static_cast<size_t>(which)] + "')" : "";
      return InvalidArgumentError("Vectorscan cannot compile the phrase list: " + msg + where);
    }
    // Validate that a scratch can be built, so evaluation failures cannot come from here.
    hs_scratch_t* probe = nullptr;
    if (hs_alloc_scratch(op->db_, &probe) != HS_SUCCESS) {
      return ResourceExhaustedError("cannot allocate Vectorscan scratch");
    }
    hs_free_scratch(probe);
    op->serial_ = next_db_serial.fetch_add(1);
    return std::unique_ptr<const Operator>(std::move(op));
  }

  ~PmOperator() override {
    if (db_ != nullptr) hs_free_database(db_);
  }

  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    if (ctx->want_captures) ctx->ClearCaptures();
    if (db_ == nullptr) return false;
    hs_scratch_t* scratch = ctx->ScratchFor(db_, serial_);
    if (scratch == nullptr) return false;
    struct Hit {
      bool found = false;
      unsigned id = 0;
    } hit;
    auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned,
                       void* user) -> int {
      auto* h = static_cast<Hit*>(user);
      h->found = true;
      h->id = id;
      return 1;  // stop at the first (earliest-ending) match
    };
    // hs_scan takes an unsigned length; scan huge inputs in one call only when they fit.
    if (input.size() > 0xFFFFFFFFu) input = input.substr(0, 0xFFFFFFFFu);
    hs_scan(db_, input.data(), static_cast<unsigned>(input.size()), 0, scratch, on_match, &hit);
    if (hit.found && ctx->want_captures) {
      ctx->captures.push_back({true, phrases_[hit.id]});
    }
    return hit.found;
  }

  void Prepare(MatchContext* ctx) const override {
    if (db_ != nullptr) ctx->ScratchFor(db_, serial_);
  }

 private:
  PmOperator(std::string name, std::string_view arg)
      : Operator(std::move(name), std::string(arg)) {}

  std::vector<std::string> phrases_;
  hs_database_t* db_ = nullptr;
  uint64_t serial_ = 0;
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
