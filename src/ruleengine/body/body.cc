// Shared parts of the body processors: flag names, the arena, BodyResult bookkeeping.
#include "ruleengine/body/body.h"

#include <cstring>

namespace gs::body {

std::string_view FlagName(Flag flag) {
  switch (flag) {
    case Flag::kReqbodyError:
      return "REQBODY_ERROR";
    case Flag::kUrlencodedError:
      return "URLENCODED_ERROR";
    case Flag::kArgumentsLimitExceeded:
      return "ARGUMENTS_LIMIT_EXCEEDED";
    case Flag::kMultipartStrictError:
      return "MULTIPART_STRICT_ERROR";
    case Flag::kMultipartBoundaryQuoted:
      return "MULTIPART_BOUNDARY_QUOTED";
    case Flag::kMultipartBoundaryWhitespace:
      return "MULTIPART_BOUNDARY_WHITESPACE";
    case Flag::kMultipartDataBefore:
      return "MULTIPART_DATA_BEFORE";
    case Flag::kMultipartDataAfter:
      return "MULTIPART_DATA_AFTER";
    case Flag::kMultipartHeaderFolding:
      return "MULTIPART_HEADER_FOLDING";
    case Flag::kMultipartLfLine:
      return "MULTIPART_LF_LINE";
    case Flag::kMultipartMissingSemicolon:
      return "MULTIPART_MISSING_SEMICOLON";
    case Flag::kMultipartInvalidQuoting:
      return "MULTIPART_INVALID_QUOTING";
    case Flag::kMultipartInvalidPart:
      return "MULTIPART_INVALID_PART";
    case Flag::kMultipartInvalidHeaderFolding:
      return "MULTIPART_INVALID_HEADER_FOLDING";
    case Flag::kMultipartFileLimitExceeded:
      return "MULTIPART_FILE_LIMIT_EXCEEDED";
    case Flag::kMultipartUnmatchedBoundary:
      return "MULTIPART_UNMATCHED_BOUNDARY";
    case Flag::kMultipartCrlfLfLines:
      return "MULTIPART_CRLF_LF_LINES";
    case Flag::kMultipartError:
      return "MULTIPART_ERROR";
    case Flag::kCount:
      break;
  }
  return "";
}

char* Arena::Allocate(size_t n) {
  used_total_ += n;
  if (n > kBlockSize / 4) {
    // Big strings get their own block so they do not waste the tail of a shared one.
    large_.push_back(std::make_unique<char[]>(n == 0 ? 1 : n));
    return large_.back().get();
  }
  if (block_used_ + n > kBlockSize) {
    if (blocks_.empty() || block_index_ + 1 >= blocks_.size()) {
      blocks_.push_back(std::make_unique<char[]>(kBlockSize));
      block_index_ = blocks_.size() - 1;
    } else {
      ++block_index_;
    }
    block_used_ = 0;
  }
  char* p = blocks_[block_index_].get() + block_used_;
  block_used_ += n;
  return p;
}

std::string_view Arena::Copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = Allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

void Arena::Reset() {
  large_.clear();
  block_index_ = 0;
  // Force the next Allocate to start at block 0 (if any) without a fresh allocation.
  block_used_ = blocks_.empty() ? kBlockSize : 0;
  used_total_ = 0;
}

void BodyResult::SetError(std::string_view msg) {
  if (!Has(Flag::kReqbodyError)) error_msg.assign(msg);
  Set(Flag::kReqbodyError);
}

void BodyResult::Clear() {
  args.clear();
  files.clear();
  part_headers.clear();
  multipart_names.clear();
  multipart_filenames.clear();
  flags.reset();
  error_msg.clear();
  args_combined_size = 0;
  files_combined_size = 0;
  xml_text.clear();
  xml = XmlDocument();
  arena.Reset();
}

}  // namespace gs::body
