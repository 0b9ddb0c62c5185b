// multipart/form-data with ModSecurity v3 semantics (request_body_processor/multipart.cc):
// the same Content-Type boundary checks, the same line-at-a-time state machine over a
// 4096-byte line buffer (so long lines, CRLF/LF and data outside boundaries raise the same
// flags), and the same quirks where CRS verdicts depend on them: part-header errors are recorded
// but do not stop parsing, text values lose their line terminators, a trailing line without a
// newline is only recognised if it is the final boundary.
//
// Whole-buffer: positions in the body give file contents and single-line values without copies.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ruleengine/body/body.h"
#include "ruleengine/body/internal.h"

namespace gs::body {
namespace {

constexpr size_t kBufSize = 4096;  // MULTIPART_BUF_SIZE: longest line the parser sees at once

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Up to the first NUL, as the C code's strlen/strncmp see it.
std::string_view CStr(std::string_view s) { return s.substr(0, s.find('\0')); }

// Strips trailing CR/LF unless the string is nothing but CR/LF (utils::string::chomp).
std::string_view Chomp(std::string_view s) {
  size_t pos = s.find_last_not_of("\r\n");
  if (pos == std::string_view::npos) return s;
  return s.substr(0, pos + 1);
}

// How many "boundary" words in s are followed (anywhere later) by '=' (case-insensitive).
int CountBoundaryParams(std::string_view s) {
  std::string lower = ToLower(CStr(s));
  int count = 0;
  size_t pos = 0;
  while ((pos = lower.find("boundary", pos)) != std::string::npos) {
    pos += 8;
    if (lower.find('=', pos) != std::string::npos) ++count;
  }
  return count;
}

bool BoundaryCharactersValid(std::string_view b) {
  for (size_t i = 0; i < b.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(b[i]);
    if (std::isalnum(c)) continue;
    if (c == ' ' && i + 1 < b.size()) continue;  // space allowed, not last
    if (std::strchr("'()+_,-./:=?", c) != nullptr && c != 0) continue;
    return false;
  }
  return true;
}

bool IsTokenChar(unsigned char c) {
  if (c <= 32 || c >= 127) return false;
  return std::strchr("()<>@,;:\\\"/[]?=", c) == nullptr;
}

struct Header {
  std::string_view name;
  std::string_view value;  // into the body, or the arena once folded
};

struct Part {
  std::vector<Header> headers;
  std::string_view last_header;
  std::string_view name;
  std::string_view filename;
  bool is_file = false;
  bool in_data = false;  // m_mpp_state == 1
  // Text value: pieces of lines with their terminators removed.
  std::string_view first_piece;
  std::string value;
  size_t pieces = 0;
  // File: contiguous bytes in the body.
  size_t data_start = 0;
  uint64_t size = 0;
  size_t reserve = 0;  // terminator of the previous data line, counted only if more data follows
  bool counted = false;
};

class MultipartParser {
 public:
  MultipartParser(std::string_view ct, std::string_view body, const Limits& limits,
                  BodyResult* result)
      : ct_(ct), body_(body), limits_(limits), r_(result) {}

  void Run() {
    if (Init()) Process();
    Complete();
  }

 private:
  void Fail(std::string msg) {
    flag_error_ = true;
    error_ = std::move(msg);
  }

