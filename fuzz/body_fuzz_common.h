// Shared invariant checks for the body processor fuzz targets: every string_view a processor
// returns must be readable, the bookkeeping counters must agree with the lists, and
// MULTIPART_STRICT_ERROR must be the OR of its parts. A violation aborts.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "ruleengine/body/body.h"

namespace gs::body::fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "body invariant violated: %s\n", what);
    std::abort();
  }
}

// Touches every byte (so ASan sees a dangling view) and checks the counters.
inline void CheckResult(const BodyResult& r) {
  size_t combined = 0;
  unsigned sink = 0;
  for (const Arg& a : r.args) {
    for (char c : a.name) sink += static_cast<unsigned char>(c);
    for (char c : a.value) sink += static_cast<unsigned char>(c);
    combined += a.name.size() + a.value.size();
  }
  for (const FilePart& f : r.files) {
    for (char c : f.content) sink += static_cast<unsigned char>(c);
    Check(f.content.empty() || f.content.size() == f.size, "file content size");
  }
  for (const KeyValue& kv : r.part_headers) {
    for (char c : kv.value) sink += static_cast<unsigned char>(c);
  }
  (void)sink;
  Check(combined == r.args_combined_size, "args_combined_size");
  Check(r.Has(Flag::kReqbodyError) == !r.error_msg.empty(), "error flag <-> message");
  const Flag strict_parts[] = {Flag::kMultipartError,
                               Flag::kMultipartBoundaryQuoted,
                               Flag::kMultipartBoundaryWhitespace,
                               Flag::kMultipartDataBefore,
                               Flag::kMultipartDataAfter,
                               Flag::kMultipartHeaderFolding,
                               Flag::kMultipartLfLine,
                               Flag::kMultipartMissingSemicolon,
                               Flag::kMultipartInvalidQuoting,
                               Flag::kMultipartInvalidPart,
                               Flag::kMultipartInvalidHeaderFolding,
                               Flag::kMultipartFileLimitExceeded};
  bool any = false;
  for (Flag f : strict_parts) any = any || r.Has(f);
  Check(any == r.Has(Flag::kMultipartStrictError), "MULTIPART_STRICT_ERROR is the OR");
  Check(!r.Has(Flag::kMultipartCrlfLfLines) || r.Has(Flag::kMultipartLfLine), "CRLF_LF implies LF");
}

}  // namespace gs::body::fuzz
