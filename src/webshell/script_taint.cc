// Taint analysis for JSP / ASP / ASP.NET pages (see script_taint.h).
#include "webshell/script_taint.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "webshell/normalize.h"

namespace gs::webshell::internal {
namespace {

bool IsWord(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}
bool IsChain(unsigned char c) { return IsWord(c) || c == '.'; }
bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

int HexDigit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

constexpr size_t kMaxSpan = 8192;
constexpr int kMaxPasses = 4;

// Sink kinds (rule names).
constexpr const char* kCommand = "heur_script_request_to_command";
constexpr const char* kCode = "heur_script_request_to_code";
constexpr const char* kClassLoad = "heur_script_request_to_classloader";
constexpr const char* kDeser = "heur_script_request_deserialization";
constexpr const char* kJndi = "heur_script_request_to_jndi";
constexpr const char* kDropper = "heur_script_file_dropper";
constexpr const char* kNative = "heur_script_request_to_native";

enum : uint8_t { kJavaOnly = 1, kDotNet = 2, kClassicAsp = 4, kAnyLang = 7 };

struct Sink {
  const char* token;  // lower-case text; a trailing '(' means the arguments follow
  const char* rule;
  uint8_t langs;
  bool word;          // must not be preceded by an identifier character or '.'
  bool receiver;      // the receiver (the chain before the '.') must be tainted instead
  const char* needs;  // the page must also contain this text (nullptr: nothing)
};

// Sinks: calls that run commands or code, load classes, deserialise, or look names up, fed by
// the request (the argument list, or the rest of a VB statement, or the receiver).
constexpr Sink kSinks[] = {
    // Java
    {".exec(", kCommand, kAnyLang, false, false, nullptr},
    {"new processbuilder(", kCommand, kJavaOnly, false, false, nullptr},
    {"new java.lang.processbuilder(", kCommand, kJavaOnly, false, false, nullptr},
    {".command(", kCommand, kJavaOnly, false, false, "processbuilder"},
    {"class.forname(", kClassLoad, kJavaOnly, false, false, nullptr},
    {".loadclass(", kClassLoad, kJavaOnly, false, false, nullptr},
    {".defineclass(", kClassLoad, kJavaOnly, false, false, nullptr},
    {"defineanonymousclass(", kClassLoad, kJavaOnly, false, false, nullptr},
    {".definehiddenclass(", kClassLoad, kJavaOnly, false, false, nullptr},
    {"new urlclassloader(", kClassLoad, kJavaOnly, false, false, nullptr},
    {"new java.net.urlclassloader(", kClassLoad, kJavaOnly, false, false, nullptr},
    {".lookup(", kJndi, kJavaOnly, false, false, nullptr},
    {"new objectinputstream(", kDeser, kJavaOnly, false, false, "readobject"},
    {"new java.io.objectinputstream(", kDeser, kJavaOnly, false, false, "readobject"},
    {"new xmldecoder(", kDeser, kJavaOnly, false, false, "readobject"},
    {"new java.beans.xmldecoder(", kDeser, kJavaOnly, false, false, "readobject"},
    {".readobject(", kDeser, kJavaOnly, false, true, nullptr},
    {".fromxml(", kDeser, kJavaOnly, false, false, "xstream"},
    {".eval(", kCode, kJavaOnly | kDotNet, false, false, nullptr},
    {".evaluate(", kCode, kJavaOnly, false, false, "shell"},
    {".parseexpression(", kCode, kJavaOnly, false, false, nullptr},
    {"ognl.getvalue(", kCode, kJavaOnly, false, false, nullptr},
    {"mvel.eval(", kCode, kJavaOnly, false, false, nullptr},
    {".createvalueexpression(", kCode, kJavaOnly, false, false, nullptr},
    {".createmethodexpression(", kCode, kJavaOnly, false, false, nullptr},
    {"system.load(", kNative, kJavaOnly, false, false, nullptr},
    {"system.loadlibrary(", kNative, kJavaOnly, false, false, nullptr},
    // classic ASP (VBScript, JScript) and JScript.NET
    {"execute", kCode, kClassicAsp | kDotNet, true, false, nullptr},
    {"executeglobal", kCode, kClassicAsp | kDotNet, true, false, nullptr},
    {"eval", kCode, kClassicAsp | kDotNet, true, false, nullptr},
    {"new function(", kCode, kClassicAsp | kDotNet, false, false, nullptr},
    {"getref(", kCode, kClassicAsp, true, false, nullptr},
    {"createobject(", kCode, kClassicAsp | kDotNet, true, false, nullptr},
    {".run", kCommand, kClassicAsp | kDotNet, false, false, nullptr},
    {".shellexecute", kCommand, kClassicAsp | kDotNet, false, false, nullptr},
    // ASP.NET
    {"process.start(", kCommand, kDotNet, false, false, nullptr},
    {"new processstartinfo(", kCommand, kDotNet, false, false, nullptr},
    {".start(", kCommand, kDotNet, false, true, "process"},
    {"shell(", kCommand, kDotNet, true, false, nullptr},
    {"interaction.shell(", kCommand, kDotNet, false, false, nullptr},
    {".addscript(", kCode, kDotNet, false, false, "powershell"},
    {".addcommand(", kCommand, kDotNet, false, false, "powershell"},
    {"jscriptevaluate(", kCode, kDotNet, false, false, nullptr},
    {"compileassemblyfromsource(", kCode, kDotNet, false, false, nullptr},
    {"assembly.load(", kClassLoad, kDotNet, false, false, nullptr},
    {".loadfrom(", kClassLoad, kDotNet, false, false, "assembly"},
    {".loadfile(", kClassLoad, kDotNet, false, false, "assembly"},
    {"currentdomain.load(", kClassLoad, kDotNet, false, false, nullptr},
    {".deserialize(", kDeser, kDotNet, false, false, "formatter"},
    {".deserialize(", kDeser, kDotNet, false, false, "netdatacontractserializer"},
    {"file.writealltext(", kDropper, kDotNet, false, false, nullptr},
    {"file.writeallbytes(", kDropper, kDotNet, false, false, nullptr},
    {"file.appendalltext(", kDropper, kDotNet, false, false, nullptr},
    {".saveas(", kDropper, kDotNet, false, false, nullptr},
    {".savetofile", kDropper, kClassicAsp | kDotNet, false, false, nullptr},
    // reflection: a method looked up by name and invoked with request data
    // (of a dangerous target: a class loader, Runtime, ProcessBuilder, a class by name, Unsafe;
    // a page dispatching to its own controller's methods is not this)
    {".invoke(", kCode, kJavaOnly, false, false, "classloader"},
    {".invoke(", kCode, kJavaOnly, false, false, "runtime"},
    {".invoke(", kCode, kJavaOnly, false, false, "processbuilder"},
    {".invoke(", kCode, kJavaOnly, false, false, "forname("},
    {".invoke(", kCode, kJavaOnly, false, false, "unsafe"},
};

// Methods that store their (tainted) argument in the receiver.
const std::unordered_set<std::string>& StoringMethods() {
  static const auto* kSet = new std::unordered_set<std::string>{
      "add",       "put",          "append",   "appendline", "appendformat", "write",
      "writetext", "setattribute", "putvalue", "set",        "push",         "addall",
      "insert",    "item",         "setvalue", "addelement", "offer",        "writebytes"};
  return *kSet;
}

// Constructors and factory calls that open a file for writing: with a path from the request,
// the object they return is a dropper's stream.
constexpr const char* kFileOpeners[] = {
    "fileoutputstream(",        "filewriter(",     "randomaccessfile(", "files.newoutputstream(",
    "files.newbufferedwriter(", "streamwriter(",   "filestream(",       "file.create(",
    "file.createtext(",         "file.openwrite(", ".createtextfile(",  ".opentextfile("};

class ScriptAnalysis {
 public:
  ScriptAnalysis(std::string_view text, ScriptLang lang)
      : l_(LowerCopy(text)), lang_(lang), vb_(lang == ScriptLang::kVb) {
    dotnet_ = lang == ScriptLang::kCSharp || l_.find("runat=\"server\"") != std::string::npos ||
              l_.find("<%@ page") != std::string::npos || l_.find("<%@page") != std::string::npos ||
              l_.find("webhandler") != std::string::npos ||
              l_.find("webservice") != std::string::npos;
    langbit_ = lang == ScriptLang::kJava ? kJavaOnly
               : dotnet_                 ? (kDotNet | kClassicAsp)
                                         : kClassicAsp;
    Mask();
    Match();
    Statements();
  }

