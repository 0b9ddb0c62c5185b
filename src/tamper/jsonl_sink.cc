// NDJSON record sink (see jsonl_sink.h).
#include "tamper/jsonl_sink.h"

#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "tamper/safe_fs.h"

namespace gs::tamper {

Result<std::unique_ptr<JsonLinesSink>> JsonLinesSink::Open(const std::string& path) {
  std::unique_ptr<JsonLinesSink> s(new JsonLinesSink());
  if (path == "-") {
    s->stdout_ = true;
  } else {
    GS_ASSIGN_OR_RETURN(s->file_, platform::AppendFile::Open(path, 0640));
  }
  return s;
}

Result<uint64_t> JsonLinesSink::Append(std::string_view json_object) {
  if (!nlohmann::json::accept(json_object) || json_object.empty() || json_object[0] != '{' ||
      json_object.find('\n') != std::string_view::npos)
    return InvalidArgumentError("record is not a single-line JSON object");
  std::string line(json_object);
  line += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  if (stdout_) {
    GS_RETURN_IF_ERROR(WriteAllFd(STDOUT_FILENO, line));
  } else {
    GS_RETURN_IF_ERROR(file_.Append(line));
  }
  return seq_++;
}

Status JsonLinesSink::Sync() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stdout_) return Status::Ok();
  return file_.Sync();
}

}  // namespace gs::tamper
