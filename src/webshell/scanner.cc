// Webshell scanner: libyara adapter, language guess, layered PHP analysis (normalised view,
// taint heuristics, decoded payload layers), scoring and the symlink-safe tree walk.
#include "webshell/scanner.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yara.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "webshell/normalize.h"
#include "webshell/script_taint.h"

namespace gs::webshell {
namespace internal {
struct EmbeddedRuleFile {
  const char* name;
  const char* text;
};
extern const EmbeddedRuleFile kEmbeddedRules[];
}  // namespace internal

namespace {

using internal::NormalizedPhp;

constexpr int kLangPhp = 1;
constexpr int kLangJsp = 2;
constexpr int kLangAsp = 4;
constexpr size_t kMaxLayers = 32;
constexpr size_t kMaxDecodedBytes = 8u << 20;
constexpr size_t kExcerptBytes = 80;
constexpr int kMaxTreeDepth = 400;  // one open directory fd per level

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool IsIdentChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

std::string Excerpt(std::string_view s, size_t at) {
  if (at > s.size()) at = s.size();
  return std::string(s.substr(at, kExcerptBytes));
}

// `runat="server"` in any letter case (found through its `="`, without lower-casing the text).
bool HasRunatServer(std::string_view s) {
  auto ieq = [](std::string_view a, std::string_view lower) {
    if (a.size() != lower.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if ((a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i]) != lower[i]) return false;
    return true;
  };
  for (size_t p = s.find("=\""); p != std::string_view::npos; p = s.find("=\"", p + 2)) {
    if (p >= 5 && ieq(s.substr(p - 5, 5), "runat") && ieq(s.substr(p + 2, 7), "server\""))
      return true;
  }
  return false;
}

int GuessLanguage(std::string_view name, std::string_view data) {
  size_t slash = name.rfind('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  size_t dot = base.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : Lower(base.substr(dot + 1));
  static constexpr const char* kPhpExt[] = {"php",   "php3", "php4", "php5", "php7", "php8",
                                            "phtml", "pht",  "phar", "phps", "inc"};
  static constexpr const char* kJspExt[] = {"jsp", "jspx", "jspf", "jhtml"};
  static constexpr const char* kAspExt[] = {"asp", "aspx", "ashx", "asmx",   "asa",   "cer",
                                            "cdx", "ascx", "svc",  "cshtml", "vbhtml"};
  int lang = 0;
  for (const char* e : kPhpExt)
    if (ext == e) lang |= kLangPhp;
  for (const char* e : kJspExt)
    if (ext == e) lang |= kLangJsp;
  for (const char* e : kAspExt)
    if (ext == e) lang |= kLangAsp;
  // Content markers: a script hidden in a file of another type (an image polyglot, a .txt
  // pulled in by include) still gets analysed.
  for (size_t p = data.find("<?"); p != std::string_view::npos; p = data.find("<?", p + 2)) {
    std::string next = Lower(data.substr(p + 2, 3));
    if (next == "php" || (!next.empty() && next[0] == '=')) {
      lang |= kLangPhp;
      break;
    }
  }
  if (data.find("<%") != std::string_view::npos) {
    std::string_view head = data.substr(0, 1u << 16);
    std::string lower_head = Lower(head);
    bool asp = lower_head.find("language=") != std::string::npos ||
               lower_head.find("runat=") != std::string::npos ||
               lower_head.find("request(") != std::string::npos ||
               lower_head.find("request.") != std::string::npos;
    bool jsp = lower_head.find("<%@ page") != std::string::npos ||
               lower_head.find("<%@page") != std::string::npos ||
               lower_head.find("<%!") != std::string::npos ||
               lower_head.find("request.get") != std::string::npos;
    if (jsp) lang |= kLangJsp;
    if (asp) lang |= kLangAsp;
    if (!jsp && !asp && lang == 0) lang |= kLangJsp | kLangAsp;
  }
  if (HasRunatServer(data.substr(0, 1u << 16))) lang |= kLangAsp;
  return lang;
}

// A rule hit from libyara, before it is turned into a Finding.
struct YaraHit {
  std::string rule;
  std::string family;
  int score = 0;
  size_t offset = 0;  // in the scanned view
};

struct ScanCtx {
  int lang_mask = 0;
  bool norm_view = false;
  std::vector<YaraHit>* hits = nullptr;
};

int YaraCallback(YR_SCAN_CONTEXT* context, int message, void* message_data, void* user_data) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* ctx = static_cast<ScanCtx*>(user_data);
  auto* rule = static_cast<YR_RULE*>(message_data);
  int rule_lang = 0;
  bool rule_norm = false;
  const char* tag;
  yr_rule_tags_foreach(rule, tag) {
    std::string_view t(tag);
    if (t == "php") rule_lang |= kLangPhp;
    if (t == "jsp") rule_lang |= kLangJsp;
    if (t == "asp") rule_lang |= kLangAsp;
    if (t == "norm") rule_norm = true;
  }
  if ((rule_lang & ctx->lang_mask) == 0 || rule_norm != ctx->norm_view) return CALLBACK_CONTINUE;
  YaraHit hit;
  hit.rule = rule->identifier;
  YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    std::string_view id(meta->identifier);
    if (id == "score" && meta->type == META_TYPE_INTEGER)
      hit.score = static_cast<int>(meta->integer);
    if (id == "family" && meta->type == META_TYPE_STRING) hit.family = meta->string;
  }
  size_t best = SIZE_MAX;
  YR_STRING* s;
  yr_rule_strings_foreach(rule, s) {
    // libyara 4.2 hands out YR_MATCH records at 4-byte alignment (UBSan: misaligned member
    // access), so each record is copied into an aligned local instead of using
    // yr_string_matches_foreach, which dereferences them in place.
    const void* p = context->matches[s->idx].head;
    while (p != nullptr) {
      YR_MATCH m;
      std::memcpy(&m, p, sizeof(m));
      if (!m.is_private) best = std::min(best, static_cast<size_t>(m.base + m.offset));
      p = m.next;
    }
  }
  hit.offset = best == SIZE_MAX ? 0 : best;
  ctx->hits->push_back(std::move(hit));
  return CALLBACK_CONTINUE;
}

void CompilerCallback(int error_level, const char* file_name, int line_number, const YR_RULE* rule,
                      const char* message, void* user_data) {
  auto* errors = static_cast<std::string*>(user_data);
  *errors += (error_level == YARA_ERROR_LEVEL_ERROR ? "error" : "warning");
  *errors += " line " + std::to_string(line_number) + ": " + message + "; ";
}

// --- PHP heuristics on the normalised view -------------------------------------------------

const std::unordered_set<std::string>& Decoders() {
  static const auto* kSet = new std::unordered_set<std::string>{
      "base64_decode",   "gzinflate",      "gzuncompress", "gzdecode",     "str_rot13",
      "strrev",          "hex2bin",        "urldecode",    "rawurldecode", "convert_uudecode",
      "openssl_decrypt", "mcrypt_decrypt", "gzuncompress"};
  return *kSet;
}
const std::unordered_set<std::string>& SinkNames() {
  // Function names that, called with attacker data, run code or commands.
  static const auto* kSet = new std::unordered_set<std::string>{"assert",
                                                                "eval",
                                                                "system",
                                                                "exec",
                                                                "passthru",
                                                                "shell_exec",
                                                                "popen",
                                                                "proc_open",
                                                                "pcntl_exec",
                                                                "create_function",
                                                                "call_user_func",
                                                                "call_user_func_array",
                                                                "preg_replace",
                                                                "array_map",
                                                                "usort",
                                                                "uasort",
                                                                "uksort",
                                                                "array_filter",
                                                                "array_walk",
                                                                "ob_start",
                                                                "register_shutdown_function",
                                                                "include",
                                                                "require"};
  return *kSet;
}

struct Evidence {
  std::string rule;
  int score;
  size_t pos;  // in the normalised text
};

class PhpAnalysis {
 public:
  explicit PhpAnalysis(const NormalizedPhp& n) : n_(n), t_(n.text), in_lit_(t_.size(), 0) {
    for (const auto& l : n.literals) {
      for (size_t k = l.pos; k < l.pos + l.len + 2 && k < t_.size(); ++k) in_lit_[k] = 1;
      literal_at_[l.pos] = l.len;
    }
    for (uint32_t p : n.interpolations)
      if (p < in_lit_.size()) in_lit_[p] = 2;  // an interpolated `$` inside a literal
    // Matching parentheses and braces in one pass, so finding a call's arguments or a body's
    // end is O(1).
    close_.assign(t_.size(), std::string::npos);
    std::vector<size_t> open, brace;
    for (size_t k = 0; k < t_.size(); ++k) {
      if (!Code(k)) continue;
      if (t_[k] == '(') {
        open.push_back(k);
      } else if (t_[k] == ')' && !open.empty()) {
        close_[open.back()] = k;
        open.pop_back();
      } else if (t_[k] == '{') {
        brace.push_back(k);
      } else if (t_[k] == '}' && !brace.empty()) {
        close_[brace.back()] = k;
        brace.pop_back();
      } else if (IsIdentChar(static_cast<unsigned char>(t_[k])) &&
                 (k == 0 || !IsIdentChar(static_cast<unsigned char>(t_[k - 1])))) {
        size_t e = k + 1;
        while (e < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
        int id = WordId(std::string_view(t_.data() + k, e - k));
        if (id >= 0) words_[id].push_back(k);
        k = e - 1;
      }
    }
    // Hostile input (deep nesting, millions of assignments) must not make the per-call and
    // per-assignment scans quadratic: each is bounded by kMaxSpan, and the whole analysis by a
    // work budget proportional to the input, after which it stops with what it has found.
    budget_ = 16 * t_.size() + (1u << 20);
  }

  std::vector<Evidence> Run() {
    CollectSinkWrappers();
    CollectDeclarations();
    CollectAssignments();
    CollectAssignments();  // second pass: taint through later-declared variables
    CheckCalls();
    CheckMagicForwarders();
    CheckFileDroppers();
    CheckMagicMethods();
    CheckSinkWrappers();
    CheckPropertySinks();
    CheckClosureCaptures();
    CheckLiterals();
    return std::move(ev_);
  }

 private:
  // kNative: an object bridging to native code (new COM(...), FFI::cdef(...)).
  // kMaySink: one of the values the variable may hold names a sink (a match arm, a ternary
  // branch, an element of a list iterated over, a generator's yield). kViaUser: request or
  // decoded data that went through a function defined in the file (a home-made decryptor) or
  // the session; it counts for code and command sinks, not as a callee or include path.
  enum Taint {
    kNone = 0,
    kRequest = 1,
    kDecoded = 2,
    kSinkName = 4,
    kConstructed = 8,
    kNative = 16,
    kMaySink = 32,
    kViaUser = 64,
    kFileData = 128  // a file or handle that request data was written to
  };

  bool Code(size_t i) const { return i < t_.size() && !in_lit_[i]; }

  // Keywords and functions the analysis looks for by name, indexed in one pass (instead of
  // searching the whole text for each).
  static constexpr const char* kWords[] = {
      "list", "file_put_contents",  "foreach", "extract",  "parse_str", "fwrite", "fputs",
      "copy", "move_uploaded_file", "define",  "function", "const"};
  static constexpr int kWordCount = sizeof(kWords) / sizeof(kWords[0]);
  static int WordId(std::string_view w) {
    if (w.size() < 4 || w.size() > 18) return -1;
    for (int i = 0; i < kWordCount; ++i)
      if (w[0] == kWords[i][0] && w == kWords[i]) return i;
    return -1;
  }
  // Code positions where `text` (starting with one of kWords) occurs.
  std::vector<size_t> Occurrences(std::string_view text) const {
    std::vector<size_t> out;
    size_t e = 0;
    while (e < text.size() && IsIdentChar(static_cast<unsigned char>(text[e]))) ++e;
    int id = WordId(text.substr(0, e));
    if (id < 0) return out;
    for (size_t p : words_[id])
      if (t_.compare(p, text.size(), text) == 0) out.push_back(p);
    return out;
  }

  std::string VarAt(size_t dollar, size_t* end) const {
    size_t j = dollar + 1;
    while (j < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[j]))) ++j;
    *end = j;
    return t_.substr(dollar + 1, j - dollar - 1);
  }

  // Matching ')' for the '(' at `open` (or npos), skipping literal contents.
  size_t Close(size_t open) const {
    return open < close_.size() ? close_[open] : std::string::npos;
  }

  static constexpr size_t kMaxSpan = 4096;
  // Charges `n` units of work; false once the budget is spent.
  bool Spend(size_t n) const {
    work_ += n;
    return work_ <= budget_;
  }

  bool HasSourceToken(size_t a, size_t b) const {
    if (a == 0 && b == t_.size()) {
      if (file_has_source_ < 0) file_has_source_ = HasSourceTokenIn(0, t_.size()) ? 1 : 0;
      return file_has_source_ == 1;
    }
    b = std::min(b, a + kMaxSpan);
    if (!Spend(b - a)) return false;
    return HasSourceTokenIn(a, b);
  }

  bool HasSourceTokenIn(size_t a, size_t b) const {
    static constexpr const char* kSources[] = {"$_post",
                                               "$_get",
                                               "$_request",
                                               "$_cookie",
                                               "$_files",
                                               "{\"_POST\"}",
                                               "{\"_GET\"}",
                                               "{\"_REQUEST\"}",
                                               "{\"_COOKIE\"}",
                                               "\"_POST\"]",
                                               "\"_GET\"]",
                                               "\"_REQUEST\"]",
                                               "\"php://input\"",
                                               "getallheaders(",
                                               "$http_raw_post_data",
                                               "$_server[\"http_",
                                               "$_server[\"HTTP_",
                                               "$_server[\"QUERY_STRING\"",
                                               "$_server[\"REQUEST_URI\"",
                                               "$_server[\"PHP_AUTH_",
                                               "$_server[\"PATH_INFO\"",
                                               "$_server[\"ORIG_PATH_INFO\"",
                                               "$_server[\"argv\"",
                                               "session_id()",
                                               "getenv(\"QUERY_STRING\"",
                                               "getenv(\"PATH_INFO\"",
                                               "getenv(\"PHP_AUTH_",
                                               "filter_input(",
                                               "filter_input_array(",
                                               "apache_request_headers(",
                                               "getenv(\"HTTP_"};
    std::string_view span(t_.data() + a, b - a);
    for (const char* s : kSources) {
      for (size_t p = span.find(s); p != std::string_view::npos; p = span.find(s, p + 1)) {
        size_t abs = a + p;
        // Quoted source names only count in code (the quote itself is a literal char).
        if (s[0] == '$' || s[0] == 'g' || s[0] == 'f' || s[0] == 'a' || s[0] == 's') {
          if (!Code(abs)) continue;
          size_t e = abs + std::strlen(s);
          char last = s[std::strlen(s) - 1];
          if (last != '(' && last != '_' && last != '"' && e < t_.size() &&
              IsIdentChar(static_cast<unsigned char>(t_[e])))
            continue;  // $_posts is not $_post
        }
        return true;
      }
    }
    return false;
  }

  static bool IsSuperglobalName(std::string_view name) {
    std::string n = Lower(name);
    return n == "_post" || n == "_get" || n == "_request" || n == "_cookie" || n == "_files";
  }

  // Whether the variable `$v` at k (its name ending at *e) is request data: a superglobal,
  // request fields of $_SERVER (HTTP_* headers, QUERY_STRING, REQUEST_URI), $GLOBALS["_POST"],
  // ${"_POST"}, or a variable variable whose name is known to be one (`$n = "_PO"."ST"; $$n`,
  // `${$n}`). *e is moved past a `${...}` / `$$n` form.
  bool RequestVariableAt(size_t k, const std::string& v, size_t* e) const {
    if (IsSuperglobalName(v)) return true;
    size_t x = *e;
    auto key_is = [&](std::initializer_list<std::string_view> keys) {
      if (x + 2 >= t_.size() || t_[x] != '[' || t_[x + 1] != '"') return false;
      auto it = literal_at_.find(x + 1);
      if (it == literal_at_.end()) return false;
      std::string key = Lower(t_.substr(x + 2, it->second));
      for (auto kk : keys)
        if (key == kk || (kk.back() == '_' && key.rfind(kk, 0) == 0)) return true;
      return false;
    };
    if (v == "_server" || server_aliases_.count(v))
      return key_is({"http_", "query_string", "request_uri", "php_auth_", "path_info",
                     "orig_path_info", "argv", "redirect_query_string", "unencoded_url"});
    if (v == "globals") return key_is({"_post", "_get", "_request", "_cookie", "_files"});
    if (!v.empty() || x >= t_.size()) return false;
    if (t_[x] == '{' && HasSourceToken(k, std::min(t_.size(), x + 12))) return true;
    // `$$n` or `${$n}` with a known value of $n
    size_t inner = t_[x] == '$'                                              ? x
                   : (t_[x] == '{' && x + 1 < t_.size() && t_[x + 1] == '$') ? x + 1
                                                                             : std::string::npos;
    if (inner == std::string::npos) return false;
    size_t ie;
    std::string name = VarAt(inner, &ie);
    auto it = values_.find(name);
    if (it == values_.end() || !IsSuperglobalName(it->second)) return false;
    *e = t_[x] == '{' && ie < t_.size() && t_[ie] == '}' ? ie + 1 : ie;
    return true;
  }

  // Whether the call whose name spans [s, open) returns request data: getallheaders(),
  // apache_request_headers(), filter_input(...), getenv("HTTP_...").
  bool RequestFunctionAt(size_t s, size_t open) const {
    std::string_view name(t_.data() + s, open - s);
    if (name == "getallheaders" || name == "apache_request_headers" || name == "filter_input" ||
        name == "filter_input_array")
      return true;
    // session_id() is the session cookie's value: a client-chosen string.
    if (name == "session_id") return open + 1 < t_.size() && t_[open + 1] == ')';
    if (name != "getenv" || open + 7 >= t_.size() || t_[open + 1] != '"') return false;
    std::string key = Lower(t_.substr(open + 2, 16));
    for (const char* k : {"http_", "query_string\"", "path_info\"", "request_uri\"", "php_auth_"})
      if (key.rfind(k, 0) == 0) return true;
    return false;
  }