  std::vector<ScriptFinding> Run() {
    SeedSources();
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      size_t before = tainted_.size() + file_streams_.size();
      for (auto [a, b] : stmts_) Statement(a, b, 0);
      PropagateCalls();
      if (tainted_.size() + file_streams_.size() == before && pass > 0) break;
    }
    CheckSinks();
    CheckSpecial();
    return std::move(out_);
  }

 private:
  bool Code(size_t i) const { return i < l_.size() && mask_[i] == 0; }

  // Strings (1) and comments (2), per the language's rules; HTML around the code is taken as
  // code, which is harmless: it contains none of the names looked for.
  void Mask() {
    const size_t n = l_.size();
    mask_.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
      char c = l_[i];
      if (c == '"') {
        bool verbatim = !vb_ && i > 0 && l_[i - 1] == '@';
        size_t j = i + 1;
        while (j < n) {
          if (l_[j] == '"') {
            if ((vb_ || verbatim) && j + 1 < n && l_[j + 1] == '"') {
              j += 2;
              continue;
            }
            break;
          }
          if (!vb_ && !verbatim && l_[j] == '\\') {
            j += 2;
            continue;
          }
          if (l_[j] == '\n' && !verbatim) break;
          ++j;
        }
        size_t end = std::min(j, n - 1);
        std::fill(mask_.begin() + i, mask_.begin() + end + 1, 1);
        i = end;
      } else if ((vb_ && c == '\'') || (!vb_ && c == '/' && i + 1 < n && l_[i + 1] == '/')) {
        size_t j = i;
        while (j < n && l_[j] != '\n' && l_.compare(j, 2, "%>") != 0) ++j;
        std::fill(mask_.begin() + i, mask_.begin() + j, 2);
        i = j - 1 > i ? j - 1 : i;
      } else if (!vb_ && c == '/' && i + 1 < n && l_[i + 1] == '*') {
        size_t j = l_.find("*/", i + 2);
        j = j == std::string::npos ? n : j + 2;
        std::fill(mask_.begin() + i, mask_.begin() + j, 2);
        i = j - 1;
      } else if (c == '<' && l_.compare(i, 4, "<%--") == 0) {
        size_t j = l_.find("--%>", i + 4);
        j = j == std::string::npos ? n : j + 4;
        std::fill(mask_.begin() + i, mask_.begin() + j, 2);
        i = j - 1;
      } else if (!vb_ && c == '\'' && i + 2 < n &&
                 (l_[i + 2] == '\'' || (l_[i + 1] == '\\' && i + 3 < n && l_[i + 3] == '\''))) {
        size_t end = l_[i + 2] == '\'' ? i + 2 : i + 3;
        std::fill(mask_.begin() + i, mask_.begin() + end + 1, 1);
        i = end;
      }
    }
  }

  // Matching parentheses and brackets (code only).
  void Match() {
    close_.assign(l_.size(), std::string::npos);
    std::vector<size_t> st;
    for (size_t i = 0; i < l_.size(); ++i) {
      if (!Code(i)) continue;
      char c = l_[i];
      if (c == '(' || c == '[') {
        st.push_back(i);
      } else if ((c == ')' || c == ']') && !st.empty()) {
        close_[st.back()] = i;
        st.pop_back();
      } else if (c == '\n' && vb_) {
        st.clear();  // VB statements do not span lines (no continuation handling needed here)
      }
    }
  }

  size_t Close(size_t open) const {
    return open < close_.size() ? close_[open] : std::string::npos;
  }

