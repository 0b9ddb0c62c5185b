// libxml2-based page extraction (see html_extract.h).
#include "monitor/checks/content/html_extract.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

namespace gs::monitor {
namespace {

constexpr size_t kMaxInput = 8 << 20;
constexpr size_t kMaxText = 256 << 10;
constexpr int kMaxDepth = 256;
constexpr int kMaxPathDepth = 12;

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

using Decls = std::map<std::string, std::string>;

// "a: b; c: d" → {a: b, c: d}, names and values lower-cased, "!important" dropped.
void ParseDecls(std::string_view s, Decls* out) {
  size_t i = 0;
  while (i < s.size()) {
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) semi = s.size();
    std::string_view d = s.substr(i, semi - i);
    size_t colon = d.find(':');
    if (colon != std::string_view::npos) {
      std::string name = Lower(Trim(d.substr(0, colon)));
      std::string value = Lower(Trim(d.substr(colon + 1)));
      size_t imp = value.find("!important");
      if (imp != std::string::npos) value = Trim(value.substr(0, imp));
      if (!name.empty()) (*out)[name] = value;
    }
    i = semi + 1;
  }
}

// Rules from <style> blocks, only the selector forms spam injectors use: ".c", "#i", "tag",
// "tag.c". Comma lists are split; anything with combinators or pseudo-classes is skipped.
struct StyleSheet {
  std::map<std::string, Decls> by_class, by_id, by_tag;
  void Add(std::string_view css) {
    size_t i = 0;
    while (i < css.size()) {
      size_t open = css.find('{', i);
      if (open == std::string_view::npos) break;
      size_t close = css.find('}', open);
      if (close == std::string_view::npos) close = css.size();
      std::string_view sels = css.substr(i, open - i);
      Decls d;
      ParseDecls(css.substr(open + 1, close - open - 1), &d);
      size_t j = 0;
      while (j <= sels.size()) {
        size_t comma = sels.find(',', j);
        if (comma == std::string_view::npos) comma = sels.size();
        std::string sel = Lower(Trim(sels.substr(j, comma - j)));
        j = comma + 1;
        if (sel.empty() || sel.find_first_of(" >+~:[*") != std::string::npos) continue;
        size_t dot = sel.find('.');
        if (sel[0] == '#') {
          Merge(&by_id[sel.substr(1)], d);
        } else if (dot != std::string::npos) {
          Merge(&by_class[sel.substr(dot + 1)], d);
        } else {
          Merge(&by_tag[sel], d);
        }
      }
      i = close + 1;
    }
  }
  static void Merge(Decls* into, const Decls& d) {
    for (const auto& [k, v] : d) (*into)[k] = v;
  }
};

// Pixel value of a CSS length ("-9999px", "0", "1pt", "-50em"); nullopt-like flag when not one.
bool Length(const std::string& v, double* px) {
  if (v.empty()) return false;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str()) return false;
  std::string unit = Trim(end);
  if (unit.empty() || unit == "px") {
    *px = d;
  } else if (unit == "pt") {
    *px = d * 4 / 3;
  } else if (unit == "em" || unit == "rem") {
    *px = d * 16;
  } else if (unit == "%") {
    *px = d == 0 ? 0 : 100;  // only 0% is certainly zero
  } else {
    return false;
  }
  return true;
}

std::string NormColour(std::string c) {
  c.erase(std::remove(c.begin(), c.end(), ' '), c.end());
  if (c == "white") return "#ffffff";
  if (c == "black") return "#000000";
  if (c.size() == 4 && c[0] == '#') return std::string{'#', c[1], c[1], c[2], c[2], c[3], c[3]};
  if (c == "rgb(255,255,255)") return "#ffffff";
  if (c == "rgb(0,0,0)") return "#000000";
  return c;
}

