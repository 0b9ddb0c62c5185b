// application/json with ModSecurity v3 naming (request_body_processor/json.cc, yajl callbacks),
// parsed with simdjson On-Demand. The walk mirrors v3's container stack: each object/array has
// a name (its key, "json" at top level, "" for an element of an array); a value's ARGS name is
// the concatenation of its ancestors (arrays contribute "<name>.array_<i>", objects "<name>.")
// followed by its key. Nesting deeper than Limits::json_depth_limit stops parsing with
// REQBODY_ERROR, as SecRequestBodyJsonDepthLimit does; args seen before an error are kept.
#include <simdjson.h>

#include <charconv>
#include <cstring>
#include <string>
#include <vector>

#include "ruleengine/body/body.h"
#include "ruleengine/body/internal.h"

namespace gs::body {
namespace {

namespace od = simdjson::ondemand;

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The walk recurses once per level; this hard cap keeps it within a small thread stack whatever
// SecRequestBodyJsonDepthLimit says (ModSecurity's default is 10000; real documents stay far
// below this cap, deeper ones are reported as exceeding the depth limit).
constexpr size_t kMaxJsonDepth = 512;

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digit = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

class JsonWalker {
 public:
  JsonWalker(const Limits& limits, BodyResult* r) : limits_(limits), r_(r) {}

  // Returns false on error (message in error_).
  bool Document(od::document& doc) {
    od::json_type type;
    if (auto e = doc.type().get(type)) return Fail(e);
    if (type == od::json_type::object || type == od::json_type::array) {
      od::value v;
      if (auto e = doc.get_value().get(v)) return Fail(e);
      if (!Value(v, "json")) return false;
    } else {
      // A scalar document: v3 names it "json".
      std::string_view text;
      switch (type) {
        case od::json_type::string: {
          if (auto e = doc.get_string().get(text)) return Fail(e);
          Add("json", r_->arena.Copy(text));
          break;
        }
        case od::json_type::number: {
          if (auto e = doc.raw_json_token().get(text)) return Fail(e);
          text = TrimRight(text);
          if (!IsJsonNumber(text)) return Fail(simdjson::NUMBER_ERROR);
          Add("json", r_->arena.Copy(text));
          break;
        }
        case od::json_type::boolean: {
          bool b;
          if (auto e = doc.get_bool().get(b)) return Fail(e);
          Add("json", b ? "true" : "false");
          break;
        }
        case od::json_type::null: {
          bool n;
          if (auto e = doc.is_null().get(n)) return Fail(e);
          if (!n) return Fail(simdjson::INCORRECT_TYPE);
          Add("json", "");
          break;
        }
        default:
          return Fail(simdjson::TAPE_ERROR);
      }
    }
    // current_location() fails with OUT_OF_BOUNDS only once every token has been consumed.
    const char* loc = nullptr;
    if (doc.current_location().get(loc) == simdjson::SUCCESS) {
      return Fail(simdjson::TRAILING_CONTENT);
    }
    return true;
  }

  std::string error_;

 private:
  // One open object/array. path_ holds the concatenated names of all open containers; mark is
  // where this container's part starts, name_end where its array suffix starts.
  struct Container {
    size_t mark;
    size_t name_end;
    bool is_array;
    size_t index = 0;
  };

  bool Fail(simdjson::error_code e) {
    error_ = simdjson::error_message(e);
    return false;
  }

  void SetArraySuffix(const Container& c) {
    path_.resize(c.name_end);
    path_ += ".array_";
    char digits[24];
    auto res = std::to_chars(digits, digits + sizeof(digits), c.index);
    path_.append(digits, res.ptr);
  }

  void Add(std::string_view key, std::string_view value) {
    if (stack_.empty()) {
      AddArg(key, value, Origin::kJson, limits_, r_);
      return;
    }
    // Name = path_ + key, built straight into the arena.
    char* p = r_->arena.Allocate(path_.size() + key.size());
    std::memcpy(p, path_.data(), path_.size());
    if (!key.empty()) std::memcpy(p + path_.size(), key.data(), key.size());
    AddArg(std::string_view(p, path_.size() + key.size()), value, Origin::kJson, limits_, r_);
  }