  bool Init() {
    if (ct_.empty()) {
      Fail("Multipart: Content-Type header not available.");
      return false;
    }
    if (ct_.size() > 1024) {
      Fail("Multipart: Invalid boundary in C-T (length).");
      return false;
    }
    if (ct_.size() < 19 || !IEquals(ct_.substr(0, 19), "multipart/form-data")) {
      Fail("Multipart: Invalid MIME type.");
      return false;
    }
    std::string_view ct = CStr(ct_);
    if (CountBoundaryParams(ct) > 1) {
      Fail("Multipart: Multiple boundary parameters in C-T.");
      return false;
    }
    size_t bpos = ct.find("boundary");
    if (bpos == std::string_view::npos) {
      if (CountBoundaryParams(ct) > 0) {
        Fail("Multipart: Invalid boundary in C-T (case sensitivity).");
      } else {
        Fail("Multipart: Boundary not found in C-T.");
      }
      return false;
    }
    bool seen_semicolon = false;
    for (size_t i = 19; i < bpos; ++i) {
      if (IsSpace(ct[i])) continue;
      if (!seen_semicolon && ct[i] == ';') {
        seen_semicolon = true;
      } else {
        Fail("Multipart: Invalid boundary in C-T (malformed).");
        return false;
      }
    }
    if (!seen_semicolon) r_->Set(Flag::kMultipartMissingSemicolon);
    size_t eq = ct.find('=', bpos + 8);
    if (eq == std::string_view::npos) {
      Fail("Multipart: Invalid boundary in C-T (malformed).");
      return false;
    }
    for (size_t i = bpos + 8; i < eq; ++i) {
      if (IsSpace(ct[i])) {
        r_->Set(Flag::kMultipartBoundaryWhitespace);
      } else {
        Fail("Multipart: Invalid boundary in C-T (parameter name).");
        return false;
      }
    }
    std::string_view b = ct.substr(eq + 1);
    if (!b.empty() && IsSpace(b[0])) r_->Set(Flag::kMultipartBoundaryWhitespace);
    if (b.size() >= 2 && b.front() == '"' && b.back() == '"') {
      boundary_ = b.substr(1, b.size() - 2);
      r_->Set(Flag::kMultipartBoundaryQuoted);
      if (boundary_.empty()) {
        // ModSecurity returns -1 (truthy) here and goes on with an empty boundary; an empty
        // boundary would match every "--" line, so we report it instead.
        Fail("Multipart: Invalid boundary in C-T (empty).");
        return false;
      }
    } else {
      if ((!b.empty() && b.front() == '"') || (b.size() >= 2 && b.back() == '"')) {
        Fail("Multipart: Invalid boundary in C-T (quote).");
        return false;
      }
      boundary_ = b;
      if (boundary_.empty()) return false;  // ModSecurity: no message, no flag
    }
    if (CountBoundaryParams(boundary_) != 0) {
      Fail("Multipart: Invalid boundary in C-T (content).");
      return false;
    }
    if (!BoundaryCharactersValid(boundary_)) {
      Fail("Multipart: Invalid boundary in C-T (characters).");
      return false;
    }
    dash_boundary_.assign("--").append(boundary_);
    return true;
  }

  void Process() {
    if (body_.empty()) return;
    seen_data_ = true;
    size_t pos = 0;
    bool contains_line = true;
    while (pos < body_.size()) {
      size_t limit = std::min(body_.size(), pos + kBufSize);
      size_t nl = body_.find('\n', pos);
      size_t end;
      bool full = false;
      if (nl != std::string_view::npos && nl < limit) {
        end = nl + 1;
      } else if (pos + kBufSize <= body_.size()) {
        full = true;
        // A '\r' is never taken as the last byte of the buffer.
        end = body_[pos + kBufSize - 1] == '\r' ? pos + kBufSize - 1 : pos + kBufSize;
      } else {
        // Incomplete last line: stays in the buffer (see Complete()).
        leftover_ = body_.substr(pos);
        leftover_is_line_ = contains_line;
        return;
      }
      std::string_view chunk = body_.substr(pos, end - pos);
      if (!ProcessChunk(chunk, pos, contains_line, full)) return;
      pos = end;
      contains_line = chunk.back() == '\n';
      if (complete_ && pos < body_.size()) {
        r_->Set(Flag::kMultipartDataAfter);
        return;
      }
    }
  }