  // The variable interpolated at the `$` at k inside a literal (`$name`, `${name}`, `{$name}`),
  // lower-cased like code identifiers; *end is past its name.
  std::string InterpolatedName(size_t k, size_t* end) const {
    size_t j = k + 1;
    if (j < t_.size() && t_[j] == '{') ++j;
    size_t s = j;
    while (j < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[j])) && j - s < 64) ++j;
    *end = j;
    return Lower(t_.substr(s, j - s));
  }

  int InterpolatedTaint(size_t k) const {
    size_t e;
    std::string v = InterpolatedName(k, &e);
    if (IsSuperglobalName(v)) return kRequest;
    if (v == "_server" && e + 2 < t_.size() && t_[e] == '[') {
      std::string key = Lower(t_.substr(e + 1, 16));
      if (key[0] == '\'' || key[0] == '"') key = key.substr(1);
      for (const char* kk : {"http_", "query_string", "request_uri", "php_auth_", "path_info"})
        if (key.rfind(kk, 0) == 0) return kRequest;
    }
    if (all_request_) return kRequest;
    auto it = vars_.find(v);
    return it == vars_.end() ? kNone : it->second & (kRequest | kDecoded | kViaUser | kFileData);
  }

  // Functions whose result carries their argument (pass-through and decoders).
  static const std::unordered_set<std::string>& Transparent() {
    static const auto* kSet = new std::unordered_set<std::string>{"trim",
                                                                  "rtrim",
                                                                  "ltrim",
                                                                  "stripslashes",
                                                                  "stripcslashes",
                                                                  "strval",
                                                                  "strtolower",
                                                                  "strtoupper",
                                                                  "urldecode",
                                                                  "rawurldecode",
                                                                  "html_entity_decode",
                                                                  "base64_decode",
                                                                  "gzinflate",
                                                                  "gzuncompress",
                                                                  "gzdecode",
                                                                  "str_rot13",
                                                                  "strrev",
                                                                  "hex2bin",
                                                                  "convert_uudecode",
                                                                  "file_get_contents",
                                                                  "str_replace",
                                                                  "substr",
                                                                  "implode",
                                                                  "join",
                                                                  "sprintf",
                                                                  "array_pop",
                                                                  "array_shift",
                                                                  "current",
                                                                  "reset",
                                                                  "end",
                                                                  "explode",
                                                                  "openssl_decrypt",
                                                                  "getallheaders",
                                                                  "pack",
                                                                  "array_values",
                                                                  "stream_get_contents",
                                                                  "fopen",
                                                                  "fread",
                                                                  "fgets",
                                                                  "base64_encode",
                                                                  "json_decode",
                                                                  "unserialize",
                                                                  "key",
                                                                  "array_keys",
                                                                  "array",
                                                                  "array_slice",
                                                                  "array_merge",
                                                                  "array_reverse",
                                                                  "next",
                                                                  "str_pad",
                                                                  "str_ireplace",
                                                                  "substr_replace",
                                                                  "mb_substr",
                                                                  "ucfirst",
                                                                  "lcfirst",
                                                                  "htmlspecialchars_decode",
                                                                  "quoted_printable_decode",
                                                                  "vsprintf",
                                                                  "strtr",
                                                                  "mcrypt_decrypt",
                                                                  "stream_get_meta_data",
                                                                  "str_split",
                                                                  "chunk_split",
                                                                  "gzuncompress",
                                                                  "bzdecompress",
                                                                  "stream_get_line",
                                                                  "file",
                                                                  "strstr",
                                                                  "trim",
                                                                  "chr",
                                                                  "hexdec",
                                                                  "octdec",
                                                                  "bindec",
                                                                  "base_convert",
                                                                  "bin2hex"};
    return *kSet;
  }

  static const std::unordered_set<std::string>& StrongDecoders() {
    static const auto* kSet = new std::unordered_set<std::string>{
        "base64_decode", "gzinflate", "gzuncompress", "gzdecode",
        "str_rot13",     "strrev",    "hex2bin",      "convert_uudecode"};
    return *kSet;
  }

  // Taint of an expression: request data (or a decoder's output) that flows into its value.
  // Data only passed to an arbitrary call (`new Foo($db)`, `escapeshellarg($x)`) or used as
  // an index (`$map[$_GET["k"]]`) does not count, nor does a conditional (`$_GET["o"] ==
  // "asc" ? "sort" : "rsort"`): those are how legitimate code dispatches on input.
  int TaintOfSpan(size_t a, size_t b) const {
    b = std::min(b, a + kMaxSpan);
    if (!Spend(2 * (b - a))) return kNone;

    // A ternary's condition does not flow into its value (`isset($_GET["c"]) ? $_GET["c"] :
    // "id"` is request data, `$_GET["o"] == "asc" ? "sort" : "rsort"` is not): conditions are
    // skipped. A comparison elsewhere makes the value a boolean.
    size_t skip_from = std::string::npos, skip_to = 0;  // one skipped condition, the first
    {
      std::vector<size_t> expr_start{a};
      for (size_t k = a; k < b; ++k) {
        if (!Code(k)) continue;
        char c = t_[k];
        char n = k + 1 < b ? t_[k + 1] : 0;
        char p = k > a ? t_[k - 1] : 0;
        if (c == '(' || c == '[' || c == '{') {
          expr_start.push_back(k + 1);
        } else if ((c == ')' || c == ']' || c == '}') && expr_start.size() > 1) {
          expr_start.pop_back();
        } else if (c == ',' || (c == '=' && n != '=' && n != '>' && p != '=' && p != '!' &&
                                p != '<' && p != '>')) {
          expr_start.back() = k + 1;
        } else if (c == '?' && n != '?' && n != '-' && n != '>' && p != '?') {
          if (skip_from != std::string::npos) return kNone;  // nested: give up, as before
          skip_from = expr_start.back();
          skip_to = k + 1;
          // A condition that validates the value (not just checks it is there) chooses
          // between safe values: `filter_var($h, FILTER_VALIDATE_IP) ? $h : "127.0.0.1"`.
          std::string_view cond(t_.data() + skip_from, k - skip_from);
          for (std::string_view v :
               {"filter_var(", "preg_match(", "in_array(", "ctype_", "is_numeric(", "is_int(",
                "array_key_exists(", "strcmp(", "strncmp(", "strpos(", "==", "!=", "<=", ">="})
            if (cond.find(v) != std::string_view::npos) return kNone;
          for (size_t q = 0; q < cond.size(); ++q)
            if ((cond[q] == '<' || cond[q] == '>') && Code(skip_from + q) &&
                !(cond[q] == '>' && q > 0 && (cond[q - 1] == '-' || cond[q - 1] == '=')))
              return kNone;
        }
      }
      for (size_t k = a; k < b; ++k) {
        if (!Code(k) || (k >= skip_from && k < skip_to)) continue;
        char c = t_[k];
        char n = k + 1 < b ? t_[k + 1] : 0;
        if ((c == '=' || c == '!') && n == '=') return kNone;
        if (c == '<' && n == '>') return kNone;
      }
    }
    int taint = Flow(a, b, skip_from, skip_to);
    // Request data chosen by a ternary (`isset($_GET["c"]) ? $_GET["c"] : "id"`) counts for
    // code and command sinks, not as an include path or a callee: the condition may well be the
    // whitelist check (`in_array($_GET["l"], $langs) ? $_GET["l"] : "en"`).
    if (skip_from != std::string::npos && (taint & kRequest))
      taint = (taint & ~kRequest) | kViaUser;
    return taint;
  }

  int Flow(size_t a, size_t b, size_t skip_from, size_t skip_to) const {
    int taint = kNone;
    // Stack entries: 0 transparent, 1 opaque, 2 the arguments of a function defined in the
    // file (what flows in comes out as kViaUser).
    std::vector<uint8_t> stack;
    int opaque = 0, user = 0;
    size_t ident_start = std::string::npos, ident_end = std::string::npos;
    size_t var_call = std::string::npos;  // `$f(`: '(' of a call through a known name
    std::string var_call_name;
    auto add = [&](int t) {
      if (user > 0 && (t & (kRequest | kDecoded | kViaUser | kFileData))) t = kViaUser;
      taint |= t;
    };
    for (size_t k = a; k < b; ++k) {
      if (k == skip_from) {
        // the condition: keep the bracket structure, ignore the data
        for (; k < skip_to - 1; ++k) {
          if (!Code(k)) continue;
          char c = t_[k];
          if (c == '(' || c == '[' || c == '{') {
            stack.push_back(1);
            ++opaque;
          } else if ((c == ')' || c == ']' || c == '}') && !stack.empty()) {
            if (stack.back() == 1) --opaque;
            if (stack.back() == 2) --user;
            stack.pop_back();
          }
        }
        ident_end = std::string::npos;
        continue;
      }
      if (!Code(k)) {
        if (t_[k] == '"' && k > 0 && Code(k - 1) && opaque == 0 &&
            t_.compare(k, 13, "\"php://input\"") == 0)
          add(kRequest);
        if (in_lit_[k] == 2 && opaque == 0) add(InterpolatedTaint(k));
        continue;
      }
      char c = t_[k];
      if (c == '(') {
        uint8_t op = 1;
        if (ident_end == k && ident_start != std::string::npos) {
          std::string name = t_.substr(ident_start, ident_end - ident_start);
          bool method =
              ident_start > 0 && (t_[ident_start - 1] == '>' || t_[ident_start - 1] == ':');
          bool fresh = ident_start >= 4 && t_.compare(ident_start - 4, 4, "new ") == 0;
          op = method || fresh || !Transparent().count(name) ? 1 : 0;
          if (op && !fresh && PassesThrough(name)) op = 2;
          if (!method && opaque == 0 && StrongDecoders().count(name)) add(kDecoded);
          if (!method && opaque == 0 && RequestFunctionAt(ident_start, k)) add(kRequest);
        } else if (var_call == k) {
          // `$f(...)` where $f is known to name a decoder, a pass-through function or one
          // defined in the file.
          op = Transparent().count(var_call_name) ? 0 : PassesThrough(var_call_name) ? 2 : 1;
          if (opaque == 0 && StrongDecoders().count(var_call_name)) add(kDecoded);
        } else if (k == a || !(t_[k - 1] == ')' || t_[k - 1] == ']' ||
                               IsIdentChar(static_cast<unsigned char>(t_[k - 1])))) {
          op = 0;  // grouping or cast
        }
        stack.push_back(op);
        if (op == 1) ++opaque;
        if (op == 2) ++user;
      } else if (c == '[' || c == '{') {
        // An index (`$a[...]`, `f()[...]`) or block is opaque; a short array literal
        // (`[$x, 1]`) carries its elements like array(...).
        bool literal =
            c == '[' && (k == a || !(t_[k - 1] == ')' || t_[k - 1] == ']' || t_[k - 1] == '}' ||
                                     IsIdentChar(static_cast<unsigned char>(t_[k - 1]))));
        stack.push_back(literal ? 0 : 1);
        if (!literal) ++opaque;
      } else if (c == ')' || c == ']' || c == '}') {
        if (!stack.empty()) {
          if (stack.back() == 1) --opaque;
          if (stack.back() == 2) --user;
          stack.pop_back();
        }
      } else if (c == '$') {
        size_t e;
        std::string v = VarAt(k, &e);
        if (opaque == 0) {
          if (RequestVariableAt(k, v, &e)) {
            add(kRequest);
          } else if (all_request_) {
            add(kRequest);
          } else if (v == "_session") {
            add(kViaUser);
          } else if (auto it = vars_.find(v); it != vars_.end()) {
            add(it->second & (kRequest | kDecoded | kViaUser | kFileData));
          }
          if (v == "globals" && e + 2 < b && t_[e] == '[' && t_[e + 1] == '"') {
            // $GLOBALS["x"] is $x
            auto lit = literal_at_.find(e + 1);
            if (lit != literal_at_.end()) {
              auto it = vars_.find(Lower(t_.substr(e + 2, lit->second)));
              if (it != vars_.end()) add(it->second & (kRequest | kDecoded | kViaUser | kFileData));
            }
          }
          // `$b = "base64_decode"; $b(...)`: a call through a variable naming a decoder.
          if (e < b && t_[e] == '(' && decoder_vars_.count(v)) add(kDecoded);
        }
        if (e < b && t_[e] == '(') {
          auto val = values_.find(v);
          if (val != values_.end()) {
            var_call = e;
            var_call_name = Lower(val->second);
          } else if (!functions_.empty() && functions_.count("$" + v)) {
            var_call = e;  // a closure of the file
            var_call_name = "$" + v;
          }
        }
        k = e - 1;
        ident_end = std::string::npos;
        continue;
      } else if (IsIdentChar(static_cast<unsigned char>(c))) {
        size_t e = k;
        while (e < b && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
        ident_start = k;
        ident_end = e;
        k = e - 1;
        continue;
      }
    }
    return taint;
  }

  // A constant value: one string, or an array of strings (an array of literals counts as
  // their concatenation where a string is needed, which is what implode("", ...) gives).
  struct Const {
    std::vector<std::string> items;
    bool array = false;
    std::vector<std::string> keys = {};  // string keys of an array literal, when it has them
    std::string Str() const {
      std::string s;
      for (const auto& i : items) s += i;
      return s;
    }
  };

  // The string value of [a, b) when it is a constant expression: literals, numbers, variables
  // with known values, `.`, `^` (string XOR, the "no letters" trick), arrays, and the string
  // functions names are assembled with (strrev, substr, str_replace, implode, pack, sprintf,
  // strtr, base64_decode, array_map("chr", ...), ...). *computed is set when a function was
  // applied: the name was assembled at run time, which is what obfuscated callees look like,
  // also when the value itself cannot be computed.
  std::optional<std::string> EvalString(size_t a, size_t b, bool* computed) const {
    auto v = EvalConst(a, b, computed);
    if (!v) return std::nullopt;
    return v->Str();
  }

  std::optional<Const> EvalConst(size_t a, size_t b, bool* computed) const {
    if (b <= a || b - a > kMaxSpan) return std::nullopt;
    // Cheap rejection first (most right-hand sides are not constant): an operator a constant
    // string expression cannot contain, or a variable without a known value.
    for (size_t k = a; k < b; ++k) {
      char c = t_[k];
      bool reject = (c == '=' && !(k + 1 < b && t_[k + 1] == '>')) || c == '?' || c == '<' ||
                    c == '+' || c == '*' || c == '/' || c == '!' || c == '&' || c == '|' ||
                    c == ';' || c == '{' || c == ':' || (c == '-' && k + 1 < b && t_[k + 1] == '>');
      if ((!reject && c != '$') || !Code(k)) continue;
      if (reject) {
        // `Cls::NAME` / `self::NAME`: a class constant
        if (c == ':' && k + 1 < b && t_[k + 1] == ':') {
          ++k;
          continue;
        }
        return std::nullopt;
      }
      size_t e;
      std::string v = VarAt(k, &e);
      if (v == "globals" && !GlobalsKeyAt(e).empty()) {
        k = e - 1;
        continue;
      }
      if (!values_.count(v)) return std::nullopt;  // a variable, no known value
      k = e - 1;
    }
    return EvalExpr(a, b, computed, 0);
  }

  // Top-level pieces of [a, b) separated by `sep` (outside brackets and literals).
  std::vector<std::pair<size_t, size_t>> SplitTop(size_t a, size_t b, char sep) const {
    std::vector<std::pair<size_t, size_t>> parts;
    int depth = 0;
    size_t start = a;
    for (size_t k = a; k < b; ++k) {
      if (!Code(k)) continue;
      char c = t_[k];
      if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        --depth;
      } else if (c == sep && depth == 0) {
        parts.emplace_back(start, k);
        start = k + 1;
      }
    }
    parts.emplace_back(start, b);
    return parts;
  }

  static constexpr size_t kMaxConst = 1u << 16;
  static constexpr int kMaxConstDepth = 24;

  std::optional<Const> EvalExpr(size_t a, size_t b, bool* computed, int depth) const {
    if (depth > kMaxConstDepth || !Spend(b - a)) return std::nullopt;
    auto xor_parts = SplitTop(a, b, '^');
    std::optional<Const> acc;
    for (auto [xa, xb] : xor_parts) {
      auto cat_parts = SplitTop(xa, xb, '.');
      if (xor_parts.size() == 1 && cat_parts.size() == 1) {
        return EvalTerm(xa, xb, computed, depth + 1);  // keeps an array an array
      }
      Const cat{{""}, false};
      for (auto [ca, cb] : cat_parts) {
        auto term = EvalTerm(ca, cb, computed, depth + 1);
        if (!term) return std::nullopt;
        cat.items[0] += term->Str();
        if (cat.items[0].size() > kMaxConst) return std::nullopt;
      }
      if (!acc) {
        acc = std::move(cat);
        continue;
      }
      std::string x = acc->Str(), y = cat.Str();
      std::string r(std::min(x.size(), y.size()), '\0');
      for (size_t i = 0; i < r.size(); ++i) r[i] = static_cast<char>(x[i] ^ y[i]);
      acc = Const{{r}, false};
    }
    if (acc && acc->Str().size() > kMaxConst) return std::nullopt;
    return acc;
  }

  // `$GLOBALS["x"]` at e (just past `$globals`) with a known value of $x: the name x.
  std::string GlobalsKeyAt(size_t e) const {
    if (e + 2 >= t_.size() || t_[e] != '[' || t_[e + 1] != '"') return "";
    auto lit = literal_at_.find(e + 1);
    if (lit == literal_at_.end() || e + lit->second + 3 >= t_.size() ||
        t_[e + lit->second + 3] != ']')
      return "";
    std::string key = Lower(t_.substr(e + 2, lit->second));
    return values_.count(key) ? key : "";
  }

  // A literal with interpolated variables (`"sys{$x}"`): their known values substituted. An
  // unknown one makes the value unknown but computed (a name assembled at run time).
  std::optional<Const> EvalInterpolated(size_t a, size_t len, bool* computed) const {
    std::string out;
    for (size_t k = a + 1; k < a + 1 + len; ++k) {
      if (in_lit_[k] != 2) {
        out += t_[k];
        continue;
      }
      bool brace = k > a + 1 && t_[k - 1] == '{';
      size_t e;
      std::string v = InterpolatedName(k, &e);
      auto it = values_.find(v);
      *computed = true;
      if (it == values_.end()) return std::nullopt;
      if (brace) {
        if (e >= t_.size() || t_[e] != '}') return std::nullopt;
        out.pop_back();  // the '{'
        ++e;
      } else if (e < t_.size() && t_[e] == '}' && k + 1 < t_.size() && t_[k + 1] == '{') {
        ++e;  // ${name}
      }
      out += it->second;
      k = e - 1;
    }
    return Const{{out}, false};
  }

  std::optional<Const> EvalTerm(size_t a, size_t b, bool* computed, int depth) const {
    while (a < b && (t_[a] == ' ' || t_[a] == '@') && Code(a)) ++a;
    while (b > a && t_[b - 1] == ' ' && Code(b - 1)) --b;
    if (a >= b) return std::nullopt;
    if (auto it = literal_at_.find(a); it != literal_at_.end() && a + it->second + 2 == b) {
      for (size_t k = a + 1; k < b - 1; ++k)
        if (in_lit_[k] == 2) return EvalInterpolated(a, it->second, computed);
      return Const{{t_.substr(a + 1, it->second)}, false};
    }
    char c = t_[a];
    if (c == '(' && Close(a) == b - 1) return EvalExpr(a + 1, b - 1, computed, depth);
    size_t open = std::string::npos;
    std::string name;
    if (c == '$') {
      size_t e;
      std::string v = VarAt(a, &e);
      auto fn = values_.find(v);
      if (e < b && t_[e] == '(' && Close(e) == b - 1 && fn != values_.end()) {
        // `$d("...")` with `$d = "base64_decode"`: the function it names
        name = Lower(fn->second);
        open = e;
        c = 'f';
      }
    }
    if (c == '$') {
      size_t e;
      std::string v = VarAt(a, &e);
      if (v == "globals") {
        std::string key = GlobalsKeyAt(e);
        if (key.empty()) return std::nullopt;
        e = t_.find(']', e + literal_at_.at(e + 1)) + 1;
        v = key;
      }
      auto it = values_.find(v);
      if (it == values_.end()) return std::nullopt;
      if (e == b) {
        auto arr = arrays_.find(v);
        if (arr != arrays_.end()) return Const{arr->second, true};
        return Const{{it->second}, false};
      }
      // `$a[N]` / `$a{N}`: an element of a known array, a character of a known string (names
      // spelt out of a character table: `$a = range("a", "z"); $f = $a[18] . $a[24] ...`).
      char open = t_[e];
      if ((open != '[' && open != '{') || t_[b - 1] != (open == '[' ? ']' : '}'))
        return std::nullopt;
      auto idx = EvalExpr(e + 1, b - 1, computed, depth + 1);
      if (!idx || idx->array) return std::nullopt;
      std::string key = idx->Str();
      char* endp = nullptr;
      long long i = std::strtoll(key.c_str(), &endp, 10);
      bool numeric = !key.empty() && endp && *endp == '\0';
      *computed = true;
      auto arr = arrays_.find(v);
      if (arr != arrays_.end() && !numeric) {
        // $a["k"] of `$a = ["k" => "v"]`
        auto ks = array_keys_.find(v);
        if (ks == array_keys_.end()) return std::nullopt;
        for (size_t j = 0; j < ks->second.size() && j < arr->second.size(); ++j)
          if (ks->second[j] == key) return Const{{arr->second[j]}, false};
        return std::nullopt;
      }
      if (arr != arrays_.end()) {
        if (!numeric || i < 0 || i >= static_cast<long long>(arr->second.size()))
          return std::nullopt;
        return Const{{arr->second[static_cast<size_t>(i)]}, false};
      }
      if (!numeric) return std::nullopt;
      const std::string& str = it->second;
      if (i < 0) i += static_cast<long long>(str.size());
      if (i < 0 || i >= static_cast<long long>(str.size())) return std::nullopt;
      return Const{{std::string(1, str[static_cast<size_t>(i)])}, false};
    }
    if ((c >= '0' && c <= '9') || (c == '-' && a + 1 < b)) {
      for (size_t k = a + 1; k < b; ++k)
        if (!((t_[k] >= '0' && t_[k] <= '9') || (t_[k] >= 'a' && t_[k] <= 'f') || t_[k] == 'x'))
          return std::nullopt;
      return Const{{std::to_string(std::strtoll(t_.substr(a, b - a).c_str(), nullptr, 0))}, false};
    }
    if (open != std::string::npos) {
      // a call through a variable, set up above
    } else if (c == '[') {
      open = a;
    } else if (IsIdentChar(static_cast<unsigned char>(c))) {
      size_t e = a;
      while (e < b && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
      if (e + 1 < b && t_[e] == ':' && t_[e + 1] == ':') {
        // Cls::NAME, self::NAME: a class constant (classes are not told apart)
        a = e + 2;
        e = a;
        while (e < b && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
        if (e != b) return std::nullopt;
      }
      if (e == b) {
        auto d = defines_.find(t_.substr(a, e - a));
        if (d == defines_.end()) return std::nullopt;
        return Const{{d->second}, false};
      }
      if (t_[e] != '(') return std::nullopt;
      name = t_.substr(a, e - a);
      open = e;
    } else {
      return std::nullopt;
    }
    size_t close = b - 1;
    if (c == '[') {
      if (t_[close] != ']') return std::nullopt;
      int d = 0;
      for (size_t k = a; k < close; ++k) {
        if (!Code(k)) continue;
        if (t_[k] == '[' || t_[k] == '(') ++d;
        if ((t_[k] == ']' || t_[k] == ')') && --d == 0) return std::nullopt;  // `[..][..]`
      }
    } else if (Close(open) != close) {
      return std::nullopt;
    }
    std::vector<Const> args;
    std::vector<std::string> keys;  // array literals: "k" of `"k" => value` ("" if none)
    bool ok = true;
    if (close > open + 1) {
      for (auto [aa, ab] : SplitTop(open + 1, close, ',')) {
        // `key => value`: the value counts.
        std::string key;
        for (size_t k = aa; k + 1 < ab; ++k) {
          if (Code(k) && t_[k] == '=' && t_[k + 1] == '>') {
            auto lit = literal_at_.find(aa);
            if (lit != literal_at_.end() && aa + lit->second + 2 == k)
              key = t_.substr(aa + 1, lit->second);
            aa = k + 2;
          }
        }
        keys.push_back(std::move(key));
        auto v = EvalExpr(aa, ab, computed, depth);
        if (!v) {
          ok = false;
          break;
        }
        args.push_back(std::move(*v));
      }
    }
    if (c == '[' || name == "array") {
      if (!ok) return std::nullopt;
      Const arr{{}, true};
      size_t total = 0;
      bool keyed = false, scalars = true;
      for (size_t i = 0; i < args.size(); ++i) {
        keyed |= !keys[i].empty();
        scalars &= args[i].items.size() == 1;
      }
      for (auto& v : args)
        for (auto& i : v.items) {
          total += i.size();
          arr.items.push_back(std::move(i));
        }
      if (keyed && scalars) arr.keys = std::move(keys);
      if (total > kMaxConst) return std::nullopt;
      return arr;
    }
    if (!ok) {
      if (StringFunctions().count(name) || name == "constant") *computed = true;
      return std::nullopt;
    }
    if (name == "constant") {
      // constant("NAME"): a name looked up in a table of constants at run time
      *computed = true;
      if (args.size() != 1) return std::nullopt;
      std::string key = Lower(args[0].Str());
      if (size_t colons = key.rfind("::"); colons != std::string::npos)
        key = key.substr(colons + 2);
      auto d = defines_.find(key);
      if (d == defines_.end()) return std::nullopt;
      return Const{{d->second}, false};
    }
    auto r = ApplyStringFunction(name, args);
    if (r) {
      // Output is charged to the work budget too: str_repeat & co. must not amplify input.
      size_t produced = 0;
      for (const auto& i : r->items) produced += i.size();
      if (!Spend(produced)) return std::nullopt;
      *computed = true;
    }
    if (!r && StringFunctions().count(name)) *computed = true;
    return r;
  }

  static const std::unordered_set<std::string>& StringFunctions() {
    static const auto* kSet = new std::unordered_set<std::string>{"str_replace",
                                                                  "str_ireplace",
                                                                  "strrev",
                                                                  "substr",
                                                                  "substr_replace",
                                                                  "implode",
                                                                  "join",
                                                                  "strtolower",
                                                                  "strtoupper",
                                                                  "ucfirst",
                                                                  "lcfirst",
                                                                  "ucwords",
                                                                  "trim",
                                                                  "ltrim",
                                                                  "rtrim",
                                                                  "base64_decode",
                                                                  "str_rot13",
                                                                  "hex2bin",
                                                                  "sprintf",
                                                                  "vsprintf",
                                                                  "strtr",
                                                                  "gzinflate",
                                                                  "gzuncompress",
                                                                  "gzdecode",
                                                                  "urldecode",
                                                                  "rawurldecode",
                                                                  "preg_replace",
                                                                  "pack",
                                                                  "chr",
                                                                  "str_split",
                                                                  "array_reverse",
                                                                  "array_map",
                                                                  "base_convert",
                                                                  "strval",
                                                                  "str_repeat",
                                                                  "convert_uudecode",
                                                                  "range",
                                                                  "html_entity_decode",
                                                                  "htmlspecialchars_decode",
                                                                  "hexdec",
                                                                  "octdec",
                                                                  "bindec",
                                                                  "end",
                                                                  "reset",
                                                                  "current",
                                                                  "array_pop",
                                                                  "array_shift",
                                                                  "mb_strtolower",
                                                                  "mb_substr",
                                                                  "quoted_printable_decode",
                                                                  "array_slice",
                                                                  "array_merge",
                                                                  "str_pad",
                                                                  "dechex",
                                                                  "array_values",
                                                                  "lcfirst",
                                                                  "strstr",
                                                                  "strrchr"};
    return *kSet;
  }

  // PHP's semantics for the string functions above, on constant arguments.
  static std::optional<Const> ApplyStringFunction(const std::string& f, std::vector<Const>& args) {
    auto str = [&](size_t i) { return i < args.size() ? args[i].Str() : std::string(); };
    auto num = [&](size_t i, long long def) {
      return i < args.size() ? std::strtoll(str(i).c_str(), nullptr, 10) : def;
    };
    auto one = [](std::string s) -> std::optional<Const> {
      if (s.size() > kMaxConst) return std::nullopt;
      return Const{{std::move(s)}, false};
    };
    auto lower = [](std::string s) { return Lower(s); };
    auto upper = [](std::string s) {
      for (char& ch : s)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      return s;
    };
    if (args.empty()) return std::nullopt;
    std::string s = str(0);
    if (f == "range") {
      if (args.size() < 2 || args[0].array || args[1].array) return std::nullopt;
      std::string from = str(0), to = str(1);
      long long step = std::max(1LL, std::llabs(num(2, 1)));
      Const arr{{}, true};
      auto is_num = [](const std::string& x) {
        return !x.empty() && x.find_first_not_of("0123456789-") == std::string::npos;
      };
      long long lo, hi;
      bool chars = !is_num(from) || !is_num(to);
      if (chars) {
        if (from.empty() || to.empty()) return std::nullopt;
        lo = static_cast<unsigned char>(from[0]);
        hi = static_cast<unsigned char>(to[0]);
      } else {
        lo = std::strtoll(from.c_str(), nullptr, 10);
        hi = std::strtoll(to.c_str(), nullptr, 10);
      }
      if (std::llabs(hi - lo) / step > 4096) return std::nullopt;
      for (long long v = lo; lo <= hi ? v <= hi : v >= hi; v += lo <= hi ? step : -step)
        arr.items.push_back(chars ? std::string(1, static_cast<char>(v)) : std::to_string(v));
      return arr;
    }
    if (f == "end" || f == "array_pop") {
      if (args[0].items.empty()) return std::nullopt;
      return one(args[0].items.back());
    }
    if (f == "reset" || f == "current" || f == "array_shift") {
      if (args[0].items.empty()) return std::nullopt;
      return one(args[0].items.front());
    }
    if (f == "array_values") return args[0];
    if (f == "array_merge") {
      Const arr{{}, true};
      for (auto& a : args)
        for (auto& i : a.items) arr.items.push_back(i);
      return arr;
    }
    if (f == "array_slice") {
      Const arr{{}, true};
      long long n = static_cast<long long>(args[0].items.size());
      long long from = num(1, 0);
      if (from < 0) from = std::max(0LL, n + from);
      long long len = num(2, n);
      long long stop = len < 0 ? n + len : std::min(n, from + len);
      for (long long i = from; i < stop; ++i) arr.items.push_back(args[0].items[i]);
      return arr;
    }
    if (f == "hexdec" || f == "octdec" || f == "bindec") {
      int base = f == "hexdec" ? 16 : f == "octdec" ? 8 : 2;
      return one(std::to_string(std::strtoll(s.c_str(), nullptr, base)));
    }
    if (f == "dechex") {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(num(0, 0)));
      return one(buf);
    }
    if (f == "str_pad") {
      long long n = num(1, 0);
      std::string pad = args.size() > 2 ? str(2) : " ";
      if (pad.empty() || n > static_cast<long long>(kMaxConst)) return std::nullopt;
      while (static_cast<long long>(s.size()) < n) s += pad;
      return one(
          s.substr(0, std::max<size_t>(s.size() > static_cast<size_t>(n) ? n : s.size(), 0)));
    }
    if (f == "strstr" || f == "strrchr") {
      std::string needle = str(1);
      if (needle.empty()) return std::nullopt;
      size_t p = f == "strstr" ? s.find(needle) : s.rfind(needle[0]);
      if (p == std::string::npos) return one("");
      return one(s.substr(p));
    }
    if (f == "html_entity_decode" || f == "htmlspecialchars_decode") {
      std::string r;
      for (size_t i = 0; i < s.size(); ++i) {
        size_t semi = s[i] == '&' ? s.find(';', i) : std::string::npos;
        if (semi == std::string::npos || semi - i > 10) {
          r += s[i];
          continue;
        }
        long code = internal::EntityValue(std::string_view(s).substr(i + 1, semi - i - 1));
        if (code < 0 || code > 0x7f) {
          r += s[i];
          continue;
        }
        r += static_cast<char>(code);
        i = semi;
      }
      return one(r);
    }
    if (f == "quoted_printable_decode") {
      std::string r;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=' && i + 2 < s.size()) {
          auto h = internal::HexDecode(s.substr(i + 1, 2));
          if (h) {
            r += *h;
            i += 2;
            continue;
          }
        }
        r += s[i];
      }
      return one(r);
    }
    if (f == "mb_strtolower") return one(lower(s));
    if (f == "strrev") return one(std::string(s.rbegin(), s.rend()));
    if (f == "strtolower") return one(lower(s));
    if (f == "strtoupper") return one(upper(s));
    if (f == "strval") return one(s);
    if (f == "str_rot13") return one(internal::Rot13(s));
    if (f == "urldecode" || f == "rawurldecode") return one(internal::UrlDecode(s));
    if (f == "ucfirst" || f == "lcfirst") {
      if (!s.empty()) s[0] = f == "ucfirst" ? upper(s.substr(0, 1))[0] : lower(s.substr(0, 1))[0];
      return one(s);
    }
    if (f == "ucwords") {
      for (size_t i = 0; i < s.size(); ++i)
        if (i == 0 || s[i - 1] == ' ') s[i] = upper(s.substr(i, 1))[0];
      return one(s);
    }
    if (f == "trim" || f == "ltrim" || f == "rtrim") {
      std::string set = args.size() > 1 ? str(1) : std::string(" \t\n\r\v", 5) + '\0';
      size_t from = f == "rtrim" ? 0 : s.find_first_not_of(set);
      if (from == std::string::npos) return one("");
      size_t to = f == "ltrim" ? s.size() : s.find_last_not_of(set) + 1;
      return one(s.substr(from, to - from));
    }
    if (f == "base64_decode") {
      auto d = internal::Base64Decode(s);
      return d ? one(*d) : std::nullopt;
    }
    if (f == "hex2bin") {
      auto d = internal::HexDecode(s);
      return d ? one(*d) : std::nullopt;
    }
    if (f == "gzinflate" || f == "gzuncompress" || f == "gzdecode") {
      auto d = internal::Inflate(s,
                                 f == "gzinflate"      ? -15
                                 : f == "gzuncompress" ? 15
                                                       : 31,
                                 kMaxConst);
      return d ? one(*d) : std::nullopt;
    }
    if (f == "pack") {
      if (args.size() != 2) return std::nullopt;
      if (s == "H*") {
        auto d = internal::HexDecode(str(1));
        return d ? one(*d) : std::nullopt;
      }
      if (s == "A*" || s == "a*") return one(str(1));
      return std::nullopt;
    }
    if (f == "chr") return one(std::string(1, static_cast<char>(num(0, 0) & 0xff)));
    if (f == "str_repeat") {
      long long n = num(1, 0);
      if (n < 0 || n > static_cast<long long>(kMaxConst) ||
          s.size() * static_cast<size_t>(n) > kMaxConst)
        return std::nullopt;
      std::string r;
      for (long long i = 0; i < n; ++i) r += s;
      return one(r);
    }
    if (f == "substr" || f == "mb_substr") {
      long long n = static_cast<long long>(s.size());
      long long start = num(1, 0);
      if (start < 0) start = std::max(0LL, n + start);
      if (start > n) return one("");
      long long len = num(2, n);
      long long stop = len < 0 ? n + len : std::min(n, start + len);
      return one(stop <= start ? "" : s.substr(start, stop - start));
    }
    if (f == "substr_replace") {
      long long n = static_cast<long long>(s.size());
      long long start = num(2, 0);
      if (start < 0) start = std::max(0LL, n + start);
      start = std::min(start, n);
      long long len = num(3, n);
      long long stop = len < 0 ? std::max(start, n + len) : std::min(n, start + len);
      return one(s.substr(0, start) + str(1) + s.substr(stop));
    }
    if (f == "str_replace" || f == "str_ireplace") {
      if (args.size() != 3) return std::nullopt;
      std::string subject = str(2);
      const auto& search = args[0].items;
      for (size_t i = 0; i < search.size(); ++i) {
        if (search[i].empty()) continue;
        std::string rep =
            args[1].array ? (i < args[1].items.size() ? args[1].items[i] : "") : args[1].Str();
        std::string out;
        size_t from = 0;
        for (size_t p = subject.find(search[i]); p != std::string::npos;
             p = subject.find(search[i], from)) {
          out += subject.substr(from, p - from) + rep;
          if (out.size() > kMaxConst) return std::nullopt;
          from = p + search[i].size();
        }
        subject = out + subject.substr(from);
      }
      return one(subject);
    }
    if (f == "strtr") {
      if (args.size() != 3) return std::nullopt;
      std::string from = str(1), to = str(2);
      for (char& ch : s) {
        size_t p = from.find(ch);
        if (p != std::string::npos && p < to.size()) ch = to[p];
      }
      return one(s);
    }
    if (f == "implode" || f == "join") {
      const Const* arr = &args[0];
      std::string glue;
      if (args.size() == 2) {
        arr = args[0].array ? &args[0] : &args[1];
        glue = args[0].array ? args[1].Str() : args[0].Str();
      }
      std::string r;
      for (size_t i = 0; i < arr->items.size() && r.size() <= kMaxConst; ++i)
        r += (i ? glue : "") + arr->items[i];
      return one(r);
    }
    if (f == "sprintf" || f == "vsprintf") {
      std::vector<std::string> vals;
      for (size_t i = 1; i < args.size(); ++i)
        for (const auto& it : args[i].items) vals.push_back(it);
      std::string r;
      size_t next = 0;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%' || i + 1 >= s.size()) {
          r += s[i];
          continue;
        }
        char spec = s[++i];
        if (spec == '%') {
          r += '%';
        } else if (spec == 's' || spec == 'd') {
          if (next >= vals.size() || r.size() + vals[next].size() > kMaxConst) return std::nullopt;
          r += vals[next++];
        } else if (spec == 'c') {
          if (next >= vals.size()) return std::nullopt;
          r += static_cast<char>(std::strtoll(vals[next++].c_str(), nullptr, 10) & 0xff);
        } else {
          return std::nullopt;
        }
      }
      return one(r);
    }
    if (f == "str_split") {
      long long n = std::max(1LL, num(1, 1));
      Const arr{{}, true};
      for (size_t i = 0; i < s.size(); i += n) arr.items.push_back(s.substr(i, n));
      return arr;
    }
    if (f == "array_reverse") {
      Const arr = args[0];
      std::reverse(arr.items.begin(), arr.items.end());
      arr.array = true;
      return arr;
    }
    if (f == "array_map") {
      if (args.size() != 2 || args[0].array) return std::nullopt;
      std::string fn = Lower(args[0].Str());
      Const arr{{}, true};
      for (const auto& it : args[1].items) {
        std::vector<Const> one_arg = {Const{{it}, false}};
        auto r = ApplyStringFunction(fn, one_arg);
        if (!r) return std::nullopt;
        arr.items.push_back(r->Str());
      }
      return arr;
    }
    if (f == "base_convert") {
      if (args.size() != 3) return std::nullopt;
      long long from = num(1, 10), to = num(2, 10);
      if (from < 2 || from > 36 || to < 2 || to > 36) return std::nullopt;
      unsigned long long v = std::strtoull(lower(s).c_str(), nullptr, static_cast<int>(from));
      std::string r;
      do {
        r.insert(r.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[v % to]);
        v /= to;
      } while (v);
      return one(r);
    }
    return std::nullopt;
  }

  size_t StatementEnd(size_t from) const {
    int depth = 0;
    size_t limit = std::min(t_.size(), from + kMaxSpan);
    if (!Spend(limit - from)) return from;
    for (size_t k = from; k < limit; ++k) {
      if (!Code(k)) continue;
      char c = t_[k];
      if (c == '(' || c == '[' || c == '{')
        ++depth;
      else if (c == ')' || c == ']' || c == '}') {
        if (--depth < 0) return k;
      } else if (c == ';' && depth == 0) {
        return k;
      }
    }
    return limit;
  }

  // Names that run code or commands when called (what a "may be a sink" value is checked
  // against; callback helpers such as array_map are not in it).
  static const std::unordered_set<std::string>& StrongSinks() {
    static const auto* kSet = new std::unordered_set<std::string>{
        "assert", "system",    "exec",       "passthru",        "shell_exec",
        "popen",  "proc_open", "pcntl_exec", "create_function", "eval"};
    return *kSet;
  }

  // kMaySink if one of the values [a, b) may take is a sink's name: a literal among the arms of
  // a match, the branches of a ternary or the elements of an array (not an argument of some
  // other call: `function_exists("exec") ? ...`), or the result of a function of the file that
  // returns or yields one.
  int MaySinkOfSpan(size_t a, size_t b) const {
    b = std::min(b, a + kMaxSpan);
    std::vector<uint8_t> stack;  // 1 = inside the arguments of a call that is not array()
    int inside_call = 0;
    for (size_t k = a; k < b; ++k) {
      if (!Code(k)) {
        if (t_[k] == '"' && inside_call == 0) {
          auto it = literal_at_.find(k);
          if (it != literal_at_.end()) {
            if (it->second <= 16 && StrongSinks().count(Lower(t_.substr(k + 1, it->second))))
              return kMaySink;
            k += it->second + 1;
          }
        }
        continue;
      }
      char c = t_[k];
      if (c == '(') {
        size_t s = k;
        while (s > a && IsIdentChar(static_cast<unsigned char>(t_[s - 1]))) --s;
        std::string_view name(t_.data() + s, k - s);
        if (!name.empty() && !functions_.empty() && functions_.count(std::string(name)) &&
            ReturnsSinkName(std::string(name)) &&
            !(s > 0 && (t_[s - 1] == '>' || t_[s - 1] == ':')))
          return kMaySink;
        uint8_t call = !name.empty() && name != "array" && name != "match" ? 1 : 0;
        stack.push_back(call);
        inside_call += call;
      } else if (c == ')') {
        if (!stack.empty()) {
          inside_call -= stack.back();
          stack.pop_back();
        }
      }
    }
    return kNone;
  }

  // Whether the function of the file called `name` returns something and sanitises nothing: it
  // passes its input through (a home-made decoder or decryptor); one that escapes, casts,
  // hashes or validates does not. Memoised.
  bool PassesThrough(const std::string& name) const {
    if (functions_.empty()) return false;
    auto f = functions_.find(name);
    if (f == functions_.end()) return false;
    auto memo = passes_through_.find(name);
    if (memo != passes_through_.end()) return memo->second;
    auto [body, end] = f->second;
    std::string_view span(t_.data() + body, std::min(end - body, kMaxSpan));
    bool r = Spend(span.size()) && span.find("return") != std::string_view::npos;
    // the parameters: a sanitiser applied to one of them (not to a constant) counts
    std::vector<std::string> params;
    size_t popen = t_.rfind('(', body);
    for (size_t q = popen; q != std::string::npos && q < body; ++q) {
      if (t_[q] != '$' || !Code(q)) continue;
      size_t e;
      params.push_back("$" + VarAt(q, &e));
      q = e - 1;
    }
    for (const char* s :
         {"escapeshell", "intval(", "(int)", "htmlspecialchars(", "htmlentities(", "basename(",
          "preg_match(", "in_array(", "md5(", "sha1(", "hash(", "crc32(", "ctype_", "is_numeric(",
          "preg_quote(", "addslashes(", "filter_var(", "realpath(", "strip_tags("}) {
      for (size_t q = span.find(s); r && q != std::string_view::npos; q = span.find(s, q + 1)) {
        std::string_view rest = span.substr(q, 200);
        size_t stop = rest.find_first_of(");");
        rest = rest.substr(0, stop == std::string_view::npos ? rest.size() : stop);
        for (const auto& prm : params)
          if (rest.find(prm) != std::string_view::npos) r = false;
        if (params.empty()) r = false;
      }
    }
    passes_through_[name] = r;
    return r;
  }

  // Whether the function of the file called `name` returns or yields a sink's name. Memoised.
  bool ReturnsSinkName(const std::string& name) const {
    auto f = functions_.find(name);
    if (f == functions_.end()) return false;
    auto memo = returns_sink_.find(name);
    if (memo != returns_sink_.end()) return memo->second;
    auto [body, end] = f->second;
    end = std::min(end, body + kMaxSpan);
    bool r = false;
    if (Spend(end - body)) {
      for (size_t k = body; k < end && !r; ++k) {
        auto lit = t_[k] == '"' ? literal_at_.find(k) : literal_at_.end();
        if (lit == literal_at_.end()) continue;
        size_t w = k;
        while (w > body && t_[w - 1] == ' ') --w;
        bool returned = (w >= body + 6 && t_.compare(w - 6, 6, "return") == 0) ||
                        (w >= body + 5 && t_.compare(w - 5, 5, "yield") == 0) ||
                        (w >= body + 2 && t_.compare(w - 2, 2, "=>") == 0);
        if (returned && lit->second <= 16 &&
            StrongSinks().count(Lower(t_.substr(k + 1, lit->second))))
          r = true;
        k += lit->second + 1;
      }
      // `return join("", ["sy", "stem"]);`: a returned expression that folds to a sink
      std::string_view span(t_.data() + body, end - body);
      for (size_t q = span.find("return"); !r && q != std::string_view::npos;
           q = span.find("return", q + 6)) {
        size_t a = body + q + 6, b = StatementEnd(a);
        bool computed = false;
        auto v = b > a && b - a < 512 ? EvalString(a, b, &computed) : std::nullopt;
        if (v && StrongSinks().count(Lower(*v))) r = true;
      }
    }
    returns_sink_[name] = r;
    return r;
  }

  // Functions of the file (their results carry what flows in: kViaUser), constants
  // (define("X", ...), const X = ...), functions that return or yield a sink's name, classes
  // whose __invoke passes its argument to a sink, and magic methods that call the method or
  // property name they are given (`function __call($n, $a) { return $n(...$a); }`).
  void CollectDeclarations() {
    const size_t n = t_.size();
    for (size_t p : Occurrences("function ")) {
      if (!FunctionKeywordAt(p)) continue;
      size_t s = p + 9, e = s;
      while (e < n && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
      if (e == s || e >= n || t_[e] != '(') continue;
      std::string name = t_.substr(s, e - s);
      size_t pclose = Close(e);
      if (pclose == std::string::npos) continue;
      size_t body = t_.find('{', pclose);
      if (body == std::string::npos || body - pclose > 200) continue;
      size_t end = Close(body);
      if (end == std::string::npos) continue;
      if (functions_.size() < 4096) functions_.emplace(name, std::make_pair(body, end));
      {
        // A function that calls one of its parameters (`function run($f, $a) { return
        // $f($a); }`): its callers choose the callee.
        std::vector<std::string> params = ParamNames(e, pclose);
        std::string_view span(t_.data() + body, std::min(end - body, kMaxSpan));
        for (size_t i = 0; i < params.size() && callable_params_.size() < 256; ++i) {
          if (params[i].empty()) continue;
          for (const std::string& form : {"$" + params[i] + "(", "call_user_func($" + params[i],
                                          "call_user_func_array($" + params[i]}) {
            size_t f = span.find(form);
            if (f != std::string_view::npos && Code(body + f) &&
                (form[0] != '$' || t_[body + f - 1] != '>') && t_[body + f - 1] != ':') {
              callable_params_.emplace(name, i);
              break;
            }
          }
        }
      }
      if (name == "__invoke" && FunctionWrapsSink(p, 8, &name)) {
        size_t c = t_.rfind("class ", p);
        if (c != std::string::npos) {
          size_t cs = c + 6, ce = cs;
          while (ce < n && IsIdentChar(static_cast<unsigned char>(t_[ce]))) ++ce;
          if (ce > cs) invoker_classes_.insert(t_.substr(cs, ce - cs));
        }
        continue;
      }
      if (name == "__call" || name == "__callstatic" || name == "__set" || name == "__get") {
        // the first parameter (the method or property name) called as a function
        size_t q = t_.find('$', e);
        if (q == std::string::npos || q > pclose) continue;
        std::string_view span(t_.data() + body, std::min(end - body, kMaxSpan));
        size_t qe;
        std::string param = VarAt(q, &qe);
        if (param.empty()) continue;
        bool calls = false;
        for (const std::string& form : {"$" + param + "(", "call_user_func($" + param,
                                        "call_user_func_array($" + param, "array_map($" + param}) {
          size_t f = span.find(form);
          if (f != std::string_view::npos && Code(body + f) &&
              (form[0] != '$' || body + f == 0 || t_[body + f - 1] != '>'))
            calls = true;
        }
        if (calls) magic_forwarders_.insert(name);
      }
    }
    // closures kept in a variable (`$dec = function ($d) { return ...; }`), known as "$dec"
    for (size_t p : Occurrences("function(")) {
      size_t b = p;
      while (b > 0 && t_[b - 1] == ' ') --b;
      if (b < 3 || t_[b - 1] != '=' || t_[b - 2] == '=' || t_[b - 2] == '!') continue;
      size_t ve = b - 1, vs = ve;
      while (vs > 0 && IsIdentChar(static_cast<unsigned char>(t_[vs - 1]))) --vs;
      if (vs == 0 || vs == ve || t_[vs - 1] != '$') continue;
      size_t pclose = Close(p + 8);
      size_t body = pclose == std::string::npos ? pclose : t_.find('{', pclose);
      if (body == std::string::npos || body - pclose > 200) continue;
      size_t end = Close(body);
      if (end != std::string::npos && functions_.size() < 4096)
        functions_.emplace("$" + t_.substr(vs, ve - vs), std::make_pair(body, end));
    }
    // define("NAME", value) and const NAME = value
    for (size_t p : Occurrences("define(\"")) {
      if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) continue;
      size_t close = Close(p + 6);
      if (close == std::string::npos) continue;
      auto args = SplitArgs(p + 6, close);
      auto lit = literal_at_.find(p + 7);
      if (args.size() < 2 || lit == literal_at_.end()) continue;
      bool computed = false;
      if (auto v = EvalString(args[1].first, args[1].second, &computed))
        defines_[Lower(t_.substr(p + 8, lit->second))] = *v;
    }
    for (size_t p : Occurrences("const ")) {
      if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) continue;
      size_t end = StatementEnd(p + 6);
      for (auto [da, db] : SplitTop(p + 6, end, ',')) {
        size_t eq = t_.find('=', da);
        if (eq == std::string::npos || eq >= db) continue;
        size_t ne = eq;
        while (ne > da && t_[ne - 1] == ' ') --ne;
        size_t ns = ne;
        while (ns > da && IsIdentChar(static_cast<unsigned char>(t_[ns - 1]))) --ns;
        bool computed = false;
        if (auto v = EvalString(eq + 1, db, &computed)) defines_[t_.substr(ns, ne - ns)] = *v;
      }
    }
  }

  void CollectAssignments() {
    for (size_t k = 0; k < t_.size(); ++k) {
      if (t_[k] != '$' || !Code(k)) continue;
      size_t e;
      std::string v = VarAt(k, &e);
      if (e >= t_.size()) continue;
      if (v.empty()) {
        // `$$k = $v` / `${$k} = $v` with request names and values: register-globals emulation,
        // any variable may now hold request data.
        size_t x = e, inner = t_[x] == '$' ? x : (t_[x] == '{' && x + 1 < t_.size()) ? x + 1 : x;
        if (t_[inner] != '$') continue;
        size_t ie;
        std::string name = VarAt(inner, &ie);
        if (ie < t_.size() && t_[ie] == '}') ++ie;
        if (ie + 1 < t_.size() && t_[ie] == '=' && t_[ie + 1] != '=' && t_[ie + 1] != '>') {
          // (the names must come from iterating the request itself in the enclosing loop, not
          // from some variable that request data reached)
          if (InRequestLoop(k, name) && (TaintOfSpan(ie + 1, StatementEnd(ie + 1)) & kRequest))
            all_request_ = true;
        }
        continue;
      }
      if (v == "globals") {
        // $GLOBALS["x"] = ... assigns $x
        if (e + 2 >= t_.size() || t_[e] != '[' || t_[e + 1] != '"') continue;
        auto lit = literal_at_.find(e + 1);
        if (lit == literal_at_.end() || e + lit->second + 3 >= t_.size() ||
            t_[e + lit->second + 3] != ']')
          continue;
        v = Lower(t_.substr(e + 2, lit->second));
        e = e + lit->second + 4;
        if (e >= t_.size()) continue;
      }
      size_t rhs;
      if (t_[e] == '=' && e + 1 < t_.size() && t_[e + 1] != '=' && t_[e + 1] != '>') {
        rhs = e + 1;
      } else if ((t_[e] == '.' || t_[e] == '+') && e + 1 < t_.size() && t_[e + 1] == '=') {
        rhs = e + 2;
      } else {
        continue;
      }
      size_t end = StatementEnd(rhs);
      if (end == rhs + 8 && t_.compare(rhs, 8, "$_server") == 0 && server_aliases_.size() < 16)
        server_aliases_.insert(v);  // $s = $_SERVER; $s["HTTP_X"]
      int taint = TaintOfSpan(rhs, end);
      // A name built from literals: `$f = "as"."sert";` (folded by the normaliser), `$g = "a" .
      // $f;`, `$h = str_replace("x", "", "axsxsxexrxt");`.
      bool computed = false;
      std::optional<Const> cvalue = EvalConst(rhs, end, &computed);
      std::optional<std::string> value;
      if (cvalue && t_[e] == '.') {
        // `$f .= "tem"`: appended to the known value (once: this runs in two passes)
        auto old = values_.find(v);
        if (!appended_.insert(k).second) {
          cvalue.reset();
        } else if (old != values_.end()) {
          cvalue = Const{{old->second + cvalue->Str()}, false};
        } else {
          cvalue.reset();
        }
      }
      if (cvalue) {
        value = cvalue->Str();
        if (cvalue->array) {
          arrays_[v] = cvalue->items;
          if (!cvalue->keys.empty()) array_keys_[v] = cvalue->keys;
        } else {
          arrays_.erase(v);
        }
      } else {
        taint |= MaySinkOfSpan(rhs, end);
      }
      if (size_t nw = rhs; t_.compare(nw, 4, "new ") == 0) {
        // `new C` of a class whose __invoke passes its argument to a sink: calling the object
        // calls the sink.
        nw += 4;
        size_t ne = nw;
        while (ne < end && IsIdentChar(static_cast<unsigned char>(t_[ne]))) ++ne;
        if (invoker_classes_.count(t_.substr(nw, ne - nw))) taint |= kSinkName;
      }
      if (t_.compare(rhs, 8, "new com(") == 0 || t_.compare(rhs, 10, "ffi::cdef(") == 0 ||
          t_.compare(rhs, 10, "ffi::load(") == 0)
        taint |= kNative;
      if (t_.compare(rhs, 23, "new reflectionfunction(") == 0 ||
          t_.compare(rhs, 22, "closure::fromcallable(") == 0) {
        // `new ReflectionFunction("system")`, `Closure::fromCallable("system")`: ->invoke() on
        // it, or calling it, calls the sink.
        size_t open = t_.find('(', rhs);
        size_t close = Close(open);
        if (close != std::string::npos &&
            (ArgIsDangerousCallable({open + 1, close}) || ArgIsRequestValue({open + 1, close})))
          taint |= kSinkName;  // a sink, or a function the client names
      }
      if (value) {
        std::string lit = Lower(*value);
        values_[v] = *value;
        if (SinkNames().count(lit)) taint |= kSinkName;
        if (Decoders().count(lit)) decoder_vars_.insert(v);
        if (lit == "php://input") taint |= kRequest;  // a name for the request body
        if (cvalue && cvalue->array)
          for (const auto& item : cvalue->items)
            if (StrongSinks().count(Lower(item))) taint |= kMaySink;
      } else if (computed) {
        taint |= kConstructed;
      }
      if (taint) vars_[v] |= taint;
    }
    // list($f, $a) = explode("|", $_POST["x"]): every target gets the value's taint.
    for (size_t p : Occurrences("list(")) {
      if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) continue;
      size_t close = Close(p + 4);
      if (close == std::string::npos || close + 2 >= t_.size() || t_[close + 1] != '=' ||
          t_[close + 2] == '=' || t_[close + 2] == '>')
        continue;
      int taint = TaintOfSpan(close + 2, StatementEnd(close + 2)) & (kRequest | kDecoded);
      for (size_t q = p + 5; taint && q < close; ++q) {
        if (t_[q] != '$' || !Code(q)) continue;
        size_t e;
        vars_[VarAt(q, &e)] |= taint;
        q = e - 1;
      }
    }
    // fwrite($h, request data): whatever reads the handle back (its stream_get_meta_data()
    // "uri", included) gets request data.
    for (const char* f : {"fwrite(", "fputs("}) {
      for (size_t p : Occurrences(f)) {
        if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) continue;
        size_t open = p + std::strlen(f) - 1, close = Close(open);
        if (close == std::string::npos) continue;
        auto args = SplitArgs(open, close);
        if (args.size() < 2 || t_[args[0].first] != '$') continue;
        int taint = TaintOfSpan(args[1].first, args[1].second) & (kRequest | kDecoded);
        size_t e;
        std::string v = VarAt(args[0].first, &e);
        if (taint && e == args[0].second && !v.empty()) vars_[v] |= kFileData;
      }
    }
    // A file written with request data (`file_put_contents($t, "<?php " . $_POST["c"])`):
    // whatever includes or runs that path runs request data.
    for (size_t p : Occurrences("file_put_contents(")) {
      if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) continue;
      size_t open = p + 17, close = Close(open);
      if (close == std::string::npos) continue;
      auto args = SplitArgs(open, close);
      if (args.size() < 2 || t_[args[0].first] != '$' ||
          !(TaintOfSpan(args[1].first, args[1].second) & kRequest))
        continue;
      size_t e;
      std::string v = VarAt(args[0].first, &e);
      if (e == args[0].second && !v.empty()) vars_[v] |= kFileData;
    }
    // foreach ($_POST as $k => $v) and extract($_POST) / parse_str(input) taint everything.
    for (size_t p : Occurrences("foreach(")) {
      if (!Code(p)) continue;
      size_t close = Close(p + 7);
      if (close == std::string::npos) continue;
      std::string_view head(t_.data() + p, close - p);
      // ` as ` (or `)as$` once whitespace is collapsed), in code
      size_t as_rel = std::string_view::npos;
      for (size_t q = head.find("as"); q != std::string_view::npos; q = head.find("as", q + 1)) {
        char before = q > 0 ? head[q - 1] : 0, after = q + 2 < head.size() ? head[q + 2] : 0;
        if ((before == ' ' || before == ')' || before == ']') && (after == ' ' || after == '$') &&
            Code(p + q)) {
          as_rel = before == ' ' ? q - 1 : q;
          break;
        }
      }
      if (as_rel == std::string_view::npos) continue;
      size_t as = p + as_rel;
      // foreach (names() as $fn), foreach (["trim", "system"] as $fn): the loop variable may
      // name a sink.
      int may = MaySinkOfSpan(p + 8, as);
      if (size_t d = p + 8; !may && t_[d] == '$') {
        size_t de;
        auto it = vars_.find(VarAt(d, &de));
        if (de == as && it != vars_.end()) may = it->second & kMaySink;
      }
      if (may) {
        size_t last = t_.rfind('$', close);
        if (last != std::string::npos && last > as) {
          size_t e;
          vars_[VarAt(last, &e)] |= kMaySink;
        }
      }
      bool direct = HasSourceToken(p, as);
      if (!direct && !(TaintOfSpan(p + 8, as) & kRequest)) continue;
      for (size_t k = as; k < close; ++k) {
        if (t_[k] != '$') continue;
        size_t e;
        std::string v = VarAt(k, &e);
        vars_[v] |= kRequest;
        if (direct && request_loops_.size() < 64) {
          size_t body = close + 1;
          size_t end = body < t_.size() && t_[body] == '{' ? Close(body) : StatementEnd(body);
          if (end != std::string::npos) request_loops_.push_back({v, {body, end}});
        }
      }
    }
    // preg_match($re, request data, $m): the matches are request data
    for (size_t p = t_.find("preg_match"); p != std::string::npos;
         p = t_.find("preg_match", p + 10)) {
      size_t open = t_.compare(p, 11, "preg_match(") == 0       ? p + 10
                    : t_.compare(p, 15, "preg_match_all(") == 0 ? p + 14
                                                                : std::string::npos;
      if (open == std::string::npos || !Code(p)) continue;
      size_t close = Close(open);
      if (close == std::string::npos) continue;
      auto args = SplitArgs(open, close);
      if (args.size() < 3 || t_[args[2].first] != '$') continue;
      int taint = TaintOfSpan(args[1].first, args[1].second) & (kRequest | kDecoded);
      size_t e;
      if (taint) vars_[VarAt(args[2].first, &e)] |= taint;
    }
    for (const char* f : {"extract(", "parse_str("}) {
      for (size_t p : Occurrences(f)) {
        if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) continue;
        size_t open = p + std::strlen(f) - 1;
        size_t close = Close(open);
        if (close == std::string::npos) continue;
        auto args = SplitArgs(open, close);
        if (f[0] == 'p' && args.size() == 2 && t_[args[1].first] == '$' &&
            (TaintOfSpan(args[0].first, args[0].second) & kRequest)) {
          // parse_str(request data, $out): $out holds request fields
          size_t e;
          vars_[VarAt(args[1].first, &e)] |= kRequest;
          continue;
        }
        if (!HasSourceToken(open, close)) continue;
        // parse_str($s, $out) and extract($a, EXTR_SKIP...) with a prefix keep globals intact;
        // only the one-argument forms turn every request field into a variable.
        if (args.size() == 1) all_request_ = true;
      }
    }
  }

  std::vector<std::pair<size_t, size_t>> SplitArgs(size_t open, size_t close) const {
    std::vector<std::pair<size_t, size_t>> args;
    int depth = 0;
    size_t start = open + 1;
    for (size_t k = open + 1; k < close; ++k) {
      if (!Code(k)) continue;
      char c = t_[k];
      if (c == '(' || c == '[' || c == '{')
        ++depth;
      else if (c == ')' || c == ']' || c == '}')
        --depth;
      else if (c == ',' && depth == 0) {
        args.emplace_back(start, k);
        start = k + 1;
      }
    }
    if (close > open + 1) args.emplace_back(start, close);
    return args;
  }

  // An argument that is itself request data (`$_POST["f"]`, `$f` tainted), not merely
  // containing it somewhere (`htmlspecialchars($_POST["f"])` is not a callable from the client).
  bool ArgIsRequestValue(std::pair<size_t, size_t> arg) const {
    auto [a, b] = arg;
    while (a < b && t_[a] == '@') ++a;
    if (a >= b || t_[a] != '$') return HasSourceToken(a, b) && t_[a] == '$';
    if (t_.compare(a, 3, "${\"") == 0) return HasSourceToken(a, std::min(b, a + 16));
    size_t e;
    std::string v = VarAt(a, &e);
    bool plain = e == b || t_[e] == '[';
    if (!plain) return false;
    if (v == "_post" || v == "_get" || v == "_request" || v == "_cookie" || v == "_files")
      return true;
    auto it = vars_.find(v);
    return all_request_ || (it != vars_.end() && (it->second & kRequest));
  }

  // A callable argument that runs code or commands: a sink's name (also when assembled from
  // pieces: `strrev("tressa")`, `"sys"."tem"`), a variable holding one, a function that
  // passes its parameter to a sink (by name, or inline: `function($m) { system($m[0]); }`).
  bool ArgIsDangerousCallable(std::pair<size_t, size_t> arg, int depth = 0) const {
    if (depth > 8) return false;  // [[[...], "invoke"], "invoke"]: bounded
    auto [a, b] = arg;
    while (a < b && (t_[a] == ' ' || t_[a] == '@')) ++a;
    if (a >= b) return false;
    if (t_[a] == '$') {
      size_t e;
      std::string v = VarAt(a, &e);
      auto it = vars_.find(v);
      if (e == b && it != vars_.end() &&
          (it->second & (kDecoded | kSinkName | kConstructed | kMaySink)))
        return true;
      for (const auto& [name, closure] : wrappers_)
        if (closure && e == b && name == v) return true;
    }
    if (t_.compare(a, 4, "new ") == 0) {
      // an object whose __invoke passes its argument to a sink
      size_t ne = a + 4;
      while (ne < b && IsIdentChar(static_cast<unsigned char>(t_[ne]))) ++ne;
      return invoker_classes_.count(t_.substr(a + 4, ne - a - 4)) > 0;
    }
    if ((t_.compare(a, 6, "array(") == 0 || t_[a] == '[') &&
        t_[b - 1] == (t_[a] == '[' ? ']' : ')')) {
      // [object, "method"]: a method that passes its parameter to a sink, the invoke method of
      // a reflected sink, the __invoke of an object that wraps one.
      size_t open = t_[a] == '[' ? a : a + 5;
      auto items = SplitTop(open + 1, b - 1, ',');
      if (items.size() == 2) {
        auto [ma, mb] = items[1];
        while (ma < mb && t_[ma] == ' ') ++ma;
        auto lit = literal_at_.find(ma);
        if (lit != literal_at_.end() && ma + lit->second + 2 == mb) {
          std::string m = Lower(t_.substr(ma + 1, lit->second));
          for (const auto& [w, closure] : wrappers_)
            if (!closure && w == m && m != "__invoke") return true;
          auto [oa, ob] = items[0];
          while (oa < ob && t_[oa] == ' ') ++oa;
          if (m == "invoke" || m == "invokeargs" || m == "__invoke" || m == "call") {
            if (t_.compare(oa, 23, "new reflectionfunction(") == 0) {
              size_t ro = oa + 22, rc = Close(ro);
              if (rc != std::string::npos && ArgIsDangerousCallable({ro + 1, rc}, depth + 1))
                return true;
            }
            if (ArgIsDangerousCallable({oa, ob}, depth + 1)) return true;
          }
        }
      }
    }
    if (size_t kw = FunctionKeywordAt(a)) {
      std::string name;
      return FunctionWrapsSink(a, kw, &name);
    }
    if (t_.compare(a, 7, "static ") == 0 && FunctionKeywordAt(a + 7)) {
      std::string name;
      return FunctionWrapsSink(a + 7, FunctionKeywordAt(a + 7), &name);
    }
    if (t_.compare(a, 6, "array(") == 0 || t_[a] == '[') {
      // An array of callbacks (preg_replace_callback_array): any closure in it that wraps a sink.
      for (size_t q = a + 1; q < b; ++q) {
        std::string name;
        if (t_[q] == 'f' && FunctionKeywordAt(q) &&
            FunctionWrapsSink(q, FunctionKeywordAt(q), &name))
          return true;
      }
    }
    bool computed = false;
    if (auto name = EvalString(a, b, &computed)) {
      return NamesSinkOrWrapper(*name);  // a known name: a sink, or harmless
    } else if (computed) {
      return true;  // assembled by string functions we cannot evaluate
    }
    return TaintOfSpan(a, b) & kDecoded;
  }

  void Add(const char* rule, int score, size_t pos) { ev_.push_back({rule, score, pos}); }

  // Whether a resolved callee name is a sink, or a function of this file known to wrap one
  // ("Cls::method": the method's name is what wrappers are known by).
  bool NamesSinkOrWrapper(const std::string& name) const {
    std::string lower = Lower(name);
    if (SinkNames().count(lower)) return true;
    if (size_t colons = lower.rfind("::"); colons != std::string::npos)
      lower = lower.substr(colons + 2);
    for (const auto& [w, closure] : wrappers_)
      if (!closure && w == lower) return true;
    return false;
  }

  // What the callee expression [a, b) may call: kSinkName (it resolves to a sink, or an object
  // whose __invoke wraps one), kMaySink, kConstructed (assembled by functions we cannot
  // evaluate: a name produced at run time), kDecoded, kRequest (the client names it). A name
  // that resolves to a harmless function gives kNone.
  int CalleeTaint(size_t a, size_t b) const {
    while (a < b && (t_[a] == ' ' || t_[a] == '@')) ++a;
    while (a < b && t_[a] == '(' && Close(a) == b - 1) {  // ((callee))
      ++a;
      --b;
      while (a < b && (t_[a] == ' ' || t_[a] == '@')) ++a;
    }
    if (a >= b) return kNone;
    bool computed = false;
    if (auto v = EvalString(a, b, &computed)) return NamesSinkOrWrapper(*v) ? kSinkName : kNone;
    int t = computed ? kConstructed : kNone;
    if (t_[a] == '$') {
      size_t e;
      std::string v = VarAt(a, &e);
      if (v == "globals" && e + 2 < b && t_[e] == '[' && t_[e + 1] == '"') {
        auto lit = literal_at_.find(e + 1);
        if (lit != literal_at_.end()) v = Lower(t_.substr(e + 2, lit->second));
      }
      auto it = vars_.find(v);
      if (it != vars_.end())
        t |= it->second & (kRequest | kDecoded | kSinkName | kConstructed | kMaySink);
    }
    if (ArgIsDangerousCallable({a, b})) t |= kSinkName;
    return t | (TaintOfSpan(a, b) & (kRequest | kDecoded));
  }

  // Constant code handed to eval / assert / create_function, for the caller to analyse.
  void CodeLayer(std::pair<size_t, size_t> arg, size_t pos) {
    if (code_layers_.size() >= 8) return;
    bool computed = false;
    auto v = EvalString(arg.first, arg.second, &computed);
    if (v && v->size() >= 8) code_layers_.push_back({std::move(*v), pos});
  }

 public:
  // Code strings assembled from constants and passed to eval / assert / create_function (after
  // Run()), with their position in the normalised text.
  std::vector<std::pair<std::string, size_t>> TakeCodeLayers() { return std::move(code_layers_); }

 private:
  // A call of the value of [callee_start, open): `constant("RUN")($x)`, `("sys" . "tem")($x)`,
  // `(new Job)($x)`.
  void CheckCalledResult(size_t callee_start, size_t open) {
    size_t close = Close(open);
    if (close == std::string::npos) return;
    int callee = CalleeTaint(callee_start, open);
    int args = TaintOfSpan(open, close);
    if (callee & kSinkName) {
      auto list = SplitArgs(open, close);
      if (!list.empty()) CodeLayer(list.back(), callee_start);
    }
    if ((callee & kRequest) && (args & kRequest))
      Add("heur_request_callee", 100, callee_start);
    else if ((callee & (kSinkName | kMaySink | kConstructed | kDecoded)) &&
             (args & (kRequest | kViaUser)))
      Add("heur_dynamic_sink_request", 100, callee_start);
    else if (callee & kSinkName)
      Add("heur_dynamic_sink_name", 60, callee_start);
  }

  // Magic methods that call the name they are given (a __call forwarding to the function of
  // that name): a method call or property write whose name is a sink's, with request data.
  void CheckMagicForwarders() {
    if (magic_forwarders_.empty()) return;
    bool calls = magic_forwarders_.count("__call") || magic_forwarders_.count("__callstatic");
    bool sets = magic_forwarders_.count("__set") > 0;
    for (size_t k = 0; k + 2 < t_.size(); ++k) {
      if (!Code(k) || !((t_[k] == '-' && t_[k + 1] == '>') || (t_[k] == ':' && t_[k + 1] == ':')))
        continue;
      size_t s = k + 2, e = s;
      while (e < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
      if (e == s || e >= t_.size()) continue;
      std::string m = t_.substr(s, e - s);
      if (!StrongSinks().count(m) && !SinkNames().count(m)) {
        k = e - 1;
        continue;
      }
      if (calls && t_[e] == '(') {
        size_t close = Close(e);
        if (close != std::string::npos && (TaintOfSpan(e, close) & (kRequest | kViaUser))) {
          Add("heur_magic_call_sink", 100, s);
          return;
        }
      }
      if (sets && t_[e] == '=' && e + 1 < t_.size() && t_[e + 1] != '=') {
        if (TaintOfSpan(e + 1, StatementEnd(e + 1)) & (kRequest | kViaUser)) {
          Add("heur_magic_call_sink", 100, s);
          return;
        }
      }
      k = e - 1;
    }
  }

  // Droppers: request data written to a file whose name the request gives, or whose name ends
  // in a script extension (file_put_contents, fopen + fwrite, copy of an upload).
  void CheckFileDroppers() {
    auto script_name = [&](size_t a, size_t b) {
      for (size_t k = a; k < b; ++k) {
        auto lit = literal_at_.find(k);
        if (lit == literal_at_.end()) continue;
        std::string v = Lower(t_.substr(k + 1, lit->second));
        for (const char* ext : {".php", ".phtml", ".pht", ".phar", ".jsp", ".jspx", ".asp", ".aspx",
                                ".ashx", ".asmx", ".cer", ".shtml", ".htaccess", ".user.ini"}) {
          size_t p = v.rfind(ext);
          if (p != std::string::npos && p + std::strlen(ext) == v.size()) return true;
        }
        k += lit->second + 1;
      }
      return false;
    };
    // A path the request gives (not through basename() or a hash).
    auto request_path = [&](std::pair<size_t, size_t> arg) {
      return ArgIsRequestValue(arg) || (TaintOfSpan(arg.first, arg.second) & kRequest);
    };
    for (const char* f : {"file_put_contents(", "copy(", "move_uploaded_file("}) {
      for (size_t p : Occurrences(f)) {
        if (!Code(p) || (p > 0 && (IsIdentChar(static_cast<unsigned char>(t_[p - 1])) ||
                                   t_[p - 1] == '>' || t_[p - 1] == ':')))
          continue;
        size_t open = p + std::strlen(f) - 1, close = Close(open);
        if (close == std::string::npos) continue;
        auto args = SplitArgs(open, close);
        if (args.size() < 2) continue;
        auto [dest, data] =
            f[0] == 'f' ? std::make_pair(args[0], args[1]) : std::make_pair(args[1], args[0]);
        bool data_req = (TaintOfSpan(data.first, data.second) & (kRequest | kViaUser)) ||
                        (f[0] != 'f' && HasSourceToken(data.first, data.second));
        if (!data_req) continue;
        // move_uploaded_file: only to exactly the name the client gave (an upload form moves
        // files under a directory and a name it chose)
        bool dest_req = f[0] == 'm' ? ArgIsRequestValue(dest) : request_path(dest);
        if (dest_req || script_name(dest.first, dest.second)) {
          Add("heur_request_file_dropper", 100, p);
          return;
        }
      }
    }
    // $h = fopen(request path or "x.php", "w"); fwrite($h, request data)
    std::unordered_set<std::string> handles_seen;
    for (const char* f : {"fwrite(", "fputs("}) {
      for (size_t p : Occurrences(f)) {
        if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) continue;
        size_t open = p + std::strlen(f) - 1, close = Close(open);
        if (close == std::string::npos) continue;
        auto args = SplitArgs(open, close);
        if (args.size() < 2 || t_[args[0].first] != '$' ||
            !(TaintOfSpan(args[1].first, args[1].second) & (kRequest | kViaUser)))
          continue;
        size_t e;
        std::string h = VarAt(args[0].first, &e);
        if (handles_seen.size() >= 16 || !handles_seen.insert(h).second) continue;
        std::string assign = "$" + h + "=fopen(";
        for (size_t q = t_.find(assign); q != std::string::npos; q = t_.find(assign, q + 1)) {
          size_t fo = q + assign.size() - 1, fc = Close(fo);
          if (fc == std::string::npos || !Code(q)) continue;
          auto fargs = SplitArgs(fo, fc);
          if (fargs.size() < 2 || t_[fargs[1].first] != '"') continue;
          std::string_view mode(t_.data() + fargs[1].first, fargs[1].second - fargs[1].first);
          if (mode.find_first_of("wacx") == std::string_view::npos) continue;
          if (request_path(fargs[0]) || script_name(fargs[0].first, fargs[0].second)) {
            Add("heur_request_file_dropper", 100, p);
            return;
          }
        }
      }
    }
  }

  void CheckCalls() {
    static const std::unordered_set<std::string> kCodeSinks = {"eval", "assert", "create_function"};
    static const std::unordered_set<std::string> kCmdSinks = {
        "system", "exec", "passthru", "shell_exec", "popen", "proc_open", "pcntl_exec"};
    // callback sink -> index of the callback argument
    static const std::unordered_map<std::string, int> kCallbackSinks = {
        {"call_user_func", 0},
        {"call_user_func_array", 0},
        {"array_map", 0},
        {"register_shutdown_function", 0},
        {"register_tick_function", 0},
        {"ob_start", 0},
        {"usort", 1},
        {"uasort", 1},
        {"uksort", 1},
        {"array_filter", 1},
        {"array_walk", 1},
        {"array_reduce", 1},
        {"iterator_apply", 1},
        {"preg_replace_callback", 1},
        {"array_walk_recursive", 1},
        {"forward_static_call", 0},
        {"forward_static_call_array", 0},
        {"preg_replace_callback_array", 0},
        {"array_udiff", -1},
        {"array_uintersect", -1},
        {"array_diff_ukey", -1},
        {"array_intersect_ukey", -1},
        {"array_udiff_assoc", -1},
        {"array_diff_uassoc", -1},
        {"array_intersect_uassoc", -1},
        {"set_error_handler", 0},
        {"set_exception_handler", 0},
        {"spl_autoload_register", 0},
        {"header_register_callback", 0},
        {"session_set_save_handler", 0},
        {"mb_ereg_replace_callback", 1},
        {"assert_options", 1},
        {"pcntl_signal", 1},
        {"xml_set_character_data_handler", 1},
        {"xml_set_default_handler", 1},
        {"xml_set_element_handler", 1},
        {"xml_set_processing_instruction_handler", 1},
        {"callbackfilteriterator", 1},
        {"recursivecallbackfilteriterator", 1}};
    // Registrations: the callback runs later, with data the script controls (its output, an
    // error message, a class name...), so a dangerous callback in a file that reads request
    // data is enough.
    static const std::unordered_set<std::string> kRegistrations = {
        "ob_start",
        "set_error_handler",
        "set_exception_handler",
        "spl_autoload_register",
        "header_register_callback",
        "session_set_save_handler",
        "assert_options",
        "pcntl_signal",
        "register_tick_function",
        "register_shutdown_function",
        "xml_set_character_data_handler",
        "xml_set_default_handler",
        "xml_set_element_handler",
        "xml_set_processing_instruction_handler",
        "callbackfilteriterator",
        "recursivecallbackfilteriterator"};
    // Methods of PHP's own classes that take a callable (ArrayObject / ArrayIterator sorting,
    // SQLite3 / PDO user functions, PDO::FETCH_FUNC, SoapServer, Closure::call).
    static const std::unordered_set<std::string> kCallbackMethods = {"uasort",
                                                                     "uksort",
                                                                     "createfunction",
                                                                     "createaggregate",
                                                                     "sqlitecreatefunction",
                                                                     "sqlitecreateaggregate",
                                                                     "fetchall",
                                                                     "addfunction",
                                                                     "setcallback"};
    for (size_t k = 0; k < t_.size(); ++k) {
      if (!Code(k)) continue;
      unsigned char c = t_[k];
      if (c == '`') {
        size_t end = k + 1;
        while (end < t_.size() && !(Code(end) && t_[end] == '`')) ++end;
        if (end < t_.size() && (TaintOfSpan(k + 1, end) & (kRequest | kViaUser))) {
          Add("heur_backtick_request", 100, k);
        }
        k = end;
        continue;
      }
      if (c == '(' && (k == 0 || !(t_[k - 1] == ')' || t_[k - 1] == ']' || t_[k - 1] == '$' ||
                                   IsIdentChar(static_cast<unsigned char>(t_[k - 1]))))) {
        // `(expr)(...)`: a parenthesised callee
        size_t close = Close(k);
        if (close != std::string::npos && close + 1 < t_.size() && t_[close + 1] == '(')
          CheckCalledResult(k, close + 1);
        continue;
      }
      if (c == '$') {
        // Variable function call: $f(...)
        size_t e;
        std::string v = VarAt(k, &e);
        size_t after = e;
        bool superglobal = RequestVariableAt(k, v, &after);
        if (superglobal && after < t_.size() && t_[after] == '[') {
          e = after;
          // $_GET["a"](...): the client names the function.
          size_t q = e;
          int depth = 0;
          size_t q_limit = std::min(t_.size(), e + kMaxSpan);
          if (!Spend(q_limit - e)) q_limit = e;
          for (; q < q_limit; ++q) {
            if (!Code(q)) continue;
            if (t_[q] == '[')
              ++depth;
            else if (t_[q] == ']' && --depth == 0)
              break;
          }
          if (q + 1 < t_.size() && t_[q + 1] == '(') Add("heur_request_callee", 100, k);
          k = e - 1;
          continue;
        }
        if (auto it = vars_.find(v);
            it != vars_.end() && (it->second & kNative) && t_.compare(e, 2, "->") == 0) {
          // $shell->exec(...), $ffi->system(...) with request data: native code bridges.
          size_t m = e + 2;
          while (m < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[m]))) ++m;
          size_t close = m < t_.size() && t_[m] == '(' ? Close(m) : std::string::npos;
          if (close != std::string::npos && (TaintOfSpan(m, close) & kRequest))
            Add("heur_native_bridge_request", 100, k);
        }
        if (!v.empty() && e < t_.size() && t_[e] == '-' &&
            (t_.compare(e, 9, "->invoke(") == 0 || t_.compare(e, 13, "->invokeargs(") == 0)) {
          // A reflected sink invoked with request data.
          auto it = vars_.find(v);
          size_t open = t_.find('(', e);
          size_t close = Close(open);
          if (it != vars_.end() && (it->second & (kSinkName | kConstructed | kDecoded)) &&
              close != std::string::npos && (TaintOfSpan(open, close) & kRequest))
            Add("heur_reflected_sink_request", 100, k);
          k = e - 1;
          continue;
        }
        if (!v.empty() && e < t_.size() && t_[e] == '[') {
          // $a[0]($a[1]): an element of a variable called as a function.
          size_t q = e, q_limit = std::min(t_.size(), e + 200);
          int depth = 0;
          for (; q < q_limit; ++q) {
            if (!Code(q)) continue;
            if (t_[q] == '[') {
              ++depth;
            } else if (t_[q] == ']' && --depth == 0) {
              if (q + 1 < t_.size() && t_[q + 1] == '[') continue;  // $a[0][1](
              break;
            }
          }
          if (q + 1 < t_.size() && t_[q + 1] == '(') {
            size_t close = Close(q + 1);
            int callee = CalleeTaint(k, q + 1);
            int args = close == std::string::npos ? 0 : TaintOfSpan(q + 1, close);
            if ((callee & kRequest) && (args & kRequest))
              Add("heur_request_callee", 100, k);
            else if ((callee & (kSinkName | kMaySink | kConstructed | kDecoded)) &&
                     (args & (kRequest | kViaUser)))
              Add("heur_dynamic_sink_request", 100, k);
          }
          k = e - 1;
          continue;
        }
        if (v.empty() || e >= t_.size() || t_[e] != '(') {
          k = e - 1;
          continue;
        }
        if (k > 0 && (t_[k - 1] == '>' || t_[k - 1] == ':')) {
          // $obj->$m(...) / Cls::$m(...): a method chosen by name; only a finding when the name
          // is known and the method passes its parameter to a sink
          auto val = values_.find(v);
          size_t mclose = e < t_.size() && t_[e] == '(' ? Close(e) : std::string::npos;
          if (val != values_.end() && mclose != std::string::npos &&
              (TaintOfSpan(e, mclose) & (kRequest | kViaUser))) {
            std::string m = Lower(val->second);
            for (const auto& [w, closure] : wrappers_)
              if (!closure && w == m) Add("heur_dynamic_sink_request", 100, k);
          }
          k = e - 1;
          continue;
        }
        size_t close = Close(e);
        if (close == std::string::npos) break;
        auto it = vars_.find(v);
        int callee = it == vars_.end() ? 0 : it->second;
        if (all_request_) callee |= kRequest;
        int args = TaintOfSpan(e, close);
        if (callee & kSinkName) {
          auto list = SplitArgs(e, close);
          if (!list.empty()) CodeLayer(list.back(), k);
        }
        if (callee & kRequest) {
          Add("heur_request_callee", 100, k);
        } else if ((callee & (kDecoded | kSinkName | kConstructed | kMaySink)) &&
                   (args & (kRequest | kViaUser))) {
          Add("heur_dynamic_sink_request", 100, k);
        } else if (callee & kSinkName) {
          Add("heur_dynamic_sink_name", 60, k);
        } else if (callee & kDecoded) {
          Add("heur_decoded_callee", 50, k);
        } else if (args & kRequest) {
          Add("heur_variable_function_request", 30, k);
        }
        k = e - 1;
        continue;
      }
      if (!IsIdentChar(c) || (k > 0 && IsIdentChar(static_cast<unsigned char>(t_[k - 1]))))
        continue;
      size_t e = k;
      while (e < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
      {
        // include/require are statements: `include $_GET["f"];` has no parenthesis.
        std::string_view word(t_.data() + k, e - k);
        if ((word == "include" || word == "require" || word == "include_once" ||
             word == "require_once") &&
            (TaintOfSpan(e, StatementEnd(e)) & (kRequest | kFileData))) {
          Add("heur_request_to_include", 100, k);
        }
      }
      if (e >= t_.size() || t_[e] != '(') {
        k = e - 1;
        continue;
      }
      std::string name = t_.substr(k, e - k);
      bool method = k > 0 && (t_[k - 1] == '>' || t_[k - 1] == ':' || t_[k - 1] == '$');
      bool definition = k >= 9 && t_.compare(k - 9, 9, "function ") == 0;
      if (method && t_[k - 1] != '$' && kCallbackMethods.count(name)) {
        // $arrayObject->uasort("assert"), $sqlite->createFunction("f", $_GET["f"])
        size_t close = Close(e);
        if (close != std::string::npos) {
          for (auto arg : SplitArgs(e, close)) {
            if (ArgIsRequestValue(arg) ||
                (ArgIsDangerousCallable(arg) && HasSourceToken(0, t_.size()))) {
              Add("heur_method_callback_sink", 100, k);
              break;
            }
          }
        }
      }
      if (method || definition) {
        k = e - 1;
        continue;
      }
      size_t close = Close(e);
      if (close == std::string::npos) {
        k = e - 1;
        continue;
      }
      if (close + 1 < t_.size() && t_[close + 1] == '(') CheckCalledResult(k, close + 1);
      if (auto fw = callable_params_.find(name); fw != callable_params_.end()) {
        // run("system", $_GET["c"]) with `function run($f, $a) { return $f($a); }`
        auto args = SplitArgs(e, close);
        size_t ci = fw->second;
        if (ci < args.size()) {
          int other = 0;
          for (size_t ai = 0; ai < args.size(); ++ai)
            if (ai != ci) other |= TaintOfSpan(args[ai].first, args[ai].second);
          if ((ArgIsDangerousCallable(args[ci]) && (other & (kRequest | kViaUser))) ||
              ArgIsRequestValue(args[ci]))
            Add("heur_dynamic_sink_request", 100, k);
        }
      }
      if (name == "reflectionfunction" && k >= 4 && t_.compare(k - 4, 4, "new ") == 0 &&
          ArgIsDangerousCallable({e + 1, close})) {
        // (new ReflectionFunction("system"))->invoke($_GET["c"])
        size_t after = close + 1;
        while (after < t_.size() && t_[after] == ')') ++after;
        size_t open =
            t_.compare(after, 8, "->invoke") == 0 ? t_.find('(', after) : std::string::npos;
        size_t iclose =
            open != std::string::npos && open < after + 16 ? Close(open) : std::string::npos;
        if (iclose != std::string::npos && (TaintOfSpan(open, iclose) & kRequest))
          Add("heur_reflected_sink_request", 100, k);
      }
      if (name == "unserialize" && (TaintOfSpan(e, close) & kRequest)) {
        Add("heur_unserialize_request", 50, k);
      }
      if (kCodeSinks.count(name)) {
        // code assembled from constants (`eval(str_replace("Q", "", "evQal(..."))`, the body
        // given to create_function): analysed as one more layer
        auto args = SplitArgs(e, close);
        if (!args.empty()) CodeLayer(args.back(), k);
      }
      if (kCodeSinks.count(name) || kCmdSinks.count(name)) {
        int taint = TaintOfSpan(e, close);
        if (taint & (kRequest | kViaUser | kFileData)) {
          Add(kCmdSinks.count(name) ? "heur_request_to_command" : "heur_request_to_eval", 100, k);
        } else if ((taint & kDecoded) && kCodeSinks.count(name)) {
          Add("heur_eval_decoded", 100, k);
        }
      } else if (name == "preg_replace") {
        auto args = SplitArgs(e, close);
        if (!args.empty() && t_[args[0].first] == '"') {
          std::string_view pat(t_.data() + args[0].first + 1, args[0].second - args[0].first - 2);
          size_t last =
              pat.find_last_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
          bool e_mod = last != std::string_view::npos &&
                       pat.substr(last + 1).find('e') != std::string_view::npos;
          if (e_mod && (TaintOfSpan(e, close) & (kRequest | kDecoded)))
            Add("heur_preg_replace_e_request", 100, k);
        }
      } else if (name.rfind("filter_", 0) == 0 &&
                 (name == "filter_var" || name == "filter_input" || name == "filter_var_array" ||
                  name == "filter_input_array")) {
        // filter_var($x, FILTER_CALLBACK, ["options" => "assert"])
        std::string_view span(t_.data() + e, close - e);
        size_t opt = span.find("\"options\"=>");
        if (span.find("filter_callback") != std::string_view::npos &&
            opt != std::string_view::npos) {
          size_t va = e + opt + 11, vb = va;
          int depth = 0;
          for (; vb < close; ++vb) {
            if (!Code(vb)) continue;
            char ch = t_[vb];
            if (ch == '(' || ch == '[') ++depth;
            if ((ch == ')' || ch == ']') && --depth < 0) break;
            if (ch == ',' && depth == 0) break;
          }
          if (ArgIsRequestValue({va, vb}) ||
              (ArgIsDangerousCallable({va, vb}) && HasSourceToken(0, t_.size())))
            Add("heur_request_callback", 100, k);
        }
      } else if (name == "mb_ereg_replace" || name == "mb_eregi_replace") {
        // The "e" option evaluates the replacement, as preg_replace's /e did.
        auto args = SplitArgs(e, close);
        if (args.size() == 4 && t_[args[3].first] == '"' &&
            t_.substr(args[3].first, args[3].second - args[3].first).find('e') !=
                std::string::npos &&
            (TaintOfSpan(e, close) & (kRequest | kDecoded)))
          Add("heur_preg_replace_e_request", 100, k);
      } else if (auto cb = kCallbackSinks.find(name); cb != kCallbackSinks.end()) {
        auto args = SplitArgs(e, close);
        // usort(...$_GET): the client supplies the callback and its arguments.
        for (auto [aa, ab] : args) {
          while (aa < ab && t_[aa] == ' ') ++aa;
          if (t_.compare(aa, 3, "...") == 0 && ArgIsRequestValue({aa + 3, ab}))
            Add("heur_request_callback", 100, k);
        }
        int cb_index = cb->second < 0 ? static_cast<int>(args.size()) - 1 : cb->second;
        if (cb_index >= 0 && static_cast<int>(args.size()) > cb_index) {
          auto cb_arg = args[cb_index];
          bool other_request = false;
          for (size_t ai = 0; ai < args.size(); ++ai) {
            if (static_cast<int>(ai) != cb_index &&
                (TaintOfSpan(args[ai].first, args[ai].second) & kRequest))
              other_request = true;
          }
          if (ArgIsRequestValue(cb_arg)) {
            Add("heur_request_callback", 100, k);
          } else if (kRegistrations.count(name) && ArgIsDangerousCallable(cb_arg) &&
                     HasSourceToken(0, t_.size())) {
            // The output buffer (which the script fills with request data) is the argument.
            Add("heur_dynamic_sink_request", 100, k);
          } else if (ArgIsDangerousCallable(cb_arg) && other_request) {
            Add("heur_dynamic_sink_request", 100, k);
          }
        }
      }
      k = e - 1;
    }
  }

  // Whether the function, closure or arrow function whose keyword (`function` / `fn`) is at
  // `p` passes one of its parameters to a code or command sink. *name: the declared name
  // ("" for closures); *keyword_end: where the parameter list starts.
  bool FunctionWrapsSink(size_t p, size_t kw_len, std::string* name) const {
    const size_t n = t_.size();
    size_t k = p + kw_len;
    while (k < n && t_[k] == ' ') ++k;
    size_t ns = k;
    while (k < n && IsIdentChar(static_cast<unsigned char>(t_[k]))) ++k;
    *name = t_.substr(ns, k - ns);
    while (k < n && t_[k] == ' ') ++k;
    if (k >= n || t_[k] != '(') return false;
    size_t pclose = Close(k);
    if (pclose == std::string::npos) return false;
    std::vector<std::string> params = ParamNames(k, pclose);
    if (params.empty()) return false;
    size_t body, end = std::string::npos;
    if (kw_len == 2) {  // fn (...) => expression
      body = pclose + 1;
      while (body < n && t_[body] == ' ') ++body;
      if (t_.compare(body, 2, "=>") != 0) return false;
      end = StatementEnd(body);
    } else {
      body = t_.find('{', pclose);
      if (body == std::string::npos || body - pclose > 200) return false;
      size_t limit = std::min(n, body + kMaxSpan);
      if (!Spend(limit - body)) return false;
      int depth = 0;
      for (size_t q = body; q < limit; ++q) {
        if (!Code(q)) continue;
        if (t_[q] == '{') {
          ++depth;
        } else if (t_[q] == '}' && --depth == 0) {
          end = q;
          break;
        }
      }
    }
    if (end == std::string::npos) return false;
    bool wraps = false;
    ForEachSinkArgument(body, end, [&](size_t r) {
      if (t_[r] != '$') return;
      size_t e;
      std::string v = VarAt(r, &e);
      if (std::find(params.begin(), params.end(), v) != params.end()) wraps = true;
    });
    return wraps;
  }

  // Calls `f(pos)` for every code position inside the arguments of a direct code or command
  // sink call (eval, system, ...) that starts in [from, to).
  template <typename F>
  void ForEachSinkArgument(size_t from, size_t to, F&& f) const {
    static const char* kSinks[] = {"eval(",       "assert(",         "system(", "exec(",
                                   "passthru(",   "shell_exec(",     "popen(",  "proc_open(",
                                   "pcntl_exec(", "create_function("};
    to = std::min(to, t_.size());
    if (from >= to || !Spend(to - from)) return;
    std::string_view span(t_.data(), to);  // searches stop at `to`, not at the end of the file
    for (const char* sink : kSinks) {
      size_t len = std::strlen(sink);
      for (size_t q = span.find(sink, from); q != std::string_view::npos;
           q = span.find(sink, q + 1)) {
        bool method = q > 1 && (t_[q - 1] == ':' || (t_[q - 1] == '>' && t_[q - 2] == '-'));
        if (!Code(q) || method || (q > 0 && IsIdentChar(static_cast<unsigned char>(t_[q - 1]))))
          continue;
        size_t close = Close(q + len - 1);
        if (close == std::string::npos || close > to || !Spend(close - q)) continue;
        for (size_t r = q + len; r < close; ++r)
          if (Code(r)) f(r);
      }
    }
  }

  // The object-injection shape: a sink fed by a property (`function __destruct() {
  // system($this->c); }`) and that property assigned request data (`$o->c = $_POST["x"]`).
  void CheckClosureCaptures() {
    // A closure that passes a captured variable to a sink (`function () use ($c) { system($c);
    // }`, registered as a header / autoload / shutdown callback) where $c is request data.
    for (size_t p : Occurrences("function")) {
      if (!FunctionKeywordAt(p)) continue;
      size_t open = t_.find('(', p);
      size_t pclose = open != std::string::npos && open < p + 12 ? Close(open) : std::string::npos;
      if (pclose == std::string::npos) continue;
      size_t u = pclose + 1;
      if (u < t_.size() && t_[u] == ' ') ++u;
      if (t_.compare(u, 4, "use(") != 0) continue;
      size_t uclose = Close(u + 3);
      size_t body = uclose == std::string::npos ? uclose : t_.find('{', uclose);
      if (body == std::string::npos || body > uclose + 4) continue;
      std::set<std::string> captured;
      for (size_t q = u + 4; q < uclose; ++q) {
        if (t_[q] != '$') continue;
        size_t e;
        captured.insert(VarAt(q, &e));
      }
      size_t end = StatementEnd(body + 1);
      while (end < t_.size() && t_[end] == ';') end = StatementEnd(end + 1);  // to the '}'
      bool hit = false;
      ForEachSinkArgument(body, end, [&](size_t r) {
        if (t_[r] != '$') return;
        size_t e;
        std::string v = VarAt(r, &e);
        auto it = vars_.find(v);
        if (captured.count(v) && it != vars_.end() && (it->second & kRequest)) hit = true;
      });
      if (hit) {
        Add("heur_closure_captured_request", 100, p);
        return;
      }
    }
  }

  void CheckPropertySinks() {
    std::set<std::string> props;
    ForEachSinkArgument(0, t_.size(), [&](size_t r) {
      if (t_.compare(r, 7, "$this->") != 0) return;
      size_t e = r + 7;
      while (e < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
      if (e > r + 7 && props.size() < 64) props.insert(t_.substr(r + 7, e - r - 7));
    });
    for (const auto& prop : props) {
      std::string assign = "->" + prop + "=";
      for (size_t q = t_.find(assign); q != std::string::npos; q = t_.find(assign, q + 1)) {
        size_t rhs = q + assign.size();
        if (!Code(q) || (rhs < t_.size() && (t_[rhs] == '=' || t_[rhs] == '>'))) continue;
        if (TaintOfSpan(rhs, StatementEnd(rhs)) & kRequest) {
          Add("heur_request_to_property_sink", 100, q);
          return;
        }
        if (ConstructorParamFedByRequest(q, rhs)) {
          Add("heur_request_to_property_sink", 100, q);
          return;
        }
      }
    }
  }

  // `function __construct($c) { $this->cmd = $c; }` with `new X($_GET["c"])` somewhere: the
  // property assigned at `rhs` holds request data.
  bool ConstructorParamFedByRequest(size_t q, size_t rhs) const {
    auto ctor = functions_.find("__construct");
    if (ctor == functions_.end() || q < ctor->second.first || q > ctor->second.second ||
        t_[rhs] != '$')
      return false;
    size_t e;
    std::string v = VarAt(rhs, &e);
    size_t popen = t_.rfind('(', ctor->second.first);
    if (popen == std::string::npos || t_.find("$" + v, popen) > ctor->second.first) return false;
    for (size_t n = t_.find("new "); n != std::string::npos; n = t_.find("new ", n + 4)) {
      size_t ne = n + 4;
      while (ne < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[ne]))) ++ne;
      if (ne >= t_.size() || t_[ne] != '(' || !Code(n)) continue;
      size_t close = Close(ne);
      if (close != std::string::npos && (TaintOfSpan(ne, close) & kRequest)) return true;
    }
    return false;
  }

  // The variables named in a parameter list [open, close).
  std::vector<std::string> ParamNames(size_t open, size_t close) const {
    std::vector<std::string> params;
    for (size_t q = open; q < close; ++q) {
      if (t_[q] != '$' || !Code(q)) continue;
      size_t e;
      params.push_back(VarAt(q, &e));
      q = e - 1;
    }
    return params;
  }

  // Length of the `function` / `fn` keyword at p (0 if there is none).
  size_t FunctionKeywordAt(size_t p) const {
    if (!Code(p) || (p > 0 && IsIdentChar(static_cast<unsigned char>(t_[p - 1])))) return 0;
    for (std::string_view kw : {std::string_view("function"), std::string_view("fn")}) {
      if (t_.compare(p, kw.size(), kw) == 0 &&
          (p + kw.size() >= t_.size() ||
           !IsIdentChar(static_cast<unsigned char>(t_[p + kw.size()]))))
        return kw.size();
    }
    return 0;
  }

  // Functions, methods and closures (`$v = function(...)`, `$v = fn(...) => ...`) that pass a
  // parameter straight to a code or command sink (`function($c) { eval($c); }`).
  void CollectSinkWrappers() {
    const size_t n = t_.size();
    for (size_t p = 0; p + 2 < n && wrappers_.size() < 64; ++p) {
      if (t_[p] != 'f') continue;
      size_t kw = FunctionKeywordAt(p);
      std::string name;
      if (kw == 0 || !FunctionWrapsSink(p, kw, &name)) continue;
      if (!name.empty()) {
        wrappers_.emplace_back(name, false);
        continue;
      }
      size_t b = p;
      while (b > 0 && t_[b - 1] == ' ') --b;
      if (b == 0 || t_[b - 1] != '=') continue;
      --b;
      while (b > 0 && t_[b - 1] == ' ') --b;
      size_t vs = b;
      while (vs > 0 && IsIdentChar(static_cast<unsigned char>(t_[vs - 1]))) --vs;
      if (vs > 0 && t_[vs - 1] == '$' && vs < b)
        wrappers_.emplace_back(t_.substr(vs, b - vs), true);
    }
  }

  // A sink wrapper called with request data.
  void CheckSinkWrappers() {
    for (const auto& [name, closure] : wrappers_) {
      std::string call = (closure ? "$" : "") + name + "(";
      for (size_t q = t_.find(call); q != std::string::npos; q = t_.find(call, q + 1)) {
        if (!Code(q)) continue;
        if (!closure && q > 0 && IsIdentChar(static_cast<unsigned char>(t_[q - 1]))) continue;
        if (!closure && q >= 9 && t_.compare(q - 9, 9, "function ") == 0) continue;
        size_t open = q + call.size() - 1;
        size_t close = Close(open);
        if (close != std::string::npos && (TaintOfSpan(open, close) & kRequest)) {
          Add("heur_request_to_sink_wrapper", 100, q);
          return;
        }
      }
    }
  }

  void CheckMagicMethods() {
    // eval in a method PHP calls implicitly (object-injection backdoors).
    for (const char* m : {"function __destruct(", "function __wakeup(", "function __tostring(",
                          "function __get(", "function __call(", "function __set("}) {
      for (size_t p : Occurrences(m)) {
        size_t body = t_.find('{', p);
        if (body == std::string::npos) continue;
        size_t end = std::min(t_.size(), body + 300);
        std::string_view span(t_.data() + body, end - body);
        if (span.find("eval(") != std::string_view::npos ||
            span.find("assert(") != std::string_view::npos) {
          Add("heur_magic_method_eval", 50, p);
        }
      }
    }
  }

  void CheckLiterals() {
    size_t longest_pos = 0;
    double best_entropy = 0;
    for (const auto& l : n_.literals) {
      if (l.len < 200) continue;
      double h = internal::Entropy(std::string_view(t_.data() + l.pos + 1, l.len));
      if (h > best_entropy) {
        best_entropy = h;
        longest_pos = l.pos;
      }
    }
    if (best_entropy >= 5.2) Add("heur_high_entropy_literal", 25, longest_pos);
    // Nested decoders: gzinflate(base64_decode(, str_rot13(strrev(...
    for (size_t k = 0; k + 1 < t_.size(); ++k) {
      if (!Code(k) || !IsIdentChar(static_cast<unsigned char>(t_[k])) ||
          (k > 0 && (IsIdentChar(static_cast<unsigned char>(t_[k - 1])) || t_[k - 1] == '>')))
        continue;
      size_t e = k;
      while (e < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[e]))) ++e;
      if (e + 1 < t_.size() && t_[e] == '(' && Decoders().count(t_.substr(k, e - k))) {
        size_t k2 = e + 1;
        if (k2 < t_.size() && t_[k2] == '@') ++k2;
        size_t e2 = k2;
        while (e2 < t_.size() && IsIdentChar(static_cast<unsigned char>(t_[e2]))) ++e2;
        if (e2 < t_.size() && t_[e2] == '(' && Decoders().count(t_.substr(k2, e2 - k2))) {
          Add("heur_decoder_chain", 30, k);
          break;
        }
      }
      k = e - 1;
    }
  }

  const NormalizedPhp& n_;
  const std::string& t_;
  std::vector<uint8_t> in_lit_;  // bytes, not bits: read per character
  std::unordered_map<std::string, int> vars_;
  std::unordered_map<std::string, std::string> values_;
  std::unordered_map<std::string, std::vector<std::string>> arrays_;
  std::unordered_map<std::string, std::vector<std::string>> array_keys_;
  std::unordered_set<std::string> server_aliases_;
  std::unordered_map<std::string, std::string> defines_;
  // functions of the file: name -> body braces
  std::unordered_map<std::string, std::pair<size_t, size_t>> functions_;
  mutable std::unordered_map<std::string, bool> passes_through_, returns_sink_;
  std::unordered_set<std::string> invoker_classes_;
  std::set<std::string> magic_forwarders_;
  // functions that call one of their parameters: name -> index of that parameter
  std::unordered_map<std::string, size_t> callable_params_;
  std::unordered_set<std::string> decoder_vars_;
  std::unordered_map<size_t, size_t> literal_at_;
  std::vector<size_t> close_;
  std::vector<size_t> words_[kWordCount];
  size_t budget_ = 0;
  mutable size_t work_ = 0;
  mutable int file_has_source_ = -1;  // normalised pos of '"' -> content length
  bool all_request_ = false;
  std::vector<std::pair<std::string, bool>> wrappers_;  // name, is a closure variable
  std::vector<Evidence> ev_;
  std::vector<std::pair<std::string, size_t>> code_layers_;
  std::unordered_set<size_t> appended_;
  // foreach ($_POST as $k => $v) { ... }: the loop variables and body
  std::vector<std::pair<std::string, std::pair<size_t, size_t>>> request_loops_;

  bool InRequestLoop(size_t pos, const std::string& var) const {
    for (const auto& [v, span] : request_loops_)
      if (v == var && pos > span.first && pos < span.second) return true;
    return false;
  }
};

