// go-ftw YAML loading, request building, front-server/backend emulation and stage judging for the
// CRS regression suite. See ftw.h for the contract and docs/conformance.md for the emulation
// decisions and why each was made.
#include "waf/conformance/ftw.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "config/yaml.h"
#include "platform/file.h"
#include "ruleengine/transforms/transforms.h"

namespace gs::waf::conformance {
namespace {

using config::Node;

std::string Where(std::string_view file, const Node& n) {
  return std::string(file) + ":" + std::to_string(n.mark.line);
}

// A scalar's text; null -> "". Lists/maps are an error.
Status ScalarText(std::string_view file, const Node& n, std::string_view field, std::string* out) {
  if (n.is_null()) {
    out->clear();
    return Status::Ok();
  }
  if (!n.is_scalar()) {
    return InvalidArgumentError(Where(file, n) + ": '" + std::string(field) +
                                "' must be a scalar, got " + n.Describe());
  }
  *out = n.scalar;
  return Status::Ok();
}

bool ParseInt(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

Status ParseInput(std::string_view file, const Node& n, FtwInput* in) {
  if (!n.is_mapping()) return InvalidArgumentError(Where(file, n) + ": 'input' must be a mapping");
  for (const Node::Entry& e : n.entries) {
    const Node& v = *e.value;
    const std::string& k = e.key;
    std::string s;
    if (k == "headers") {
      if (v.is_null()) continue;
      if (!v.is_mapping()) return InvalidArgumentError(Where(file, v) + ": headers must be a map");
      for (const Node::Entry& h : v.entries) {
        GS_RETURN_IF_ERROR(ScalarText(file, *h.value, "header " + h.key, &s));
        in->headers.emplace_back(h.key, s);
      }
    } else if (k == "data") {
      in->has_data = true;
      if (v.is_sequence()) {
        // The Python ftw joined list data with CRLF; go-ftw's CRS files kept that meaning.
        std::string joined;
        for (size_t i = 0; i < v.items.size(); ++i) {
          GS_RETURN_IF_ERROR(ScalarText(file, *v.items[i], "data item", &s));
          if (i) joined += "\r\n";
          joined += s;
        }
        in->data = std::move(joined);
      } else {
        GS_RETURN_IF_ERROR(ScalarText(file, v, k, &in->data));
      }
    } else if (k == "raw_request") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, k, &in->raw_bytes));
      in->raw = true;
    } else if (k == "encoded_request") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, k, &s));
      std::string decoded;
      s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }),
              s.end());
      if (!transforms::Base64Decode(s, &decoded)) decoded = s;  // false: nothing changed
      in->raw_bytes = std::move(decoded);
      in->raw = true;
    } else if (k == "stop_magic") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, k, &s));
      in->stop_magic = (s == "true" || s == "True" || s == "yes");
    } else if (k == "port") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, k, &s));
      if (!ParseInt(s, &in->port)) return InvalidArgumentError(Where(file, v) + ": bad port");
    } else if (k == "dest_addr" || k == "method" || k == "uri" || k == "version" ||
               k == "protocol") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, k, &s));
      if (k == "dest_addr") in->dest_addr = s;
      if (k == "method") in->method = s;
      if (k == "uri") in->uri = s;
      if (k == "version") in->version = s;
    } else {
      // Unknown input keys (e.g. "save_cookie") do not change the request bytes.
    }
  }
  return Status::Ok();
}

