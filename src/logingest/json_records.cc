// nlohmann::ordered_json keeps the caller's member order, so a record reads as it was sent.
#include "logingest/json_records.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gs::logingest {
namespace {

using Json = nlohmann::ordered_json;
constexpr size_t kMaxDepth = 64;

// An RFC 3339 date or date-time whose year fits UnixNanos (1678..2261). The year check comes
// first because core's ParseRfc3339 does not guard against int64 overflow outside that range,
// and it also accepts bare Unix seconds, which a record's "ts" must not be.
bool ValidTs(std::string_view ts) {
  if (ts.size() < 10 || ts[4] != '-') return false;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (ts[i] < '0' || ts[i] > '9') return false;
    year = year * 10 + (ts[i] - '0');
  }
  if (year < 1678 || year > 2261) return false;
  return ParseRfc3339(ts).ok();
}

Status CheckAndAppend(Json& obj, UnixNanos receive_time, size_t index,
                      std::vector<std::string>* out) {
  if (!obj.is_object())
    return InvalidArgumentError("not_an_object: element " + std::to_string(index));
  auto it = obj.find("ts");
  if (it == obj.end()) {
    obj["ts"] = FormatRfc3339(receive_time);
  } else if (!it->is_string() || !ValidTs(it->get_ref<const std::string&>())) {
    return InvalidArgumentError("invalid_ts: element " + std::to_string(index));
  }
  try {
    out->push_back(obj.dump());
  } catch (const std::exception& e) {  // dump() throws only on invalid UTF-8 in strings
    return InvalidArgumentError("invalid_json: element " + std::to_string(index) + ": " + e.what());
  }
  return Status::Ok();
}

bool IsBlank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

// Deepest bracket nesting outside strings. nlohmann parses iteratively but dump() recurses, so
// depth is bounded before anything is built. (Valid NDJSON lines are balanced, so counting
// across lines is exact for them; newlines must not reset it or a pretty-printed document could
// hide its depth.)
size_t NestingDepth(std::string_view s) {
  size_t depth = 0, max = 0;
  bool in_str = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_str) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_str = false;
      continue;
    }
    if (c == '"')
      in_str = true;
    else if (c == '[' || c == '{')
      max = std::max(max, ++depth);
    else if ((c == ']' || c == '}') && depth > 0)
      --depth;
  }
  return max;
}

Result<std::vector<std::string>> ParseBody(std::string_view body, UnixNanos receive_time,
                                           size_t max_records);

}  // namespace

Result<std::vector<std::string>> JsonBodyToRecords(std::string_view body, UnixNanos receive_time,
                                                   size_t max_records) {
  if (IsBlank(body)) return InvalidArgumentError("empty_body");
  if (NestingDepth(body) > kMaxDepth) return InvalidArgumentError("too_deep: nesting over 64");
  try {
    return ParseBody(body, receive_time, max_records);
  } catch (const std::exception& e) {  // e.g. bad_alloc: never let it leave the module
    return ResourceExhaustedError(std::string("json: ") + e.what());
  }
}

namespace {

Result<std::vector<std::string>> ParseBody(std::string_view body, UnixNanos receive_time,
                                           size_t max_records) {
  std::vector<std::string> out;
  Json doc = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    if (doc.is_array()) {
      if (doc.size() > max_records) return ResourceExhaustedError("too_many_records");
      if (doc.empty()) return InvalidArgumentError("empty_body: empty array");
      out.reserve(doc.size());
      for (size_t i = 0; i < doc.size(); ++i)
        GS_RETURN_IF_ERROR(CheckAndAppend(doc[i], receive_time, i, &out));
      return out;
    }
    GS_RETURN_IF_ERROR(CheckAndAppend(doc, receive_time, 0, &out));
    return out;
  }
  // Not one JSON document: NDJSON, one object per non-empty line.
  size_t line_no = 0, index = 0;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    ++line_no;
    if (IsBlank(line)) continue;
    Json obj = Json::parse(line.begin(), line.end(), nullptr, false);
    if (obj.is_discarded())
      return InvalidArgumentError("invalid_json: line " + std::to_string(line_no));
    if (out.size() >= max_records) return ResourceExhaustedError("too_many_records");
    GS_RETURN_IF_ERROR(CheckAndAppend(obj, receive_time, index++, &out));
  }
  return out;
}

}  // namespace

}  // namespace gs::logingest