// Encoded payloads in a normalised view: literal arguments of decoder chains, and long
// base64/compressed literals in files that call a decoder somewhere.
struct DecodedLayer {
  std::string data;
  size_t norm_pos;
};

std::vector<DecodedLayer> DecodeLiterals(const NormalizedPhp& n) {
  std::vector<DecodedLayer> out;
  const std::string& t = n.text;
  bool has_b64 = t.find("base64_decode(") != std::string::npos;
  bool has_rot = t.find("str_rot13(") != std::string::npos;
  bool has_rev = t.find("strrev(") != std::string::npos;
  bool has_inflate = t.find("gzinflate(") != std::string::npos ||
                     t.find("gzuncompress(") != std::string::npos ||
                     t.find("gzdecode(") != std::string::npos;
  auto try_inflate = [](const std::string& bytes) -> std::optional<std::string> {
    for (int wb : {-15, 15, 31}) {
      auto r = internal::Inflate(bytes, wb, kMaxDecodedBytes);
      if (r && internal::LooksLikeText(*r)) return r;
    }
    return std::nullopt;
  };
  for (const auto& l : n.literals) {
    if (l.len < 8) continue;
    std::string lit = t.substr(l.pos + 1, l.len);
    // Walk outwards over `f(g(h("...` collecting decoder names, innermost first.
    std::vector<std::string> chain;
    size_t p = l.pos;
    while (p > 0 && t[p - 1] == '(') {
      size_t e = p - 1, s = e;
      while (s > 0 && IsIdentChar(static_cast<unsigned char>(t[s - 1]))) --s;
      std::string name = t.substr(s, e - s);
      if (!Decoders().count(name)) break;
      chain.push_back(name);
      p = s;
      if (p > 0 && t[p - 1] == '@') --p;
    }
    std::optional<std::string> cur = lit;
    bool applied = false;
    for (const auto& f : chain) {
      if (!cur) break;
      if (f == "base64_decode")
        cur = internal::Base64Decode(*cur);
      else if (f == "gzinflate")
        cur = internal::Inflate(*cur, -15, kMaxDecodedBytes);
      else if (f == "gzuncompress")
        cur = internal::Inflate(*cur, 15, kMaxDecodedBytes);
      else if (f == "gzdecode")
        cur = internal::Inflate(*cur, 31, kMaxDecodedBytes);
      else if (f == "str_rot13")
        cur = internal::Rot13(*cur);
      else if (f == "strrev")
        cur = std::string(cur->rbegin(), cur->rend());
      else if (f == "hex2bin")
        cur = internal::HexDecode(*cur);
      else if (f == "urldecode" || f == "rawurldecode")
        cur = internal::UrlDecode(*cur);
      else
        break;  // decryption: key unknown
      applied = true;
    }
    if (applied && cur && internal::LooksLikeText(*cur)) {
      out.push_back({std::move(*cur), l.pos});
      continue;
    }
    if (applied || l.len < 40) continue;
    // Not a direct argument: the literal may be stored in a variable and decoded later.
    if (has_b64) {
      auto b = internal::Base64Decode(lit);
      if (b && b->size() >= 8) {
        if (internal::LooksLikeText(*b)) {
          out.push_back({std::move(*b), l.pos});
          continue;
        }
        if (has_inflate) {
          if (auto z = try_inflate(*b)) {
            out.push_back({std::move(*z), l.pos});
            continue;
          }
        }
        if (has_rev) {
          std::string rev(lit.rbegin(), lit.rend());
          auto rb = internal::Base64Decode(rev);
          if (rb && internal::LooksLikeText(*rb)) {
            out.push_back({std::move(*rb), l.pos});
            continue;
          }
        }
      }
    }
    if (has_inflate) {
      if (auto z = try_inflate(lit)) {
        out.push_back({std::move(*z), l.pos});
        continue;
      }
    }
    if (has_rot && lit.find('(') != std::string::npos) out.push_back({internal::Rot13(lit), l.pos});
    if (has_rev && lit.find(')') != std::string::npos)
      out.push_back({std::string(lit.rbegin(), lit.rend()), l.pos});
  }
  return out;
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kClean:
      return "clean";
    case Verdict::kSuspicious:
      return "suspicious";
    case Verdict::kWebshell:
      return "webshell";
  }
  return "unknown";
}