  // Returns false when parsing must stop (an error ModSecurity treats as fatal).
  bool ProcessChunk(std::string_view chunk, size_t offset, bool is_line, bool full) {
    bool processed_as_boundary = false;
    std::string_view cstr = CStr(chunk);
    if (is_line && cstr.size() > 3 && cstr[0] == '-' && cstr[1] == '-') {
      if (cstr.size() >= boundary_.size() + 2 && cstr.substr(2, boundary_.size()) == boundary_) {
        std::string_view rest = cstr.substr(2 + boundary_.size());
        bool is_final = false;
        if (rest.size() >= 2 && rest[0] == '-' && rest[1] == '-') {
          is_final = true;
          rest.remove_prefix(2);
          if (complete_) {
            Fail("Multipart: Invalid boundary (final duplicate).");
            return false;
          }
        }
        if (rest == "\r\n" || rest == "\n") {
          if (rest == "\n") {
            lf_line_ = true;
          } else {
            crlf_line_ = true;
          }
          ProcessBoundary(is_final);
          if (is_final) complete_ = true;
          processed_as_boundary = true;
          ++boundary_count_;
        } else {
          Fail("Multipart: Invalid boundary: " + std::string(cstr));
          return false;
        }
      } else {
        if (r_->Has(Flag::kMultipartBoundaryQuoted) && cstr.size() >= boundary_.size() + 3 &&
            cstr[2] == '"' && cstr.substr(3, boundary_.size()) == boundary_) {
          Fail("Multipart: Invalid boundary (quotes).");
          return false;
        }
        size_t p = 2;
        while (p < cstr.size() && IsSpace(cstr[p])) ++p;
        if (p != 2 && cstr.substr(p, boundary_.size()) == boundary_) {
          Fail("Multipart: Invalid boundary (whitespace).");
          return false;
        }
        r_->Set(Flag::kMultipartUnmatchedBoundary);
      }
    } else if (is_line) {
      if (cstr.find(dash_boundary_) != std::string_view::npos) {
        r_->Set(Flag::kMultipartUnmatchedBoundary);
      }
    }
    if (!processed_as_boundary) {
      if (!current_) {
        r_->Set(Flag::kMultipartDataBefore);
      } else if (!current_->in_data) {
        if (full) {
          Fail("Multipart: Part header line over 4096 bytes long");
          return false;
        }
        ProcessHeader(chunk);
      } else {
        ProcessData(chunk, offset);
      }
    }
    return true;
  }

  const Header* FindHeader(const Part& p, std::string_view name) {
    for (const Header& h : p.headers) {
      if (IEquals(h.name, name)) return &h;
    }
    return nullptr;
  }

  void ProcessHeader(std::string_view line) {
    Part& p = *current_;
    if (line.find('\0') != std::string_view::npos) {
      error_ = "Multipart: Nul byte in part headers.";
      return;
    }
    if (line.size() > 1 && line[line.size() - 2] == '\r') {
      crlf_line_ = true;
    } else {
      lf_line_ = true;
    }
    if (line == "\r\n" || line == "\n") {
      const Header* cd = FindHeader(p, "Content-Disposition");
      if (cd == nullptr) {
        error_ = "Multipart: Part missing Content-Disposition header.";
        return;
      }
      int rc = ParseContentDisposition(cd->value);
      if (rc < 0) {
        error_ = "Multipart: Invalid Content-Disposition header (" + std::to_string(rc) +
                 "): " + std::string(cd->value);
        return;
      }
      if (p.name.empty()) {
        error_ = "Multipart: Content-Disposition header missing name field.";
        return;
      }
      if (!p.filename.empty()) {
        // Crude parsers look for "filename=" literally; refuse what they would not see.
        if (cd->value.find("filename=") == std::string_view::npos) {
          error_ = "Multipart: Invalid Content-Disposition header (filename).";
          return;
        }
        p.is_file = true;
      }
      p.in_data = true;
      p.last_header = {};
      return;
    }
    if (IsSpace(line[0])) {
      r_->Set(Flag::kMultipartHeaderFolding);
      if (p.last_header.empty()) {
        error_ = "Multipart: Invalid part header (folding error).";
        return;
      }
      size_t i = 0;
      while (i < line.size() && IsSpace(line[i])) {
        if (line[i] != '\t' && line[i] != ' ') r_->Set(Flag::kMultipartInvalidHeaderFolding);
        ++i;
      }
      std::string_view more = Chomp(line.substr(i));
      for (Header& h : p.headers) {
        if (IEquals(h.name, p.last_header)) {
          std::string joined;
          joined.reserve(h.value.size() + 1 + more.size());
          joined.append(h.value).append(" ").append(more);
          h.value = r_->arena.Copy(joined);
          if (joined.size() > kBufSize) error_ = "Multipart: Part header too long.";
          break;
        }
      }
      return;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      error_ = "Multipart: Invalid part header (colon missing): " + std::string(line);
      return;
    }
    if (colon == 0) {
      error_ = "Multipart: Invalid part header (header name missing).";
      return;
    }
    std::string_view name = line.substr(0, colon);
    size_t v = colon + 1;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
    std::string_view value = Chomp(line.substr(v));
    if (FindHeader(p, name) != nullptr) return;  // duplicate: ignored, no message (as v3)
    p.headers.push_back(Header{name, value});
    p.last_header = name;
  }

