// Differential traffic generator: CRS test corpus loading, benign traffic, payload mutation and
// placement. See generator.h for the contract.
#include "tests/differential/generator.h"

#include <iconv.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <type_traits>

namespace gs::differential {

// ---------------------------------------------------------------------------------------------
// Rng and small string helpers

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

size_t Rng::Below(size_t n) { return static_cast<size_t>(Next() % n); }

namespace {

using gs::waf::Exchange;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kHexLower[] = "0123456789abcdef";

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

void AppendPct(std::string& out, unsigned char c, bool lower = false) {
  const char* hex = lower ? kHexLower : kHex;
  out += '%';
  out += hex[c >> 4];
  out += hex[c & 15];
}

// Encodes what would break the request line or the form syntax; the rest (quotes, <, >,
// parentheses ...) goes raw, as attack tools send it.
std::string EncodeMinimal(std::string_view s, bool keep_slash = true) {
  std::string out;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f || c == '%' || c == '&' || c == '=' || c == '+' || c == '#' ||
        c == '?' || (!keep_slash && c == '/')) {
      AppendPct(out, c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Standard form encoding (what browsers send): unreserved raw, space as '+', rest %XX.
std::string EncodeForm(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      AppendPct(out, c);
    }
  }
  return out;
}

std::string EncodeAll(std::string_view s, bool lower) {
  std::string out;
  for (unsigned char c : s) AppendPct(out, c, lower);
  return out;
}

std::string EncodeDouble(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += "%25";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// IIS-style %uXXXX for ASCII punctuation (t:urlDecodeUni decodes it).
std::string EncodeUnicode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else if (c < 0x80) {
      out += "%u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      AppendPct(out, c);
    }
  }
  return out;
}

std::string JsonEscape(std::string_view s, bool escape_all_punct) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || (escape_all_punct && c < 0x80 && !IsUnreserved(c) && c != ' ')) {
      out += "\\u00";
      out += kHexLower[c >> 4];
      out += kHexLower[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HeaderSafe(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return out;
}

std::string RandomToken(Rng& rng, size_t n) {
  static constexpr char kAlnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out;
  for (size_t i = 0; i < n; ++i) out += kAlnum[rng.Below(sizeof(kAlnum) - 1)];
  return out;
}

std::string RandomHex(Rng& rng, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += kHexLower[rng.Below(16)];
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (Lower(k) == Lower(name)) return &v;
  }
  return nullptr;
}

void SetHeader(Headers& headers, const std::string& name, const std::string& value) {
  for (auto& [k, v] : headers) {
    if (Lower(k) == Lower(name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary for benign traffic

const std::vector<std::string>& ZhPhrases() {
  static const auto* v = new std::vector<std::string>{"政务公开",
                                                      "通知公告",
                                                      "办事指南",
                                                      "人民政府",
                                                      "北京市",
                                                      "上海市",
                                                      "社会保障",
                                                      "医疗保险",
                                                      "住房公积金",
                                                      "身份证办理",
                                                      "户口迁移",
                                                      "营业执照",
                                                      "不动产登记",
                                                      "教育局",
                                                      "招生考试",
                                                      "新闻发布会",
                                                      "政策解读",
                                                      "留言板",
                                                      "投诉建议",
                                                      "您好，我想咨询一下相关手续。",
                                                      "谢谢！",
                                                      "关于进一步优化营商环境的若干措施",
                                                      "第一季度统计数据",
                                                      "城乡居民养老保险",
                                                      "请问办理时间是几点到几点？",
                                                      "《中华人民共和国政府信息公开条例》",
                                                      "市场监督管理局",
                                                      "行政许可",
                                                      "公示期为五个工作日",
                                                      "联系电话：010-12345678"};
  return *v;
}

const std::vector<std::string>& EnWords() {
  static const auto* v = new std::vector<std::string>{
      "hello",   "world",    "news",      "policy", "report",  "2024",         "annual",
      "search",  "download", "contact",   "about",  "service", "guide",        "index",
      "budget",  "notice",   "open data", "public", "tender",  "water supply", "it's ok",
      "O'Brien", "a+b",      "50%",       "Q&A"};
  return *v;
}

const std::vector<std::string>& Names() {
  static const auto* v =
      new std::vector<std::string>{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"};
  return *v;
}

const std::vector<std::string>& Paths() {
  static const auto* v = new std::vector<std::string>{"/",
                                                      "/index.html",
                                                      "/zwgk/tzgg/index.html",
                                                      "/news/2024/11/t20241125_123456.html",
                                                      "/bsfw/zn/",
                                                      "/static/js/jquery.min.js",
                                                      "/static/css/main.css",
                                                      "/images/logo.png",
                                                      "/api/v1/notices",
                                                      "/search",
                                                      "/gjj/query.do",
                                                      "/hudong/liuyan/list.jsp",
                                                      "/favicon.ico",
                                                      "/xxgk/2024/fdzdgknr/index.shtml",
                                                      "/download/report-2023.pdf"};
  return *v;
}

const std::vector<std::string>& UserAgents() {
  static const auto* v = new std::vector<std::string>{
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/119.0.0.0 Safari/537.36",
      "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
      "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/107.0.5304.141 Mobile Safari/537.36 MicroMessenger/8.0.43.2480",
      "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko 360SE",
      "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
      "okhttp/4.9.3"};
  return *v;
}

Headers BrowserHeaders(Rng& rng) {
  Headers h;
  h.emplace_back("Host", rng.Chance(90) ? "localhost" : "www.example.gov.cn");
  h.emplace_back("User-Agent", rng.Pick(UserAgents()));
  h.emplace_back("Accept", rng.Chance(70)
                               ? "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
                               : "*/*");
  if (rng.Chance(80)) h.emplace_back("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8");
  if (rng.Chance(70)) h.emplace_back("Accept-Encoding", "gzip, deflate, br");
  if (rng.Chance(40)) h.emplace_back("Referer", "http://localhost/index.html");
  if (rng.Chance(50)) {
    std::string cookie = "JSESSIONID=" + RandomHex(rng, 32);
    if (rng.Chance(50)) cookie += "; _ga=GA1.2." + std::to_string(rng.Below(1000000000));
    if (rng.Chance(30)) cookie += "; lang=zh-CN";
    h.emplace_back("Cookie", cookie);
  }
  if (rng.Chance(20)) h.emplace_back("Cache-Control", "max-age=0");
  if (rng.Chance(15)) h.emplace_back("If-None-Match", "\"" + RandomHex(rng, 16) + "\"");
  if (rng.Chance(15)) h.emplace_back("X-Forwarded-For", "10.1.2." + std::to_string(rng.Below(250)));
  if (rng.Chance(10)) h.emplace_back("DNT", "1");
  if (rng.Chance(10)) h.emplace_back("Upgrade-Insecure-Requests", "1");
  h.emplace_back("Connection", rng.Chance(80) ? "keep-alive" : "close");
  return h;
}

std::string BenignText(Rng& rng) {
  switch (rng.Below(4)) {
    case 0:
      return rng.Pick(ZhPhrases());
    case 1:
      return rng.Pick(EnWords());
    case 2:
      return rng.Pick(ZhPhrases()) + rng.Pick(ZhPhrases());
    default:
      return std::to_string(rng.Below(100000));
  }
}

void SetBody(Exchange& ex, std::string content_type, std::string body) {
  ex.request_body = std::move(body);
  if (!content_type.empty()) SetHeader(ex.request_headers, "Content-Type", content_type);
  SetHeader(ex.request_headers, "Content-Length", std::to_string(ex.request_body.size()));
}

std::string MultipartBoundary(Rng& rng) { return "----WebKitFormBoundary" + RandomToken(rng, 16); }

struct Part {
  std::string name;
  std::string filename;  // empty: a plain field
  std::string content_type;
  std::string value;
};

std::string MultipartBody(const std::string& boundary, const std::vector<Part>& parts) {
  std::string body;
  for (const Part& p : parts) {
    body += "--" + boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"";
    body += "\r\n";
    if (!p.content_type.empty()) body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n" + p.value + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return body;
}

std::string RandomBinary(Rng& rng, size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t r = rng.Next();
    for (size_t j = 0; j < 8 && i + j < n; ++j) out[i + j] = static_cast<char>(r >> (8 * j));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Benign generators

Generated BenignGet(Rng& rng) {
  Generated g{"benign/get", "", {}};
  Exchange& ex = g.exchange;
  ex.request_headers = BrowserHeaders(rng);
  std::string uri = rng.Pick(Paths());
  if (rng.Chance(60)) {
    size_t n = 1 + rng.Below(4);
    for (size_t i = 0; i < n; ++i) {
      uri += i == 0 ? '?' : '&';
      static const std::vector<std::string> keys = {"id",        "q", "page", "type", "keyword",
                                                    "channelid", "t", "lang", "sort"};
      uri += rng.Pick(keys) + "=";
      std::string v = BenignText(rng);
      if (rng.Chance(10)) {
        uri += EncodeMinimal(v);  // raw UTF-8 bytes are encoded; a few clients send %XX only
      } else if (rng.Chance(15)) {
        uri += EncodeForm(Utf8ToGbk(v));  // legacy GBK pages
      } else {
        uri += EncodeForm(v);
      }
    }
  }
  ex.uri = uri;
  if (rng.Chance(5)) ex.method = "HEAD";
  return g;
}

Generated BenignForm(Rng& rng, bool gbk) {
  Generated g{gbk ? "benign/form-gbk" : "benign/form", "", {}};
  Exchange& ex = g.exchange;
  ex.method = "POST";
  ex.uri = rng.Chance(50) ? "/hudong/liuyan/submit.do" : "/bsfw/apply";
  ex.request_headers = BrowserHeaders(rng);
  auto enc = [&](const std::string& v) { return EncodeForm(gbk ? Utf8ToGbk(v) : v); };
  std::string body = "name=" + enc(rng.Pick(Names()));
  body += "&phone=1" + std::to_string(3000000000ull + rng.Below(999999999));
  body += "&email=user" + std::to_string(rng.Below(1000)) + "%40example.com";
  body += "&title=" + enc(rng.Pick(ZhPhrases()));
  std::string content;
  size_t sentences = 1 + rng.Below(8);
  for (size_t i = 0; i < sentences; ++i) content += rng.Pick(ZhPhrases());
  body += "&content=" + enc(content);
  if (rng.Chance(50)) body += "&captcha=" + RandomToken(rng, 4);
  if (rng.Chance(30)) body += "&agree=on";
  std::string ct = "application/x-www-form-urlencoded";
  if (gbk && rng.Chance(30)) {
    ct += "; charset=GBK";  // most GBK pages post without a charset
  } else if (rng.Chance(30)) {
    ct += "; charset=UTF-8";
  }
  SetBody(ex, ct, body);
  return g;
}

std::string JsonValue(Rng& rng, int depth);

std::string JsonObject(Rng& rng, int depth) {
  static const std::vector<std::string> keys = {"id",   "name", "title", "content", "tags", "page",
                                                "size", "dept", "items", "meta",    "ok"};
  std::string out = "{";
  size_t n = 1 + rng.Below(5);
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ",";
    out += "\"" + rng.Pick(keys) + std::to_string(i) + "\":" + JsonValue(rng, depth + 1);
  }
  return out + "}";
}

std::string JsonValue(Rng& rng, int depth) {
  size_t kind = rng.Below(depth > 2 ? 4 : 6);
  switch (kind) {
    case 0:
      return "\"" + JsonEscape(BenignText(rng), false) + "\"";
    case 1:
      return std::to_string(rng.Below(100000));
    case 2:
      return rng.Chance(50) ? "true" : "null";
    case 3:
      return "\"" + JsonEscape(rng.Pick(Names()), false) + "\"";
    case 4: {
      std::string out = "[";
      size_t n = rng.Below(4);
      for (size_t i = 0; i < n; ++i) out += (i ? "," : "") + JsonValue(rng, depth + 1);
      return out + "]";
    }
    default:
      return JsonObject(rng, depth);
  }
}

Headers ApiHeaders(Rng& rng) {
  Headers h;
  h.emplace_back("Host", "localhost");
  h.emplace_back("User-Agent", rng.Chance(50) ? rng.Pick(UserAgents()) : "okhttp/4.9.3");
  h.emplace_back("Accept", "application/json");
  if (rng.Chance(50)) h.emplace_back("Authorization", "Bearer " + RandomToken(rng, 40));
  if (rng.Chance(30)) h.emplace_back("X-Requested-With", "XMLHttpRequest");
  return h;
}

Generated BenignJson(Rng& rng) {
  Generated g{"benign/json", "", {}};
  Exchange& ex = g.exchange;
  ex.method = rng.Chance(80) ? "POST" : "PUT";
  ex.uri = "/api/v1/" + std::string(rng.Chance(50) ? "notices" : "apply/") +
           (rng.Chance(30) ? std::to_string(rng.Below(9999)) : "");
  ex.request_headers = ApiHeaders(rng);
  SetBody(ex, rng.Chance(80) ? "application/json" : "application/json; charset=utf-8",
          JsonObject(rng, 0));
  return g;
}

Generated BenignXml(Rng& rng) {
  Generated g{"benign/xml", "", {}};
  Exchange& ex = g.exchange;
  ex.method = "POST";
  ex.uri = "/ws/ApplyService";
  ex.request_headers = ApiHeaders(rng);
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (rng.Chance(50)) {
    body += "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>";
  }
  body += "<apply id=\"" + std::to_string(rng.Below(100000)) + "\"><name>" +
          XmlEscape(rng.Pick(Names())) + "</name><title>" + XmlEscape(rng.Pick(ZhPhrases())) +
          "</title><items>";
  size_t n = rng.Below(4);
  for (size_t i = 0; i < n; ++i) body += "<item>" + XmlEscape(BenignText(rng)) + "</item>";
  body += "</items></apply>";
  if (body.find("soap:Envelope") != std::string::npos) body += "</soap:Body></soap:Envelope>";
  SetBody(ex, rng.Chance(50) ? "text/xml; charset=utf-8" : "application/xml", body);
  return g;
}

Generated BenignMultipart(Rng& rng) {
  Generated g{"benign/multipart", "", {}};
  Exchange& ex = g.exchange;
  ex.method = "POST";
  ex.uri = "/bsfw/upload";
  ex.request_headers = BrowserHeaders(rng);
  std::string boundary = MultipartBoundary(rng);
  std::vector<Part> parts;
  parts.push_back({"name", "", "", rng.Pick(Names())});
  parts.push_back({"desc", "", "", rng.Pick(ZhPhrases())});
  static const std::vector<std::pair<std::string, std::string>> files = {
      {"scan.pdf", "application/pdf"},
      {"photo.jpg", "image/jpeg"},
      {"申请表.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"data.xlsx", "application/vnd.ms-excel"},
      {"readme.txt", "text/plain"}};
  size_t nfiles = 1 + rng.Below(2);
  for (size_t i = 0; i < nfiles; ++i) {
    const auto& [fname, ftype] = rng.Pick(files);
    std::string content = ftype == "text/plain" ? rng.Pick(ZhPhrases()) + "\n" + BenignText(rng)
                                                : RandomBinary(rng, 64 + rng.Below(3000));
    parts.push_back({"file" + std::to_string(i), fname, ftype, content});
  }
  SetBody(ex, "multipart/form-data; boundary=" + boundary, MultipartBody(boundary, parts));
  return g;
}

Generated WithResponse(Generated g, Rng& rng, const CrsCorpus& corpus, bool leak) {
  Exchange& ex = g.exchange;
  ex.response_status = 200;
  ex.response_headers = {{"Content-Type", "text/html; charset=utf-8"},
                         {"Server", "nginx"},
                         {"Cache-Control", "no-cache"}};
  std::string body = "<!DOCTYPE html><html><head><title>" + rng.Pick(ZhPhrases()) +
                     "</title></head><body><h1>" + rng.Pick(ZhPhrases()) + "</h1><p>" +
                     rng.Pick(ZhPhrases()) + "</p>";
  if (leak && !corpus.leak_lines.empty()) {
    body += "<pre>" + rng.Pick(corpus.leak_lines) + "</pre>";
    if (rng.Chance(30)) ex.response_status = 500;
    g.kind = "response/leak";
  } else {
    g.kind += "+response";
  }
  body += "</body></html>";
  if (rng.Chance(10)) {
    ex.response_headers[0].second = "application/json";
    body = "{\"code\":0,\"msg\":\"ok\"}";
  }
  ex.response_body = body;
  ex.response_headers.emplace_back("Content-Length", std::to_string(body.size()));
  return g;
}

// ---------------------------------------------------------------------------------------------
// Attack mutation and placement

std::string RandomCase(Rng& rng, std::string s) {
  for (char& c : s) {
    if (std::isalpha(static_cast<unsigned char>(c)) && rng.Chance(50)) {
      c = static_cast<char>(std::isupper(static_cast<unsigned char>(c))
                                ? std::tolower(static_cast<unsigned char>(c))
                                : std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return s;
}

std::string ReplaceSpaces(std::string_view s, std::string_view with) {
  std::string out;
  for (char c : s) {
    if (c == ' ') {
      out += with;
    } else {
      out += c;
    }
  }
  return out;
}

// Changes the value the application sees (evasions CRS transformations are meant to undo,
// and some they are not).
std::string MutateLogical(Rng& rng, const std::string& p, std::string* how) {
  switch (rng.Below(10)) {
    case 0:
      *how = "case";
      return RandomCase(rng, p);
    case 1:
      *how = "comment-spaces";
      return ReplaceSpaces(p, "/**/");
    case 2:
      *how = "tab-newline-spaces";
      return ReplaceSpaces(p, rng.Chance(50) ? "\t" : "\n");
    case 3:
      *how = "prefix";
      return rng.Pick(EnWords()) + " " + p;
    case 4:
      *how = "suffix";
      return p + (rng.Chance(50) ? " -- " : " ") + rng.Pick(ZhPhrases());
    case 5: {
      *how = "html-entities";
      std::string out;
      for (unsigned char c : p) {
        if (c == '<' || c == '>' || c == '\'' || c == '"' || c == '(' || c == ')') {
          out += "&#x" + std::string(1, kHexLower[c >> 4]) + kHexLower[c & 15] + ";";
        } else {
          out += static_cast<char>(c);
        }
      }
      return out;
    }
    case 6: {
      *how = "null-byte";
      std::string out = p;
      out.insert(rng.Below(out.size() + 1), 1, '\0');
      return out;
    }
    case 7:
      *how = "repeat";
      return p + " " + p;
    default:
      *how = "none";
      return p;
  }
}

// Encodes a value for a URL context (query or form), the evasion chosen at random.
std::string EncodeUrlContext(Rng& rng, const std::string& v, std::string* how) {
  switch (rng.Below(8)) {
    case 0:
      *how += "+all-pct";
      return EncodeAll(v, rng.Chance(50));
    case 1:
      *how += "+double-pct";
      return EncodeDouble(v);
    case 2:
      *how += "+pct-u";
      return EncodeUnicode(v);
    case 3:
    case 4:
      *how += "+form";
      return EncodeForm(v);
    default:
      *how += "+raw";
      return EncodeMinimal(v);
  }
}

const std::vector<std::string>& Placements() {
  static const auto* v = new std::vector<std::string>{
      "query",    "query-name", "path",     "form",          "form-name",
      "cookie",   "user-agent", "referer",  "custom-header", "json",
      "json-key", "xml",        "xml-attr", "multipart",     "multipart-filename"};
  return *v;
}

Generated PlaceAttack(Rng& rng, const Payload& payload) {
  std::string how;
  std::string value = MutateLogical(rng, payload.text, &how);
  const std::string& place = rng.Pick(Placements());
  Generated g{"attack/" + payload.family + "/" + place, payload.source + " " + how, {}};
  Exchange& ex = g.exchange;
  ex.request_headers = BrowserHeaders(rng);
  ex.uri = rng.Pick(Paths());
  if (place == "query") {
    ex.uri += "?id=" + std::to_string(rng.Below(999)) + "&q=" + EncodeUrlContext(rng, value, &how);
  } else if (place == "query-name") {
    ex.uri += "?" + EncodeUrlContext(rng, value, &how) + "=1";
  } else if (place == "path") {
    ex.uri = "/news/" + EncodeMinimal(value, rng.Chance(50)) + "/index.html";
  } else if (place == "form" || place == "form-name") {
    ex.method = "POST";
    std::string enc = EncodeUrlContext(rng, value, &how);
    std::string body = "name=" + EncodeForm(rng.Pick(Names())) + "&";
    body += place == "form" ? "content=" + enc : enc + "=1";
    SetBody(ex, "application/x-www-form-urlencoded", body);
  } else if (place == "cookie") {
    std::string v = EncodeMinimal(value);
    SetHeader(ex.request_headers, "Cookie", "JSESSIONID=" + RandomHex(rng, 32) + "; pref=" + v);
  } else if (place == "user-agent") {
    SetHeader(ex.request_headers, "User-Agent", HeaderSafe(value));
  } else if (place == "referer") {
    SetHeader(ex.request_headers, "Referer", "http://localhost/?q=" + HeaderSafe(value));
  } else if (place == "custom-header") {
    ex.request_headers.emplace_back(rng.Chance(50) ? "X-Forwarded-For" : "X-Api-Filter",
                                    HeaderSafe(value));
  } else if (place == "json" || place == "json-key") {
    ex.method = "POST";
    ex.request_headers = ApiHeaders(rng);
    bool esc = rng.Chance(30);
    if (esc) how += "+json-u-escapes";
    std::string s = "\"" + JsonEscape(value, esc) + "\"";
    std::string body = place == "json"
                           ? "{\"page\":1,\"filter\":{\"dept\":\"" + rng.Pick(ZhPhrases()) +
                                 "\",\"keyword\":" + s + "},\"tags\":[\"a\"," + s + "]}"
                           : "{" + s + ":1,\"ok\":true}";
    SetBody(ex, "application/json", body);
  } else if (place == "xml" || place == "xml-attr") {
    ex.method = "POST";
    ex.request_headers = ApiHeaders(rng);
    std::string body =
        "<?xml version=\"1.0\"?>\n<apply><name>" + XmlEscape(rng.Pick(Names())) + "</name>";
    if (place == "xml") {
      if (rng.Chance(30) && value.find("]]>") == std::string::npos) {
        how += "+cdata";
        body += "<q><![CDATA[" + value + "]]></q>";
      } else {
        body += "<q>" + XmlEscape(value) + "</q>";
      }
    } else {
      body += "<q v=\"" + XmlEscape(value) + "\">x</q>";
    }
    body += "</apply>";
    SetBody(ex, rng.Chance(50) ? "text/xml" : "application/xml", body);
  } else {  // multipart, multipart-filename
    ex.method = "POST";
    std::string boundary = MultipartBoundary(rng);
    std::vector<Part> parts;
    parts.push_back({"name", "", "", rng.Pick(Names())});
    if (place == "multipart") {
      parts.push_back({"content", "", "", value});
      parts.push_back({"file", "scan.pdf", "application/pdf", RandomBinary(rng, 200)});
    } else {
      std::string fname = HeaderSafe(value);
      std::erase(fname, '"');
      parts.push_back({"file", fname, "application/octet-stream", RandomBinary(rng, 200)});
    }
    SetBody(ex, "multipart/form-data; boundary=" + boundary, MultipartBody(boundary, parts));
  }
  g.source = payload.source + " " + how;
  return g;
}

// A CRS test replayed, sometimes with a browser-like header set merged in.
Generated ReplaySeed(Rng& rng, const SeedExchange& seed) {
  Generated g{"crs/" + seed.family, seed.source, seed.exchange};
  if (rng.Chance(30)) {
    g.kind += "+browser-headers";
    for (const auto& [k, v] : BrowserHeaders(rng)) {
      if (FindHeader(g.exchange.request_headers, k) == nullptr) {
        g.exchange.request_headers.emplace_back(k, v);
      }
    }
  }
  return g;
}

// Protocol anomalies CRS 920/921/911 and the body processors judge.
Generated ProtocolViolation(Rng& rng) {
  Generated g{"protocol/", "", {}};
  Exchange& ex = g.exchange;
  ex.request_headers = BrowserHeaders(rng);
  ex.uri = rng.Pick(Paths());
  switch (rng.Below(22)) {
    case 0:
      g.kind += "numeric-host";
      SetHeader(ex.request_headers, "Host", "127.0.0.1");
      break;
    case 1:
      g.kind += "no-host";
      std::erase_if(ex.request_headers, [](const auto& h) { return h.first == "Host"; });
      break;
    case 2:
      g.kind += "no-user-agent-no-accept";
      std::erase_if(ex.request_headers,
                    [](const auto& h) { return h.first == "User-Agent" || h.first == "Accept"; });
      break;
    case 3:
      g.kind += "bad-content-length";
      ex.method = "POST";
      SetBody(ex, "application/x-www-form-urlencoded", "a=1");
      SetHeader(ex.request_headers, "Content-Length", "3x");
      break;
    case 4:
      g.kind += "get-with-body";
      SetBody(ex, "application/x-www-form-urlencoded", "a=1&b=2");
      break;
    case 5:
      g.kind += "range";
      ex.request_headers.emplace_back("Range", "bytes=0-1,2-3,4-5,6-7,8-9,10-11,12-13");
      break;
    case 6:
      g.kind += "bad-url-encoding";
      ex.uri += "?q=%zz%4&x=%u12";
      break;
    case 7:
      g.kind += "control-chars";
      ex.uri += "?q=a%01b%1fc%7f&r=%00";
      break;
    case 8:
      g.kind += "restricted-extension";
      ex.uri = rng.Chance(50) ? "/backup/db.sql" : "/config/app.ini.bak";
      break;
    case 9:
      g.kind += "restricted-header";
      ex.request_headers.emplace_back(rng.Chance(50) ? "Proxy" : "Content-Encoding",
                                      "http://evil.example/");
      break;
    case 10:
      g.kind += "content-type-not-allowed";
      ex.method = "POST";
      SetBody(ex,
              rng.Chance(50) ? "text/x-foo" : "application/x-www-form-urlencoded; charset=utf-7",
              "a=1");
      break;
    case 11:
      g.kind += "http-version";
      ex.http_version = rng.Chance(50) ? "0.9" : "3.0";
      break;
    case 12: {
      g.kind += "method";
      static const std::vector<std::string> methods = {"PROPFIND", "TRACE", "DEBUG",   "FOO",
                                                       "DELETE",   "PATCH", "OPTIONS", "CONNECT"};
      ex.method = rng.Pick(methods);
      break;
    }
    case 13:
      g.kind += "smuggling";
      ex.method = "POST";
      SetBody(ex, "application/x-www-form-urlencoded",
              "a=1\r\n\r\nGET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n");
      ex.request_headers.emplace_back("Transfer-Encoding", "chunked");
      break;
    case 14:
      g.kind += "header-injection-arg";
      ex.uri += "?lang=en%0d%0aSet-Cookie:%20sid=evil";
      break;
    case 15:
      g.kind += "multipart-bad-boundary";
      ex.method = "POST";
      SetBody(
          ex, "multipart/form-data; boundary=\"abc def\"",
          "--abc def\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--abc def--\r\n");
      break;
    case 16:
      g.kind += "multipart-unmatched";
      ex.method = "POST";
      SetBody(ex, "multipart/form-data; boundary=XyZ",
              "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZx\r\n"
              "Content-Disposition: form-data; name=b\r\n\r\n2\r\n");
      break;
    case 17:
      g.kind += "malformed-json";
      ex.method = "POST";
      SetBody(ex, "application/json", rng.Chance(50) ? "{\"a\": [1, 2" : "{'a':1}");
      break;
    case 18:
      g.kind += "malformed-xml";
      ex.method = "POST";
      SetBody(ex, "text/xml", "<a><b>1</a>");
      break;
    case 19:
      g.kind += "invalid-utf8";
      ex.uri += "?q=%c0%af%e4%b8&r=%ff%fe";
      break;
    case 20:
      g.kind += "many-args";
      ex.uri += "?";
      for (int i = 0; i < 300; ++i) ex.uri += (i ? "&a" : "a") + std::to_string(i) + "=1";
      break;
    default:
      g.kind += "long-arg";
      ex.uri += "?q=" + std::string(5000 + rng.Below(5000), 'A');
      break;
  }
  return g;
}

// ---------------------------------------------------------------------------------------------
// CRS corpus loading

std::string FamilyOf(const std::string& dir_name) {
  static const std::vector<std::pair<std::string, std::string>> map = {
      {"-911-", "method"},    {"-913-", "scanner"},
      {"-920-", "protocol"},  {"-921-", "protocol-attack"},
      {"-922-", "multipart"}, {"-930-", "lfi"},
      {"-931-", "rfi"},       {"-932-", "rce"},
      {"-933-", "php"},       {"-934-", "nodejs"},
      {"-941-", "xss"},       {"-942-", "sqli"},
      {"-943-", "session"},   {"-944-", "java"}};
  for (const auto& [k, v] : map) {
    if (dir_name.find(k) != std::string::npos) return v;
  }
  return "other";
}

std::string ScalarOrJoined(const YAML::Node& node) {
  if (!node) return "";
  if (node.IsSequence()) {
    std::string out;
    for (size_t i = 0; i < node.size(); ++i) {
      if (i) out += "\r\n";
      out += node[i].as<std::string>();
    }
    return out;
  }
  return node.as<std::string>();
}

void AddPairsAsPayloads(std::string_view query, const std::string& family,
                        const std::string& source, std::vector<Payload>& out) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    size_t eq = pair.find('=');
    std::string value = UrlDecode(eq == std::string_view::npos ? pair : pair.substr(eq + 1));
    if (value.size() >= 3) out.push_back({family, source, value});
    pos = amp + 1;
  }
}

bool IsDefaultHeader(const std::string& name, const std::string& value) {
  static const std::set<std::string> skip = {
      "host",          "accept",           "accept-encoding", "accept-language",  "accept-charset",
      "connection",    "content-type",     "content-length",  "proxy-connection", "keep-alive",
      "cache-control", "transfer-encoding"};
  const std::string lower = Lower(name);
  if (skip.count(lower)) return true;
  return lower == "user-agent" && (value.find("CRS") != std::string::npos ||
                                   value.find("Core Rule Set") != std::string::npos);
}

void LoadTestFile(const std::filesystem::path& path, const std::string& family, CrsCorpus& corpus) {
  YAML::Node root = YAML::LoadFile(path.string());
  for (const YAML::Node& test : root["tests"]) {
    const std::string title = test["test_title"] ? test["test_title"].as<std::string>() : "";
    for (const YAML::Node& stage_wrap : test["stages"]) {
      const YAML::Node stage = stage_wrap["stage"];
      if (!stage) continue;
      const YAML::Node input = stage["input"];
      const YAML::Node output = stage["output"];
      if (!input || input["raw_request"] || input["encoded_request"]) continue;
      SeedExchange seed;
      seed.family = family;
      seed.source = title;
      Exchange& ex = seed.exchange;
      if (input["method"]) ex.method = input["method"].as<std::string>();
      if (input["uri"]) ex.uri = input["uri"].as<std::string>();
      if (input["version"]) {
        std::string v = input["version"].as<std::string>();
        ex.http_version = v.rfind("HTTP/", 0) == 0 ? v.substr(5) : v;
      }
      if (input["headers"]) {
        for (const auto& kv : input["headers"]) {
          ex.request_headers.emplace_back(kv.first.as<std::string>(),
                                          kv.second.IsNull() ? "" : kv.second.as<std::string>());
        }
      }
      ex.request_body = ScalarOrJoined(input["data"]);
      // What the test client (go-ftw) adds unless stop_magic is set.
      const bool magic = !(input["stop_magic"] && input["stop_magic"].as<std::string>() == "true");
      if (magic && !ex.request_body.empty()) {
        if (FindHeader(ex.request_headers, "Content-Type") == nullptr) {
          ex.request_headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        }
        const std::string* ct = FindHeader(ex.request_headers, "Content-Type");
        if (ct->rfind("multipart/form-data;", 0) == 0) {  // LF -> CRLF
          std::string fixed;
          for (size_t i = 0; i < ex.request_body.size(); ++i) {
            if (ex.request_body[i] == '\n' && (i == 0 || ex.request_body[i - 1] != '\r')) {
              fixed += '\r';
            }
            fixed += ex.request_body[i];
          }
          ex.request_body = std::move(fixed);
        }
        if (FindHeader(ex.request_headers, "Connection") == nullptr) {
          ex.request_headers.emplace_back("Connection", "close");
        }
        if (FindHeader(ex.request_headers, "Content-Length") == nullptr) {
          ex.request_headers.emplace_back("Content-Length", std::to_string(ex.request_body.size()));
        }
      }
      if (ex.uri.empty() || ex.uri[0] != '/') {
        if (ex.uri.rfind("http", 0) != 0) ex.uri = "/" + ex.uri;
      }
      corpus.seeds.push_back(seed);

      // Payloads only from tests expecting a detection.
      const bool positive = output && output["log_contains"];
      if (!positive || family == "protocol" || family == "method" || family == "multipart")
        continue;
      size_t q = ex.uri.find('?');
      if (q != std::string::npos)
        AddPairsAsPayloads(ex.uri.substr(q + 1), family, title, corpus.payloads);
      if (family == "lfi" && q != 1) {
        std::string path = UrlDecode(ex.uri.substr(0, q));
        if (path.size() > 3) corpus.payloads.push_back({family, title, path});
      }
      const std::string* ct = FindHeader(ex.request_headers, "Content-Type");
      if (!ex.request_body.empty() &&
          (ct == nullptr || ct->find("urlencoded") != std::string::npos)) {
        AddPairsAsPayloads(ex.request_body, family, title, corpus.payloads);
      }
      for (const auto& [k, v] : ex.request_headers) {
        if (IsDefaultHeader(k, v) || v.size() < 3) continue;
        if (Lower(k) == "cookie") {
          size_t eq = v.find('=');
          corpus.payloads.push_back(
              {family, title, eq == std::string::npos ? v : v.substr(eq + 1)});
        } else {
          corpus.payloads.push_back({family, title, v});
        }
      }
    }
  }
}

}  // namespace

std::string UrlDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string Utf8ToGbk(std::string_view utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::string(utf8);
  std::string in(utf8);
  std::string out(in.size() * 2 + 8, '\0');
  char* inp = in.data();
  size_t inleft = in.size();
  char* outp = out.data();
  size_t outleft = out.size();
  while (inleft > 0) {
    if (iconv(cd, &inp, &inleft, &outp, &outleft) == static_cast<size_t>(-1)) {
      ++inp;  // skip a byte that does not convert
      --inleft;
    }
  }
  iconv_close(cd);
  out.resize(out.size() - outleft);
  return out;
}

Result<CrsCorpus> LoadCrsCorpus(const std::string& tests_dir, const std::string& crs_rules_dir) {
  namespace fs = std::filesystem;
  CrsCorpus corpus;
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(tests_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".yaml") files.push_back(it->path());
  }
  if (files.empty()) return NotFoundError("no CRS test YAML under " + tests_dir);
  std::sort(files.begin(), files.end());  // directory order is not deterministic
  for (const fs::path& file : files) {
    try {
      LoadTestFile(file, FamilyOf(file.parent_path().filename().string()), corpus);
    } catch (const std::exception& e) {
      return InvalidArgumentError(file.string() + ": " + e.what());
    }
  }
  // Dedupe payloads (many tests share values), keeping first-seen order.
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<Payload> unique;
  for (Payload& p : corpus.payloads) {
    if (p.text.size() > 2000) continue;
    if (seen.insert({p.family, p.text}).second) unique.push_back(std::move(p));
  }
  corpus.payloads = std::move(unique);

  for (const char* name :
       {"sql-errors.data", "php-errors.data", "java-errors.data", "iis-errors.data"}) {
    std::ifstream in(crs_rules_dir + "/" + name);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '#') corpus.leak_lines.push_back(line);
    }
  }
  return corpus;
}

std::vector<Generated> Generate(const CrsCorpus& corpus, const GeneratorOptions& options) {
  Rng rng(options.seed);
  std::vector<Generated> out;
  out.reserve(options.count);
  // Payloads and seeds grouped by family so every family gets traffic, not only the largest.
  auto group = [](const auto& items) {
    std::vector<std::string> families;
    std::vector<std::vector<const std::remove_cvref_t<decltype(items[0])>*>> groups;
    for (const auto& item : items) {
      auto it = std::find(families.begin(), families.end(), item.family);
      if (it == families.end()) {
        families.push_back(item.family);
        groups.emplace_back();
        it = families.end() - 1;
      }
      groups[it - families.begin()].push_back(&item);
    }
    return groups;
  };
  const auto payloads = group(corpus.payloads);
  const auto seeds = group(corpus.seeds);
  while (out.size() < options.count) {
    size_t roll = rng.Below(100);
    if (roll < 35) {
      Generated g;
      switch (rng.Below(20)) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
          g = BenignGet(rng);
          break;
        case 6:
        case 7:
        case 8:
          g = BenignForm(rng, false);
          break;
        case 9:
        case 10:
          g = BenignForm(rng, true);
          break;
        case 11:
        case 12:
        case 13:
          g = BenignJson(rng);
          break;
        case 14:
        case 15:
          g = BenignXml(rng);
          break;
        default:
          g = BenignMultipart(rng);
          break;
      }
      if (rng.Chance(20)) g = WithResponse(std::move(g), rng, corpus, false);
      out.push_back(std::move(g));
    } else if (roll < 80 && !payloads.empty()) {
      const auto& family = payloads[rng.Below(payloads.size())];
      out.push_back(PlaceAttack(rng, *family[rng.Below(family.size())]));
    } else if (roll < 92 && !seeds.empty()) {
      const auto& family = seeds[rng.Below(seeds.size())];
      out.push_back(ReplaySeed(rng, *family[rng.Below(family.size())]));
    } else if (roll < 97) {
      out.push_back(ProtocolViolation(rng));
    } else {
      out.push_back(WithResponse(BenignGet(rng), rng, corpus, true));
    }
  }
  return out;
}

std::string ToHttpText(const Exchange& ex) {
  std::string out = ex.method + " " + ex.uri + " HTTP/" + ex.http_version + "\r\n";
  for (const auto& [k, v] : ex.request_headers) out += k + ": " + v + "\r\n";
  out += "\r\n" + ex.request_body;
  if (ex.response_status != 0) {
    out += "\r\n---- response ----\r\n" + ex.response_protocol + " " +
           std::to_string(ex.response_status) + "\r\n";
    for (const auto& [k, v] : ex.response_headers) out += k + ": " + v + "\r\n";
    out += "\r\n" + ex.response_body;
  }
  return out;
}

}  // namespace gs::differential