const char* HiddenReason(const Decls& d, const std::string& background) {
  auto get = [&](const char* k) -> std::string {
    auto it = d.find(k);
    return it == d.end() ? std::string() : it->second;
  };
  double px = 0;
  if (get("display") == "none") return "display:none";
  if (get("visibility") == "hidden" || get("visibility") == "collapse") return "visibility:hidden";
  if (Length(get("opacity"), &px) && px == 0) return "opacity:0";
  for (const char* k : {"left", "top", "right", "margin-left", "margin-top", "text-indent"})
    if (Length(get(k), &px) && px <= -500) return "off-screen";
  if (Length(get("font-size"), &px) && px <= 1) return "tiny font";
  for (const char* k : {"width", "height", "max-height", "max-width"})
    if (Length(get(k), &px) && px <= 1 &&
        (get("overflow") == "hidden" || px == 0 || std::string(k).rfind("max", 0) == 0))
      return "zero size";
  std::string colour = get("color");
  if (!colour.empty() && !background.empty() && NormColour(colour) == NormColour(background))
    return "same colour as background";
  return nullptr;
}

std::string Attr(xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "";
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

bool HasAttr(xmlNode* n, const char* name) {
  return xmlHasProp(n, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

std::string Name(xmlNode* n) {
  return n->name ? Lower(reinterpret_cast<const char*>(n->name)) : "";
}

void AppendText(std::string* out, std::string_view t, size_t cap) {
  for (unsigned char c : t) {
    if (out->size() >= cap) return;
    if (std::isspace(c)) {
      if (!out->empty() && out->back() != ' ') out->push_back(' ');
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

int CountZeroWidth(std::string_view s) {
  // UTF-8 of U+200B..U+200D (E2 80 8B..8D), U+2060 (E2 81 A0), U+FEFF (EF BB BF).
  int n = 0;
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]),
         c = static_cast<unsigned char>(s[i + 2]);
    if ((a == 0xE2 && b == 0x80 && c >= 0x8B && c <= 0x8D) ||
        (a == 0xE2 && b == 0x81 && c == 0xA0) || (a == 0xEF && b == 0xBB && c == 0xBF))
      ++n;
  }
  return n;
}

std::string StripQuery(std::string u) {
  size_t q = u.find_first_of("?#");
  if (q != std::string::npos) u.resize(q);
  return u;
}

class Walker {
 public:
  Walker(std::string base, PageFacts* facts) : base_(std::move(base)), f_(facts) {}

  void CollectStyles(xmlNode* n, int depth) {
    for (; n != nullptr && depth < kMaxDepth; n = n->next) {
      if (n->type == XML_ELEMENT_NODE && Name(n) == "style") {
        xmlChar* c = xmlNodeGetContent(n);
        if (c) sheet_.Add(reinterpret_cast<const char*>(c));
        xmlFree(c);
      }
      if (n->type == XML_ELEMENT_NODE) CollectStyles(n->children, depth + 1);
    }
  }

  void Walk(xmlNode* n, int depth, const std::string& path, const char* hidden,
            const std::string& background, PageLink* link) {
    for (; n != nullptr; n = n->next) {
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        const char* t = reinterpret_cast<const char*>(n->content);
        if (t == nullptr) continue;
        if (link != nullptr) AppendText(&link->text, t, 2048);
        if (hidden == nullptr) {
          AppendText(&f_->text, t, kMaxText);
          f_->zero_width_chars += CountZeroWidth(t);
        }
        continue;
      }
      if (n->type != XML_ELEMENT_NODE || depth >= kMaxDepth) continue;
      const std::string name = Name(n);
      if (name == "script") {
        Script(n);
        continue;
      }
      if (name == "style" || name == "noscript" || name == "template") continue;
      if (name == "title" && f_->title.empty()) {
        xmlChar* c = xmlNodeGetContent(n);
        if (c) AppendText(&f_->title, reinterpret_cast<const char*>(c), 1024);
        xmlFree(c);
        continue;
      }
      std::string child_path = path;
      if (depth < kMaxPathDepth) {
        child_path = path.empty() ? name : path + "/" + name;
        f_->structure.push_back(child_path);
      }
      // Cascade: tag < class < id < inline style.
      Decls d;
      if (auto it = sheet_.by_tag.find(name); it != sheet_.by_tag.end())
        StyleSheet::Merge(&d, it->second);
      std::string cls = Attr(n, "class");
      size_t i = 0;
      while (i < cls.size()) {
        size_t sp = cls.find_first_of(" \t\n", i);
        if (sp == std::string::npos) sp = cls.size();
        if (sp > i)
          if (auto it = sheet_.by_class.find(Lower(cls.substr(i, sp - i)));
              it != sheet_.by_class.end())
            StyleSheet::Merge(&d, it->second);
        i = sp + 1;
      }
      if (std::string id = Lower(Attr(n, "id")); !id.empty())
        if (auto it = sheet_.by_id.find(id); it != sheet_.by_id.end())
          StyleSheet::Merge(&d, it->second);
      ParseDecls(Attr(n, "style"), &d);
      std::string bg = background;
      for (const char* k : {"background-color", "background"})
        if (auto it = d.find(k);
            it != d.end() && !it->second.empty() && it->second.find(' ') == std::string::npos)
          bg = it->second;
      const char* h = hidden;
      if (h == nullptr && HasAttr(n, "hidden")) h = "hidden attribute";
      if (h == nullptr) h = HiddenReason(d, bg);
      if (name == "iframe" || name == "frame") {
        std::string src = Resolve(Attr(n, "src"));
        if (!src.empty()) f_->iframes.push_back(StripQuery(src));
      }
      if (name == "a" && HasAttr(n, "href")) {
        PageLink l;
        l.href = Resolve(Attr(n, "href"));
        l.host = UrlHost(l.href);
        if (h) l.hidden_reason = h;
        Walk(n->children, depth + 1, child_path, h, bg, &l);
        l.text = Trim(l.text);
        if (l.hidden_reason.empty() && CountZeroWidth(l.text) > 0 &&
            Trim(StripZeroWidth(l.text)).empty())
          l.hidden_reason = "zero-width text";
        f_->links.push_back(std::move(l));
        if (link) AppendText(&link->text, f_->links.back().text, 2048);
        continue;
      }
      Walk(n->children, depth + 1, child_path, h, bg, link);
    }
  }

 private:
  static std::string StripZeroWidth(const std::string& s) {
    std::string o;
    for (size_t i = 0; i < s.size(); ++i) {
      if (i + 2 < s.size() + 0 && CountZeroWidth(std::string_view(s).substr(i, 3)) == 1) {
        i += 2;
        continue;
      }
      o.push_back(s[i]);
    }
    return o;
  }

  std::string Resolve(const std::string& href) {
    std::string h = Trim(href);
    if (h.empty()) return "";
    xmlChar* abs = xmlBuildURI(reinterpret_cast<const xmlChar*>(h.c_str()),
                               reinterpret_cast<const xmlChar*>(base_.c_str()));
    if (abs == nullptr) return h;
    std::string s(reinterpret_cast<const char*>(abs));
    xmlFree(abs);
    return s;
  }

  void Script(xmlNode* n) {
    std::string src = Attr(n, "src");
    if (!src.empty()) {
      f_->scripts.push_back(StripQuery(Resolve(src)));
      return;
    }
    xmlChar* c = xmlNodeGetContent(n);
    if (c == nullptr) return;
    std::string code(reinterpret_cast<const char*>(c));
    xmlFree(c);
    // Links assembled by script (document.write / innerHTML): find <a ... href=URL in literals.
    std::string low = Lower(code);
    if (low.find("document.write") == std::string::npos &&
        low.find("innerhtml") == std::string::npos &&
        low.find("insertadjacenthtml") == std::string::npos)
      return;
    size_t i = 0;
    while ((i = low.find("<a", i)) != std::string::npos && f_->js_links.size() < 1000) {
      size_t href = low.find("href", i);
      size_t close = low.find('>', i);
      if (href == std::string::npos || (close != std::string::npos && href > close)) {
        i += 2;
        continue;
      }
      size_t start = code.find_first_not_of(" =\\'\"", href + 4);
      if (start == std::string::npos) break;
      size_t end = code.find_first_of(" \\'\">", start);
      if (end == std::string::npos) end = code.size();
      std::string url = code.substr(start, end - start);
      if (!url.empty()) f_->js_links.push_back(Resolve(url));
      i = end;
    }
  }

  std::string base_;
  PageFacts* f_;
  StyleSheet sheet_;
};

int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1-2 digits at i; advances.
bool SmallNum(std::string_view t, size_t* i, unsigned* v) {
  size_t s = *i;
  unsigned n = 0;
  while (*i < t.size() && *i - s < 2 && IsDigit(t[*i])) n = n * 10 + (t[(*i)++] - '0');
  *v = n;
  return *i > s;
}

bool Sep(std::string_view t, size_t* i, std::string_view cjk) {
  if (*i < t.size() && (t[*i] == '-' || t[*i] == '/' || t[*i] == '.')) {
    ++*i;
    return true;
  }
  if (t.substr(*i, cjk.size()) == cjk) {
    *i += cjk.size();
    return true;
  }
  return false;
}

}  // namespace

void InitHtmlParser() { xmlInitParser(); }

std::string UrlHost(std::string_view url) {
  std::string u = Lower(url);
  size_t p;
  if (u.rfind("http://", 0) == 0) {
    p = 7;
  } else if (u.rfind("https://", 0) == 0) {
    p = 8;
  } else if (u.rfind("//", 0) == 0) {
    p = 2;
  } else {
    return "";
  }
  size_t end = u.find_first_of("/?#", p);
  std::string host = u.substr(p, end == std::string::npos ? std::string::npos : end - p);
  size_t at = host.rfind('@');
  if (at != std::string::npos) host = host.substr(at + 1);
  if (!host.empty() && host[0] == '[') return host.substr(0, host.find(']') + 1);
  size_t colon = host.find(':');
  if (colon != std::string::npos) host.resize(colon);
  return host;
}

std::vector<int64_t> FindDates(std::string_view t) {
  std::vector<int64_t> out;
  for (size_t i = 0; i + 8 <= t.size(); ++i) {
    if (!IsDigit(t[i]) || (i > 0 && IsDigit(t[i - 1]))) continue;
    if (!(t.substr(i, 2) == "19" || t.substr(i, 2) == "20")) continue;
    if (!IsDigit(t[i + 2]) || !IsDigit(t[i + 3])) continue;
    int y = (t[i] - '0') * 1000 + (t[i + 1] - '0') * 100 + (t[i + 2] - '0') * 10 + (t[i + 3] - '0');
    size_t j = i + 4;
    unsigned m = 0, d = 0;
    if (!Sep(t, &j, "年") || !SmallNum(t, &j, &m) || !Sep(t, &j, "月") || !SmallNum(t, &j, &d))
      continue;
    if (j < t.size() && IsDigit(t[j])) continue;
    static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) continue;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) continue;
    out.push_back(DaysFromCivil(y, m, d));
    i = j - 1;
  }
  return out;
}

Result<PageFacts> ExtractPage(std::string_view html, std::string_view page_url,
                              std::string_view charset) {
  if (html.empty()) return InvalidArgumentError("empty page");
  if (html.size() > kMaxInput) return InvalidArgumentError("page larger than 8 MiB");
  std::string enc(charset);
  const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                   HTML_PARSE_NONET | HTML_PARSE_COMPACT;
  std::string url(page_url);
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), url.c_str(),
                                  enc.empty() ? nullptr : enc.c_str(), opts);
  if (doc == nullptr && !enc.empty())  // an unknown header charset: let the document decide
    doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), url.c_str(), nullptr, opts);
  if (doc == nullptr) return InvalidArgumentError("not parseable as HTML");
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> guard(doc, xmlFreeDoc);
  PageFacts facts;
  Walker w(url, &facts);
  xmlNode* root = xmlDocGetRootElement(doc);
  w.CollectStyles(root, 0);
  w.Walk(root, 0, "", nullptr, "", nullptr);
  facts.text = Trim(facts.text);
  facts.title = Trim(facts.title);
  facts.dates = FindDates(facts.text);
  return facts;
}

}  // namespace gs::monitor
