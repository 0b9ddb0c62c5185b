// @detectXSS: our implementation of the libinjection approach to XSS detection (see
// docs/detect_sqli_xss.md). The input is tokenized by a small HTML5-style state machine, started
// in each context an attacker's bytes can land in (HTML text, an unquoted / single-quoted /
// double-quoted / back-quoted attribute value). The input is XSS when, in any context, the token
// stream contains something that makes a browser run script: a dangerous tag (<script>, <iframe>,
// <svg...>, ...), an event-handler or otherwise dangerous attribute given a value, a URL
// attribute whose value starts with a script scheme (javascript:, vbscript:, data:, even when
// spread with whitespace or HTML entities), a style attribute, a DOCTYPE, or a comment using
// IE/XML tricks. No allocation per call; the tokenizer works on string_views.
#include <cstring>

#include "ruleengine/operators/internal.h"

namespace gs::operators::internal {
namespace {

enum class TokenType {
  kDataText,
  kTagNameOpen,
  kTagNameClose,
  kTagNameSelfClose,
  kTagClose,
  kAttrName,
  kAttrValue,
  kComment,
  kDoctype,
};

enum class Start { kData, kValueNoQuote, kValueSingleQuote, kValueDoubleQuote, kValueBackQuote };

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// HTML whitespace, plus NUL which browsers (historically IE) also skip inside tags.
bool IsWhite(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == '\0';
}

bool EqualsNoCase(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

bool StartsNoCase(std::string_view a, std::string_view lower_prefix) {
  return a.size() >= lower_prefix.size() &&
         EqualsNoCase(a.substr(0, lower_prefix.size()), lower_prefix);
}

// HTML5-ish tokenizer. Each Next() yields one token; state survives between calls.
class Tokenizer {
 public:
  Tokenizer(std::string_view s, Start start) : s_(s) {
    switch (start) {
      case Start::kData:
        state_ = &Tokenizer::Data;
        break;
      case Start::kValueNoQuote:
        state_ = &Tokenizer::BeforeAttributeName;
        break;
      case Start::kValueSingleQuote:
        quote_ = '\'';
        state_ = &Tokenizer::AttributeValueQuoted;
        break;
      case Start::kValueDoubleQuote:
        quote_ = '"';
        state_ = &Tokenizer::AttributeValueQuoted;
        break;
      case Start::kValueBackQuote:
        quote_ = '`';
        state_ = &Tokenizer::AttributeValueQuoted;
        break;
    }
  }

  bool Next() {
    while (state_ != nullptr) {
      if ((this->*state_)()) return true;
    }
    return false;
  }
  TokenType type() const { return type_; }
  std::string_view token() const { return token_; }

 private:
  using State = bool (Tokenizer::*)();

  bool Emit(TokenType t, size_t begin, size_t end, State next) {
    type_ = t;
    token_ = s_.substr(begin, end - begin);
    state_ = next;
    return true;
  }
  bool Eof() const { return pos_ >= s_.size(); }

  bool Data() {
    if (Eof()) return Stop();
    size_t lt = s_.find('<', pos_);
    if (lt == s_.npos) {
      size_t b = pos_;
      pos_ = s_.size();
      return Emit(TokenType::kDataText, b, s_.size(), nullptr);
    }
    size_t b = pos_;
    pos_ = lt + 1;
    state_ = &Tokenizer::TagOpen;
    if (lt > b) return Emit(TokenType::kDataText, b, lt, &Tokenizer::TagOpen);
    return false;
  }

  bool TagOpen() {
    if (Eof()) return Stop();
    char c = s_[pos_];
    if (c == '!') {
      ++pos_;
      state_ = &Tokenizer::MarkupDeclarationOpen;
    } else if (c == '/') {
      ++pos_;
      state_ = &Tokenizer::EndTagOpen;
    } else if (c == '?') {
      ++pos_;
      state_ = &Tokenizer::BogusComment;
    } else if (c == '%') {  // <% ... %> (ASP-style) is a comment that ends only at "%>"
      ++pos_;
      state_ = &Tokenizer::PercentComment;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\0') {
      state_ = &Tokenizer::TagName;
    } else {
      // Not a tag: "<" is text.
      state_ = &Tokenizer::Data;
      return Emit(TokenType::kDataText, pos_ - 1, pos_, &Tokenizer::Data);
    }
    return false;
  }

  bool TagName() {
    size_t b = pos_;
    // NUL does not end a tag name: old browsers skipped it inside names.
    while (!Eof() &&
           (s_[pos_] == '\0' || (!IsWhite(s_[pos_]) && s_[pos_] != '/' && s_[pos_] != '>'))) {
      ++pos_;
    }
    size_t e = pos_;
    if (Eof()) return Emit(TokenType::kTagNameOpen, b, e, nullptr);
    char c = s_[pos_];
    if (c == '>') {
      ++pos_;
      return Emit(TokenType::kTagNameOpen, b, e, &Tokenizer::TagNameCloseAfterOpen);
    }
    if (c == '/') {
      ++pos_;
      return Emit(TokenType::kTagNameOpen, b, e, &Tokenizer::SelfClosingStartTag);
    }
    ++pos_;
    return Emit(TokenType::kTagNameOpen, b, e, &Tokenizer::BeforeAttributeName);
  }

  bool TagNameCloseAfterOpen() {
    return Emit(TokenType::kTagNameClose, pos_ - 1, pos_, &Tokenizer::Data);
  }

  // "</name>" is a close tag. A name not closed by '>' (followed by attributes, '/', or the end
  // of input) is reported as an opening tag name, as libinjection does: the browser may still
  // be inside that tag.
  bool EndTagOpen() {
    if (Eof()) return Stop();
    if (s_[pos_] == '>') {
      ++pos_;
      state_ = &Tokenizer::Data;
      return false;
    }
    char c = s_[pos_];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      state_ = &Tokenizer::BogusComment;
      return false;
    }
    size_t b = pos_;
    while (!Eof() &&
           (s_[pos_] == '\0' || (!IsWhite(s_[pos_]) && s_[pos_] != '/' && s_[pos_] != '>'))) {
      ++pos_;
    }
    size_t e = pos_;
    if (Eof()) return Emit(TokenType::kTagNameOpen, b, e, nullptr);
    char d = s_[pos_++];
    if (d == '>') return Emit(TokenType::kTagClose, b, e, &Tokenizer::Data);
    if (d == '/') return Emit(TokenType::kTagNameOpen, b, e, &Tokenizer::SelfClosingStartTag);
    return Emit(TokenType::kTagNameOpen, b, e, &Tokenizer::BeforeAttributeName);
  }

  bool BeforeAttributeName() {
    while (!Eof() && IsWhite(s_[pos_])) ++pos_;
    if (Eof()) return Stop();
    char c = s_[pos_];
    if (c == '/') {
      ++pos_;
      state_ = &Tokenizer::SelfClosingStartTag;
      return false;
    }
    if (c == '>') {
      ++pos_;
      return Emit(TokenType::kTagNameClose, pos_ - 1, pos_, &Tokenizer::Data);
    }
    state_ = &Tokenizer::AttributeName;
    return false;
  }

  bool AttributeName() {
    size_t b = pos_;
    // The first character is part of the name even if it is '=' (HTML5 rule).
    ++pos_;
    while (!Eof() && !IsWhite(s_[pos_]) && s_[pos_] != '/' && s_[pos_] != '=' && s_[pos_] != '>') {
      ++pos_;
    }
    size_t e = pos_;
    if (Eof()) return Emit(TokenType::kAttrName, b, e, nullptr);
    char c = s_[pos_];
    if (c == '=') {
      ++pos_;
      return Emit(TokenType::kAttrName, b, e, &Tokenizer::BeforeAttributeValue);
    }
    if (c == '>') return Emit(TokenType::kAttrName, b, e, &Tokenizer::BeforeAttributeName);
    if (c == '/') {
      ++pos_;
      return Emit(TokenType::kAttrName, b, e, &Tokenizer::SelfClosingStartTag);
    }
    ++pos_;
    return Emit(TokenType::kAttrName, b, e, &Tokenizer::AfterAttributeName);
  }

  bool AfterAttributeName() {
    while (!Eof() && IsWhite(s_[pos_])) ++pos_;
    if (Eof()) return Stop();
    char c = s_[pos_];
    if (c == '=') {
      ++pos_;
      state_ = &Tokenizer::BeforeAttributeValue;
    } else if (c == '/') {
      ++pos_;
      state_ = &Tokenizer::SelfClosingStartTag;
    } else if (c == '>') {
      ++pos_;
      return Emit(TokenType::kTagNameClose, pos_ - 1, pos_, &Tokenizer::Data);
    } else {
      state_ = &Tokenizer::AttributeName;
    }
    return false;
  }

  bool BeforeAttributeValue() {
    while (!Eof() && IsWhite(s_[pos_])) ++pos_;
    if (Eof()) return Stop();
    char c = s_[pos_];
    if (c == '"' || c == '\'' || c == '`') {
      quote_ = c;
      ++pos_;
      state_ = &Tokenizer::AttributeValueQuoted;
    } else {
      // Includes '>': "name=>" yields an empty value (then the tag closes), so a dangerous
      // attribute is still reported.
      state_ = &Tokenizer::AttributeValueUnquoted;
    }
    return false;
  }

  bool AttributeValueQuoted() {
    size_t b = pos_;
    size_t q = s_.find(quote_, pos_);
    if (q == s_.npos) {
      pos_ = s_.size();
      return Emit(TokenType::kAttrValue, b, s_.size(), nullptr);
    }
    pos_ = q + 1;
    return Emit(TokenType::kAttrValue, b, q, &Tokenizer::AfterAttributeValueQuoted);
  }

  bool AttributeValueUnquoted() {
    size_t b = pos_;
    while (!Eof() && !IsWhite(s_[pos_]) && s_[pos_] != '>') ++pos_;
    size_t e = pos_;
    if (Eof()) return Emit(TokenType::kAttrValue, b, e, nullptr);
    if (s_[pos_] == '>') return Emit(TokenType::kAttrValue, b, e, &Tokenizer::BeforeAttributeName);
    ++pos_;
    return Emit(TokenType::kAttrValue, b, e, &Tokenizer::BeforeAttributeName);
  }

  bool AfterAttributeValueQuoted() {
    if (Eof()) return Stop();
    char c = s_[pos_];
    if (IsWhite(c)) {
      ++pos_;
      state_ = &Tokenizer::BeforeAttributeName;
    } else if (c == '/') {
      ++pos_;
      state_ = &Tokenizer::SelfClosingStartTag;
    } else if (c == '>') {
      ++pos_;
      return Emit(TokenType::kTagNameClose, pos_ - 1, pos_, &Tokenizer::Data);
    } else {
      state_ = &Tokenizer::BeforeAttributeName;  // missing whitespace: browsers recover
    }
    return false;
  }

  bool SelfClosingStartTag() {
    if (Eof()) return Stop();
    if (s_[pos_] == '>') {
      ++pos_;
      return Emit(TokenType::kTagNameSelfClose, pos_ - 2, pos_, &Tokenizer::Data);
    }
    state_ = &Tokenizer::BeforeAttributeName;
    return false;
  }

  bool MarkupDeclarationOpen() {
    std::string_view rest = s_.substr(pos_);
    if (rest.substr(0, 2) == "--") {
      pos_ += 2;
      state_ = &Tokenizer::Comment;
    } else if (StartsNoCase(rest, "doctype")) {
      size_t b = pos_;
      size_t gt = s_.find('>', pos_);
      pos_ = gt == s_.npos ? s_.size() : gt + 1;
      return Emit(TokenType::kDoctype, b, gt == s_.npos ? s_.size() : gt, &Tokenizer::Data);
    } else if (rest.substr(0, 7) == "[CDATA[") {
      pos_ += 7;
      size_t end = s_.find("]]>", pos_);
      size_t b = pos_;
      pos_ = end == s_.npos ? s_.size() : end + 3;
      return Emit(TokenType::kDataText, b, end == s_.npos ? s_.size() : end, &Tokenizer::Data);
    } else {
      state_ = &Tokenizer::BogusComment;
    }
    return false;
  }

  // "<!-- ... -->". The end is a '-' followed by '-' or '!' (NULs in between ignored) and then
  // '>', so "-->" and "-!>" both close; the comment text excludes the first '-' of that end.
  bool Comment() {
    size_t b = pos_;
    size_t i = pos_;
    while (true) {
      size_t dash = s_.find('-', i);
      if (dash == s_.npos || dash + 3 > s_.size()) {
        pos_ = s_.size();
        return Emit(TokenType::kComment, b, s_.size(), nullptr);
      }
      size_t j = dash + 1;
      while (j < s_.size() && s_[j] == '\0') ++j;
      if (j + 1 >= s_.size()) {
        pos_ = s_.size();
        return Emit(TokenType::kComment, b, s_.size(), nullptr);
      }
      if ((s_[j] == '-' || s_[j] == '!') && s_[j + 1] == '>') {
        pos_ = j + 2;
        return Emit(TokenType::kComment, b, dash, &Tokenizer::Data);
      }
      i = dash + 1;
    }
  }

  bool PercentComment() { return CommentUntil("%>"); }
  bool BogusComment() { return CommentUntil(">"); }

  // A comment running to `close` (excluded) or, unterminated, to the end of the input.
  bool CommentUntil(std::string_view close) {
    size_t b = pos_;
    size_t end = s_.find(close, pos_);
    if (end == s_.npos) {
      pos_ = s_.size();
      return Emit(TokenType::kComment, b, s_.size(), nullptr);
    }
    pos_ = end + close.size();
    return Emit(TokenType::kComment, b, end, &Tokenizer::Data);
  }

  bool Stop() {
    state_ = nullptr;
    return false;
  }

  std::string_view s_;
  size_t pos_ = 0;
  char quote_ = '"';
  State state_ = nullptr;
  TokenType type_ = TokenType::kDataText;
  std::string_view token_;
};

enum class AttrKind { kNone, kBlack, kUrl, kStyle, kIndirect };

// Tags that run script or load active content by themselves.
bool IsBlackTag(std::string_view raw) {
  // Compare with NUL bytes removed ("<scr\0ipt>" was a script tag to old browsers).
  char buf[32];
  size_t n = 0;
  for (char c : raw) {
    if (c == '\0') continue;
    if (n == sizeof(buf)) break;  // longer than any listed tag: only the prefix checks matter
    buf[n++] = c;
  }
  std::string_view name(buf, n);
  if (name.size() < 3) return false;
  // SVG and XSL elements can all carry script (e.g. <svg onload>, <svg:script>, <xsl:...>).
  if (StartsNoCase(name, "svg") || StartsNoCase(name, "xsl")) return true;
  static constexpr std::string_view kTags[] = {
      "applet", "base",   "comment", "embed",    "frame",    "frameset", "handler",
      "iframe", "import", "isindex", "link",     "listener", "meta",     "noscript",
      "object", "script", "style",   "vmlframe", "xml",      "xss",
  };
  for (std::string_view t : kTags) {
    if (EqualsNoCase(name, t)) return true;
  }
  return false;
}

AttrKind ClassifyAttr(std::string_view name) {
  if (name.size() < 2) return AttrKind::kNone;
  if (name.size() >= 5) {
    if (Lower(name[0]) == 'o' && Lower(name[1]) == 'n') return AttrKind::kBlack;  // on* handlers
    // xmlns / xlink let a value pull in arbitrary namespaces and links.
    if (StartsNoCase(name, "xmlns") || StartsNoCase(name, "xlink")) return AttrKind::kBlack;
  }
  struct Entry {
    std::string_view name;
    AttrKind kind;
  };
  static constexpr Entry kAttrs[] = {
      {"action", AttrKind::kUrl},
      {"attributename", AttrKind::kIndirect},
      {"by", AttrKind::kUrl},
      {"background", AttrKind::kUrl},
      {"dataformatas", AttrKind::kBlack},
      {"datasrc", AttrKind::kBlack},
      {"dynsrc", AttrKind::kUrl},
      {"filter", AttrKind::kStyle},
      {"formaction", AttrKind::kUrl},
      {"folder", AttrKind::kUrl},
      {"from", AttrKind::kUrl},
      {"handler", AttrKind::kUrl},
      {"href", AttrKind::kUrl},
      {"lowsrc", AttrKind::kUrl},
      {"poster", AttrKind::kUrl},
      {"src", AttrKind::kUrl},
      {"style", AttrKind::kStyle},
      {"to", AttrKind::kUrl},
      {"values", AttrKind::kUrl},
  };
  for (const auto& e : kAttrs) {
    if (EqualsNoCase(name, e.name)) return e.kind;
  }
  return AttrKind::kNone;
}

// Decodes one character of an attribute value the way a browser would before looking at a URL
// scheme: HTML numeric entities (&#106; &#x6A;) become their character. Returns the byte (or
// -1 for code points above 0x7F, which cannot be part of a scheme) and advances *i.
int DecodeChar(std::string_view s, size_t* i) {
  if (s[*i] != '&' || *i + 2 >= s.size() || s[*i + 1] != '#')
    return static_cast<unsigned char>(s[(*i)++]);
  size_t j = *i + 2;
  bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
  if (hex) ++j;
  uint32_t v = 0;
  size_t digits = 0;
  while (j < s.size() && digits < 8) {
    char c = s[j];
    int d = -1;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (hex && c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    if (d < 0) break;
    v = v * (hex ? 16 : 10) + static_cast<uint32_t>(d);
    ++j;
    ++digits;
  }
  if (digits == 0) return static_cast<unsigned char>(s[(*i)++]);
  if (j < s.size() && s[j] == ';') ++j;
  *i = j;
  return v > 0x7F ? -1 : static_cast<int>(v);
}

// Does the (attribute value) URL start with a scheme that runs script? Whitespace and control
// characters are ignored anywhere in the prefix (browsers strip them: "java\tscript:"), entities
// are decoded, case is ignored. Any "java..." prefix counts, as libinjection does.
bool IsBlackUrl(std::string_view v) {
  static constexpr std::string_view kPrefixes[] = {"java", "vbscript", "data", "view-source"};
  for (std::string_view prefix : kPrefixes) {
    size_t i = 0;
    size_t k = 0;
    while (i < v.size() && k < prefix.size()) {
      int c = DecodeChar(v, &i);
      if (c >= 0 && c <= 32) continue;
      if (c < 0 || Lower(static_cast<char>(c)) != prefix[k]) break;
      ++k;
    }
    if (k == prefix.size()) return true;
  }
  return false;
}

bool IsXssIn(std::string_view s, Start start) {
  Tokenizer t(s, start);
  AttrKind attr = AttrKind::kNone;
  while (t.Next()) {
    std::string_view tok = t.token();
    switch (t.type()) {
      case TokenType::kDoctype:
        return true;
      case TokenType::kTagNameOpen:
        if (IsBlackTag(tok)) return true;
        break;
      case TokenType::kAttrName:
        attr = ClassifyAttr(tok);
        break;
      case TokenType::kAttrValue:
        switch (attr) {
          case AttrKind::kNone:
            break;
          case AttrKind::kBlack:
          case AttrKind::kStyle:
            return true;
          case AttrKind::kUrl:
            if (IsBlackUrl(tok)) return true;
            break;
          case AttrKind::kIndirect:
            if (ClassifyAttr(tok) != AttrKind::kNone) return true;
            break;
        }
        attr = AttrKind::kNone;
        break;
      case TokenType::kComment:
        // IE conditional comments, XML processing tricks and backticks (old IE attribute
        // quoting) inside comments are script vectors.
        if (tok.find('`') != tok.npos) return true;
        if (tok.size() > 3 && (StartsNoCase(tok, "[if") || StartsNoCase(tok, "xml"))) return true;
        // <?import ...> (IE) and <!ENTITY ...> (XML entity definitions).
        if (tok.size() > 5 && (StartsNoCase(tok, "import") || StartsNoCase(tok, "entity"))) {
          return true;
        }
        break;
      default:
        break;
    }
  }
  return false;
}

}  // namespace

bool DetectXss(std::string_view input) {
  if (input.empty()) return false;
  for (Start start : {Start::kData, Start::kValueNoQuote, Start::kValueSingleQuote,
                      Start::kValueDoubleQuote, Start::kValueBackQuote}) {
    if (IsXssIn(input, start)) return true;
  }
  return false;
}

namespace {

class DetectXssOperator final : public Operator {
 public:
  explicit DetectXssOperator(std::string arg) : Operator("detectXSS", std::move(arg)) {}
  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    return DetectXss(input);
  }
};

}  // namespace

void RegisterDetectXss(OperatorRegistry* registry) {
  registry
      ->Register("detectXSS",
                 [](std::string_view arg,
                    const OperatorOptions&) -> Result<std::unique_ptr<const Operator>> {
                   return std::unique_ptr<const Operator>(new DetectXssOperator(std::string(arg)));
                 })
      .IgnoreError();
}

}  // namespace gs::operators::internal