struct Scanner::Impl {
  YR_RULES* rules = nullptr;
  std::vector<std::string> rule_names;
  ~Impl() {
    if (rules) yr_rules_destroy(rules);
  }

  std::vector<YaraHit> Scan(std::string_view view, int lang_mask, bool norm) const {
    std::vector<YaraHit> hits;
    ScanCtx ctx{lang_mask, norm, &hits};
    YR_SCANNER* scanner = nullptr;
    if (yr_scanner_create(rules, &scanner) != ERROR_SUCCESS) return hits;
    yr_scanner_set_callback(scanner, YaraCallback, &ctx);
    yr_scanner_set_timeout(scanner, 10);
    yr_scanner_scan_mem(scanner, reinterpret_cast<const uint8_t*>(view.data()), view.size());
    yr_scanner_destroy(scanner);
    return hits;
  }
};

Scanner::Scanner(const ScanOptions& options) : options_(options), impl_(std::make_unique<Impl>()) {}
Scanner::~Scanner() = default;

Result<std::unique_ptr<Scanner>> Scanner::Create(const ScanOptions& options) {
  // libyara keeps process-wide state; initialise it exactly once and never finalise (scanners
  // may live until exit).
  static std::once_flag once;
  static int init_rc = ERROR_SUCCESS;
  std::call_once(once, [] { init_rc = yr_initialize(); });
  if (init_rc != ERROR_SUCCESS) {
    return InternalError("libyara initialisation failed (code " + std::to_string(init_rc) + ")");
  }
  std::unique_ptr<Scanner> s(new Scanner(options));
  YR_COMPILER* compiler = nullptr;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) {
    return InternalError("libyara: cannot create a rule compiler");
  }
  std::string errors;
  yr_compiler_set_callback(compiler, CompilerCallback, &errors);
  for (const auto* f = internal::kEmbeddedRules; f->name != nullptr; ++f) {
    if (yr_compiler_add_string(compiler, f->text, nullptr) != 0) {
      yr_compiler_destroy(compiler);
      return InternalError(std::string("webshell rules ") + f->name + " do not compile: " + errors);
    }
  }
  if (yr_compiler_get_rules(compiler, &s->impl_->rules) != ERROR_SUCCESS) {
    yr_compiler_destroy(compiler);
    return InternalError("libyara: cannot build the compiled rule set");
  }
  yr_compiler_destroy(compiler);
  YR_RULE* rule;
  yr_rules_foreach(s->impl_->rules, rule) { s->impl_->rule_names.push_back(rule->identifier); }
  return s;
}