  void Statements() {
    const size_t n = l_.size();
    size_t start = 0;
    int depth = 0;
    std::vector<bool> braces;  // open braces: true = an array initializer
    for (size_t i = 0; i < n; ++i) {
      if (!Code(i)) continue;
      char c = l_[i];
      if (c == '(' || c == '[') ++depth;
      if ((c == ')' || c == ']') && depth > 0) --depth;
      bool boundary = false;
      if ((c == '%' && i + 1 < n && l_[i + 1] == '>') ||
          (c == '<' && i + 1 < n && l_[i + 1] == '%'))
        boundary = true, depth = 0;
      if (vb_) {
        if (c == '\n') {
          size_t k = i;
          while (k > start && IsSpace(static_cast<unsigned char>(l_[k - 1]))) --k;
          if (!(k > start && l_[k - 1] == '_' && (k < 2 || l_[k - 2] == ' '))) boundary = true;
          depth = 0;
        }
        if (c == ':' && depth == 0) boundary = true;
      } else if (c == '{' || c == '}') {
        // an array initializer (`= {...}`, `new String[] {...}`) is part of the statement
        if (c == '{') {
          size_t q = i;
          while (q > start && IsSpace(static_cast<unsigned char>(l_[q - 1]))) --q;
          bool init = q > start && (l_[q - 1] == '=' || l_[q - 1] == ']' || l_[q - 1] == ',' ||
                                    l_[q - 1] == '(');
          braces.push_back(init);
          if (init)
            ++depth;
          else if (depth == 0)
            boundary = true;
        } else {
          bool init = !braces.empty() && braces.back();
          if (!braces.empty()) braces.pop_back();
          if (init && depth > 0)
            --depth;
          else if (depth == 0)
            boundary = true;
        }
      } else if (depth == 0 && c == ';') {
        boundary = true;
      }
      if (boundary) {
        if (i > start) stmts_.emplace_back(start, i);
        start = i + 1;
        if (stmts_.size() > 200000) return;
      }
    }
    if (n > start) stmts_.emplace_back(start, n);
  }

  static bool StartsWord(std::string_view s, std::string_view w) {
    return s.size() >= w.size() && s.compare(0, w.size(), w) == 0 &&
           (s.size() == w.size() || !IsWord(static_cast<unsigned char>(s[w.size()])));
  }

  // The identifier chain ending just before `end` (`psi.arguments`, `cmd`); *start set.
  std::string ChainBefore(size_t end, size_t floor, size_t* start) const {
    size_t k = end;
    while (k > floor && IsSpace(static_cast<unsigned char>(l_[k - 1]))) --k;
    size_t e = k;
    while (k > floor && IsChain(static_cast<unsigned char>(l_[k - 1])) && Code(k - 1)) --k;
    *start = k;
    return l_.substr(k, e - k);
  }

  // Storage keyed by a string: Session("k"), Session["k"], Application(...), Cache[...],
  // ViewState[...], session.getAttribute("k").
  static bool IsStore(std::string_view chain) {
    for (std::string_view s : {"session", "application", "cache", "viewstate", "items"}) {
      if (chain.size() >= s.size() && chain.compare(chain.size() - s.size(), s.size(), s) == 0 &&
          (chain.size() == s.size() || chain[chain.size() - s.size() - 1] == '.'))
        return true;
    }
    return false;
  }

  // The literal inside `("k")` / `["k"]` at `open` ("" if it is not one string literal).
  std::string KeyAt(size_t open) const {
    size_t close = Close(open);
    if (close == std::string::npos) return "";
    size_t a = open + 1;
    while (a < close && IsSpace(static_cast<unsigned char>(l_[a]))) ++a;
    if (a >= close || l_[a] != '"') return "";
    size_t b = a + 1;
    while (b < close && mask_[b] == 1 && l_[b] != '"') ++b;
    if (b >= close || l_[b] != '"') return "";
    size_t c = b + 1;
    while (c < close && IsSpace(static_cast<unsigned char>(l_[c]))) ++c;
    if (c != close && l_[c] != ',') return "";
    return l_.substr(a + 1, b - a - 1);
  }

  void Taint(const std::string& key) {
    if (key.empty() || tainted_.size() > 20000) return;
    static const std::unordered_set<std::string> kNever = {"this",        "me",
                                                           "request",     "response",
                                                           "out",         "page",
                                                           "server",      "context",
                                                           "session",     "application",
                                                           "system",      "string",
                                                           "httpcontext", "httpcontext.current",
                                                           "pagecontext"};
    if (kNever.count(key)) return;
    tainted_.insert(key);
    size_t dot = key.find('.');
    if (dot != std::string::npos && dot > 0) Taint(key.substr(0, dot));
  }

  bool IsTaintedChain(const std::string& chain) const {
    if (tainted_.count(chain)) return true;
    size_t dot = chain.find('.');
    return dot != std::string::npos && tainted_.count(chain.substr(0, dot));
  }

