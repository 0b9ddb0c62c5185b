// Implementation of lexer.h: one pass over the bytes, no backtracking, no recursion.
#include "seclang/lexer.h"

#include <algorithm>

namespace gs::seclang {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

void LogicalLine::Position(size_t offset, uint32_t* line, uint32_t* column) const {
  if (segments_.empty()) {
    *line = 0;
    *column = 0;
    return;
  }
  // Last segment whose offset <= `offset`.
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](size_t off, const Segment& s) { return off < s.offset; });
  if (it != segments_.begin()) --it;
  *line = it->line;
  *column = it->column + static_cast<uint32_t>(offset - it->offset);
}

std::vector<LogicalLine> SplitLogicalLines(std::string_view input) {
  std::vector<LogicalLine> out;
  LogicalLine current;
  bool in_continuation = false;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos < input.size()) {
    ++line_no;
    size_t end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    std::string_view phys = input.substr(pos, end - pos);
    pos = end + 1;

    if (!in_continuation) {
      size_t first = 0;
      while (first < phys.size() && IsBlank(phys[first])) ++first;
      if (first == phys.size()) continue;  // blank line
      if (phys[first] == '#') continue;    // comment: ends at its own line break
    }
    // Continuation: a trailing backslash (before an optional '\r').
    std::string_view body = phys;
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    bool continues = !body.empty() && body.back() == '\\';
    if (continues) body.remove_suffix(1);
    if (!continues) body = phys;  // keep a lone trailing '\r' out below
    if (!continues && !body.empty() && body.back() == '\r') body.remove_suffix(1);

    current.segments_.push_back({current.text_.size(), line_no, 1});
    current.text_.append(body);
    if (continues && pos < input.size()) {
      in_continuation = true;
      continue;
    }
    in_continuation = false;
    // Drop logical lines that are only blanks (e.g. "\" alone).
    bool blank = std::all_of(current.text_.begin(), current.text_.end(), IsBlank);
    if (!blank) out.push_back(std::move(current));
    current = LogicalLine();
  }
  if (in_continuation) {
    bool blank = std::all_of(current.text_.begin(), current.text_.end(), IsBlank);
    if (!blank) out.push_back(std::move(current));
  }
  return out;
}

TokenizeResult Tokenize(const std::string& line) {
  TokenizeResult r;
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsBlank(line[i])) ++i;
    if (i >= n) break;
    Token t;
    t.offset = i;
    char c = line[i];
    if (c == '"' || c == '\'') {
      const char quote = c;
      t.quoted = true;
      ++i;
      bool closed = false;
      while (i < n) {
        if (line[i] == '\\' && i + 1 < n && line[i + 1] == quote) {
          t.value.push_back(quote);
          i += 2;
          continue;
        }
        if (line[i] == quote) {
          closed = true;
          ++i;
          break;
        }
        t.value.push_back(line[i]);
        ++i;
      }
      if (!closed) {
        r.ok = false;
        r.error_offset = t.offset;
        r.tokens.push_back(std::move(t));
        return r;
      }
    } else {
      size_t start = i;
      while (i < n && !IsBlank(line[i])) ++i;
      t.value.assign(line, start, i - start);
    }
    r.tokens.push_back(std::move(t));
  }
  return r;
}

}  // namespace gs::seclang