std::vector<std::string> Scanner::RuleNames() const { return impl_->rule_names; }

FileResult Scanner::ScanBuffer(std::string_view name, std::string_view data) const {
  FileResult r;
  r.path = std::string(name);
  r.size = data.size();
  if (data.size() > options_.max_file_bytes) {
    r.skipped = true;
    r.skip_reason =
        "larger than the size cap (" + std::to_string(options_.max_file_bytes) + " bytes)";
    return r;
  }
  int lang = GuessLanguage(name, data);
  bool binary = data.substr(0, 8192).find('\0') != std::string_view::npos;
  if (binary && !(lang & kLangPhp) && !(lang & (kLangJsp | kLangAsp))) {
    r.skipped = true;
    r.skip_reason = "binary file without a script marker";
    return r;
  }
  if (lang == 0) return r;  // no server-side script in it: nothing to execute

  std::map<std::string, Finding> best;  // one finding per rule, highest score
  auto add = [&](Finding f) {
    auto it = best.find(f.rule);
    if (it == best.end() || it->second.score < f.score) best[f.rule] = std::move(f);
  };

  if (lang & (kLangJsp | kLangAsp)) {
    for (auto& h : impl_->Scan(data, lang, /*norm=*/false)) {
      add({h.rule, h.family, h.score, h.offset, Excerpt(data, h.offset), 0});
    }
    std::string ext = Lower(
        name.substr(name.rfind('.') == std::string_view::npos ? name.size() : name.rfind('.') + 1));
    // The taint analysis runs on server pages: a JSP / ASP(.NET) extension or directive. (Files
    // that merely contain "<%", such as JavaScript templates, get the rules only.)
    bool jsp_page = ext == "jsp" || ext == "jspx" || ext == "jspf" || ext == "jhtml";
    bool asp_page = ext == "asp" || ext == "aspx" || ext == "ashx" || ext == "asmx" ||
                    ext == "asa" || ext == "cer" || ext == "cdx" || ext == "ascx" || ext == "svc" ||
                    ext == "cshtml" || ext == "vbhtml";
    if (!jsp_page && !asp_page) {
      std::string_view head = data.substr(0, 1u << 16);
      bool directive = head.find("<%@") != std::string_view::npos ||
                       head.find("<%!") != std::string_view::npos ||
                       head.find("<jsp:") != std::string_view::npos;
      bool runat = false;
      for (size_t p = head.find("unat="); p != std::string_view::npos && !runat;
           p = head.find("unat=", p + 1))
        runat = p > 0 && (head[p - 1] == 'r' || head[p - 1] == 'R');
      jsp_page = directive && (lang & kLangJsp);
      asp_page = (directive || runat) && (lang & kLangAsp);
    }
    if (jsp_page) {
      // Java source as the compiler sees it: \uXXXX escapes (and XML entities in .jspx)
      // decoded; the rules run again on that view when it differs.
      bool xml = ext == "jspx" || data.find("<jsp:scriptlet") != std::string_view::npos;
      std::vector<uint32_t> map;
      std::string view = internal::DecodeJspSource(data, xml, &map);
      auto off = [&](size_t p) -> uint64_t {
        return view.empty() ? p : p < map.size() ? map[p] : data.size();
      };
      std::string_view text = view.empty() ? data : std::string_view(view);
      if (!view.empty()) {
        for (auto& h : impl_->Scan(text, kLangJsp, /*norm=*/false))
          add({h.rule, h.family, h.score, off(h.offset), Excerpt(data, off(h.offset)), 0});
      }
      for (const auto& f : internal::AnalyseScript(text, internal::ScriptLang::kJava))
        add({f.rule, "", f.score, off(f.offset), Excerpt(data, off(f.offset)), 0});
    }
    if (asp_page) {
      bool dotnet = ext == "aspx" || ext == "ashx" || ext == "asmx" || ext == "ascx" ||
                    ext == "svc" || ext == "cshtml" || ext == "vbhtml";
      auto sl = internal::GuessScriptLang(data, false, dotnet);
      for (const auto& f : internal::AnalyseScript(data, sl))
        add({f.rule, "", f.score, f.offset, Excerpt(data, f.offset), 0});
    }
  }
  if (lang & kLangPhp) {
    struct Pending {
      std::string data;
      uint64_t file_offset;
      int depth;
    };
    std::deque<Pending> queue;
    size_t layers = 0, decoded_bytes = 0;
    // Layer 0 is analysed in place (no copy).
    auto analyse = [&](std::string_view bytes, bool in_code, uint64_t base_off, int depth) {
      NormalizedPhp n = internal::NormalizePhp(bytes, in_code);
      auto file_off = [&](size_t norm_pos) -> uint64_t {
        if (depth > 0) return base_off;
        return norm_pos < n.raw_offset.size() ? n.raw_offset[norm_pos] : bytes.size();
      };
      for (auto& h : impl_->Scan(n.text, kLangPhp, /*norm=*/true)) {
        add({h.rule, h.family, h.score, file_off(h.offset), Excerpt(n.text, h.offset), depth});
      }
      PhpAnalysis analysis(n);
      for (auto& ev : analysis.Run()) {
        add({ev.rule, "", ev.score, file_off(ev.pos), Excerpt(n.text, ev.pos), depth});
      }
      if (depth < options_.max_decode_depth) {
        for (auto& [code, pos] : analysis.TakeCodeLayers()) {
          if (layers >= kMaxLayers || decoded_bytes + code.size() > kMaxDecodedBytes) break;
          ++layers;
          decoded_bytes += code.size();
          queue.push_back({std::move(code), file_off(pos), depth + 1});
        }
      }
      if (depth == 0) {
        size_t longest = 0, start = 0;
        for (size_t k = 0; k <= bytes.size(); ++k) {
          if (k == bytes.size() || bytes[k] == '\n') {
            longest = std::max(longest, k - start);
            start = k + 1;
          }
        }
        if (longest >= 4096 && longest * 2 > bytes.size()) {
          add({"heur_long_line", "", 15, 0, Excerpt(bytes, 0), 0});
        }
      }
      if (depth >= options_.max_decode_depth) return;
      for (auto& d : DecodeLiterals(n)) {
        if (layers >= kMaxLayers || decoded_bytes + d.data.size() > kMaxDecodedBytes) break;
        ++layers;
        decoded_bytes += d.data.size();
        if (depth + 1 >= 2) {
          add({"heur_multi_layer_encoding", "", 30, file_off(d.norm_pos), Excerpt(d.data, 0),
               depth + 1});
        }
        queue.push_back({std::move(d.data), file_off(d.norm_pos), depth + 1});
      }
    };
    analyse(data, /*in_code=*/false, 0, 0);
    while (!queue.empty()) {
      Pending p = std::move(queue.front());
      queue.pop_front();
      bool tagged = p.data.find("<?") != std::string::npos;
      analyse(p.data, !tagged, p.file_offset, p.depth);
    }
  }

  for (auto& [_, f] : best) {
    r.score += f.score;
    r.findings.push_back(std::move(f));
  }
  std::sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return a.score != b.score ? a.score > b.score : a.rule < b.rule;
  });
  r.score = std::min(r.score, 1000);
  if (r.score >= options_.webshell_score)
    r.verdict = Verdict::kWebshell;
  else if (r.score >= options_.suspicious_score)
    r.verdict = Verdict::kSuspicious;
  return r;
}

