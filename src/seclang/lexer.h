// SecLang lexing: configuration text -> logical lines -> whitespace-separated arguments.
//
// Rules (Apache configuration syntax as used by ModSecurity v2 and v3):
//  - A physical line ending in a backslash (optionally followed by "\r") continues on the next
//    line; the backslash and the line break are removed, the next line's text is kept as is.
//  - A line whose first non-blank character is '#' is a comment. It ends at its own line
//    break, even when it ends in a backslash (as ModSecurity v3 does).
//  - Arguments are separated by blanks. An argument that starts with '"' or '\'' runs to the
//    matching unescaped quote; inside it only "\<quote>" is unescaped, every other backslash is
//    kept (regexes need them).
// The lexer never fails on any byte sequence; an unterminated quote is reported as an error
// with its position. Thread-compatible; no state beyond the objects it returns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs::seclang {

// One logical line with a map from its byte offsets back to physical (line, column).
class LogicalLine {
 public:
  const std::string& text() const { return text_; }
  // 1-based physical line and column of byte `offset` of text() (offset may equal size()).
  void Position(size_t offset, uint32_t* line, uint32_t* column) const;
  uint32_t first_line() const { return segments_.empty() ? 0 : segments_.front().line; }

 private:
  friend std::vector<LogicalLine> SplitLogicalLines(std::string_view input);
  struct Segment {
    size_t offset;    // where this physical piece starts in text_
    uint32_t line;    // physical line number
    uint32_t column;  // physical column of its first byte
  };
  std::string text_;
  std::vector<Segment> segments_;
};

// Splits `input` into non-empty, non-comment logical lines (leading/trailing blanks kept).
std::vector<LogicalLine> SplitLogicalLines(std::string_view input);

struct Token {
  std::string value;  // unquoted, "\<quote>" unescaped
  size_t offset = 0;  // of the first byte (the quote, if quoted) in the logical line
  bool quoted = false;
};

struct TokenizeResult {
  std::vector<Token> tokens;
  bool ok = true;
  size_t error_offset = 0;  // position of the unterminated opening quote
};

// Splits a logical line into arguments.
TokenizeResult Tokenize(const std::string& line);

}  // namespace gs::seclang