Status ParseOutput(std::string_view file, const Node& n, FtwOutput* out) {
  if (!n.is_mapping()) {
    return InvalidArgumentError(Where(file, n) + ": 'output' must be a mapping");
  }
  for (const Node::Entry& e : n.entries) {
    const Node& v = *e.value;
    std::string s;
    if (e.key == "status") {
      std::vector<const Node*> items;
      if (v.is_sequence()) {
        for (const auto& i : v.items) items.push_back(i.get());
      } else {
        items.push_back(&v);
      }
      for (const Node* i : items) {
        int code = 0;
        GS_RETURN_IF_ERROR(ScalarText(file, *i, "status", &s));
        if (!ParseInt(s, &code)) return InvalidArgumentError(Where(file, *i) + ": bad status");
        out->status.push_back(code);
      }
    } else if (e.key == "log_contains") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, e.key, &s));
      out->log_contains = s;
    } else if (e.key == "no_log_contains") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, e.key, &s));
      out->no_log_contains = s;
    } else if (e.key == "response_contains") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, e.key, &s));
      out->response_contains = s;
    } else if (e.key == "expect_error") {
      GS_RETURN_IF_ERROR(ScalarText(file, v, e.key, &s));
      out->expect_error = (s == "true" || s == "True");
    }
  }
  return Status::Ok();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsTokenChar(unsigned char c) {
  if (c <= 32 || c >= 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) ==
         std::string_view::npos;
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Go's url.QueryUnescape: returns false on a malformed escape; '+' becomes ' '.
bool GoQueryUnescape(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size() || !IsHex(in[i + 1]) || !IsHex(in[i + 2])) return false;
      *out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (c == '+') {
      *out += ' ';
    } else {
      *out += c;
    }
  }
  return true;
}

// Go's url.QueryEscape.
std::string GoQueryEscape(std::string_view in) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// go-ftw (the release contemporary with CRS 3.3.4) re-encodes urlencoded `data` only when the
// text has no escapes and some key repeats: url.ParseQuery + Values.Encode (keys sorted).
std::string GoFtwEncodeData(std::string_view data) {
  std::string unescaped;
  if (!GoQueryUnescape(data, &unescaped) || unescaped != data) return std::string(data);
  if (data.find(';') != std::string_view::npos) return std::string(data);  // ParseQuery error
  std::map<std::string, std::vector<std::string>> values;
  size_t start = 0;
  while (start <= data.size()) {
    size_t amp = data.find('&', start);
    std::string_view tok =
        data.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!tok.empty()) {
      size_t eq = tok.find('=');
      std::string k(tok.substr(0, eq));
      std::string v(eq == std::string_view::npos ? "" : tok.substr(eq + 1));
      values[k].push_back(v);
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  bool repeated = false;
  for (const auto& [k, v] : values) repeated |= v.size() > 1;
  if (!repeated) return std::string(data);
  std::string out;
  for (const auto& [k, vs] : values) {
    for (const std::string& v : vs) {
      if (!out.empty()) out += '&';
      out += GoQueryEscape(k) + "=" + GoQueryEscape(v);
    }
  }
  return out;
}

bool HasHeaderExact(const std::vector<std::pair<std::string, std::string>>& h,
                    std::string_view name) {
  for (const auto& [k, v] : h) {
    if (k == name) return true;  // go-ftw's header map is keyed by the exact spelling
  }
  return false;
}

const std::string* FindHeader(const std::vector<std::pair<std::string, std::string>>& h,
                              std::string_view name) {
  for (const auto& [k, v] : h) {
    if (IEquals(k, name)) return &v;
  }
  return nullptr;
}

std::string JsonEscapeForEcho(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<std::vector<FtwTest>> ParseFtwYaml(std::string_view text, std::string_view file_name) {
  config::Diagnostics diags{std::string(file_name)};
  config::ParseLimits limits;
  limits.max_bytes = 16 << 20;
  limits.max_nodes = 2'000'000;
  std::shared_ptr<const Node> root = config::ParseYaml(text, limits, &diags);
  if (!root || !diags.empty()) return diags.ToStatus();
  if (!root->is_mapping()) return InvalidArgumentError(std::string(file_name) + ": not a mapping");
  bool enabled = true;
  if (const Node::Entry* meta = root->Find("meta"); meta && meta->value->is_mapping()) {
    if (const Node::Entry* en = meta->value->Find("enabled"); en && en->value->is_scalar()) {
      enabled = en->value->scalar != "false";
    }
  }
  const Node::Entry* tests = root->Find("tests");
  if (!tests || !tests->value->is_sequence()) {
    return InvalidArgumentError(std::string(file_name) + ": no 'tests' list");
  }
  std::vector<FtwTest> out;
  for (const auto& t : tests->value->items) {
    if (!t->is_mapping()) return InvalidArgumentError(Where(file_name, *t) + ": test not a map");
    FtwTest test;
    test.file = std::string(file_name);
    test.enabled = enabled;
    if (const Node::Entry* title = t->Find("test_title")) {
      GS_RETURN_IF_ERROR(ScalarText(file_name, *title->value, "test_title", &test.title));
    }
    const Node::Entry* stages = t->Find("stages");
    if (!stages || !stages->value->is_sequence()) {
      return InvalidArgumentError(Where(file_name, *t) + ": test '" + test.title +
                                  "' has no stages list");
    }
    for (const auto& s : stages->value->items) {
      const Node* stage = s.get();
      if (stage->is_mapping()) {
        if (const Node::Entry* inner = stage->Find("stage")) stage = inner->value.get();
      }
      if (!stage->is_mapping()) {
        return InvalidArgumentError(Where(file_name, *s) + ": stage not a map");
      }
      FtwStage st;
      if (const Node::Entry* in = stage->Find("input")) {
        GS_RETURN_IF_ERROR(ParseInput(file_name, *in->value, &st.input));
      }
      if (const Node::Entry* o = stage->Find("output")) {
        GS_RETURN_IF_ERROR(ParseOutput(file_name, *o->value, &st.output));
      }
      test.stages.push_back(std::move(st));
    }
    out.push_back(std::move(test));
  }
  return out;
}

std::vector<FtwTest> LoadFtwDir(const std::string& dir, std::vector<std::string>* errors) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".yaml") {
      files.push_back(it->path().string());
    }
  }
  if (ec) errors->push_back(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<FtwTest> out;
  for (const std::string& f : files) {
    auto text = platform::ReadFile(f);
    if (!text.ok()) {
      errors->push_back(text.status().ToString());
      continue;
    }
    auto tests = ParseFtwYaml(*text, f);
    if (!tests.ok()) {
      errors->push_back(tests.status().ToString());
      continue;
    }
    for (FtwTest& t : *tests) out.push_back(std::move(t));
  }
  return out;
}