namespace {

// Reads a regular file opened as `fd` (takes ownership) up to `cap` bytes.
Result<std::string> ReadFd(int fd, uint64_t size) {
  std::string data;
  data.resize(size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, data.data() + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoError("read", err);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  data.resize(got);
  return data;
}

// Scans `name` relative to `dirfd` without following a symlink there; opens regular files only.
FileResult ScanOpened(const Scanner& s, int dirfd, const char* name, const std::string& path) {
  FileResult r;
  r.path = path;
  int fd = ::openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    r.skipped = true;
    r.skip_reason = errno == ELOOP ? "symlink (not followed)"
                                   : std::string("cannot open: ") + std::strerror(errno);
    return r;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    r.skipped = true;
    r.skip_reason = "not a regular file";
    return r;
  }
  r.size = static_cast<uint64_t>(st.st_size);
  if (r.size > s.options().max_file_bytes) {
    ::close(fd);
    r.skipped = true;
    r.skip_reason =
        "larger than the size cap (" + std::to_string(s.options().max_file_bytes) + " bytes)";
    return r;
  }
  auto data = ReadFd(fd, r.size);
  if (!data.ok()) {
    r.skipped = true;
    r.skip_reason = "cannot read: " + std::string(data.status().message());
    return r;
  }
  FileResult out = s.ScanBuffer(path, *data);
  out.size = r.size;
  return out;
}

}  // namespace