  // ModSecurity's parse_content_disposition: negative return codes name the failure.
  int ParseContentDisposition(std::string_view v) {
    Part& part = *current_;
    v = CStr(v);
    if (v.substr(0, 9) != "form-data") return -1;
    size_t p = 9;
    auto at = [&](size_t i) -> char { return i < v.size() ? v[i] : '\0'; };
    while (at(p) == '\t' || at(p) == ' ') ++p;
    if (at(p) == '\0') return 1;
    if (at(p) != ';') return -2;
    ++p;
    while (at(p) != '\0') {
      while (at(p) == '\t' || at(p) == ' ') ++p;
      if (at(p) == '\0') return -3;
      size_t start = p;
      while (at(p) != '\0' && at(p) != '=' && at(p) != '\t' && at(p) != ' ') ++p;
      if (at(p) == '\0') return -4;
      std::string_view name = v.substr(start, p - start);
      while (at(p) == '\t' || at(p) == ' ') ++p;
      if (at(p) == '\0') return -5;
      if (at(p) != '=') return -13;
      ++p;
      while (at(p) == '\t' || at(p) == ' ') ++p;
      if (at(p) == '\0') return -6;
      std::string_view value;
      char quote = 0;
      if (at(p) == '"' || at(p) == '\'') {
        quote = at(p);
        if (quote == '\'') r_->Set(Flag::kMultipartInvalidQuoting);
        ++p;
        if (at(p) == '\0') return -7;
        std::string buf;
        while (at(p) != '\0') {
          if (at(p) == '\\') {
            if (at(p + 1) == '\0') return -8;
            if (at(p + 1) == quote || at(p + 1) == '\\') ++p;
          } else if (at(p) == quote) {
            break;
          }
          buf.push_back(at(p++));
        }
        ++p;  // over the closing quote (or past the end, like the C code)
        value = r_->arena.Copy(buf);
      } else {
        start = p;
        while (at(p) != '\0' && IsTokenChar(static_cast<unsigned char>(at(p)))) ++p;
        value = v.substr(start, p - start);
      }
      // A single quote inside a double-quoted value is legitimate (ModSecurity v3.0.7, #2352:
      // "Multipart names/filenames may include single quote if double-quote enclosed").
      const bool stray_single_quote = quote != '"' && value.find('\'') != std::string_view::npos;
      if (name == "name") {
        if (stray_single_quote) r_->Set(Flag::kMultipartInvalidQuoting);
        r_->multipart_names.push_back(value);
        if (!part.name.empty()) return -14;
        part.name = value;
      } else if (name == "filename") {
        if (stray_single_quote) r_->Set(Flag::kMultipartInvalidQuoting);
        r_->multipart_filenames.push_back(value);
        if (!part.filename.empty()) return -15;
        part.filename = value;
      } else {
        return -11;
      }
      if (at(p) != '\0') {
        while (at(p) == '\t' || at(p) == ' ') ++p;
        if (at(p) == '\0') return 1;
        if (at(p) != ';') {
          if (p > 0 && (v[p - 1] == '\'' || v[p - 1] == '"')) {
            r_->Set(Flag::kMultipartInvalidQuoting);
          }
          return -12;
        }
        ++p;
      }
    }
    return 1;
  }

  void ProcessData(std::string_view chunk, size_t offset) {
    Part& p = *current_;
    size_t term = 0;
    if (!chunk.empty() && chunk.back() == '\n') {
      term = chunk.size() >= 2 && chunk[chunk.size() - 2] == '\r' ? 2 : 1;
    }
    std::string_view data = chunk.substr(0, chunk.size() - term);
    if (p.is_file) {
      if (p.size == 0 && p.reserve == 0) p.data_start = offset;
      if (limits_.keep_file_content && !p.counted) {
        if (limits_.upload_file_limit != 0 && nfiles_ >= limits_.upload_file_limit) {
          if (!r_->Has(Flag::kMultipartFileLimitExceeded)) {
            error_ = "Multipart: Upload file limit exceeded " +
                     std::to_string(limits_.upload_file_limit) +
                     ". Use SecUploadFileLimit to change the limit.";
            r_->Set(Flag::kMultipartFileLimitExceeded);
          }
        } else {
          ++nfiles_;
        }
        p.counted = true;
      }
      p.size += data.size() + p.reserve;
      p.reserve = term;
    } else {
      // ModSecurity v3 drops the reserved line terminator of text values (d.assign twice).
      if (p.pieces == 0) {
        p.first_piece = data;
      } else {
        if (p.pieces == 1) p.value.assign(p.first_piece);
        p.value.append(data);
      }
      ++p.pieces;
    }
  }