  // Called after a value has been added inside the current container.
  void Advance() {
    if (!stack_.empty() && stack_.back().is_array) {
      ++stack_.back().index;
      SetArraySuffix(stack_.back());
    }
  }

  bool Enter(std::string_view name, bool is_array) {
    Container c{path_.size(), 0, is_array};
    path_ += name;
    c.name_end = path_.size();
    if (is_array) {
      SetArraySuffix(c);
    } else {
      path_ += '.';
    }
    stack_.push_back(c);
    if (stack_.size() > limits_.json_depth_limit || stack_.size() > kMaxJsonDepth) {
      error_ = "JSON depth limit exceeded";
      return false;
    }
    return true;
  }

  void Leave() {
    path_.resize(stack_.back().mark);
    stack_.pop_back();
    Advance();
  }

  // key: the member name (object member), or "" for array elements / "json" at top level.
  bool Value(od::value v, std::string_view key) {
    od::json_type type;
    if (auto e = v.type().get(type)) return Fail(e);
    switch (type) {
      case od::json_type::object: {
        od::object obj;
        if (auto e = v.get_object().get(obj)) return Fail(e);
        if (!Enter(key, false)) return false;
        for (auto field : obj) {
          std::string_view k;
          if (auto e = field.unescaped_key().get(k)) return Fail(e);
          // v3: an empty key is "empty-key" (inside objects).
          std::string_view kc = k.empty() ? std::string_view("empty-key") : k;
          od::value child;
          if (auto e = field.value().get(child)) return Fail(e);
          if (!Value(child, kc)) return false;
        }
        Leave();
        return true;
      }
      case od::json_type::array: {
        od::array arr;
        if (auto e = v.get_array().get(arr)) return Fail(e);
        if (!Enter(key, true)) return false;
        for (auto elem : arr) {
          od::value child;
          if (auto e = elem.get(child)) return Fail(e);
          if (!Value(child, "")) return false;
        }
        Leave();
        return true;
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto e = v.get_string().get(s)) return Fail(e);
        Add(key, r_->arena.Copy(s));
        break;
      }
      case od::json_type::number: {
        // The literal text, as yajl's number callback gives it; validated by our grammar
        // check because simdjson only parses numbers when asked for a binary value.
        std::string_view raw = TrimRight(v.raw_json_token());
        if (!IsJsonNumber(raw)) return Fail(simdjson::NUMBER_ERROR);
        Add(key, r_->arena.Copy(raw));
        break;
      }
      case od::json_type::boolean: {
        bool b;
        if (auto e = v.get_bool().get(b)) return Fail(e);
        Add(key, b ? "true" : "false");
        break;
      }
      case od::json_type::null: {
        bool n;
        if (auto e = v.is_null().get(n)) return Fail(e);
        if (!n) return Fail(simdjson::INCORRECT_TYPE);
        Add(key, "");
        break;
      }
      default:
        return Fail(simdjson::TAPE_ERROR);
    }
    Advance();
    return true;
  }

  const Limits& limits_;
  BodyResult* r_;
  std::vector<Container> stack_;
  std::string path_;
};

}  // namespace

void ParseJson(std::string_view body, const Limits& limits, BodyResult* result) {
  if (body.size() > limits.max_body_size) {
    result->SetError("Request body is larger than the configured limit.");
    return;
  }
  // simdjson needs SIMDJSON_PADDING readable bytes after the input; copying once is cheaper
  // than asking every caller to over-allocate. Thread-local parser: no per-request setup.
  // v3 (issue #1822): an empty body is not an error.
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
  thread_local od::parser parser;
  simdjson::padded_string padded(body);
  od::document doc;
  JsonWalker walker(limits, result);
  bool ok = false;
  if (auto e = parser.iterate(padded).get(doc)) {
    walker.error_ = simdjson::error_message(e);
  } else {
    ok = walker.Document(doc);
  }
  if (!ok) result->SetError("JSON parsing error: " + walker.error_);
}

}  // namespace gs::body