  // Request data at the chain [s, e) followed by l_[e].
  bool SourceAt(const std::string& chain, size_t e) const {
    char next = e < l_.size() ? l_[e] : 0;
    size_t ne = e;
    while (ne < l_.size() && l_[ne] == ' ') ++ne;
    char next_ns = ne < l_.size() ? l_[ne] : 0;
    if (lang_ == ScriptLang::kJava) {
      size_t dot = chain.rfind('.');
      std::string m = dot == std::string::npos ? chain : chain.substr(dot + 1);
      if (next_ns == '(') {
        static const std::unordered_set<std::string> kReq = {
            "getparameter", "getparametervalues", "getparametermap", "getparameternames",
            "getheader",    "getheaders",         "getquerystring",  "getcookies",
            "getpart",      "getparts",           "getpathinfo",     "getrequesturi"};
        if (kReq.count(m)) return true;
        if (m == "getinputstream" || m == "getreader") {
          size_t from = e > chain.size() + 48 ? e - chain.size() - 48 : 0;
          return l_.substr(from, e - from).find("req") != std::string::npos;
        }
      }
      return false;
    }
    // ASP / ASP.NET: Request(...), Request.Form(...), Context.Request[...], c.Request.X...
    size_t r = chain.rfind("request");
    while (r != std::string::npos) {
      bool starts = r == 0 || chain[r - 1] == '.';
      size_t after = r + 7;
      if (starts && after == chain.size() && (next_ns == '(' || next_ns == '[')) return true;
      if (starts && after < chain.size() && chain[after] == '.') {
        static const char* kParts[] = {"form",
                                       "querystring",
                                       "item",
                                       "cookies",
                                       "servervariables",
                                       "binaryread",
                                       "params",
                                       "headers",
                                       "inputstream",
                                       "files",
                                       "rawurl",
                                       "pathinfo",
                                       "body",
                                       "getbufferlessinputstream"};
        std::string rest = chain.substr(after + 1);
        for (const char* p : kParts)
          if (StartsWord(rest, p)) return true;
      }
      if (r == 0) break;
      r = chain.rfind("request", r - 1);
    }
    (void)next;
    // a server control's value: <asp:TextBox id="cmd" runat="server"/> ... cmd.Text
    size_t dot = chain.rfind('.');
    if (dot != std::string::npos && !controls_.empty()) {
      std::string prop = chain.substr(dot + 1);
      if ((prop == "text" || prop == "value") && controls_.count(chain.substr(0, dot))) return true;
    }
    return false;
  }

  // Whether [a, b) mentions request data or a tainted name.
  bool Tainted(size_t a, size_t b) const {
    b = std::min({b, l_.size(), a + kMaxSpan});
    if (a >= b || (work_ += b - a) > budget_) return false;
    for (size_t i = a; i < b; ++i) {
      if (!Code(i)) continue;
      unsigned char c = l_[i];
      if (!IsWord(c) || (i > 0 && IsChain(static_cast<unsigned char>(l_[i - 1])) && Code(i - 1)))
        continue;
      size_t e = i;
      while (e < l_.size() && IsChain(static_cast<unsigned char>(l_[e]))) ++e;
      while (e > i && l_[e - 1] == '.') --e;
      std::string chain = l_.substr(i, e - i);
      if (SourceAt(chain, e)) return true;
      if (IsTaintedChain(chain)) return true;
      size_t ne = e;
      while (ne < l_.size() && l_[ne] == ' ') ++ne;
      if (ne < l_.size() && (l_[ne] == '(' || l_[ne] == '[')) {
        // Session("k"), session.getAttribute("k"), dict("k"), map.get("k")
        std::string key = KeyAt(ne);
        if (!key.empty() && tainted_.count("attr:" + key)) return true;
        if (!key.empty() && tainted_.count(chain + ":" + key)) return true;
      }
      i = e - 1;
    }
    return false;
  }

  void SeedSources() {
    // Server controls (their posted values are request data).
    for (std::string_view tag : {"<asp:textbox", "<asp:hiddenfield", "<input", "<textarea",
                                 "<asp:dropdownlist", "<select"}) {
      for (size_t p = l_.find(tag); p != std::string::npos; p = l_.find(tag, p + 1)) {
        size_t end = l_.find('>', p);
        if (end == std::string::npos || end - p > 600) continue;
        std::string_view el(l_.data() + p, end - p);
        if (el.find("runat") == std::string_view::npos) continue;
        size_t id = el.find(" id=");
        if (id == std::string_view::npos) continue;
        size_t q = id + 4;
        if (q < el.size() && (el[q] == '"' || el[q] == '\'')) ++q;
        size_t qe = q;
        while (qe < el.size() && IsWord(static_cast<unsigned char>(el[qe]))) ++qe;
        if (qe > q) controls_.insert(std::string(el.substr(q, qe - q)));
      }
    }
    // Parameters of web service / WCF methods: [WebMethod] public string Run(string cmd)
    for (std::string_view attr : {"[webmethod", "<webmethod", "[operationcontract"}) {
      for (size_t p = l_.find(attr); p != std::string::npos; p = l_.find(attr, p + 1)) {
        size_t open = l_.find('(', l_.find(']', p) == std::string::npos ? p : p + attr.size());
        // skip the attribute's own parentheses: [WebMethod(EnableSession = true)]
        size_t attr_end = l_.find_first_of("]>", p);
        if (attr_end != std::string::npos) open = l_.find('(', attr_end);
        if (open == std::string::npos || open - p > 400) continue;
        size_t close = Close(open);
        if (close == std::string::npos) continue;
        for (auto& prm : Params(open, close)) Taint(prm);
      }
    }
  }

  // Parameter names of a parameter list (the last identifier of each comma piece, VB's
  // `ByVal x As String` included).
  std::vector<std::string> Params(size_t open, size_t close) const {
    std::vector<std::string> out;
    size_t start = open + 1;
    int depth = 0;
    for (size_t i = open + 1; i <= close; ++i) {
      char c = l_[i];
      if (i < close && Code(i) && (c == '(' || c == '[' || c == '<')) ++depth;
      if (i < close && Code(i) && (c == ')' || c == ']' || c == '>')) --depth;
      if (i == close || (Code(i) && c == ',' && depth == 0)) {
        std::string piece = l_.substr(start, i - start);
        size_t as = piece.find(" as ");
        if (vb_ && as != std::string::npos) piece = piece.substr(0, as);
        size_t eq = piece.find('=');
        if (eq != std::string::npos) piece = piece.substr(0, eq);
        size_t e = piece.size();
        while (e > 0 && !IsWord(static_cast<unsigned char>(piece[e - 1]))) --e;
        size_t s = e;
        while (s > 0 && IsWord(static_cast<unsigned char>(piece[s - 1]))) --s;
        out.push_back(piece.substr(s, e - s));
        start = i + 1;
      }
    }
    return out;
  }

