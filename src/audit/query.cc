// Query filtering and small JSON helpers; see query.h.
#include "audit/query.h"

#include <simdjson.h>

#include <cstdio>
#include <cstring>

#include "audit/store.h"
#include "core/utf8.h"

namespace gs::audit {

Result<std::pair<std::string, std::string>> ParseFieldFilter(std::string_view kv) {
  size_t eq = kv.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return InvalidArgumentError("--field wants key=value, got '" + std::string(kv) + "'");
  }
  return std::make_pair(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
}

std::string JsonQuote(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);  // core/utf8.h: UTF-8 kept, other bytes U+FFFD
  return out;
}

std::string InsertStringField(std::string_view json, std::string_view key, std::string_view value) {
  size_t brace = json.find('{');
  std::string out(json.substr(0, brace + 1));
  out += JsonQuote(key) + ":" + JsonQuote(value);
  std::string_view rest = json.substr(brace + 1);
  size_t first = rest.find_first_not_of(" \t");
  if (first != std::string_view::npos && rest[first] != '}') out += ",";
  out += rest;
  return out;
}

namespace {

struct Parser {
  simdjson::dom::parser parser;
  std::string padded;
  Result<simdjson::dom::object> Parse(std::string_view json) {
    if (padded.size() < json.size() + simdjson::SIMDJSON_PADDING) {
      padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
    }
    std::memcpy(padded.data(), json.data(), json.size());
    simdjson::dom::object obj;
    auto err = parser.parse(padded.data(), json.size(), false).get(obj);
    if (err)
      return InvalidArgumentError(std::string("not a JSON object: ") +
                                  simdjson::error_message(err));
    return obj;
  }
};

bool FieldEquals(simdjson::dom::object& obj, std::string_view key, std::string_view want) {
  simdjson::dom::element el;
  if (obj.at_key(key).get(el)) return false;
  std::string_view sv;
  if (el.get_string().get(sv) == simdjson::SUCCESS) return sv == want;
  return simdjson::minify(el) == want;
}

}  // namespace

Status JsonObjectHasKey(std::string_view json, std::string_view key, bool* has_key) {
  thread_local Parser p;
  GS_RETURN_IF_ERROR(ValidateJsonObject(json));
  GS_ASSIGN_OR_RETURN(auto obj, p.Parse(json));
  simdjson::dom::element el;
  *has_key = obj.at_key(key).get(el) == simdjson::SUCCESS;
  return Status::Ok();
}

Status QueryStore(const std::string& dir, const QueryFilter& f,
                  const std::function<bool(const StoredRecord&)>& fn) {
  Parser p;
  const bool need_parse =
      f.since || f.until || !f.source.empty() || !f.type.empty() || !f.fields.empty();
  return ForEachRecord(dir, 0, [&](const StoredRecord& r) {
    if (!f.grep.empty() && r.json.find(f.grep) == std::string_view::npos) return true;
    if (need_parse) {
      auto obj = p.Parse(r.json);
      if (!obj.ok()) return true;  // cannot happen for stored records; skip defensively
      if (f.since || f.until) {
        UnixNanos t = r.ingest;
        std::string_view ts;
        if (obj->at_key("ts").get_string().get(ts) == simdjson::SUCCESS) {
          auto parsed = ParseRfc3339(ts);
          if (parsed.ok()) t = *parsed;
        }
        if (f.since && t < *f.since) return true;
        if (f.until && t >= *f.until) return true;
      }
      if (!f.source.empty() && !FieldEquals(*obj, "source", f.source)) return true;
      if (!f.type.empty() && !FieldEquals(*obj, "type", f.type)) return true;
      for (const auto& [k, v] : f.fields) {
        if (!FieldEquals(*obj, k, v)) return true;
      }
    }
    return fn(r);
  });
}

}  // namespace gs::audit
