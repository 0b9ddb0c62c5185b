// @detectSQLi: our implementation of the libinjection approach to SQL-injection detection (see
// docs/detect_sqli_xss.md). The input is tokenized as SQL, as if it had been pasted into a query
// in three places: bare (`WHERE id=HERE`), inside a single-quoted and inside a double-quoted
// string literal, with ANSI or MySQL comment rules. Tokens get one-character types (s string,
// 1 number, n bareword, k keyword, f function, o operator, & logic operator, c comment, U union,
// E expression, ...). Adjacent tokens are folded (`1+1` -> 1, `NOT IN` -> one operator, unary
// operators dropped, ...) until at most five remain; their types form the fingerprint, e.g.
// `s&1o1` for `' OR 1=1`. The input is SQLi when some pass yields a fingerprint from the known-bad
// set (sqli_data.inc) that survives a few whitelist rules for very short fingerprints.
//
// Everything works on the input bytes and fixed-size token buffers: no allocation per call.
#include <array>
#include <cstdint>
#include <cstring>

#include "ruleengine/operators/internal.h"

namespace gs::operators::internal {
namespace {

struct SqlWord {
  const char* word;  // upper case
  char type;
};

#include "ruleengine/operators/sqli_data.inc"

// Token types (the fingerprint alphabet).
constexpr char kNone = 0;
constexpr char kKeyword = 'k';
constexpr char kUnion = 'U';
constexpr char kGroup = 'B';
constexpr char kExpression = 'E';
constexpr char kSqlType = 't';
constexpr char kFunction = 'f';
constexpr char kBareword = 'n';
constexpr char kNumber = '1';
constexpr char kVariable = 'v';
constexpr char kString = 's';
constexpr char kOperator = 'o';
constexpr char kLogicOperator = '&';
constexpr char kComment = 'c';
constexpr char kCollate = 'A';
constexpr char kLeftParens = '(';
constexpr char kRightParens = ')';
constexpr char kLeftBrace = '{';
constexpr char kRightBrace = '}';
constexpr char kDot = '.';
constexpr char kComma = ',';
constexpr char kColon = ':';
constexpr char kSemicolon = ';';
constexpr char kTsql = 'T';
constexpr char kUnknown = '?';
constexpr char kEvil = 'X';
constexpr char kBackslash = '\\';

// Pass flags.
constexpr int kQuoteNone = 1;
constexpr int kQuoteSingle = 2;
constexpr int kQuoteDouble = 4;
constexpr int kSqlAnsi = 8;
constexpr int kSqlMysql = 16;

constexpr size_t kMaxTokens = 5;
constexpr size_t kTokenSize = 32;  // token text kept for keyword lookups (31 bytes + NUL)

char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 0x20) : c; }

// The generated tables as hash lookups, built once: a keyword lookup hashes the upper-cased
// bytes and compares one or two slots (each with the word's length and a hash tag beside its
// index, so a miss rarely touches the word itself), where a binary search made about ten string
// comparisons; tokenizing a value looks up every bareword and two-byte operator.
class SqlTables {
 public:
  static const SqlTables& Get() {
    static const SqlTables tables;
    return tables;
  }

  // Case-insensitive exact lookup in the keyword table. 0 when absent.
  char Word(const char* s, size_t n) const {
    if (n == 0 || n > max_word_) return kNone;
    char up[kMaxWord];
    for (size_t i = 0; i < n; ++i) up[i] = Upper(s[i]);
    const uint32_t h = Hash(up, n);
    const uint8_t tag = static_cast<uint8_t>(h >> 24);
    for (uint32_t i = h & kWordMask; words_[i].index != 0; i = (i + 1) & kWordMask) {
      const Slot& slot = words_[i];
      if (slot.len == n && slot.tag == tag) {
        const SqlWord& w = kSqlWords[slot.index - 1];
        if (std::memcmp(w.word, up, n) == 0) return w.type;
      }
    }
    return kNone;
  }