  void Statement(size_t a, size_t b, int depth) {
    if (depth > 4) return;
    while (a < b && (IsSpace(static_cast<unsigned char>(l_[a])) || !Code(a) || l_[a] == '=' ||
                     l_[a] == '%' || l_[a] == '@' || l_[a] == '!'))
      ++a;
    while (b > a && IsSpace(static_cast<unsigned char>(l_[b - 1]))) --b;
    if (a >= b) return;
    std::string_view s(l_.data() + a, b - a);
    // control flow heads: process what they guard
    for (std::string_view kw : {"else", "try", "do", "finally", "then"}) {
      if (StartsWord(s, kw)) return Statement(a + kw.size(), b, depth + 1);
    }
    for (std::string_view kw :
         {"if", "elseif", "while", "for", "foreach", "catch", "synchronized", "using", "switch"}) {
      if (!StartsWord(s, kw)) continue;
      if (vb_) {
        size_t then = s.find(" then");
        if (then != std::string_view::npos) {
          Statement(a + then + 5, b, depth + 1);
        }
        return;
      }
      size_t open = l_.find('(', a + kw.size());
      if (open == std::string::npos || open >= b) return;
      size_t close = Close(open);
      if (close == std::string::npos || close > b) return;
      if (kw == "using" || kw == "for") Statement(open + 1, close, depth + 1);
      return Statement(close + 1, b, depth + 1);
    }
    if (vb_ && (StartsWord(s, "select") || StartsWord(s, "case") || StartsWord(s, "return") ||
                StartsWord(s, "loop") || StartsWord(s, "until")))
      return;
    // Assignments (several in one declaration: `byte[] k = a, c = b`).
    std::vector<size_t> eqs;
    int d = 0;
    for (size_t i = a; i < b; ++i) {
      if (!Code(i)) continue;
      char c = l_[i];
      if (c == '(' || c == '[' || c == '{') ++d;
      if (c == ')' || c == ']' || c == '}') --d;
      if (c != '=' || d != 0) continue;
      char p = i > a ? l_[i - 1] : 0, n = i + 1 < b ? l_[i + 1] : 0;
      if (n == '=' || n == '>' || p == '=' || p == '!' || p == '<' || p == '>') continue;
      eqs.push_back(i);
      if (vb_) break;  // VB: the first `=` assigns, later ones compare
    }
    if (eqs.empty()) {
      StoringCall(a, b);
      return;
    }
    for (size_t k = 0; k < eqs.size(); ++k) {
      size_t eq = eqs[k];
      size_t lhs_end = eq;
      while (lhs_end > a && std::strchr("+-*/&|^.:", l_[lhs_end - 1]) != nullptr &&
             !IsWord(static_cast<unsigned char>(l_[lhs_end - 1])))
        --lhs_end;
      size_t lstart;
      std::string key = LhsKey(lhs_end, a, &lstart);
      size_t rhs_end = b;
      if (k + 1 < eqs.size()) {
        size_t ns;
        LhsKey(eqs[k + 1], a, &ns);
        rhs_end = ns;
      }
      if (key.empty()) continue;
      if (Tainted(eq + 1, rhs_end)) Taint(key);
      // a file opened for writing at a path the request gives
      std::string_view rhs(l_.data(), rhs_end);
      for (const char* op : kFileOpeners) {
        size_t p = rhs.find(op, eq + 1);
        if (p == std::string::npos) continue;
        size_t open = p + std::strlen(op) - 1;
        size_t close = Close(open);
        if (close != std::string::npos && PathArgTainted(open, close)) file_streams_.insert(key);
      }
    }
  }

  // The first argument of the call at `open` (a path) is tainted.
  bool PathArgTainted(size_t open, size_t close) const {
    int depth = 0;
    size_t end = close;
    for (size_t i = open + 1; i < close; ++i) {
      if (!Code(i)) continue;
      char c = l_[i];
      if (c == '(' || c == '[') ++depth;
      if (c == ')' || c == ']') --depth;
      if (c == ',' && depth == 0) {
        end = i;
        break;
      }
    }
    return Tainted(open + 1, end);
  }

  // The key an assignment's left-hand side (ending at `end`) defines: a name, `obj.member`, or
  // a store entry `attr:k` (Session("k") = ...).
  std::string LhsKey(size_t end, size_t floor, size_t* start) const {
    size_t k = end;
    while (k > floor && IsSpace(static_cast<unsigned char>(l_[k - 1]))) --k;
    *start = k;
    if (k > floor && (l_[k - 1] == ')' || l_[k - 1] == ']')) {
      // find the opening bracket
      size_t open = std::string::npos;
      for (size_t q = k - 1; q > floor && k - q < 400; --q) {
        if (Code(q - 1) && Close(q - 1) == k - 1) {
          open = q - 1;
          break;
        }
      }
      if (open == std::string::npos) return "";
      size_t cs;
      std::string chain = ChainBefore(open, floor, &cs);
      *start = cs;
      std::string key = KeyAt(open);
      if (!key.empty() && IsStore(chain)) return "attr:" + key;
      if (!key.empty()) return chain + ":" + key;
      return chain;  // a[i] = ...: the array
    }
    return ChainBefore(k, floor, start);
  }

  // `recv.method(args)` / VB `recv.method args` storing tainted data in recv.
  void StoringCall(size_t a, size_t b) {
    size_t e = a;
    while (e < b && IsChain(static_cast<unsigned char>(l_[e]))) ++e;
    std::string chain = l_.substr(a, e - a);
    size_t dot = chain.rfind('.');
    if (dot == std::string::npos || dot == 0) return;
    std::string method = chain.substr(dot + 1), recv = chain.substr(0, dot);
    if (!StoringMethods().count(method)) return;
    size_t args = e;
    while (args < b && l_[args] == ' ') ++args;
    size_t args_end = b;
    if (args < b && l_[args] == '(') {
      size_t close = Close(args);
      if (close != std::string::npos && close < b) args_end = close;
      ++args;
    }
    if (!Tainted(args, args_end)) return;
    if (method == "setattribute" || method == "putvalue" || method == "add" || method == "put" ||
        method == "item" || method == "set" || method == "setvalue") {
      // dict.Add "payload", x / session.setAttribute("k", x): the entry
      size_t q = args;
      while (q < args_end && l_[q] == ' ') ++q;
      if (q < args_end && l_[q] == '"') {
        size_t qe = q + 1;
        while (qe < args_end && l_[qe] != '"') ++qe;
        std::string key = l_.substr(q + 1, qe - q - 1);
        if (IsStore(recv)) {
          tainted_.insert("attr:" + key);
        } else {
          tainted_.insert(recv + ":" + key);
          tainted_.insert("attr:" + key);
        }
      }
    }
    Taint(recv);
  }