  void ProcessBoundary(bool last) {
    if (current_) {
      if (!current_->name.empty()) {
        parts_.push_back(std::move(*current_));
      } else {
        r_->Set(Flag::kMultipartInvalidPart);
      }
      current_.reset();
    }
    if (!last) current_.emplace();
  }

  void Complete() {
    if (flag_error_) r_->Set(Flag::kMultipartError);
    if (lf_line_) r_->Set(Flag::kMultipartLfLine);
    if (crlf_line_ && lf_line_) r_->Set(Flag::kMultipartCrlfLfLines);
    // Runs after a fatal error too, and may replace its message, as multipart_complete does.
    if (seen_data_ && !complete_) {
      if (boundary_count_ > 0) {
        if (leftover_is_line_ && leftover_.size() == dash_boundary_.size() + 2 &&
            leftover_.substr(0, dash_boundary_.size()) == dash_boundary_ &&
            leftover_.substr(dash_boundary_.size()) == "--") {
          ProcessBoundary(true);
          complete_ = true;
        }
        if (!complete_) error_ = "Multipart: Final boundary missing.";
      } else {
        error_ = "Multipart: No boundaries found in payload.";
      }
    }
    // Computed after the final-boundary check, so a nameless last part closed there counts
    // (ModSecurity sets the variable before that check and misses it).
    static constexpr Flag kStrict[] = {Flag::kMultipartError,
                                       Flag::kMultipartBoundaryQuoted,
                                       Flag::kMultipartBoundaryWhitespace,
                                       Flag::kMultipartDataBefore,
                                       Flag::kMultipartDataAfter,
                                       Flag::kMultipartHeaderFolding,
                                       Flag::kMultipartLfLine,
                                       Flag::kMultipartMissingSemicolon,
                                       Flag::kMultipartInvalidQuoting,
                                       Flag::kMultipartInvalidPart,
                                       Flag::kMultipartInvalidHeaderFolding,
                                       Flag::kMultipartFileLimitExceeded};
    for (Flag f : kStrict) {
      if (r_->Has(f)) r_->Set(Flag::kMultipartStrictError);
    }
    for (Part& p : parts_) {
      for (const Header& h : p.headers) {
        std::string line;
        line.reserve(h.name.size() + 2 + h.value.size());
        line.append(h.name).append(": ").append(h.value);
        r_->part_headers.push_back(KeyValue{p.name, r_->arena.Copy(line)});
      }
      if (p.is_file) {
        FilePart f{p.name, p.filename, p.size, {}};
        if (limits_.keep_file_content && p.size != 0)
          f.content = body_.substr(p.data_start, p.size);
        r_->files.push_back(f);
        r_->files_combined_size += p.size;
      } else {
        std::string_view value = p.pieces <= 1 ? p.first_piece : r_->arena.Copy(p.value);
        AddArg(p.name, value, Origin::kBody, limits_, r_);
      }
    }
    if (!error_.empty()) r_->SetError("Multipart parsing error: " + error_);
  }

  std::string_view ct_;
  std::string_view body_;
  const Limits& limits_;
  BodyResult* r_;
  std::string_view boundary_;
  std::string dash_boundary_;  // "--" + boundary_
  std::string error_;
  bool flag_error_ = false;
  bool seen_data_ = false;
  bool complete_ = false;
  bool lf_line_ = false;
  bool crlf_line_ = false;
  size_t boundary_count_ = 0;
  size_t nfiles_ = 0;
  std::string_view leftover_;
  bool leftover_is_line_ = false;
  std::optional<Part> current_;
  std::vector<Part> parts_;
};

}  // namespace

void ParseMultipart(std::string_view content_type, std::string_view body, const Limits& limits,
                    BodyResult* result) {
  if (body.size() > limits.max_body_size) {
    result->SetError("Request body is larger than the configured limit.");
    return;
  }
  MultipartParser(content_type, body, limits, result).Run();
}

}  // namespace gs::body