  // Whether the fingerprint (compared upper-cased) is in the known-bad set.
  bool Fingerprint(const char* fp, size_t n) const {
    const uint64_t key = FingerprintKey(fp, n);
    if (key == 0) return false;
    for (uint32_t i = Mix(key) & kFingerprintMask; fingerprints_[i] != 0;
         i = (i + 1) & kFingerprintMask) {
      if (fingerprints_[i] == key) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kMaxWord = 32;
  static constexpr uint32_t kWordMask = 4095;          // 4,096 slots for 985 words
  static constexpr uint32_t kFingerprintMask = 16383;  // 16,384 slots for 8,367 fingerprints
  struct Slot {
    uint16_t index = 0;  // 1 + index into kSqlWords; 0: empty
    uint8_t len = 0;
    uint8_t tag = 0;  // the hash's top byte
  };
  static uint32_t Hash(const char* s, size_t n) {
    uint32_t h = 2166136261u;  // FNV-1a
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<uint8_t>(s[i])) * 16777619u;
    return h;
  }
  // A fingerprint of 1-8 bytes, upper-cased (the table's are), packed into a non-zero integer
  // (no byte is NUL, so lengths stay apart); 0 for any other length.
  static uint64_t FingerprintKey(const char* fp, size_t n) {
    if (n == 0 || n > 8) return 0;
    uint64_t key = 0;
    for (size_t i = 0; i < n; ++i) key = key << 8 | static_cast<uint8_t>(Upper(fp[i]));
    return key;
  }
  static uint32_t Mix(uint64_t k) {
    k *= 0x9E3779B97F4A7C15ull;
    return static_cast<uint32_t>(k >> 40);
  }

  // Static storage, no heap: the first lookup allocates nothing either.
  SqlTables() {
    static_assert(GS_SQLI_WORD_COUNT < 65535, "word index must fit 16 bits");
    for (size_t k = 0; k < GS_SQLI_WORD_COUNT; ++k) {
      const char* w = kSqlWords[k].word;
      const size_t n = std::strlen(w);
      if (n == 0 || n > kMaxWord) continue;  // the generator never writes such words
      if (n > max_word_) max_word_ = n;
      const uint32_t h = Hash(w, n);
      uint32_t i = h & kWordMask;
      while (words_[i].index != 0) i = (i + 1) & kWordMask;
      words_[i] = Slot{static_cast<uint16_t>(k + 1), static_cast<uint8_t>(n),
                       static_cast<uint8_t>(h >> 24)};
    }
    for (size_t k = 0; k < GS_SQLI_FINGERPRINT_COUNT; ++k) {
      const uint64_t key = FingerprintKey(kSqlFingerprints[k], std::strlen(kSqlFingerprints[k]));
      if (key == 0) continue;  // the generator never writes such fingerprints
      uint32_t i = Mix(key) & kFingerprintMask;
      while (fingerprints_[i] != 0 && fingerprints_[i] != key) i = (i + 1) & kFingerprintMask;
      fingerprints_[i] = key;
    }
  }

  std::array<Slot, kWordMask + 1> words_{};
  std::array<uint64_t, kFingerprintMask + 1> fingerprints_{};
  size_t max_word_ = 0;
};

char LookupWord(const char* s, size_t n) { return SqlTables::Get().Word(s, n); }

bool IsKnownFingerprint(const char* fp, size_t n) { return SqlTables::Get().Fingerprint(fp, n); }

// Whitespace as the SQL tokenizer sees it (NUL and Latin-1 NBSP included).
bool IsWhite(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0 ||
         c == '\xa0';
}

bool InSet(char c, std::string_view set) { return c == 0 || set.find(c) != set.npos; }

// Length of the prefix of s[0..n) made of bytes in `set` (NUL always counts as a member).
size_t SpanIn(const char* s, size_t n, std::string_view set) {
  for (size_t i = 0; i < n; ++i) {
    if (!InSet(s[i], set)) return i;
  }
  return n;
}

// Finds the first occurrence of the byte pair c0 c1 in s[0..n).
const char* FindPair(const char* s, size_t n, char c0, char c1) {
  if (n < 2) return nullptr;
  const char* cur = s;
  const char* last = s + n - 1;
  while (cur < last) {
    if (cur[0] == c0 && cur[1] == c1) return cur;
    ++cur;
  }
  return nullptr;
}

const char* FindBytes(const char* s, size_t n, const char* needle, size_t nlen) {
  if (n < nlen) return nullptr;
  for (size_t i = 0; i + nlen <= n; ++i) {
    if (s[i] == needle[0] && std::memcmp(s + i, needle, nlen) == 0) return s + i;
  }
  return nullptr;
}

bool EqualsNoCase(const char* val, size_t len, std::string_view upper) {
  if (len != upper.size()) return false;
  for (size_t i = 0; i < len; ++i) {
    if (Upper(val[i]) != upper[i]) return false;
  }
  return true;
}

struct Token {
  char type;
  char str_open;
  char str_close;
  size_t pos;
  size_t len;
  char val[kTokenSize];

  void Clear() { std::memset(this, 0, sizeof(*this)); }
  // Keeps at most 31 bytes; `len` is the kept length too (the reference tokenizer's token length
  // saturates the same way, and the whitelist rules index the input by it).
  void Assign(char t, size_t p, size_t l, const char* v) {
    type = t;
    pos = p;
    size_t n = l < kTokenSize - 1 ? l : kTokenSize - 1;
    len = n;
    std::memcpy(val, v, n);
    val[n] = 0;
  }
  void AssignChar(char t, size_t p, char c) {
    type = t;
    pos = p;
    len = 1;
    val[0] = c;
    val[1] = 0;
  }
  bool IsUnaryOp() const {
    if (type != kOperator) return false;
    switch (len) {
      case 1:
        return val[0] == '+' || val[0] == '-' || val[0] == '!' || val[0] == '~';
      case 2:
        return val[0] == '!' && val[1] == '!';
      case 3:
        return EqualsNoCase(val, 3, "NOT");
      default:
        return false;
    }
  }
  bool IsArithmeticOp() const {
    char c = val[0];
    return type == kOperator && len == 1 &&
           (c == '*' || c == '/' || c == '-' || c == '+' || c == '%');
  }
  bool Is(std::string_view upper) const {
    return len < kTokenSize && EqualsNoCase(val, len, upper);
  }
};

// What a byte starts, in the bare (unquoted) tokenizer state.
enum class Lex : uint8_t {
  kWhite,
  kOther,      // one unknown-type token
  kChar,       // ( ) , ; { } : token type is the byte itself
  kOperator1,  // one-byte operator
  kOperator2,  // operator, possibly two bytes (table lookup)
  kString,     // ' or "
  kHash,       // #
  kMoney,      // $
  kDash,       // -
  kSlash,      // /
  kNumber,     // digits and .
  kVar,        // @
  kWord,
  kBracketWord,  // [ ... ]
  kBackslash,
  kTick,  // `
  kBString,
  kEString,
  kNqString,
  kQString,
  kUString,
  kXString,
};

struct LexTable {
  Lex map[256];
  constexpr LexTable() : map() {
    for (int c = 0; c < 256; ++c) map[c] = Lex::kWord;
    for (int c = 0; c <= 32; ++c) map[c] = Lex::kWhite;
    map[127] = Lex::kWhite;
    map[0xa0] = Lex::kWhite;
    map['!'] = Lex::kOperator2;
    map['"'] = Lex::kString;
    map['#'] = Lex::kHash;
    map['$'] = Lex::kMoney;
    map['%'] = Lex::kOperator1;
    map['&'] = Lex::kOperator2;
    map['\''] = Lex::kString;
    map['('] = Lex::kChar;
    map[')'] = Lex::kChar;
    map['*'] = Lex::kOperator2;
    map['+'] = Lex::kOperator1;
    map[','] = Lex::kChar;
    map['-'] = Lex::kDash;
    map['.'] = Lex::kNumber;
    map['/'] = Lex::kSlash;
    for (int c = '0'; c <= '9'; ++c) map[c] = Lex::kNumber;
    map[':'] = Lex::kOperator2;
    map[';'] = Lex::kChar;
    map['<'] = Lex::kOperator2;
    map['='] = Lex::kOperator2;
    map['>'] = Lex::kOperator2;
    map['?'] = Lex::kOther;
    map['@'] = Lex::kVar;
    map['['] = Lex::kBracketWord;
    map['\\'] = Lex::kBackslash;
    map[']'] = Lex::kOther;
    map['^'] = Lex::kOperator1;
    map['`'] = Lex::kTick;
    map['{'] = Lex::kChar;
    map['|'] = Lex::kOperator2;
    map['}'] = Lex::kChar;
    map['~'] = Lex::kOperator1;
    for (char c : {'B', 'b'}) map[static_cast<unsigned char>(c)] = Lex::kBString;
    for (char c : {'E', 'e'}) map[static_cast<unsigned char>(c)] = Lex::kEString;
    for (char c : {'N', 'n'}) map[static_cast<unsigned char>(c)] = Lex::kNqString;
    for (char c : {'Q', 'q'}) map[static_cast<unsigned char>(c)] = Lex::kQString;
    for (char c : {'U', 'u'}) map[static_cast<unsigned char>(c)] = Lex::kUString;
    for (char c : {'X', 'x'}) map[static_cast<unsigned char>(c)] = Lex::kXString;
  }
};
constexpr LexTable kLex;

constexpr std::string_view kWordStop = " []{}<>:\\?=@!#~+-*/&|^%(),';\t\n\v\f\r\"\xa0";
constexpr std::string_view kVarStop = " <>:\\?=@!#~+-*/&|^%(),';\t\n\v\f\r'`\"";

// A stop set as a byte table (NUL always a member, as InSet): the word and variable scanners walk
// every byte of long words (a Chinese value is one word of high bytes), where InSet's search of
// the set per byte dominated.
struct StopTable {
  bool in[256] = {};
  constexpr explicit StopTable(std::string_view set) {
    in[0] = true;
    for (char c : set) in[static_cast<unsigned char>(c)] = true;
  }
};
constexpr StopTable kWordStopTable(kWordStop);
constexpr StopTable kVarStopTable(kVarStop);

// Length of the prefix of s[0..n) made of bytes NOT in the table's set (NUL always stops).
size_t SpanNotIn(const char* s, size_t n, const StopTable& t) {
  for (size_t i = 0; i < n; ++i) {
    if (t.in[static_cast<unsigned char>(s[i])]) return i;
  }
  return n;
}

// One tokenize+fold pass over the input with fixed flags.
class Pass {
 public:
  Pass(std::string_view input, int flags) : s_(input.data()), n_(input.size()), flags_(flags) {
    for (Token& t : tokens_) t.Clear();
    last_comment_.Clear();
  }