  // Functions and methods of the page called with tainted data: their parameters are tainted.
  void PropagateCalls() {
    if (functions_.empty()) {
      CollectFunctions();
      // where each function's name occurs as a word, found in one pass
      std::unordered_map<std::string, size_t> index;
      for (size_t f = 0; f < functions_.size(); ++f) index.emplace(functions_[f].first, f);
      uses_.resize(functions_.size());
      for (size_t i = 0; i < l_.size() && !index.empty(); ++i) {
        if (!Code(i) || !IsWord(static_cast<unsigned char>(l_[i])) ||
            (i > 0 && IsWord(static_cast<unsigned char>(l_[i - 1]))))
          continue;
        size_t e = i;
        while (e < l_.size() && IsWord(static_cast<unsigned char>(l_[e]))) ++e;
        auto it = index.find(l_.substr(i, e - i));
        if (it != index.end() && uses_[it->second].size() < 4096) uses_[it->second].push_back(i);
        i = e - 1;
      }
    }
    for (size_t f = 0; f < functions_.size(); ++f) {
      const auto& [name, params] = functions_[f];
      for (size_t p : uses_[f]) {
        if (++work_ > budget_) return;
        if (!Code(p) || (p > 0 && IsWord(static_cast<unsigned char>(l_[p - 1])))) continue;
        // (`obj.name(...)` counts too: methods of the page's own classes are called on
        // instances, `new X(...).Q(data)`)
        size_t e = p + name.size();
        if (e >= l_.size() || IsWord(static_cast<unsigned char>(l_[e]))) continue;
        size_t q = e;
        while (q < l_.size() && l_[q] == ' ') ++q;
        size_t open = std::string::npos, close = std::string::npos;
        if (q < l_.size() && l_[q] == '(') {
          open = q;
          close = Close(q);
        } else if (vb_ && q > e) {
          // VB: `Run Request("c")` (the rest of the line)
          open = e;
          close = l_.find('\n', e);
          if (close == std::string::npos) close = l_.size();
          size_t pc = l_.find("%>", e);
          if (pc != std::string::npos && pc < close) close = pc;
        }
        if (close == std::string::npos || open == std::string::npos) continue;
        // a definition is not a call
        size_t ls = p;
        while (ls > 0 && l_[ls - 1] != '\n' && p - ls < 200) --ls;
        std::string_view line(l_.data() + ls, p - ls);
        if (line.find("function") != std::string_view::npos ||
            line.find("sub ") != std::string_view::npos ||
            line.find("void") != std::string_view::npos ||
            line.find("public") != std::string_view::npos ||
            line.find("private") != std::string_view::npos ||
            line.find("string ") != std::string_view::npos)
          continue;
        size_t start = open + 1;
        size_t idx = 0;
        int depth = 0;
        for (size_t i = open + 1; i <= close && i <= l_.size(); ++i) {
          bool end = i == close;
          if (!end && Code(i)) {
            char c = l_[i];
            if (c == '(' || c == '[') ++depth;
            if (c == ')' || c == ']') --depth;
            end = c == ',' && depth == 0;
          }
          if (!end) continue;
          if (idx < params.size() && Tainted(start, i)) Taint(params[idx]);
          ++idx;
          start = i + 1;
        }
      }
    }
  }

  void CollectFunctions() {
    // VB: Sub Name(a, b) / Function Name(ByVal a); JScript / Java / C#: name(params) {
    const size_t n = l_.size();
    for (size_t i = 0; i < n && functions_.size() < 256; ++i) {
      if (!Code(i) || l_[i] != '(' || i == 0) continue;
      size_t ns;
      std::string name = ChainBefore(i, i > 100 ? i - 100 : 0, &ns);
      if (name.empty() || name.find('.') != std::string::npos) continue;
      static const std::unordered_set<std::string> kKeywords = {
          "if",     "while",  "for",      "foreach", "switch",       "catch", "using",
          "return", "new",    "function", "sub",     "synchronized", "lock",  "typeof",
          "sizeof", "nameof", "eval",     "execute", "executeglobal"};
      if (kKeywords.count(name)) continue;
      size_t close = Close(i);
      if (close == std::string::npos) continue;
      bool def = false;
      size_t before = ns;
      while (before > 0 && l_[before - 1] == ' ') --before;
      size_t ws;
      std::string prev = ChainBefore(before, before > 60 ? before - 60 : 0, &ws);
      if (vb_) {
        def = prev == "sub" || prev == "function";
      } else if (prev == "function") {
        def = true;
      } else {
        // `Type name(params) {` (also `throws X {`)
        size_t q = close + 1;
        while (q < n && IsSpace(static_cast<unsigned char>(l_[q]))) ++q;
        if (l_.compare(q, 6, "throws") == 0) q = l_.find('{', q);
        def = q < n && l_[q] == '{' && !prev.empty() && prev != "new" && prev != "return" &&
              prev != "else" &&
              (before < ns && (IsWord(static_cast<unsigned char>(l_[before - 1])) ||
                               l_[before - 1] == ']' || l_[before - 1] == '>'));
      }
      if (!def) continue;
      auto params = Params(i, close);
      params.erase(std::remove(params.begin(), params.end(), std::string()), params.end());
      if (!params.empty()) functions_.emplace_back(name, std::move(params));
    }
  }

  void Add(const char* rule, size_t offset) {
    for (const auto& f : out_)
      if (std::strcmp(f.rule, rule) == 0) return;
    out_.push_back({rule, 100, offset});
  }