FileResult Scanner::ScanFile(const std::string& path) const {
  return ScanOpened(*this, AT_FDCWD, path.c_str(), path);
}

Result<TreeStats> Scanner::ScanTree(
    const std::string& root, const std::function<void(const FileResult&)>& on_result,
    const std::function<void(const std::string&, const Status&)>& on_error) const {
  TreeStats stats;
  auto account = [&](const FileResult& r) {
    ++stats.files;
    if (r.skipped) {
      ++stats.skipped;
    } else {
      ++stats.scanned;
      stats.bytes += r.size;
      if (r.verdict == Verdict::kWebshell) ++stats.webshells;
      if (r.verdict == Verdict::kSuspicious) ++stats.suspicious;
    }
    if (on_result) on_result(r);
  };
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) {
    return errno == ENOENT ? NotFoundError(root + ": no such file or directory")
                           : ErrnoError(root, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    account(ScanOpened(*this, AT_FDCWD, root.c_str(), root));
    return stats;
  }
  // The root itself is opened as given (the operator chose it); nothing below it is followed.
  int root_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return ErrnoError("open " + root, errno);

  std::function<void(int, const std::string&, int)> walk = [&](int dfd, const std::string& dir,
                                                               int depth) {
    int list_fd = ::dup(dfd);
    DIR* d = list_fd >= 0 ? ::fdopendir(list_fd) : nullptr;
    if (d == nullptr) {
      if (list_fd >= 0) ::close(list_fd);
      ++stats.errors;
      if (on_error) on_error(dir, ErrnoError("open directory", errno));
      return;
    }
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      names.emplace_back(e->d_name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      std::string path = dir == "/" ? "/" + name : dir + "/" + name;
      struct stat est;
      if (::fstatat(dfd, name.c_str(), &est, AT_SYMLINK_NOFOLLOW) != 0) {
        ++stats.errors;
        if (on_error) on_error(path, ErrnoError("stat", errno));
        continue;
      }
      if (S_ISLNK(est.st_mode)) {
        FileResult r;
        r.path = path;
        r.skipped = true;
        r.skip_reason = "symlink (not followed)";
        account(r);
      } else if (S_ISDIR(est.st_mode)) {
        if (depth + 1 > kMaxTreeDepth) {
          ++stats.errors;
          if (on_error)
            on_error(path, OutOfRangeError("directory nesting deeper than " +
                                           std::to_string(kMaxTreeDepth)));
          continue;
        }
        int sub = ::openat(dfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
          ++stats.errors;
          if (on_error) on_error(path, ErrnoError("open directory", errno));
          continue;
        }
        walk(sub, path, depth + 1);
        ::close(sub);
      } else if (S_ISREG(est.st_mode)) {
        account(ScanOpened(*this, dfd, name.c_str(), path));
      }
      // FIFOs, sockets and devices are never opened: reading them could block or have effects.
    }
  };
  std::string clean_root = root;
  while (clean_root.size() > 1 && clean_root.back() == '/') clean_root.pop_back();
  walk(root_fd, clean_root, 0);
  ::close(root_fd);
  return stats;
}

}  // namespace gs::webshell