std::string BuildFtwRequest(const FtwInput& in) {
  if (in.raw) return in.raw_bytes;
  std::vector<std::pair<std::string, std::string>> headers = in.headers;
  std::string data = in.data;
  bool autocomplete = !in.stop_magic;
  if (!data.empty() && autocomplete) {
    if (!HasHeaderExact(headers, "Content-Type")) {
      headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    const std::string* ct = FindHeader(headers, "Content-Type");
    if (ct && *ct == "application/x-www-form-urlencoded") data = GoFtwEncodeData(data);
  }
  // go-ftw turns LF into CRLF in multipart bodies; we leave existing CRLFs alone (list data
  // was joined with CRLF already), which is what the test authors meant.
  if (const std::string* ct = FindHeader(headers, "Content-Type");
      ct && ct->rfind("multipart/form-data;", 0) == 0) {
    std::string fixed;
    for (size_t i = 0; i < data.size(); ++i) {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) fixed += '\r';
      fixed += data[i];
    }
    data = std::move(fixed);
  }
  if (autocomplete) {
    if (!HasHeaderExact(headers, "Connection")) headers.emplace_back("Connection", "close");
    if (!data.empty() && !HasHeaderExact(headers, "Content-Length")) {
      headers.emplace_back("Content-Length", std::to_string(data.size()));
    }
  }
  std::string wire = in.method + " " + in.uri + " " + in.version + "\r\n";
  for (const auto& [k, v] : headers) wire += k + ": " + v + "\r\n";
  wire += "\r\n";
  wire += data;
  return wire;
}