  void CheckSinks() {
    for (const Sink& s : kSinks) {
      if (!(s.langs & langbit_)) continue;
      if (s.needs && l_.find(s.needs) == std::string::npos) continue;
      size_t len = std::strlen(s.token);
      bool paren = s.token[len - 1] == '(';
      for (size_t p = l_.find(s.token); p != std::string::npos; p = l_.find(s.token, p + 1)) {
        if (!Code(p)) continue;
        if (s.word && p > 0 && (IsChain(static_cast<unsigned char>(l_[p - 1])))) continue;
        size_t e = p + len;
        if (!paren && e < l_.size() && IsWord(static_cast<unsigned char>(l_[e]))) continue;
        size_t args_a, args_b;
        if (paren) {
          args_a = e;
          args_b = Close(e - 1);
          if (args_b == std::string::npos) continue;
        } else {
          // `Execute x`, `Execute(x)`, `.Run "cmd " & x, 0`: the rest of the statement
          args_a = e;
          args_b = StatementEndAfter(e);
        }
        bool hit;
        if (s.receiver) {
          size_t rs;
          std::string recv = ChainBefore(p, p > 200 ? p - 200 : 0, &rs);
          hit = !recv.empty() && IsTaintedChain(recv);
          if (!hit && p > 0 && l_[p - 1] == ')') {
            // new ObjectInputStream(request...).readObject(): the receiver expression
            for (size_t q = p - 1; q > 0 && p - q < 400; --q) {
              if (Close(q - 1) != p - 1) continue;
              size_t cs;
              ChainBefore(q - 1, q > 200 ? q - 200 : 0, &cs);
              size_t ns = cs;
              while (ns >= 4 && l_.compare(ns - 4, 4, "new ") == 0) ns -= 4;
              hit = Tainted(ns, p);
              break;
            }
          }
        } else {
          hit = Tainted(args_a, args_b);
          if (hit &&
              (std::strcmp(s.token, ".saveas(") == 0 || std::strcmp(s.token, ".savetofile") == 0)) {
            // an upload saved under a name: only a dropper when a form field or query
            // parameter (not the upload's own file name) says where
            std::string_view text(l_.data() + args_a, std::min(args_b - args_a, kMaxSpan));
            hit = false;
            if (std::strcmp(s.token, ".savetofile") == 0) {
              // ADODB.Stream: the stream must hold request data (s.Write Request.BinaryRead)
              size_t rs;
              if (!IsTaintedChain(ChainBefore(p, p > 200 ? p - 200 : 0, &rs))) text = {};
            }
            for (std::string_view q : {"request.form", "request.querystring", "request.params",
                                       "request[", "request(", "request.item"})
              if (text.find(q) != std::string_view::npos) hit = true;
          }
          if (!hit && s.rule == kCode && lang_ != ScriptLang::kJava && args_b > args_a) {
            // Eval("Ex" & "ecute(Request(""x""))"): code built in a string that reads the
            // request itself
            std::string_view text(l_.data() + args_a, std::min(args_b - args_a, kMaxSpan));
            hit = text.find("request(") != std::string_view::npos ||
                  text.find("request.") != std::string_view::npos;
          }
        }
        if (hit) {
          Add(s.rule, p);
          break;
        }
      }
    }
    // Writes to a stream opened at a request path, with request data.
    for (const char* w :
         {".write(", ".print(", ".println(", ".writeline", ".write ", ".writebytes(", ".append("}) {
      size_t wl = std::strlen(w);
      for (size_t p = l_.find(w); p != std::string::npos; p = l_.find(w, p + 1)) {
        if (!Code(p)) continue;
        size_t rs;
        std::string recv = ChainBefore(p, p > 200 ? p - 200 : 0, &rs);
        bool stream = file_streams_.count(recv) > 0;
        if (!stream && p > 0 && l_[p - 1] == ')') {
          // new FileOutputStream(path).write(data)
          for (const char* op : kFileOpeners) {
            size_t ol = std::strlen(op);
            size_t from = p > 400 ? p - 400 : 0;
            size_t q = std::string_view(l_.data() + from, p - from).rfind(op);
            if (q == std::string::npos) continue;
            q += from;
            size_t open = q + ol - 1;
            if (Close(open) == p - 1 && PathArgTainted(open, p - 1)) stream = true;
          }
        }
        if (!stream) continue;
        size_t a = p + wl, b = w[wl - 1] == '(' ? Close(p + wl - 1) : StatementEndAfter(a);
        if (b != std::string::npos && Tainted(a, b)) {
          Add(kDropper, p);
          break;
        }
      }
    }
    // Files.write(Paths.get(request path), request data) / Files.copy(request stream, path)
    for (const char* f : {"files.write(", "files.copy(", "file.copy("}) {
      for (size_t p = l_.find(f); p != std::string::npos; p = l_.find(f, p + 1)) {
        if (!Code(p)) continue;
        size_t open = p + std::strlen(f) - 1, close = Close(open);
        if (close == std::string::npos) continue;
        size_t comma = std::string::npos;
        int depth = 0;
        for (size_t i = open + 1; i < close; ++i) {
          if (!Code(i)) continue;
          if (l_[i] == '(' || l_[i] == '[') ++depth;
          if (l_[i] == ')' || l_[i] == ']') --depth;
          if (l_[i] == ',' && depth == 0) {
            comma = i;
            break;
          }
        }
        if (comma != std::string::npos && Tainted(open + 1, comma) && Tainted(comma + 1, close))
          Add(kDropper, p);
      }
    }
  }

  size_t StatementEndAfter(size_t from) const {
    for (auto it = std::upper_bound(stmts_.begin(), stmts_.end(), std::make_pair(from, SIZE_MAX));
         it != stmts_.begin();) {
      --it;
      if (it->first <= from && from <= it->second) return it->second;
      break;
    }
    size_t nl = l_.find('\n', from);
    return nl == std::string::npos ? l_.size() : nl;
  }

