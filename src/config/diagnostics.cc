// Formatting and collection of config diagnostics (see diagnostics.h).
#include "config/diagnostics.h"

#include <algorithm>
#include <utility>

namespace gs::config {

std::string Diagnostic::ToString() const {
  std::string s = file;
  if (mark.line > 0) {
    s += ':' + std::to_string(mark.line) + ':' + std::to_string(mark.column);
  }
  s += ": error: ";
  s += message;
  if (!hint.empty()) {
    s += " (";
    s += hint;
    s += ')';
  }
  return s;
}

Diagnostics::Diagnostics(std::string file, size_t max_kept)
    : file_(std::move(file)), max_kept_(max_kept == 0 ? 1 : max_kept) {}

void Diagnostics::Add(Mark mark, std::string message, std::string hint) {
  ++total_;
  if (kept_.size() < max_kept_) {
    kept_.push_back(Diagnostic{file_, mark, std::move(message), std::move(hint)});
  }
}

std::vector<Diagnostic> Diagnostics::Sorted() const {
  std::vector<Diagnostic> out = kept_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
  });
  return out;
}

Status Diagnostics::ToStatus() const {
  if (empty()) return Status::Ok();
  std::string msg;
  for (const Diagnostic& d : Sorted()) {
    msg += d.ToString();
    msg += '\n';
  }
  msg += std::to_string(total_) + (total_ == 1 ? " error" : " errors");
  if (total_ > kept_.size()) {
    msg += " (" + std::to_string(total_ - kept_.size()) + " not shown)";
  }
  return InvalidArgumentError(std::move(msg));
}

}  // namespace gs::config