FrontResult EmulateFrontServer(std::string_view wire, std::string_view server_ip, int server_port) {
  FrontResult r;
  auto refuse = [&r](int status, std::string why) {
    r.kind = FrontResult::Kind::kRefused;
    r.status = status;
    r.reason = std::move(why);
    return r;
  };
  auto no_response = [&r](std::string why) {
    r.kind = FrontResult::Kind::kNoResponse;
    r.reason = std::move(why);
    return r;
  };
  // Apache accepts LF as well as CRLF line ends; the head ends at the first empty line.
  size_t pos = 0;
  std::vector<std::string_view> lines;
  bool head_done = false;
  while (pos < wire.size()) {
    size_t lf = wire.find('\n', pos);
    if (lf == std::string_view::npos) break;
    std::string_view line = wire.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = lf + 1;
    if (line.empty()) {
      if (lines.empty()) continue;  // leading empty lines are skipped
      head_done = true;
      break;
    }
    lines.push_back(line);
  }
  if (!head_done) return no_response("request head never ends: the server keeps waiting");
  std::string_view body_bytes = wire.substr(pos);

  // Request line: method SP target SP version.
  std::string_view rl = lines[0];
  if (!rl.empty() && (rl[0] == ' ' || rl[0] == '\t')) {
    return refuse(400, "whitespace before the method");
  }
  size_t sp1 = rl.find(' ');
  if (sp1 == std::string_view::npos) return no_response("HTTP/0.9 request line (no target)");
  std::string_view method = rl.substr(0, sp1);
  std::string_view rest = rl.substr(sp1 + 1);
  size_t sp2 = rest.rfind(' ');
  std::string_view target = sp2 == std::string_view::npos ? rest : rest.substr(0, sp2);
  std::string_view version = sp2 == std::string_view::npos ? "" : rest.substr(sp2 + 1);
  for (char c : method) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) return refuse(400, "method is not a token");
  }
  if (method.empty()) return refuse(400, "empty method");
  if (version.empty()) {
    // "GET /" or "GET / ": an HTTP/0.9 request; the answer has no status line.
    return no_response("HTTP/0.9 request line (no version): the answer has no status line");
  }
  static const std::regex kVersion("^HTTP/([0-9])\\.([0-9])$");
  std::cmatch vm;
  if (!std::regex_match(version.begin(), version.end(), vm, kVersion)) {
    return refuse(400, "malformed protocol version '" + std::string(version) + "'");
  }
  if (vm[1].str() == "0") return refuse(400, "HTTP/0.x with a version token");
  if (target.empty()) return refuse(400, "empty target");
  if (method == "CONNECT") {
    // authority-form; the backend then answers 405 (CONNECT is not proxied).
    size_t colon = target.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == target.size()) {
      return refuse(400, "CONNECT target without a port");
    }
  } else if (target.find(' ') != std::string_view::npos) {
    return refuse(400, "whitespace inside the request target");
  } else if (target[0] == '\\') {
    return refuse(400, "request target starts with a backslash");
  } else if (target[0] == '/' &&
             target.substr(0, target.find_first_of("?#")).find(':') != std::string_view::npos) {
    // The reference Apache refused a colon in the path (CRS test 920100-8; the CRS project's
    // nginx overrides record that nginx accepts it).
    return refuse(400, "colon in the request path");
  }
  Exchange& ex = r.exchange;
  ex.server_ip = std::string(server_ip);
  ex.server_port = server_port;
  ex.method = std::string(method);
  ex.uri = std::string(target);
  ex.http_version = std::string(version.substr(5));

  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line[0] == ' ' || line[0] == '\t') {
      // obs-fold: Apache joins the continuation to the previous field with a space.
      if (ex.request_headers.empty()) return refuse(400, "continuation line before any field");
      ex.request_headers.back().second += " " + std::string(Trim(line));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return refuse(400, "field line without ':'");
    std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!IsTokenChar(static_cast<unsigned char>(c))) {
        return refuse(400, "field name is not a token");
      }
    }
    std::string_view value = Trim(line.substr(colon + 1));
    for (unsigned char c : value) {
      if ((c < 32 && c != '\t') || c == 127) {
        return refuse(400, "control character in a field value");
      }
    }
    ex.request_headers.emplace_back(std::string(name), std::string(value));
  }

  if (ex.http_version == "1.1") {
    const std::string* host = FindHeader(ex.request_headers, "Host");
    if (!host || host->empty()) return refuse(400, "HTTP/1.1 request without a host name");
  }

  // Body framing. Apache dechunks and drops Content-Length when Transfer-Encoding is present.
  const std::string* te = FindHeader(ex.request_headers, "Transfer-Encoding");
  const std::string* cl = FindHeader(ex.request_headers, "Content-Length");
  if (te) {
    if (!IEquals(*te, "chunked")) return refuse(501, "unknown Transfer-Encoding");
    std::erase_if(ex.request_headers,
                  [](const auto& h) { return IEquals(h.first, "Content-Length"); });
    std::string body;
    size_t p = 0;
    while (true) {
      size_t eol = body_bytes.find('\n', p);
      if (eol == std::string_view::npos) return no_response("chunked body never ends");
      std::string_view size_line = body_bytes.substr(p, eol - p);
      if (!size_line.empty() && size_line.back() == '\r') size_line.remove_suffix(1);
      size_t semi = size_line.find(';');
      if (semi != std::string_view::npos) size_line = size_line.substr(0, semi);
      size_line = Trim(size_line);
      if (size_line.empty() || size_line.size() > 8) return refuse(400, "bad chunk size");
      size_t n = 0;
      for (char c : size_line) {
        if (!IsHex(c)) return refuse(400, "bad chunk size");
        n = n * 16 + static_cast<size_t>(std::stoi(std::string(1, c), nullptr, 16));
      }
      p = eol + 1;
      if (n == 0) break;
      if (p + n > body_bytes.size()) return no_response("chunk shorter than announced");
      body.append(body_bytes.substr(p, n));
      p += n;
      if (body_bytes.compare(p, 2, "\r\n") == 0) {
        p += 2;
      } else if (body_bytes.compare(p, 1, "\n") == 0) {
        p += 1;
      }
    }
    ex.request_body = std::move(body);
  } else if (cl) {
    if (cl->empty() || cl->size() > 15 ||
        !std::all_of(cl->begin(), cl->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return refuse(400, "invalid Content-Length '" + *cl + "'");
    }
    size_t n = std::stoull(*cl);
    if (n > body_bytes.size()) {
      return no_response("body shorter than Content-Length: the server keeps waiting");
    }
    ex.request_body = std::string(body_bytes.substr(0, n));
  }
  return r;
}

