// NDJSON record sink (see jsonl_sink.h).
#include "tamper/jsonl_sink.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

#include "platform/file.h"
#include "tamper/json_fields.h"
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

Result<uint64_t> TeeSink::Append(std::string_view json_object) {
  uint64_t first = 0;
  for (size_t i = 0; i < sinks_.size(); ++i) {
    GS_ASSIGN_OR_RETURN(uint64_t seq, sinks_[i]->Append(json_object));
    if (i == 0) first = seq;
  }
  return first;
}

Status TeeSink::Sync() {
  for (auto* s : sinks_) GS_RETURN_IF_ERROR(s->Sync());
  return Status::Ok();
}

std::string SpoolDir(const std::string& vault_dir) { return vault_dir + "/audit-spool"; }

Result<std::unique_ptr<SpoolSink>> SpoolSink::Create(const std::string& vault_dir) {
  std::string dir = SpoolDir(vault_dir);
  GS_RETURN_IF_ERROR(platform::MakeDirs(dir, 0700));
  // Names sort by creation time, so records drain in the order they were written.
  timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  char name[64];
  std::snprintf(name, sizeof name, "%020lld-%09ld-%d", static_cast<long long>(ts.tv_sec),
                ts.tv_nsec, int(::getpid()));
  std::unique_ptr<SpoolSink> s(new SpoolSink());
  s->tmp_path_ = dir + "/." + name + ".tmp";
  s->final_path_ = dir + "/" + name + ".ndjson";
  GS_ASSIGN_OR_RETURN(s->lines_, JsonLinesSink::Open(s->tmp_path_));
  return s;
}

Result<uint64_t> SpoolSink::Append(std::string_view json_object) {
  return lines_->Append(json_object);
}

Status SpoolSink::Sync() { return lines_->Sync(); }

Status SpoolSink::Commit() {
  GS_RETURN_IF_ERROR(lines_->Sync());
  if (::rename(tmp_path_.c_str(), final_path_.c_str()) != 0)
    return FsError("rename " + tmp_path_, errno);
  return platform::FsyncDir(final_path_.substr(0, final_path_.rfind('/')));
}

Result<uint64_t> DrainSpool(const std::string& vault_dir, audit::RecordSink* sink) {
  std::string dir = SpoolDir(vault_dir);
  if (!platform::PathExists(dir)) return uint64_t{0};
  GS_ASSIGN_OR_RETURN(auto names, platform::ListDir(dir));
  std::sort(names.begin(), names.end());
  uint64_t n = 0;
  for (const auto& name : names) {
    if (name.size() < 7 || name.compare(name.size() - 7, 7, ".ndjson") != 0 || name[0] == '.')
      continue;
    std::string path = dir + "/" + name;
    GS_ASSIGN_OR_RETURN(std::string text, platform::ReadFile(path));
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string_view line(text.data() + pos, nl - pos);
      pos = nl + 1;
      if (line.empty()) continue;
      auto appended = sink->Append(line);
      if (!appended.ok() && appended.status().code() == StatusCode::kInvalidArgument) {
        nlohmann::json j;
        j["source"] = "tamper";
        j["type"] = "anomaly";
        j["reason"] = "unparseable audit spool line";
        j["spool_file"] = name;
        j["line_b64"] = Base64Encode(line);
        appended = sink->Append(DumpJson(j));
      }
      GS_RETURN_IF_ERROR(appended.status());
      ++n;
    }
    GS_RETURN_IF_ERROR(sink->Sync());
    if (::unlink(path.c_str()) != 0) return FsError("remove " + path, errno);
  }
  return n;
}

}  // namespace gs::tamper
