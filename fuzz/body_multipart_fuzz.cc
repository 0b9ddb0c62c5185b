// Fuzz target for the multipart body processor. Input: the Content-Type header value up to the
// first '\n', then the body. The first byte's low bit turns on FILES_TMP_CONTENT with a file
// limit of 2. Checks the shared invariants (file contents lie in the body, strict-error OR).
#include <cstdint>
#include <string_view>

#include "body_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gs::body;
  if (size == 0) return 0;
  Limits limits;
  limits.keep_file_content = (data[0] & 1) != 0;
  limits.upload_file_limit = 2;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t nl = in.find('\n');
  std::string_view ct = nl == std::string_view::npos ? in : in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  BodyResult r;
  ParseMultipart(ct, body, limits, &r);
  fuzz::CheckResult(r);
  for (const FilePart& f : r.files) {
    fuzz::Check(
        f.content.empty() || (f.content.data() >= body.data() &&
                              f.content.data() + f.content.size() <= body.data() + body.size()),
        "file content inside body");
  }
  return 0;
}