void EmulateBackend(Exchange* ex) {
  std::string_view path = ex->uri;
  if (size_t q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  // The echo backend answers its echo endpoints and the site root; anything else is 404.
  static const char* const kEcho[] = {"/",       "/get",      "/post",       "/put", "/patch",
                                      "/delete", "/anything", "/index.html", "*"};
  bool known = false;
  for (const char* e : kEcho) known |= (path == e);
  known |= path.rfind("/anything/", 0) == 0;
  ex->response_protocol = "HTTP/1.1";
  ex->response_headers.clear();
  if (ex->method == "CONNECT") {
    ex->response_status = 405;
    ex->response_body = "Method Not Allowed\n";
    ex->response_headers.emplace_back("Content-Type", "text/plain");
  } else if (!known) {
    ex->response_status = 404;
    ex->response_body = "Not Found\n";
    ex->response_headers.emplace_back("Content-Type", "text/plain");
  } else {
    ex->response_status = 200;
    std::string body = "{\"method\":" + JsonEscapeForEcho(ex->method) +
                       ",\"url\":" + JsonEscapeForEcho(ex->uri) + ",\"headers\":{";
    bool first = true;
    for (const auto& [k, v] : ex->request_headers) {
      if (!first) body += ",";
      first = false;
      body += JsonEscapeForEcho(k) + ":" + JsonEscapeForEcho(v);
    }
    body += "},\"data\":" + JsonEscapeForEcho(ex->request_body) + "}\n";
    ex->response_body = std::move(body);
    ex->response_headers.emplace_back("Content-Type", "application/json");
  }
  ex->response_headers.emplace_back("Content-Length", std::to_string(ex->response_body.size()));
  ex->response_headers.emplace_back("Server", "echo");
}

std::vector<int64_t> FtwPatternIds(std::string_view pattern) {
  static const std::regex kIdPattern("^\\s*id\\s*\"([0-9]+)\"\\s*$");
  static const std::regex kBareId("^\\s*([0-9]{3,})\\s*$");
  std::cmatch m;
  if (std::regex_match(pattern.begin(), pattern.end(), m, kIdPattern) ||
      std::regex_match(pattern.begin(), pattern.end(), m, kBareId)) {
    return {std::stoll(m[1].str())};
  }
  return {};
}

namespace {

// True when the logged ids satisfy a go-ftw log regex.
bool LogMatches(std::string_view pattern, const std::vector<int64_t>& logged) {
  std::vector<int64_t> ids = FtwPatternIds(pattern);
  if (!ids.empty()) {
    return std::find(logged.begin(), logged.end(), ids[0]) != logged.end();
  }
  // Anything else is a regex over the log; we only have the id part of each line.
  std::regex re;
  try {
    re = std::regex(std::string(pattern));
  } catch (const std::regex_error&) {
    return false;
  }
  for (int64_t id : logged) {
    std::string line = "[id \"" + std::to_string(id) + "\"]";
    if (std::regex_search(line, re)) return true;
  }
  return false;
}

std::string StatusList(const std::vector<int>& s) {
  std::string out;
  for (int c : s) out += (out.empty() ? "" : "/") + std::to_string(c);
  return out;
}

}  // namespace

StageJudgement JudgeFtwStage(const FtwOutput& want, const FrontResult& front,
                             const Evaluation* eval) {
  StageJudgement j;
  auto fail = [&j](std::string klass, std::string reason) {
    j.pass = false;
    j.klass = std::move(klass);
    j.reason = std::move(reason);
    return j;
  };
  bool errored = front.kind == FrontResult::Kind::kNoResponse;
  if (want.expect_error.value_or(false)) {
    if (errored) return j;
    return fail("front: expected connection error",
                "expected no HTTP answer, got status " +
                    std::to_string(eval ? eval->outcome.status : front.status));
  }
  if (errored) return fail("front: no response", front.reason);
  int status =
      front.kind == FrontResult::Kind::kRefused ? front.status : (eval ? eval->outcome.status : 0);
  if (!want.status.empty() &&
      std::find(want.status.begin(), want.status.end(), status) == want.status.end()) {
    std::string why = "status " + std::to_string(status) + ", expected " + StatusList(want.status);
    if (front.kind == FrontResult::Kind::kRefused) why += " (front refused: " + front.reason + ")";
    return fail("status", why);
  }
  static const std::vector<int64_t> kNone;
  const std::vector<int64_t>& logged = eval ? eval->logged_ids : kNone;
  if (want.log_contains) {
    if (!eval) {
      return fail("front refused before the WAF",
                  "log_contains '" + *want.log_contains +
                      "' but the front server refused the request: " + front.reason);
    }
    if (!LogMatches(*want.log_contains, logged)) {
      std::string got;
      for (int64_t id : logged) got += (got.empty() ? "" : ",") + std::to_string(id);
      return fail("expected id not logged",
                  "log_contains '" + *want.log_contains + "' not matched; logged: [" + got + "]");
    }
  }
  if (want.no_log_contains && LogMatches(*want.no_log_contains, logged)) {
    return fail("unexpected id logged", "no_log_contains '" + *want.no_log_contains + "' matched");
  }
  if (want.response_contains) {
    // No CRS 3.3.4 test uses it; the runner does not keep the backend answer to search.
    return fail("response_contains unsupported", "response_contains is not judged by this runner");
  }
  return j;
}

}  // namespace gs::waf::conformance
