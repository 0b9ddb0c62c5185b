// PCRE2 pattern syntax -> over-approximating Node tree (see regex_ast.h). Follows PCRE2 10.42's
// parse rules (the version Debian 12 ships) for everything that decides WHICH BYTES are literal:
// escapes, \Q..\E, character classes, (?x) white space and comments, the shape of a {m,n}
// quantifier. Where PCRE2 versions differ or we are unsure, the pattern is marked unsupported
// rather than guessed at, because a wrong guess could drop a byte from a required literal.
#include <cctype>
#include <optional>

#include "ruleengine/prefilter/regex_ast.h"

namespace gs::prefilter::internal {
namespace {

bool IsAsciiAlpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(int c) { return IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }
bool IsDigit(int c) { return c >= '0' && c <= '9'; }
int HexVal(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::bitset<256>> ShorthandBytes(char letter) {
  std::bitset<256> set;
  char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  switch (lower) {
    case 'd':
      for (int c = '0'; c <= '9'; ++c) set.set(c);
      break;
    case 'w':
      for (int c = 0; c < 256; ++c) set[c] = IsAsciiAlnum(c) || c == '_';
      break;
    case 's':
      for (int c : {'\t', '\n', '\v', '\f', '\r', ' '}) set.set(c);
      break;
    case 'h':
      for (int c : {0x09, 0x20, 0xa0}) set.set(c);
      break;
    case 'v':
      for (int c : {0x0a, 0x0b, 0x0c, 0x0d, 0x85}) set.set(c);
      break;
    default:
      return std::nullopt;
  }
  if (letter != lower) set.flip();  // \D \W \S \H \V
  return set;
}

namespace {

void FoldCase(std::bitset<256>* set) {
  for (int c = 'a'; c <= 'z'; ++c) {
    int u = c - 'a' + 'A';
    if ((*set)[c] || (*set)[u]) {
      set->set(c);
      set->set(u);
    }
  }
}

class PatternParser {
 public:
  PatternParser(std::string_view p, bool caseless, const ParseLimits& limits)
      : p_(p), limits_(limits) {
    initial_.i = caseless;
  }

  Result<ParsedPattern> Run() {
    Flags f = initial_;
    ParseLeadingVerbs();
    auto root = ParseAlt(&f);
    if (error_.empty() && unsupported_.empty() && pos_ < p_.size()) {
      // ParseAlt only stops early at ')'.
      Fail("unmatched closing parenthesis at offset " + std::to_string(pos_));
    }
    if (!error_.empty()) return InvalidArgumentError(error_);
    ParsedPattern out;
    out.root = std::move(root);
    out.unsupported = unsupported_;
    return out;
  }

 private:
  struct Flags {
    bool i = false;
    bool x = false;
    bool xx = false;
  };

  bool Stopped() const { return !error_.empty() || !unsupported_.empty(); }
  void Fail(std::string msg) {
    if (error_.empty()) error_ = std::move(msg);
  }
  void Unsupported(std::string msg) {
    if (unsupported_.empty()) unsupported_ = std::move(msg);
  }
  bool AtEnd() const { return pos_ >= p_.size(); }
  int Peek(size_t ahead = 0) const {
    return pos_ + ahead < p_.size() ? static_cast<unsigned char>(p_[pos_ + ahead]) : -1;
  }

  std::unique_ptr<Node> NewNode(NodeKind kind) {
    if (++nodes_ > limits_.max_nodes) Unsupported("pattern too large");
    auto n = std::make_unique<Node>();
    n->kind = kind;
    return n;
  }
  std::unique_ptr<Node> Chars(const std::bitset<256>& set) {
    auto n = NewNode(NodeKind::kChars);
    n->chars = set;
    // An empty set (a class that excludes every byte) matches nothing; kAny over-approximates
    // it, which keeps the later analysis free of empty languages.
    if (set.none()) n->kind = NodeKind::kAny;
    return n;
  }
  std::unique_ptr<Node> Literal(int c, const Flags& f) {
    std::bitset<256> s;
    s.set(c);
    if (f.i) FoldCase(&s);
    return Chars(s);
  }
  std::unique_ptr<Node> AllBytes() {
    std::bitset<256> s;
    s.set();
    return Chars(s);
  }

  // (*UTF) and friends may only appear at the very start.
  void ParseLeadingVerbs() {
    while (Peek() == '(' && Peek(1) == '*') {
      size_t end = p_.find(')', pos_);
      if (end == std::string_view::npos) return;
      std::string_view name = p_.substr(pos_ + 2, end - pos_ - 2);
      std::string_view base = name.substr(0, name.find('='));
      if (name == "UTF" || name == "UTF8" || name == "UCP") {
        Unsupported("(*" + std::string(name) + ") changes case folding and classes");
        return;
      }
      if (name == "CR" || name == "LF" || name == "CRLF" || name == "ANYCRLF" || name == "ANY" ||
          name == "NUL") {
        // Only the end of (?x) comments depends on the newline convention; refuse rather
        // than model it.
        Unsupported("newline convention verb (*" + std::string(name) + ")");
        return;
      }
      if (base == "LIMIT_MATCH" || base == "LIMIT_DEPTH" || base == "LIMIT_HEAP" ||
          base == "LIMIT_RECURSION" || name == "NO_AUTO_POSSESS" || name == "NO_START_OPT" ||
          name == "NO_DOTSTAR_ANCHOR" || name == "NO_JIT" || name == "NOTEMPTY" ||
          name == "NOTEMPTY_ATSTART" || name == "BSR_ANYCRLF" || name == "BSR_UNICODE") {
        pos_ = end + 1;  // restrict or tune matching only
        continue;
      }
      return;  // some other verb: handled in the body
    }
  }

  void SkipExtended(const Flags& f) {
    if (!f.x || in_quote_) return;
    while (!AtEnd()) {
      int c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
        ++pos_;
      } else if (c == 0x85) {
        Unsupported("byte 0x85 in (?x) mode");  // NEL: white space or not depends on build
        return;
      } else if (c == '#') {
        while (!AtEnd() && Peek() != '\n') {
          if (Peek() == '\r') {
            Unsupported("carriage return in a (?x) comment");
            return;
          }
          ++pos_;
        }
      } else {
        return;
      }
    }
  }

  std::unique_ptr<Node> ParseAlt(Flags* f) {
    if (++depth_ > limits_.max_depth) {
      Unsupported("groups nested too deeply");
      --depth_;
      return NewNode(NodeKind::kAny);
    }
    std::vector<std::unique_ptr<Node>> branches;
    while (true) {
      branches.push_back(ParseBranch(f));
      if (Stopped()) break;
      if (Peek() == '|') {
        ++pos_;
        continue;
      }
      break;  // ')' or end
    }
    --depth_;
    if (branches.size() == 1) return std::move(branches[0]);
    auto alt = NewNode(NodeKind::kAlt);
    alt->children = std::move(branches);
    return alt;
  }

  std::unique_ptr<Node> ParseBranch(Flags* f) {
    auto cat = NewNode(NodeKind::kConcat);
    int quantifier_chain = 0;
    while (!Stopped()) {
      SkipExtended(*f);
      if (AtEnd() || Stopped()) break;
      int c = Peek();
      if (!in_quote_) {
        if (c == '|' || c == ')') break;
        if (c == '*' || c == '+' || c == '?' || (c == '{' && BraceQuantifierAt(pos_))) {
          // A quantifier after a comment or option setting applies to the previous item.
          if (cat->children.empty()) {
            Unsupported("quantifier does not follow a repeatable item");
            break;
          }
          if (++quantifier_chain > 4) {
            Unsupported("too many consecutive quantifiers");
            break;
          }
          auto prev = std::move(cat->children.back());
          cat->children.pop_back();
          cat->children.push_back(ParseQuantifier(std::move(prev)));
          continue;
        }
      }
      auto atom = ParseAtom(f);
      if (atom) {
        cat->children.push_back(std::move(atom));
        quantifier_chain = 0;
      }
    }
    if (cat->children.size() == 1) return std::move(cat->children[0]);
    return cat;
  }

  // Whether a valid PCRE2 10.42 {n}, {n,} or {n,m} starts at `at`. Shapes later PCRE2 versions
  // also accept ({,m}, spaces inside) are refused as unsupported: the two versions read them
  // differently.
  bool BraceQuantifierAt(size_t at) {
    size_t i = at + 1;
    auto digits = [&] {
      size_t s = i;
      while (i < p_.size() && IsDigit(static_cast<unsigned char>(p_[i]))) ++i;
      return i - s;
    };
    size_t d1 = digits();
    bool ok = false;
    if (d1 > 0 && i < p_.size()) {
      if (p_[i] == '}') {
        ok = true;
      } else if (p_[i] == ',') {
        ++i;
        digits();
        ok = i < p_.size() && p_[i] == '}';
      }
    }
    if (ok) return true;
    // Lenient shapes: '{' [0-9, \t]* '}' with a digit.
    size_t j = at + 1;
    bool has_digit = false;
    while (j < p_.size() && (IsDigit(static_cast<unsigned char>(p_[j])) || p_[j] == ',' ||
                             p_[j] == ' ' || p_[j] == '\t')) {
      has_digit |= IsDigit(static_cast<unsigned char>(p_[j]));
      ++j;
    }
    if (has_digit && j < p_.size() && p_[j] == '}') {
      Unsupported("brace quantifier whose meaning depends on the PCRE2 version");
    }
    return false;
  }

  std::unique_ptr<Node> ParseQuantifier(std::unique_ptr<Node> atom) {
    int c = Peek();
    int min = 0, max = -1;
    if (c == '*') {
      ++pos_;
    } else if (c == '+') {
      min = 1;
      ++pos_;
    } else if (c == '?') {
      max = 1;
      ++pos_;
    } else {  // '{', already validated
      ++pos_;
      auto number = [&]() -> int {
        long v = 0;
        while (IsDigit(Peek())) {
          v = v * 10 + (Peek() - '0');
          if (v > 65535) v = 65536;
          ++pos_;
        }
        return static_cast<int>(v);
      };
      min = number();
      if (Peek() == ',') {
        ++pos_;
        max = IsDigit(Peek()) ? number() : -1;
      } else {
        max = min;
      }
      ++pos_;  // '}'
      if (min > 65535 || max > 65535) {
        Fail("number too big in {} quantifier");
      } else if (max >= 0 && max < min) {
        Fail("numbers out of order in {} quantifier");
      }
    }
    if (Peek() == '+' || Peek() == '?') ++pos_;  // possessive / lazy: same language
    auto rep = NewNode(NodeKind::kRepeat);
    rep->min = min;
    rep->max = max;
    rep->children.push_back(std::move(atom));
    return rep;
  }

  // Returns nullptr for items that match nothing at all (option settings, comments, \E).
  std::unique_ptr<Node> ParseAtom(Flags* f) {
    int c = Peek();
    if (in_quote_) {
      if (c == '\\' && Peek(1) == 'E') {
        pos_ += 2;
        in_quote_ = false;
        return nullptr;
      }
      ++pos_;
      return Literal(c, *f);
    }
    switch (c) {
      case '(':
        return ParseGroup(f);
      case '[':
        return ParseClass(*f);
      case '.':
        ++pos_;
        return AllBytes();  // with or without DOTALL: all bytes over-approximates
      case '^':
      case '$':
        ++pos_;
        return NewNode(NodeKind::kEmpty);
      case '\\':
        return ParseEscape(*f);
      default:
        ++pos_;
        return Literal(c, *f);
    }
  }

  // Skips to the ')' closing a simple construct like (?P=name); false if there is none.
  bool SkipPastParen() {
    size_t end = p_.find(')', pos_);
    if (end == std::string_view::npos) {
      Fail("missing closing parenthesis");
      return false;
    }
    pos_ = end + 1;
    return true;
  }

  // Parses the body of a group whose opener has been consumed, then the ')'.
  std::unique_ptr<Node> GroupBody(Flags inner) {
    auto body = ParseAlt(&inner);
    if (Stopped()) return body;
    if (Peek() != ')') {
      Fail("missing closing parenthesis");
      return body;
    }
    ++pos_;
    return body;
  }

  std::unique_ptr<Node> Lookaround(const Flags& f) {
    GroupBody(f);  // parsed for its extent; contributes nothing to the match itself
    return NewNode(NodeKind::kEmpty);
  }

  std::unique_ptr<Node> ParseGroup(Flags* f) {
    ++pos_;  // '('
    if (Peek() == '*') return ParseVerbGroup(f);
    if (Peek() != '?') return GroupBody(*f);  // capturing group
    ++pos_;
    int c = Peek();
    switch (c) {
      case '#': {  // comment: up to the next ')', no nesting, no escapes
        size_t end = p_.find(')', pos_);
        if (end == std::string_view::npos) {
          Fail("missing ) after (?# comment");
          return nullptr;
        }
        pos_ = end + 1;
        return nullptr;
      }
      case ':':
      case '|':
      case '>':
        ++pos_;
        return GroupBody(*f);
      case '=':
      case '!':
      case '*':  // (?* non-atomic positive lookahead
        ++pos_;
        return Lookaround(*f);
      case '<': {
        int d = Peek(1);
        if (d == '=' || d == '!' || d == '*') {
          pos_ += 2;
          return Lookaround(*f);
        }
        // (?<name>...)
        size_t end = p_.find('>', pos_);
        if (end == std::string_view::npos) {
          Fail("unterminated group name");
          return nullptr;
        }
        pos_ = end + 1;
        return GroupBody(*f);
      }
      case '\'': {
        size_t end = p_.find('\'', pos_ + 1);
        if (end == std::string_view::npos) {
          Fail("unterminated group name");
          return nullptr;
        }
        pos_ = end + 1;
        return GroupBody(*f);
      }
      case 'P': {
        int d = Peek(1);
        if (d == '<') {
          size_t end = p_.find('>', pos_);
          if (end == std::string_view::npos) {
            Fail("unterminated group name");
            return nullptr;
          }
          pos_ = end + 1;
          return GroupBody(*f);
        }
        if (d == '=' || d == '>') {  // backreference / subroutine call by name
          if (!SkipPastParen()) return nullptr;
          return NewNode(NodeKind::kAny);
        }
        Unsupported("unknown (?P construct");
        return nullptr;
      }
      case '&':
      case 'R':
      case '+':
      case '-':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        if (c == '-' && !IsDigit(Peek(1))) break;  // (?-i) option unsetting
        // Subroutine calls and recursion: may match anything the called group matches.
        if (!SkipPastParen()) return nullptr;
        return NewNode(NodeKind::kAny);
      case '(':
        return ParseConditional(f);
      case 'C':
        return ParseCallout();
      default:
        break;
    }
    return ParseOptionGroup(f);
  }

  std::unique_ptr<Node> ParseConditional(Flags* f) {
    // At the '(' of the condition. An assertion condition is a real group; any other
    // condition (a number, <name>, R, DEFINE, VERSION...) runs to the next ')'.
    if (Peek(1) == '?' || Peek(1) == '*') {
      ParseGroup(f);
    } else if (!SkipPastParen()) {
      return nullptr;
    }
    if (Stopped()) return nullptr;
    GroupBody(*f);  // yes|no branches, parsed for their extent
    return NewNode(NodeKind::kAny);
  }

  std::unique_ptr<Node> ParseCallout() {
    ++pos_;  // 'C'
    int d = Peek();
    if (d == '`' || d == '\'' || d == '"' || d == '^' || d == '%' || d == '#' || d == '$' ||
        d == '{') {
      int close = d == '{' ? '}' : d;
      ++pos_;
      while (true) {
        if (AtEnd()) {
          Fail("unterminated callout string");
          return nullptr;
        }
        if (Peek() == close) {
          if (Peek(1) == close) {  // doubled delimiter stands for itself
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        ++pos_;
      }
    } else {
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() != ')') {
      Fail("malformed callout");
      return nullptr;
    }
    ++pos_;
    return NewNode(NodeKind::kEmpty);  // no callout function is installed: always continues
  }

  std::unique_ptr<Node> ParseOptionGroup(Flags* f) {
    Flags nf = *f;
    bool unset = false;
    while (true) {
      int c = Peek();
      if (c < 0) {
        Fail("missing ) after option setting");
        return nullptr;
      }
      ++pos_;
      if (c == ')') {
        *f = nf;  // applies to the rest of the enclosing group, later branches included
        return nullptr;
      }
      if (c == ':') return GroupBody(nf);
      switch (c) {
        case '-':
          if (unset) {
            Fail("bad option setting");
            return nullptr;
          }
          unset = true;
          break;
        case '^':
          if (unset) {
            Fail("bad option setting");
            return nullptr;
          }
          nf.i = nf.x = nf.xx = false;
          break;
        case 'i':
          nf.i = !unset;
          break;
        case 'x':
          if (!unset && Peek() == 'x') {
            ++pos_;
            nf.xx = true;
          }
          nf.x = !unset;
          if (unset) nf.xx = false;
          break;
        case 'm':
        case 'n':
        case 's':
        case 'J':
        case 'U':
          break;  // do not change which bytes a literal or class matches
        default:
          Unsupported(std::string("unknown group or option (?") + static_cast<char>(c));
          return nullptr;
      }
    }
  }

  std::unique_ptr<Node> ParseVerbGroup(Flags* f) {
    ++pos_;  // '*'
    size_t name_start = pos_;
    while (!AtEnd() && Peek() != ')' && Peek() != ':') ++pos_;
    if (AtEnd()) {
      Fail("missing ) after (*");
      return nullptr;
    }
    std::string name(p_.substr(name_start, pos_ - name_start));
    if (Peek() == ':') {
      ++pos_;
      if (name == "pla" || name == "plb" || name == "nla" || name == "nlb" ||
          name == "positive_lookahead" || name == "positive_lookbehind" ||
          name == "negative_lookahead" || name == "negative_lookbehind" || name == "napla" ||
          name == "naplb" || name == "non_atomic_positive_lookahead" ||
          name == "non_atomic_positive_lookbehind") {
        return Lookaround(*f);
      }
      if (name == "atomic" || name == "sr" || name == "script_run" || name == "asr" ||
          name == "atomic_script_run") {
        return GroupBody(*f);
      }
      if (name.empty() || name == "MARK" || name == "PRUNE" || name == "SKIP" || name == "THEN") {
        // (*MARK:NAME) etc.: the name runs to ')'
        if (!SkipPastParen()) return nullptr;
        return NewNode(NodeKind::kEmpty);
      }
      Unsupported("unknown verb (*" + name + ":");
      return nullptr;
    }
    ++pos_;  // ')'
    if (name == "COMMIT" || name == "PRUNE" || name == "SKIP" || name == "THEN") {
      return NewNode(NodeKind::kEmpty);  // only ever remove matches
    }
    if (name == "FAIL" || name == "F") return NewNode(NodeKind::kAny);
    if (name == "ACCEPT") {
      Unsupported("(*ACCEPT) ends a match before the rest of the pattern");
      return nullptr;
    }
    Unsupported("verb (*" + name + ") not at the start or unknown");
    return nullptr;
  }

  // Reads the value of a numeric escape body; returns -1 (and records why) when malformed.
  int ParseBracedNumber(int base) {  // at '{'
    size_t end = p_.find('}', pos_);
    if (end == std::string_view::npos || end == pos_ + 1) {
      Unsupported("malformed \\x{} or \\o{}");
      return -1;
    }
    long v = 0;
    for (size_t i = pos_ + 1; i < end; ++i) {
      int d = HexVal(static_cast<unsigned char>(p_[i]));
      if (d < 0 || d >= base) {
        Unsupported("malformed \\x{} or \\o{}");
        return -1;
      }
      v = v * base + d;
      if (v > 255) {
        Unsupported("character code above 255 (needs UTF mode)");
        return -1;
      }
    }
    pos_ = end + 1;
    return static_cast<int>(v);
  }

  // Escapes that denote one byte in and out of classes. `pos_` is after the backslash.
  // Returns the byte, or -1 if `c` is not such an escape (nothing consumed).
  int SingleByteEscape(int c) {
    switch (c) {
      case 'a':
        ++pos_;
        return 0x07;
      case 'e':
        ++pos_;
        return 0x1b;
      case 'f':
        ++pos_;
        return 0x0c;
      case 'n':
        ++pos_;
        return 0x0a;
      case 'r':
        ++pos_;
        return 0x0d;
      case 't':
        ++pos_;
        return 0x09;
      case 'x': {
        ++pos_;
        if (Peek() == '{') return ParseBracedNumber(16);
        int v = 0;
        for (int k = 0; k < 2 && HexVal(Peek()) >= 0; ++k) {
          v = v * 16 + HexVal(Peek());
          ++pos_;
        }
        return v;
      }
      case 'o':
        ++pos_;
        if (Peek() != '{') {
          Unsupported("\\o without {");
          return -1;
        }
        return ParseBracedNumber(8);
      case '0': {
        ++pos_;
        int v = 0;
        for (int k = 0; k < 2 && Peek() >= '0' && Peek() <= '7'; ++k) {
          v = v * 8 + (Peek() - '0');
          ++pos_;
        }
        return v;
      }
      case 'c': {
        ++pos_;
        int x = Peek();
        if (x < 32 || x > 126) {
          Unsupported("\\c must be followed by a printable ASCII character");
          return -1;
        }
        ++pos_;
        if (x >= 'a' && x <= 'z') x -= 32;
        return x ^ 0x40;
      }
      default:
        return -1;
    }
  }

  std::unique_ptr<Node> ParseEscape(const Flags& f) {
    ++pos_;  // backslash
    if (AtEnd()) {
      Fail("\\ at end of pattern");
      return nullptr;
    }
    int c = Peek();
    int byte = SingleByteEscape(c);
    if (Stopped()) return nullptr;
    if (byte >= 0) return Literal(byte, f);
    switch (c) {
      case 'Q':
        ++pos_;
        in_quote_ = true;
        return nullptr;
      case 'E':
        ++pos_;
        return nullptr;
      case 'b':
      case 'B':
      case 'A':
      case 'Z':
      case 'z':
      case 'G':
      case 'K':  // \K moves the reported start; the bytes are still in the input
        ++pos_;
        return NewNode(NodeKind::kEmpty);
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
      case 'h':
      case 'H':
      case 'v':
      case 'V':
        ++pos_;
        return limits_.exact_shorthands ? Chars(*ShorthandBytes(static_cast<char>(c))) : AllBytes();
      case 'C':
        ++pos_;
        return AllBytes();
      case 'N':
        ++pos_;
        if (Peek() == '{' && Peek(1) == 'U') {
          Unsupported("\\N{U+...} needs UTF mode");
          return nullptr;
        }
        return AllBytes();
      case 'p':
      case 'P':
        ++pos_;
        if (Peek() == '{') {
          size_t end = p_.find('}', pos_);
          if (end == std::string_view::npos) {
            Fail("malformed \\p");
            return nullptr;
          }
          pos_ = end + 1;
        } else if (!AtEnd()) {
          ++pos_;
        } else {
          Fail("malformed \\p");
          return nullptr;
        }
        return AllBytes();
      case 'R':
      case 'X':
        ++pos_;
        return NewNode(NodeKind::kAny);  // may be more than one byte
      case 'g':
      case 'k': {
        ++pos_;
        int d = Peek();
        if (d == '{' || d == '<' || d == '\'') {
          int close = d == '{' ? '}' : d == '<' ? '>' : '\'';
          size_t end = p_.find(static_cast<char>(close), pos_ + 1);
          if (end == std::string_view::npos) {
            Fail("malformed \\g or \\k reference");
            return nullptr;
          }
          pos_ = end + 1;
          return NewNode(NodeKind::kAny);
        }
        if (c == 'g') {
          if (d == '-' || d == '+') ++pos_;
          if (!IsDigit(Peek())) {
            Fail("malformed \\g reference");
            return nullptr;
          }
          while (IsDigit(Peek())) ++pos_;
          return NewNode(NodeKind::kAny);
        }
        Fail("malformed \\k reference");
        return nullptr;
      }
      default:
        break;
    }
    if (IsDigit(c)) {
      // \1..\9 and \NN: a backreference, or an octal escape when there are fewer groups.
      // Either way the bytes are some string: consume every digit and over-approximate.
      while (IsDigit(Peek())) ++pos_;
      return NewNode(NodeKind::kAny);
    }
    if (IsAsciiAlnum(c)) {
      Unsupported(std::string("unrecognised escape \\") + static_cast<char>(c));
      return nullptr;
    }
    ++pos_;
    return Literal(c, f);  // escaped punctuation or a byte >= 0x80 stands for itself
  }

  std::unique_ptr<Node> ParseClass(const Flags& f) {
    // [[:<:]] and [[:>:]] are PCRE2's spelling of word-start / word-end assertions.
    if (p_.substr(pos_, 7) == "[[:<:]]" || p_.substr(pos_, 7) == "[[:>:]]") {
      pos_ += 7;
      return NewNode(NodeKind::kEmpty);
    }
    ++pos_;  // '['
    bool negate = false;
    if (Peek() == '^') {
      negate = true;
      ++pos_;
    }
    std::bitset<256> set;
    std::bitset<256> shorthand_bytes;  // \d \s \w \h \v and their negations
    bool shorthand = false;
    bool first = true;
    bool quote = false;
    int prev = -1;  // last single byte added, a possible range start
    while (true) {
      if (AtEnd()) {
        Fail("missing terminating ] for character class");
        return nullptr;
      }
      int c = Peek();
      if (quote) {
        if (c == '\\' && Peek(1) == 'E') {
          pos_ += 2;
          quote = false;
          continue;
        }
        ++pos_;
        AddClassByte(c, &set, &prev);
        first = false;
        continue;
      }
      if (c == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      if (f.xx && (c == ' ' || c == '\t')) {
        ++pos_;
        continue;
      }
      if (c == '[' && (Peek(1) == ':' || Peek(1) == '.' || Peek(1) == '=')) {
        size_t end = PosixClassEnd(pos_);
        if (end != std::string_view::npos) {
          if (Peek(1) != ':') {
            Unsupported("POSIX collating element");
            return nullptr;
          }
          pos_ = end + 2;
          shorthand = true;
          prev = -1;
          continue;
        }
      }
      if (c == '-' && prev >= 0 && Peek(1) != ']' && Peek(1) >= 0) {
        // A range prev-hi.
        ++pos_;
        int hi = ClassSingleByte();
        if (Stopped()) return nullptr;
        if (hi < 0) {
          Unsupported("range in a class ending in a class escape");
          return nullptr;
        }
        if (hi < prev) {
          Fail("range out of order in character class");
          return nullptr;
        }
        for (int b = prev; b <= hi; ++b) set.set(b);
        prev = -1;
        continue;
      }
      if (c == '\\') {
        int n = Peek(1);
        if (n == 'Q') {
          pos_ += 2;
          quote = true;
          continue;
        }
        if (n == 'E') {
          pos_ += 2;
          continue;
        }
        if (auto bytes = n >= 0 ? ShorthandBytes(static_cast<char>(n)) : std::nullopt) {
          pos_ += 2;
          shorthand_bytes |= *bytes;
          shorthand |= !limits_.exact_shorthands;
          prev = -1;
          continue;
        }
        if (n == 'p' || n == 'P') {
          pos_ += 2;
          if (Peek() == '{') {
            size_t end = p_.find('}', pos_);
            if (end == std::string_view::npos) {
              Fail("malformed \\p");
              return nullptr;
            }
            pos_ = end + 1;
          } else {
            ++pos_;
          }
          shorthand = true;
          prev = -1;
          continue;
        }
      }
      int b = ClassSingleByte();
      if (Stopped()) return nullptr;
      AddClassByte(b, &set, &prev);
    }
    if (f.i) FoldCase(&set);
    set |= shorthand_bytes;  // exact, and closed under case folding
    if (shorthand) {
      // \p and POSIX classes are over-approximated as every byte; the complement of an
      // over-approximation would be an UNDER-approximation, so a negated class with one is
      // every byte too.
      set.set();
    } else if (negate) {
      set.flip();
    }
    return Chars(set);
  }

  // PCRE2's check_posix_syntax: at `at` is "[:" (or "[." / "[="); returns the index of the
  // closing ":]" (its ':') if this is a POSIX class item, npos if the '[' is an ordinary member.
  size_t PosixClassEnd(size_t at) const {
    if (p_.size() - (at + 1) < 3) return std::string_view::npos;
    char terminator = p_[at + 1];
    for (size_t i = at + 2; p_.size() - i >= 2; ++i) {
      if (p_[i] == '\\' && (p_[i + 1] == ']' || p_[i + 1] == '\\')) {
        ++i;
      } else if ((p_[i] == '[' && p_[i + 1] == terminator) || p_[i] == ']') {
        return std::string_view::npos;
      } else if (p_[i] == terminator && p_[i + 1] == ']') {
        return i;
      }
    }
    return std::string_view::npos;
  }

  void AddClassByte(int b, std::bitset<256>* set, int* prev) {
    set->set(b);
    *prev = b;
  }

  // One class member that is a single byte (literal or escape). Returns -1 with Unsupported /
  // Fail set when it is not.
  int ClassSingleByte() {
    int c = Peek();
    if (c != '\\') {
      ++pos_;
      return c;
    }
    ++pos_;
    if (AtEnd()) {
      Fail("\\ at end of pattern");
      return -1;
    }
    c = Peek();
    if (c == 'b') {
      ++pos_;
      return 0x08;
    }
    if (c >= '1' && c <= '7') {  // octal in a class
      int v = 0;
      for (int k = 0; k < 3 && Peek() >= '0' && Peek() <= '7'; ++k) {
        v = v * 8 + (Peek() - '0');
        ++pos_;
      }
      if (v > 255) {
        Unsupported("octal escape above 255");
        return -1;
      }
      return v;
    }
    int byte = SingleByteEscape(c);
    if (Stopped()) return -1;
    if (byte >= 0) return byte;
    if (IsAsciiAlnum(c)) {
      Unsupported(std::string("escape \\") + static_cast<char>(c) + " in a class");
      return -1;
    }
    ++pos_;
    return c;
  }

  std::string_view p_;
  ParseLimits limits_;
  Flags initial_;
  size_t pos_ = 0;
  int depth_ = 0;
  size_t nodes_ = 0;
  bool in_quote_ = false;
  std::string error_;
  std::string unsupported_;
};

}  // namespace

Result<ParsedPattern> ParsePattern(std::string_view pattern, bool caseless,
                                   const ParseLimits& limits) {
  PatternParser parser(pattern, caseless, limits);
  return parser.Run();
}

}  // namespace gs::prefilter::internal