  // Runs the pass; fills fingerprint (NUL-terminated, at most 5 types).
  void Fingerprint();
  bool IsSqli() const;  // fingerprint in the known set and not whitelisted
  bool ReparseAsMysql() const { return comment_ddx_ > 0 || comment_hash_ > 0; }
  const char* fingerprint() const { return fingerprint_; }

 private:
  char At(size_t i) const { return i < n_ ? s_[i] : 0; }

  bool NextToken();  // into *cur_; false at end of input
  size_t ParseWhite() { return pos_ + 1; }
  size_t ParseOther() {
    cur_->AssignChar(kUnknown, pos_, s_[pos_]);
    return pos_ + 1;
  }
  size_t ParseChar() {
    cur_->AssignChar(s_[pos_], pos_, s_[pos_]);
    return pos_ + 1;
  }
  size_t ParseOperator1() {
    cur_->AssignChar(kOperator, pos_, s_[pos_]);
    return pos_ + 1;
  }
  size_t ParseOperator2();
  size_t ParseEolComment();
  size_t ParseHash();
  size_t ParseDash();
  size_t ParseSlash();
  size_t ParseBackslash();
  size_t ParseStringCore(size_t pos, char delim, size_t offset);
  size_t ParseString() { return ParseStringCore(pos_, s_[pos_], 1); }
  size_t ParseTick();
  size_t ParseVar();
  size_t ParseMoney();
  size_t ParseNumber();
  size_t ParseWord();
  size_t ParseBracketWord();
  size_t ParseQStringCore(size_t offset);
  size_t ParseNqString();
  size_t ParseBinOrHexString(std::string_view digits);
  size_t ParseEString();
  size_t ParseUString();

  int Fold();
  bool MergeWords(Token* a, const Token& b);
  bool NotWhitelisted() const;

