// PHP normalisation and payload decoders for the webshell scanner. The normaliser is a small
// hand-written lexer, not a PHP parser: it only needs to undo the cheap tricks webshells use
// to break signatures (comments and whitespace noise, case games, split strings, chr()
// building, escape sequences) while staying linear-time on hostile input.
#include "webshell/normalize.h"

#include <zlib.h>

#include <array>
#include <cmath>

namespace gs::webshell::internal {
namespace {

bool IsIdent(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
int HexVal(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class PhpLexer {
 public:
  PhpLexer(std::string_view in, NormalizedPhp* out) : in_(in), out_(out) {}

  void Run(bool start_in_code) {
    bool code = start_in_code;
    while (i_ < in_.size()) {
      if (!code) {
        size_t open = in_.find("<?", i_);
        // PHP 5's <script language="php"> ... </script> opens code too
        size_t script = ScriptTagAt(i_, open);
        if (script != std::string_view::npos) {
          i_ = script;
          code = true;
          script_tag_ = true;
          pending_space_ = true;
          continue;
        }
        if (open == std::string_view::npos) break;
        i_ = open + 2;
        if (in_.substr(i_, 3) == "php" || in_.substr(i_, 3) == "PHP")
          i_ += 3;
        else if (i_ < in_.size() && in_[i_] == '=') {
          ++i_;
          Emit("echo ", open);
        }
        code = true;
        pending_space_ = true;
        continue;
      }
      unsigned char c = in_[i_];
      if (c == '?' && Peek(1) == '>') {
        i_ += 2;
        code = false;
        Emit(";", i_ - 2);
        continue;
      }
      if (script_tag_ && c == '<' && Peek(1) == '/' &&
          (in_.substr(i_, 9) == "</script>" || in_.substr(i_, 9) == "</SCRIPT>")) {
        i_ += 9;
        code = false;
        script_tag_ = false;
        Emit(";", i_ - 9);
        continue;
      }
      if (SkipTrivia()) continue;
      if (c == '<' && Peek(1) == '<' && Peek(2) == '<' && LexHeredoc()) continue;
      if (c == '\'' || c == '"' || (IsChrCall(i_))) {
        LexLiteralChain();
        continue;
      }
      if (IsIdent(c)) {
        size_t start = i_;
        if (pending_space_ && !out_->text.empty() &&
            IsIdent(static_cast<unsigned char>(out_->text.back()))) {
          Emit(" ", start);
        }
        pending_space_ = false;
        while (i_ < in_.size() && IsIdent(static_cast<unsigned char>(in_[i_]))) {
          unsigned char d = in_[i_];
          if (d >= 'A' && d <= 'Z') d = d - 'A' + 'a';
          EmitChar(static_cast<char>(d), i_);
          ++i_;
        }
        continue;
      }
      pending_space_ = false;
      EmitChar(static_cast<char>(c), i_);
      ++i_;
    }
  }

 private:
  // The end of a `<script language="php">` tag starting in [from, before) (npos if none).
  size_t ScriptTagAt(size_t from, size_t before) const {
    size_t limit = before == std::string_view::npos ? in_.size() : before;
    std::string_view span = in_.substr(0, limit);
    for (size_t p = span.find("<script", from); p != std::string_view::npos;
         p = span.find("<script", p + 7)) {
      size_t end = in_.find('>', p);
      if (end == std::string_view::npos || end - p > 100) continue;
      std::string tag(in_.substr(p, end - p));
      for (char& ch : tag)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if (tag.find("language=\"php\"") != std::string::npos ||
          tag.find("language='php'") != std::string::npos ||
          tag.find("language=php") != std::string::npos)
        return end + 1;
    }
    return std::string_view::npos;
  }

  unsigned char Peek(size_t k) const {
    return i_ + k < in_.size() ? static_cast<unsigned char>(in_[i_ + k]) : 0;
  }

  void EmitChar(char c, size_t raw) {
    out_->text.push_back(c);
    out_->raw_offset.push_back(static_cast<uint32_t>(raw));
  }
  void Emit(std::string_view s, size_t raw) {
    for (char c : s) EmitChar(c, raw);
  }

  // Skips whitespace and comments at i_; returns true if anything was skipped. Stops before
  // "?>" (which ends a line comment in PHP).
  bool SkipTrivia() {
    bool skipped = false;
    while (i_ < in_.size()) {
      unsigned char c = in_[i_];
      if (IsSpace(c)) {
        ++i_;
        pending_space_ = true;
        skipped = true;
      } else if (c == '/' && Peek(1) == '*') {
        size_t end = in_.find("*/", i_ + 2);
        i_ = end == std::string_view::npos ? in_.size() : end + 2;
        pending_space_ = true;
        skipped = true;
      } else if ((c == '/' && Peek(1) == '/') || (c == '#' && Peek(1) != '[')) {
        while (i_ < in_.size() && in_[i_] != '\n' && !(in_[i_] == '?' && Peek(1) == '>')) ++i_;
        pending_space_ = true;
        skipped = true;
      } else {
        break;
      }
    }
    return skipped;
  }

  // chr(NUM) with optional spaces; only when not preceded by an identifier character (so
  // `mychr(` is not taken).
  bool IsChrCall(size_t at) const {
    if (at + 4 > in_.size()) return false;
    if (at > 0 && IsIdent(static_cast<unsigned char>(in_[at - 1]))) return false;
    auto lower = [&](size_t k) { return static_cast<char>(in_[at + k] | 0x20); };
    if (lower(0) != 'c' || lower(1) != 'h' || lower(2) != 'r') return false;
    size_t j = at + 3;
    while (j < in_.size() && IsSpace(static_cast<unsigned char>(in_[j]))) ++j;
    if (j >= in_.size() || in_[j] != '(') return false;
    ++j;
    while (j < in_.size() && IsSpace(static_cast<unsigned char>(in_[j]))) ++j;
    return j < in_.size() && in_[j] >= '0' && in_[j] <= '9';
  }

  // Parses chr(NUM) at i_ into `lit`; returns false (consuming nothing) if it is not one.
  bool LexChr(std::string* lit) {
    size_t j = i_ + 3;
    auto skip = [&] {
      while (j < in_.size() && IsSpace(static_cast<unsigned char>(in_[j]))) ++j;
    };
    skip();
    ++j;  // '('
    skip();
    long value = 0;
    int base = 10;
    if (j + 1 < in_.size() && in_[j] == '0' && (in_[j + 1] == 'x' || in_[j + 1] == 'X')) {
      base = 16;
      j += 2;
    } else if (j + 1 < in_.size() && in_[j] == '0' && in_[j + 1] >= '0' && in_[j + 1] <= '7') {
      base = 8;
    }
    size_t digits = 0;
    while (j < in_.size() && digits < 12) {
      int v = HexVal(static_cast<unsigned char>(in_[j]));
      if (v < 0 || v >= base) break;
      value = value * base + v;
      ++j;
      ++digits;
    }
    skip();
    if (digits == 0 || j >= in_.size() || in_[j] != ')') return false;
    i_ = j + 1;
    lit->push_back(static_cast<char>(value & 0xff));  // PHP's chr() is modulo 256
    return true;
  }

  // A `$` at in_[at] that PHP interpolates: `$name` or `{$` (the caller checks the brace).
  bool InterpolatesAt(size_t at) const {
    if (at + 1 >= in_.size()) return false;
    unsigned char n = in_[at + 1];
    return n == '_' || (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n >= 0x80 || n == '{';
  }

  void LexQuoted(std::string* lit, std::vector<size_t>* interp) {
    char q = in_[i_++];
    while (i_ < in_.size()) {
      char c = in_[i_];
      if (c == q) {
        ++i_;
        return;
      }
      if (q == '"' && c == '$' && InterpolatesAt(i_)) interp->push_back(lit->size());
      if (c == '\\' && i_ + 1 < in_.size()) {
        char n = in_[i_ + 1];
        if (q == '\'') {
          if (n == '\'' || n == '\\') {
            lit->push_back(n);
            i_ += 2;
          } else {
            lit->push_back(c);
            ++i_;
          }
          continue;
        }
        i_ += 2;
        switch (n) {
          case 'n':
            lit->push_back('\n');
            break;
          case 't':
            lit->push_back('\t');
            break;
          case 'r':
            lit->push_back('\r');
            break;
          case 'v':
            lit->push_back('\v');
            break;
          case 'f':
            lit->push_back('\f');
            break;
          case 'e':
            lit->push_back('\x1b');
            break;
          case '\\':
          case '"':
          case '$':
            lit->push_back(n);
            break;
          case 'x': {
            int v = 0, k = 0;
            while (k < 2 && i_ < in_.size() && HexVal(static_cast<unsigned char>(in_[i_])) >= 0) {
              v = v * 16 + HexVal(static_cast<unsigned char>(in_[i_++]));
              ++k;
            }
            if (k == 0) {
              lit->append("\\x");
            } else {
              lit->push_back(static_cast<char>(v));
            }
            break;
          }
          default:
            if (n >= '0' && n <= '7') {
              int v = n - '0', k = 1;
              while (k < 3 && i_ < in_.size() && in_[i_] >= '0' && in_[i_] <= '7') {
                v = v * 8 + (in_[i_++] - '0');
                ++k;
              }
              lit->push_back(static_cast<char>(v & 0xff));
            } else {
              lit->push_back('\\');
              lit->push_back(n);
            }
        }
        continue;
      }
      lit->push_back(c);
      ++i_;
    }
  }

  // A heredoc or nowdoc (`<<<ID`, `<<<"ID"`, `<<<'ID'` ... closing ID on its own line, which
  // PHP 7.3+ allows to be indented) becomes one literal with its raw body. False (nothing
  // consumed) if the text is not a well-formed heredoc.
  bool LexHeredoc() {
    size_t j = i_ + 3;
    while (j < in_.size() && (in_[j] == ' ' || in_[j] == '\t')) ++j;
    char quote = 0;
    if (j < in_.size() && (in_[j] == '"' || in_[j] == '\'')) quote = in_[j++];
    size_t id_start = j;
    while (j < in_.size() && IsIdent(static_cast<unsigned char>(in_[j]))) ++j;
    if (j == id_start || j - id_start > 64) return false;
    std::string_view id = in_.substr(id_start, j - id_start);
    if (quote) {
      if (j >= in_.size() || in_[j] != quote) return false;
      ++j;
    }
    if (j < in_.size() && in_[j] == '\r') ++j;
    if (j >= in_.size() || in_[j] != '\n') return false;
    size_t body = j + 1;
    for (size_t line = body; line < in_.size();) {
      size_t k = line;
      while (k < in_.size() && (in_[k] == ' ' || in_[k] == '\t')) ++k;
      if (in_.compare(k, id.size(), id) == 0 &&
          (k + id.size() >= in_.size() ||
           !IsIdent(static_cast<unsigned char>(in_[k + id.size()])))) {
        size_t end = line > body ? line - 1 : body;  // drop the newline before the closing id
        if (end > body && in_[end - 1] == '\r') --end;
        std::string lit(in_.substr(body, end > body ? end - body : 0));
        size_t start = i_;
        i_ = k + id.size();
        pending_space_ = false;
        Literal l;
        l.pos = out_->text.size();
        l.len = lit.size();
        EmitChar('"', start);
        for (char c : lit) EmitChar(c, start);
        EmitChar('"', start);
        out_->literals.push_back(l);
        if (quote != '\'') {  // a nowdoc does not interpolate
          for (size_t k = 0; k < lit.size(); ++k) {
            if (lit[k] != '$' || (k > 0 && lit[k - 1] == '\\')) continue;
            unsigned char n = k + 1 < lit.size() ? lit[k + 1] : 0;
            if (n == '_' || (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n >= 0x80 ||
                n == '{')
              out_->interpolations.push_back(static_cast<uint32_t>(l.pos + 1 + k));
          }
        }
        return true;
      }
      size_t nl = in_.find('\n', line);
      if (nl == std::string_view::npos) break;
      line = nl + 1;
    }
    return false;
  }

  // One literal (quoted string or chr(N)) followed by any number of `. literal`; emitted as a
  // single "content" literal so `"as"."sert"` and chr(97).chr(115)... match as one word.
  void LexLiteralChain() {
    size_t start = i_;
    std::string lit;
    std::vector<size_t> interp;
    for (;;) {
      if (in_[i_] == '\'' || in_[i_] == '"') {
        LexQuoted(&lit, &interp);
      } else if (!LexChr(&lit)) {
        // "chr(" not followed by a foldable number: emit the identifier normally.
        break;
      }
      size_t save = i_;
      bool save_space = pending_space_;
      SkipTrivia();
      if (i_ < in_.size() && in_[i_] == '.' && Peek(1) != '=' && Peek(1) != '.') {
        ++i_;
        SkipTrivia();
        if (i_ < in_.size() && (in_[i_] == '\'' || in_[i_] == '"' || IsChrCall(i_))) continue;
      }
      i_ = save;
      pending_space_ = save_space;
      break;
    }
    if (i_ == start) {  // bare chr( that did not fold
      for (int k = 0; k < 3; ++k) EmitChar(static_cast<char>(in_[i_ + k] | 0x20), i_ + k);
      i_ += 3;
      return;
    }
    pending_space_ = false;
    Literal l;
    l.pos = out_->text.size();
    l.len = lit.size();
    EmitChar('"', start);
    for (char c : lit) EmitChar(c, start);
    EmitChar('"', start);
    out_->literals.push_back(l);
    for (size_t off : interp)
      out_->interpolations.push_back(static_cast<uint32_t>(l.pos + 1 + off));
  }

  std::string_view in_;
  NormalizedPhp* out_;
  size_t i_ = 0;
  bool pending_space_ = false;
  bool script_tag_ = false;
};

}  // namespace

NormalizedPhp NormalizePhp(std::string_view in, bool start_in_code) {
  NormalizedPhp out;
  out.text.reserve(in.size());
  out.raw_offset.reserve(in.size());
  PhpLexer(in, &out).Run(start_in_code);
  return out;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  // PHP's non-strict base64_decode skips characters outside the alphabet; we do the same but
  // require that most of the input is alphabet so random text does not "decode".
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  size_t alphabet = 0;
  for (unsigned char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else
      continue;
    ++alphabet;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (alphabet < 4 || alphabet * 10 < in.size() * 9) return std::nullopt;
  return out;
}

std::optional<std::string> Inflate(std::string_view in, int window_bits, size_t max_out) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return std::nullopt;
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::array<char, 16384> buf;
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = buf.size();
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf.data(), buf.size() - zs.avail_out);
    if (out.size() > max_out) {
      rc = Z_MEM_ERROR;
      break;
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;  // truncated input
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string Rot13(std::string_view in) {
  std::string out(in);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z')
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view in) {
  if (in.size() % 2 != 0 || in.empty()) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 2);
  for (size_t i = 0; i < in.size(); i += 2) {
    int a = HexVal(static_cast<unsigned char>(in[i]));
    int b = HexVal(static_cast<unsigned char>(in[i + 1]));
    if (a < 0 || b < 0) return std::nullopt;
    out.push_back(static_cast<char>(a * 16 + b));
  }
  return out;
}

std::string UrlDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && HexVal(static_cast<unsigned char>(in[i + 1])) >= 0 &&
        HexVal(static_cast<unsigned char>(in[i + 2])) >= 0) {
      out.push_back(static_cast<char>(HexVal(static_cast<unsigned char>(in[i + 1])) * 16 +
                                      HexVal(static_cast<unsigned char>(in[i + 2]))));
      i += 2;
    } else if (in[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

long EntityValue(std::string_view ent) {
  if (ent == "lt") return '<';
  if (ent == "gt") return '>';
  if (ent == "amp") return '&';
  if (ent == "quot") return '"';
  if (ent == "apos") return '\'';
  if (ent.size() < 2 || ent[0] != '#') return -1;
  bool hex = ent[1] == 'x' || ent[1] == 'X';
  long code = 0;
  size_t first = hex ? 2 : 1;
  if (ent.size() <= first) return -1;
  for (size_t k = first; k < ent.size(); ++k) {
    int v = HexVal(static_cast<unsigned char>(ent[k]));
    if (v < 0 || (!hex && v > 9)) return -1;
    code = code * (hex ? 16 : 10) + v;
    if (code > 0x10ffff) return -1;
  }
  return code;
}

double Entropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  for (size_t n : counts) {
    if (n == 0) continue;
    double p = static_cast<double>(n) / static_cast<double>(s.size());
    h -= p * std::log2(p);
  }
  return h;
}

bool LooksLikeText(std::string_view s) {
  if (s.size() < 4) return false;
  size_t printable = 0;
  for (unsigned char c : s) {
    if (c == 0) return false;
    if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t') ++printable;
  }
  return printable * 100 >= s.size() * 90;
}

}  // namespace gs::webshell::internal