  void CheckSpecial() {
    // JSP Expression Language reaching Runtime / reflection / script engines.
    if (lang_ == ScriptLang::kJava) {
      for (std::string_view open : {"${", "#{"}) {
        for (size_t p = l_.find(open); p != std::string::npos; p = l_.find(open, p + 2)) {
          size_t end = l_.find('}', p);
          if (end == std::string::npos || end - p > 2000) continue;
          std::string_view el(l_.data() + p, end - p);
          for (std::string_view bad : {".exec(", "forname(", "getruntime", "processbuilder",
                                       "scriptengine", "defineclass", "newinstance(", ".invoke("}) {
            if (el.find(bad) != std::string_view::npos) {
              out_.push_back({"heur_jsp_el_code", 100, p});
              return;
            }
          }
        }
      }
    }
    // ASP.NET: XSLT with embedded scripts enabled, on a stylesheet from the request or with a
    // script that runs commands.
    if (lang_ != ScriptLang::kJava && l_.find("xsl") != std::string::npos) {
      bool scripts = l_.find("msxsl:script") != std::string::npos ||
                     l_.find("enablescript") != std::string::npos ||
                     l_.find("trustedxslt") != std::string::npos;
      for (size_t p = l_.find("xsltsettings("); p != std::string::npos && !scripts;
           p = l_.find("xsltsettings(", p + 1)) {
        size_t close = Close(p + 12);
        if (close == std::string::npos) continue;
        std::string_view a(l_.data() + p + 13, close - p - 13);
        size_t comma = a.find(',');
        if (comma != std::string_view::npos &&
            a.substr(comma).find("true") != std::string_view::npos)
          scripts = true;
      }
      if (scripts) {
        for (size_t p = l_.find(".load("); p != std::string::npos; p = l_.find(".load(", p + 1)) {
          size_t close = Close(p + 5);
          if (Code(p) && close != std::string::npos && Tainted(p + 6, close)) {
            Add(kCode, p);
            break;
          }
        }
      }
    }
  }

  std::string l_;
  ScriptLang lang_;
  bool vb_;
  bool dotnet_ = false;
  uint8_t langbit_ = 0;
  std::vector<uint8_t> mask_;
  std::vector<size_t> close_;
  std::vector<std::pair<size_t, size_t>> stmts_;
  std::unordered_set<std::string> tainted_;
  std::unordered_set<std::string> file_streams_;
  std::unordered_set<std::string> controls_;
  std::vector<std::pair<std::string, std::vector<std::string>>> functions_;
  std::vector<std::vector<size_t>> uses_;  // per function: positions of its name
  std::vector<ScriptFinding> out_;
  // Work bound: hostile input (millions of statements or calls) stops the analysis with what
  // it has found instead of going quadratic.
  size_t budget_ = 32 * l_.size() + (1u << 20);
  mutable size_t work_ = 0;
};

}  // namespace

ScriptLang GuessScriptLang(std::string_view text, bool jsp, bool dotnet_name) {
  if (jsp) return ScriptLang::kJava;
  std::string head = LowerCopy(text.substr(0, 1u << 16));
  for (std::string_view key : {"language=\"", "language='", "language = \"", "language="}) {
    size_t p = head.find(key);
    if (p == std::string::npos) continue;
    std::string_view v(head.data() + p + key.size(),
                       std::min<size_t>(12, head.size() - p - key.size()));
    if (v.rfind("c#", 0) == 0 || v.rfind("csharp", 0) == 0 || v.rfind("cs\"", 0) == 0)
      return ScriptLang::kCSharp;
    if (v.rfind("jscript", 0) == 0 || v.rfind("javascript", 0) == 0) return ScriptLang::kJScript;
    if (v.rfind("vb", 0) == 0) return ScriptLang::kVb;
  }
  return dotnet_name ? ScriptLang::kCSharp : ScriptLang::kVb;
}

std::vector<ScriptFinding> AnalyseScript(std::string_view text, ScriptLang lang) {
  return ScriptAnalysis(text, lang).Run();
}

std::string DecodeJspSource(std::string_view in, bool xml, std::vector<uint32_t>* offsets) {
  bool has_u = false;
  for (size_t p = in.find("\\u"); p != std::string_view::npos; p = in.find("\\u", p + 2)) {
    size_t q = p + 1;
    while (q < in.size() && in[q] == 'u') ++q;
    if (q + 4 <= in.size() && HexDigit(in[q]) >= 0 && HexDigit(in[q + 1]) >= 0 &&
        HexDigit(in[q + 2]) >= 0 && HexDigit(in[q + 3]) >= 0) {
      has_u = true;
      break;
    }
  }
  if (!has_u && !xml) return "";
  std::string out;
  out.reserve(in.size());
  offsets->clear();
  offsets->reserve(in.size());
  auto emit = [&](const std::string& s, size_t at) {
    for (char c : s) {
      out.push_back(c);
      offsets->push_back(static_cast<uint32_t>(at));
    }
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\\' && i + 1 < in.size() && in[i + 1] == 'u') {
      size_t q = i + 1;
      while (q < in.size() && in[q] == 'u') ++q;
      if (q + 4 <= in.size()) {
        int a = HexDigit(in[q]), b = HexDigit(in[q + 1]), c = HexDigit(in[q + 2]),
            d = HexDigit(in[q + 3]);
        if (a >= 0 && b >= 0 && c >= 0 && d >= 0) {
          std::string s;
          AppendUtf8(static_cast<uint32_t>((a << 12) | (b << 8) | (c << 4) | d), &s);
          emit(s, i);
          i = q + 3;
          continue;
        }
      }
    }
    if (xml && in[i] == '&') {
      size_t semi = in.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 8) {
        long code = EntityValue(in.substr(i + 1, semi - i - 1));
        if (code >= 0) {
          std::string s;
          AppendUtf8(static_cast<uint32_t>(code), &s);
          emit(s, i);
          i = semi;
          continue;
        }
      }
    }
    out.push_back(in[i]);
    offsets->push_back(static_cast<uint32_t>(i));
  }
  return out;
}

}  // namespace gs::webshell::internal