  const char* s_;
  size_t n_;
  int flags_;
  size_t pos_ = 0;
  Token* cur_ = nullptr;
  Token tokens_[8];
  Token last_comment_;
  char fingerprint_[8] = {};
  int stats_tokens_ = 0;
  int comment_ddx_ = 0;
  int comment_hash_ = 0;
};

size_t Pass::ParseOperator2() {
  if (pos_ + 1 >= n_) return ParseOperator1();
  if (pos_ + 2 < n_ && s_[pos_] == '<' && s_[pos_ + 1] == '=' && s_[pos_ + 2] == '>') {
    cur_->Assign(kOperator, pos_, 3, s_ + pos_);
    return pos_ + 3;
  }
  char t = LookupWord(s_ + pos_, 2);
  if (t != kNone) {
    cur_->Assign(t, pos_, 2, s_ + pos_);
    return pos_ + 2;
  }
  if (s_[pos_] == ':') {
    cur_->Assign(kColon, pos_, 1, s_ + pos_);
    return pos_ + 1;
  }
  return ParseOperator1();
}

size_t Pass::ParseEolComment() {
  const void* nl = std::memchr(s_ + pos_, '\n', n_ - pos_);
  if (nl == nullptr) {
    cur_->Assign(kComment, pos_, n_ - pos_, s_ + pos_);
    return n_;
  }
  size_t end = static_cast<const char*>(nl) - s_;
  cur_->Assign(kComment, pos_, end - pos_, s_ + pos_);
  return end + 1;
}

size_t Pass::ParseHash() {
  ++comment_hash_;
  if (flags_ & kSqlMysql) {
    ++comment_hash_;
    return ParseEolComment();
  }
  cur_->AssignChar(kOperator, pos_, '#');
  return pos_ + 1;
}

size_t Pass::ParseDash() {
  // "-- " and a final "--" are comments everywhere; "--x" is a comment in ANSI SQL but two
  // unary minus signs in MySQL; a lone '-' is an operator.
  if (pos_ + 2 < n_ && s_[pos_ + 1] == '-' && IsWhite(s_[pos_ + 2])) return ParseEolComment();
  if (pos_ + 2 == n_ && s_[pos_ + 1] == '-') return ParseEolComment();
  if (pos_ + 1 < n_ && s_[pos_ + 1] == '-' && (flags_ & kSqlAnsi)) {
    ++comment_ddx_;
    return ParseEolComment();
  }
  cur_->AssignChar(kOperator, pos_, '-');
  return pos_ + 1;
}

size_t Pass::ParseSlash() {
  size_t p1 = pos_ + 1;
  if (p1 == n_ || s_[p1] != '*') return ParseOperator1();
  const char* cur = s_ + pos_;
  const char* end = FindPair(cur + 2, n_ - (pos_ + 2), '*', '/');
  size_t clen = end == nullptr ? n_ - pos_ : static_cast<size_t>(end + 2 - cur);
  char type = kComment;
  // A nested "/*" (PostgreSQL nests comments, others do not) or a MySQL "/*!" executable
  // comment make the parse ambiguous: treated as evil outright.
  if (end != nullptr && FindPair(cur + 2, static_cast<size_t>(end - (cur + 1)), '/', '*')) {
    type = kEvil;
  } else if (pos_ + 2 < n_ && s_[pos_ + 2] == '!') {
    type = kEvil;
  }
  cur_->Assign(type, pos_, clen, cur);
  return pos_ + clen;
}

size_t Pass::ParseBackslash() {
  if (pos_ + 1 < n_ && s_[pos_ + 1] == 'N') {  // MySQL's \N is NULL
    cur_->Assign(kNumber, pos_, 2, s_ + pos_);
    return pos_ + 2;
  }
  cur_->AssignChar(kBackslash, pos_, s_[pos_]);
  return pos_ + 1;
}

// A string starting at pos (offset = bytes of prefix/quote to skip; 0 = the pass starts inside
// a string). A delimiter preceded by an odd run of backslashes, or doubled, does not end it.
size_t Pass::ParseStringCore(size_t pos, char delim, size_t offset) {
  const char* start = s_ + pos + offset;
  const char* end = s_ + n_;
  const char* q = static_cast<const char*>(std::memchr(start, delim, n_ - pos - offset));
  cur_->str_open = offset > 0 ? delim : 0;
  while (true) {
    if (q == nullptr) {
      cur_->Assign(kString, pos + offset, n_ - pos - offset, start);
      cur_->str_close = 0;
      return n_;
    }
    size_t backslashes = 0;
    for (const char* b = q - 1; b >= start && *b == '\\'; --b) ++backslashes;
    if (backslashes & 1) {
      q = static_cast<const char*>(std::memchr(q + 1, delim, end - (q + 1)));
      continue;
    }
    if (q + 1 < end && q[1] == q[0]) {
      q = static_cast<const char*>(std::memchr(q + 2, delim, end - (q + 2)));
      continue;
    }
    cur_->Assign(kString, pos + offset, q - start, start);
    cur_->str_close = delim;
    return q - s_ + 1;
  }
}

size_t Pass::ParseTick() {
  size_t next = ParseStringCore(pos_, '`', 1);
  // MySQL treats any `quoted` name as a name, unless it names a function.
  cur_->type = (cur_->len < kTokenSize && LookupWord(cur_->val, cur_->len) == kFunction)
                   ? kFunction
                   : kBareword;
  return next;
}

size_t Pass::ParseVar() {
  size_t pos = pos_ + 1;
  if (pos < n_ && s_[pos] == '@') ++pos;  // @@system_variable
  if (pos < n_) {
    if (s_[pos] == '`') {
      pos_ = pos;
      size_t next = ParseTick();
      cur_->type = kVariable;
      return next;
    }
    if (s_[pos] == '\'' || s_[pos] == '"') {
      pos_ = pos;
      size_t next = ParseString();
      cur_->type = kVariable;
      return next;
    }
  }
  size_t len = SpanNotIn(s_ + pos, n_ - pos, kVarStopTable);
  cur_->Assign(kVariable, pos, len, s_ + pos);
  return pos + len;
}

size_t Pass::ParseMoney() {
  size_t pos = pos_;
  if (pos + 1 == n_) {
    cur_->AssignChar(kBareword, pos, '$');
    return n_;
  }
  size_t len = SpanIn(s_ + pos + 1, n_ - pos - 1, "0123456789.,");
  if (len == 1 && s_[pos + 1] == '.') return ParseWord();
  if (len > 0) {  // $1,000.00 money literal
    cur_->Assign(kNumber, pos, 1 + len, s_ + pos);
    return pos + 1 + len;
  }
  if (s_[pos + 1] == '$') {  // PostgreSQL $$dollar quoted$$
    const char* end = FindBytes(s_ + pos + 2, n_ - pos - 2, "$$", 2);
    if (end == nullptr) {
      cur_->Assign(kString, pos + 2, n_ - (pos + 2), s_ + pos + 2);
      cur_->str_open = '$';
      cur_->str_close = 0;
      return n_;
    }
    cur_->Assign(kString, pos + 2, end - (s_ + pos + 2), s_ + pos + 2);
    cur_->str_open = '$';
    cur_->str_close = '$';
    return end + 2 - s_;
  }
  // $tag$ ... $tag$
  len = SpanIn(s_ + pos + 1, n_ - pos - 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
  if (len == 0 || pos + len + 1 == n_ || s_[pos + len + 1] != '$') {
    cur_->AssignChar(kBareword, pos, '$');
    return pos + 1;
  }
  size_t body = pos + len + 2;
  const char* end = FindBytes(s_ + body, n_ - body, s_ + pos, len + 2);
  if (end == nullptr) {
    cur_->Assign(kString, body, n_ - body, s_ + body);
    cur_->str_open = '$';
    cur_->str_close = 0;
    return n_;
  }
  cur_->Assign(kString, body, end - (s_ + body), s_ + body);
  cur_->str_open = '$';
  cur_->str_close = '$';
  return end + len + 2 - s_;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t Pass::ParseNumber() {
  size_t pos = pos_;
  if (s_[pos] == '0' && pos + 1 < n_) {
    std::string_view digits;
    if (s_[pos + 1] == 'X' || s_[pos + 1] == 'x') {
      digits = "0123456789ABCDEFabcdef";
    } else if (s_[pos + 1] == 'B' || s_[pos + 1] == 'b') {
      digits = "01";
    }
    if (!digits.empty()) {
      size_t len = SpanIn(s_ + pos + 2, n_ - pos - 2, digits);
      if (len == 0) {
        cur_->Assign(kBareword, pos, 2, s_ + pos);
        return pos + 2;
      }
      cur_->Assign(kNumber, pos, 2 + len, s_ + pos);
      return pos + 2 + len;
    }
  }
  size_t start = pos;
  while (pos < n_ && IsDigit(s_[pos])) ++pos;
  if (pos < n_ && s_[pos] == '.') {
    ++pos;
    while (pos < n_ && IsDigit(s_[pos])) ++pos;
    if (pos - start == 1) {  // a lone '.'
      cur_->AssignChar(kDot, start, '.');
      return pos;
    }
  }
  bool have_e = false, have_exp = false;
  if (pos < n_ && (s_[pos] == 'E' || s_[pos] == 'e')) {
    have_e = true;
    ++pos;
    if (pos < n_ && (s_[pos] == '+' || s_[pos] == '-')) ++pos;
    while (pos < n_ && IsDigit(s_[pos])) {
      have_exp = true;
      ++pos;
    }
  }
  // Oracle float/double suffixes: 1.2f, 1d; "1fUNION" reads as "1f UNION".
  if (pos < n_ && (s_[pos] == 'd' || s_[pos] == 'D' || s_[pos] == 'f' || s_[pos] == 'F')) {
    if (pos + 1 == n_ || IsWhite(s_[pos + 1]) || s_[pos + 1] == ';' || s_[pos + 1] == 'u' ||
        s_[pos + 1] == 'U') {
      ++pos;
    }
  }
  // "1.e" has an exponent marker but no exponent: a word, not a number.
  cur_->Assign(have_e && !have_exp ? kBareword : kNumber, start, pos - start, s_ + start);
  return pos;
}

size_t Pass::ParseWord() {
  size_t pos = pos_;
  size_t len = SpanNotIn(s_ + pos, n_ - pos, kWordStopTable);
  cur_->Assign(kBareword, pos, len, s_ + pos);
  // "SELECT.1" / "SELECT`x`": a keyword glued to '.' or '`' is the keyword alone.
  size_t limit = len < kTokenSize - 1 ? len : kTokenSize - 1;
  for (size_t i = 0; i < limit; ++i) {
    char c = s_[pos + i];
    if (c == '.' || c == '`') {
      char t = LookupWord(s_ + pos, i);
      if (t != kNone && t != kBareword) {
        cur_->Clear();
        cur_->Assign(t, pos, i, s_ + pos);
        return pos + i;
      }
    }
  }
  if (len < kTokenSize) {
    char t = LookupWord(s_ + pos, len);
    cur_->type = t == kNone ? kBareword : t;
  }
  return pos + len;
}

size_t Pass::ParseBracketWord() {  // SQL Server [quoted name]
  const void* end = std::memchr(s_ + pos_, ']', n_ - pos_);
  if (end == nullptr) {
    cur_->Assign(kBareword, pos_, n_ - pos_, s_ + pos_);
    return n_;
  }
  size_t e = static_cast<const char*>(end) - s_;
  cur_->Assign(kBareword, pos_, e - pos_ + 1, s_ + pos_);
  return e + 1;
}

// Oracle q'<delim>...<delim>' strings (offset 1 for nq'...').
size_t Pass::ParseQStringCore(size_t offset) {
  size_t pos = pos_ + offset;
  if (pos >= n_ || (s_[pos] != 'q' && s_[pos] != 'Q') || pos + 2 >= n_ || s_[pos + 1] != '\'') {
    return ParseWord();
  }
  signed char ch = static_cast<signed char>(s_[pos + 2]);
  if (ch < 33) return ParseWord();
  switch (ch) {
    case '(':
      ch = ')';
      break;
    case '[':
      ch = ']';
      break;
    case '{':
      ch = '}';
      break;
    case '<':
      ch = '>';
      break;
    default:
      break;
  }
  const char* end = FindPair(s_ + pos + 3, n_ - pos - 3, static_cast<char>(ch), '\'');
  if (end == nullptr) {
    cur_->Assign(kString, pos + 3, n_ - pos - 3, s_ + pos + 3);
    cur_->str_open = 'q';
    cur_->str_close = 0;
    return n_;
  }
  cur_->Assign(kString, pos + 3, (end - s_) - pos - 3, s_ + pos + 3);
  cur_->str_open = 'q';
  cur_->str_close = 'q';
  return end - s_ + 2;
}

size_t Pass::ParseNqString() {  // N'national string' or Oracle nq'..'
  if (pos_ + 2 < n_ && s_[pos_ + 1] == '\'') return ParseEString();
  return ParseQStringCore(1);
}

size_t Pass::ParseEString() {  // E'escape string' (PostgreSQL)
  if (pos_ + 2 >= n_ || s_[pos_ + 1] != '\'') return ParseWord();
  return ParseStringCore(pos_, '\'', 2);
}

size_t Pass::ParseBinOrHexString(std::string_view digits) {  // b'0101', x'CAFE'
  size_t pos = pos_;
  if (pos + 2 >= n_ || s_[pos + 1] != '\'') return ParseWord();
  size_t len = SpanIn(s_ + pos + 2, n_ - pos - 2, digits);
  if (pos + 2 + len >= n_ || s_[pos + 2 + len] != '\'') return ParseWord();
  cur_->Assign(kNumber, pos, len + 3, s_ + pos);
  return pos + 2 + len + 1;
}

size_t Pass::ParseUString() {  // U&'unicode string'
  if (pos_ + 2 < n_ && s_[pos_ + 1] == '&' && s_[pos_ + 2] == '\'') {
    pos_ += 2;
    size_t next = ParseString();
    cur_->str_open = 'u';
    if (cur_->str_close == '\'') cur_->str_close = 'u';
    return next;
  }
  return ParseWord();
}

bool Pass::NextToken() {
  if (n_ == 0) return false;
  cur_->Clear();
  if (pos_ == 0 && (flags_ & (kQuoteSingle | kQuoteDouble))) {
    // The pass models input that lands inside a string literal: it starts in a string.
    pos_ = ParseStringCore(0, (flags_ & kQuoteSingle) ? '\'' : '"', 0);
    ++stats_tokens_;
    return true;
  }
  while (pos_ < n_) {
    switch (kLex.map[static_cast<unsigned char>(s_[pos_])]) {
      case Lex::kWhite:
        pos_ = ParseWhite();
        break;
      case Lex::kOther:
        pos_ = ParseOther();
        break;
      case Lex::kChar:
        pos_ = ParseChar();
        break;
      case Lex::kOperator1:
        pos_ = ParseOperator1();
        break;
      case Lex::kOperator2:
        pos_ = ParseOperator2();
        break;
      case Lex::kString:
        pos_ = ParseString();
        break;
      case Lex::kHash:
        pos_ = ParseHash();
        break;
      case Lex::kMoney:
        pos_ = ParseMoney();
        break;
      case Lex::kDash:
        pos_ = ParseDash();
        break;
      case Lex::kSlash:
        pos_ = ParseSlash();
        break;
      case Lex::kNumber:
        pos_ = ParseNumber();
        break;
      case Lex::kVar:
        pos_ = ParseVar();
        break;
      case Lex::kWord:
        pos_ = ParseWord();
        break;
      case Lex::kBracketWord:
        pos_ = ParseBracketWord();
        break;
      case Lex::kBackslash:
        pos_ = ParseBackslash();
        break;
      case Lex::kTick:
        pos_ = ParseTick();
        break;
      case Lex::kBString:
        pos_ = ParseBinOrHexString("01");
        break;
      case Lex::kEString:
        pos_ = ParseEString();
        break;
      case Lex::kNqString:
        pos_ = ParseNqString();
        break;
      case Lex::kQString:
        pos_ = ParseQStringCore(0);
        break;
      case Lex::kUString:
        pos_ = ParseUString();
        break;
      case Lex::kXString:
        pos_ = ParseBinOrHexString("0123456789ABCDEFabcdef");
        break;
    }
    if (cur_->type != kNone) {
      ++stats_tokens_;
      return true;
    }
  }
  return false;
}

// "UNION" + "ALL" -> "UNION ALL" when the pair is itself a known word.
bool Pass::MergeWords(Token* a, const Token& b) {
  auto mergeable = [](char t) {
    return t == kKeyword || t == kBareword || t == kOperator || t == kUnion || t == kFunction ||
           t == kExpression || t == kTsql || t == kSqlType;
  };
  if (!mergeable(a->type)) return false;
  if (!mergeable(b.type) && b.type != kLogicOperator) return false;
  size_t n = a->len + b.len + 1;
  if (n >= kTokenSize) return false;
  char tmp[kTokenSize];
  std::memcpy(tmp, a->val, a->len);
  tmp[a->len] = ' ';
  std::memcpy(tmp + a->len + 1, b.val, b.len);
  tmp[n] = 0;
  char t = LookupWord(tmp, n);
  if (t == kNone) return false;
  a->Assign(t, a->pos, n, tmp);
  return true;
}

int Pass::Fold() {
  Token* v = tokens_;
  size_t pos = 0;   // where the next token goes
  size_t left = 0;  // tokens already final
  bool more = true;
  // Leading comments, '(' , SQL types and unary operators do not count.
  cur_ = &v[0];
  while (more) {
    more = NextToken();
    if (!(cur_->type == kComment || cur_->type == kLeftParens || cur_->type == kSqlType ||
          cur_->IsUnaryOp())) {
      break;
    }
  }
  if (!more) return 0;
  pos = 1;

  auto fetch = [&](size_t want) {
    while (more && pos <= kMaxTokens && pos - left < want) {
      cur_ = &v[pos];
      more = NextToken();
      if (more) {
        if (cur_->type == kComment) {
          last_comment_ = *cur_;
        } else {
          last_comment_.type = kNone;
          ++pos;
        }
      }
    }
  };

  while (true) {
    if (pos >= kMaxTokens) {
      // A few 5-token shapes are common in benign values (`1,(2)`, `a-(b)`): restart folding
      // from their last token.
      const char t0 = v[0].type, t1 = v[1].type, t2 = v[2].type, t3 = v[3].type, t4 = v[4].type;
      if ((t0 == kNumber && (t1 == kOperator || t1 == kComma) && t2 == kLeftParens &&
           t3 == kNumber && t4 == kRightParens) ||
          (t0 == kBareword && t1 == kOperator && t2 == kLeftParens &&
           (t3 == kBareword || t3 == kNumber) && t4 == kRightParens) ||
          (t0 == kNumber && t1 == kRightParens && t2 == kComma && t3 == kLeftParens &&
           t4 == kNumber) ||
          (t0 == kBareword && t1 == kRightParens && t2 == kOperator && t3 == kLeftParens &&
           t4 == kBareword)) {
        if (pos > kMaxTokens) {
          v[1] = v[kMaxTokens];
          pos = 2;
          left = 0;
        } else {
          pos = 1;
          left = 0;
        }
      }
    }
    if (!more || left >= kMaxTokens) {
      left = pos;
      break;
    }

    fetch(2);
    if (pos - left < 2) {
      left = pos;
      continue;
    }
    Token& a = v[left];
    Token& b = v[left + 1];

    if (a.type == kString && b.type == kString) {  // 'a' 'b' is one string in SQL
      --pos;
      continue;
    }
    if (a.type == kSemicolon && b.type == kSemicolon) {
      --pos;
      continue;
    }
    if ((a.type == kOperator || a.type == kLogicOperator) &&
        (b.IsUnaryOp() || b.type == kSqlType)) {
      --pos;
      left = 0;
      continue;
    }
    if (a.type == kLeftParens && b.IsUnaryOp()) {
      --pos;
      if (left > 0) --left;
      continue;
    }
    if (MergeWords(&a, b)) {
      --pos;
      if (left > 0) --left;
      continue;
    }
    if (a.type == kSemicolon && b.type == kFunction && (b.val[0] == 'I' || b.val[0] == 'i') &&
        (b.val[1] == 'F' || b.val[1] == 'f')) {
      b.type = kTsql;  // "; IF ..." is T-SQL control flow
      continue;
    }
    if ((a.type == kBareword || a.type == kVariable) && b.type == kLeftParens &&
        (a.Is("USER_ID") || a.Is("USER_NAME") || a.Is("DATABASE") || a.Is("PASSWORD") ||
         a.Is("USER") || a.Is("CURRENT_USER") || a.Is("CURRENT_DATE") || a.Is("CURRENT_TIME") ||
         a.Is("CURRENT_TIMESTAMP") || a.Is("LOCALTIME") || a.Is("LOCALTIMESTAMP"))) {
      a.type = kFunction;  // column-name-like words used as functions
      continue;
    }
    if (a.type == kKeyword && (a.Is("IN") || a.Is("NOT IN"))) {
      a.type = b.type == kLeftParens ? kOperator : kBareword;
      continue;
    }
    if (a.type == kOperator && (a.Is("LIKE") || a.Is("NOT LIKE"))) {
      if (b.type == kLeftParens) a.type = kFunction;
      // falls through to the three-token rules, as the reference does
    } else if (a.type == kSqlType &&
               (b.type == kBareword || b.type == kNumber || b.type == kSqlType ||
                b.type == kLeftParens || b.type == kFunction || b.type == kVariable ||
                b.type == kString)) {
      a = b;
      --pos;
      left = 0;
      continue;
    } else if (a.type == kCollate && b.type == kBareword) {
      if (std::memchr(b.val, '_', std::strlen(b.val)) != nullptr) {
        b.type = kSqlType;
        left = 0;
      }
    } else if (a.type == kBackslash) {
      if (b.IsArithmeticOp()) {
        a.type = kNumber;  // T-SQL reads '\%1' as '0 % 1'
      } else {
        a = b;
        --pos;
      }
      left = 0;
      continue;
    } else if (a.type == kLeftParens && b.type == kLeftParens) {
      --pos;
      left = 0;
      continue;
    } else if (a.type == kRightParens && b.type == kRightParens) {
      --pos;
      left = 0;
      continue;
    } else if (a.type == kLeftBrace && b.type == kBareword) {
      // ODBC / MySQL "{foo expr}": drop "{ foo"; "{ ``" is too odd to parse, so evil.
      if (b.len == 0) {
        b.type = kEvil;
        return static_cast<int>(left + 2);
      }
      left = 0;
      pos -= 2;
      continue;
    } else if (b.type == kRightBrace) {
      --pos;
      left = 0;
      continue;
    }

    fetch(3);
    if (pos - left < 3) {
      left = pos;
      continue;
    }
    Token& c = v[left + 2];
    Token& a3 = v[left];
    Token& b3 = v[left + 1];
    const char ta = a3.type, tb = b3.type, tc = c.type;
    if (ta == kNumber && tb == kOperator && tc == kNumber) {
      pos -= 2;
      left = 0;
      continue;
    }
    if (ta == kOperator && tb != kLeftParens && tc == kOperator) {
      left = 0;
      pos -= 2;
      continue;
    }
    if (ta == kLogicOperator && tc == kLogicOperator) {
      pos -= 2;
      left = 0;
      continue;
    }
    if (ta == kVariable && tb == kOperator &&
        (tc == kVariable || tc == kNumber || tc == kBareword)) {
      pos -= 2;
      left = 0;
      continue;
    }
    if ((ta == kBareword || ta == kNumber) && tb == kOperator &&
        (tc == kNumber || tc == kBareword)) {
      pos -= 2;
      left = 0;
      continue;
    }
    if ((ta == kBareword || ta == kNumber || ta == kVariable || ta == kString) && tb == kOperator &&
        b3.len == 2 && b3.val[0] == ':' && b3.val[1] == ':' && tc == kSqlType) {
      pos -= 2;
      left = 0;
      continue;
    }
    if ((ta == kBareword || ta == kNumber || ta == kString || ta == kVariable) && tb == kComma &&
        (tc == kNumber || tc == kBareword || tc == kString || tc == kVariable)) {
      pos -= 2;
      left = 0;
      continue;
    }
    if ((ta == kExpression || ta == kGroup || ta == kComma) && b3.IsUnaryOp() &&
        tc == kLeftParens) {
      b3 = c;
      --pos;
      left = 0;
      continue;
    }
    if ((ta == kKeyword || ta == kExpression || ta == kGroup) && b3.IsUnaryOp() &&
        (tc == kNumber || tc == kBareword || tc == kVariable || tc == kString || tc == kFunction)) {
      b3 = c;
      --pos;
      left = 0;
      continue;
    }
    if (ta == kComma && b3.IsUnaryOp() &&
        (tc == kNumber || tc == kBareword || tc == kVariable || tc == kString)) {
      b3 = c;
      left = 0;
      pos -= 3;  // back up: "1,-1" folds further to "1"
      continue;
    }
    if (ta == kComma && b3.IsUnaryOp() && tc == kFunction) {
      b3 = c;
      --pos;
      left = 0;
      continue;
    }
    if (ta == kBareword && tb == kDot && tc == kBareword) {  // db.table
      pos -= 2;
      left = 0;
      continue;
    }
    if (ta == kExpression && tb == kDot && tc == kBareword) {
      b3 = c;
      --pos;
      left = 0;
      continue;
    }
    if (ta == kFunction && tb == kLeftParens && tc != kRightParens) {
      // USER() takes no arguments: USER(x) is not the function.
      if (a3.Is("USER")) a3.type = kBareword;
    }
    ++left;
  }

  if (left < kMaxTokens && last_comment_.type == kComment) {
    v[left] = last_comment_;
    ++left;
  }
  if (left > kMaxTokens) left = kMaxTokens;
  return static_cast<int>(left);
}

void Pass::Fingerprint() {
  int n = Fold();
  // An unterminated, empty `backtick at the end is PHP's magic comment.
  if (n > 2 && tokens_[n - 1].type == kBareword && tokens_[n - 1].str_open == '`' &&
      tokens_[n - 1].len == 0 && tokens_[n - 1].str_close == 0) {
    tokens_[n - 1].type = kComment;
  }
  for (int i = 0; i < n; ++i) fingerprint_[i] = tokens_[i].type;
  fingerprint_[n] = 0;
  if (std::memchr(fingerprint_, kEvil, n) != nullptr) {
    std::memset(fingerprint_, 0, sizeof(fingerprint_));
    fingerprint_[0] = kEvil;
    tokens_[0].Clear();
    tokens_[0].type = kEvil;
    tokens_[0].val[0] = kEvil;
    tokens_[1].type = kNone;
  }
}

// Short fingerprints are common in ordinary text; these rules keep the known false positives out.
bool Pass::NotWhitelisted() const {
  const size_t n = std::strlen(fingerprint_);
  const Token* v = tokens_;
  if (n > 1 && fingerprint_[n - 1] == kComment && FindBytes(s_, n_, "sp_password", 11) != nullptr) {
    return true;  // MS SQL hides statements with sp_password in the log
  }
  switch (n) {
    case 2: {
      if (fingerprint_[1] == kUnion) return stats_tokens_ != 2;
      if (v[1].val[0] == '#') return false;
      if (v[0].type == kBareword && v[1].type == kComment && v[1].val[0] != '/') return false;
      if (v[0].type == kNumber && v[1].type == kComment && v[1].val[0] == '/') return true;
      if (v[0].type == kNumber && v[1].type == kComment) {
        if (stats_tokens_ > 2) return true;
        // "1234 --", "1/*", "1--" are SQL; "1c" glued to other text is not.
        signed char ch = static_cast<signed char>(At(v[0].len));
        if (ch <= 32) return true;
        if (ch == '/' && At(v[0].len + 1) == '*') return true;
        if (ch == '-' && At(v[0].len + 1) == '-') return true;
        return false;
      }
      // "x -- comment" is prose; only a trailing bare "--" is a scan.
      if (v[1].len > 2 && v[1].val[0] == '-') return false;
      break;
    }
    case 3: {
      if (std::strcmp(fingerprint_, "sos") == 0 || std::strcmp(fingerprint_, "s&s") == 0) {
        // ...foo' + 'bar... : unquoted start and end, matching inner quotes
        return v[0].str_open == 0 && v[2].str_close == 0 && v[0].str_close == v[2].str_open;
      }
      if (std::strcmp(fingerprint_, "s&n") == 0 || std::strcmp(fingerprint_, "n&1") == 0 ||
          std::strcmp(fingerprint_, "1&1") == 0 || std::strcmp(fingerprint_, "1&v") == 0 ||
          std::strcmp(fingerprint_, "1&s") == 0) {
        if (stats_tokens_ == 3) return false;  // 'sexy and 17' is prose
      } else if (v[1].type == kKeyword) {
        // Only "... INTO OUTFILE/DUMPFILE" style keywords count in three tokens.
        if (v[1].len < 5 || !(Upper(v[1].val[0]) == 'I' && Upper(v[1].val[1]) == 'N' &&
                              Upper(v[1].val[2]) == 'T' && Upper(v[1].val[3]) == 'O')) {
          return false;
        }
      }
      break;
    }
    default:
      break;
  }
  return true;
}

bool Pass::IsSqli() const {
  size_t n = std::strlen(fingerprint_);
  if (n == 0 || !IsKnownFingerprint(fingerprint_, n)) return false;
  return NotWhitelisted();
}

}  // namespace

bool DetectSqli(std::string_view input, char fingerprint[8]) {
  fingerprint[0] = 0;
  if (input.empty()) return false;
  auto run = [&](int flags, bool* mysql_next) {
    Pass pass(input, flags);
    pass.Fingerprint();
    std::memcpy(fingerprint, pass.fingerprint(), 8);
    bool hit = pass.IsSqli();
    if (mysql_next != nullptr) *mysql_next = pass.ReparseAsMysql();
    return hit;
  };
  bool mysql = false;
  if (run(kQuoteNone | kSqlAnsi, &mysql)) return true;
  if (mysql && run(kQuoteNone | kSqlMysql, nullptr)) return true;
  if (input.find('\'') != input.npos) {
    if (run(kQuoteSingle | kSqlAnsi, &mysql)) return true;
    if (mysql && run(kQuoteSingle | kSqlMysql, nullptr)) return true;
  }
  if (input.find('"') != input.npos) {
    if (run(kQuoteDouble | kSqlMysql, nullptr)) return true;
  }
  fingerprint[0] = 0;
  return false;
}

namespace {

class DetectSqliOperator final : public Operator {
 public:
  explicit DetectSqliOperator(std::string arg) : Operator("detectSQLi", std::move(arg)) {}
  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    char fp[8];
    if (!DetectSqli(input, fp)) return false;
    if (ctx->want_captures) {
      // TX.0 = the fingerprint, as ModSecurity does; it must outlive the input, so it points at
      // the operator-independent fingerprint storage in the context.
      ctx->ClearCaptures();
      std::memcpy(ctx->sqli_fingerprint, fp, sizeof(fp));
      ctx->captures.push_back(Capture{true, std::string_view(ctx->sqli_fingerprint)});
    }
    return true;
  }
};

}  // namespace

void RegisterDetectSqli(OperatorRegistry* registry) {
  registry
      ->Register("detectSQLi",
                 [](std::string_view arg,
                    const OperatorOptions&) -> Result<std::unique_ptr<const Operator>> {
                   return std::unique_ptr<const Operator>(new DetectSqliOperator(std::string(arg)));
                 })
      .IgnoreError();
}

}  // namespace gs::operators::internal
