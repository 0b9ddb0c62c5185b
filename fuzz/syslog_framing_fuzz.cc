// Fuzz target: RFC 6587 TCP stream framing. Invariant: the frames (and their anomaly codes) do
// not depend on how the stream is split — whole, byte by byte, or in pieces whose sizes come
// from the input itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "logingest/syslog_framing.h"

namespace {

std::vector<std::string> Frame(std::string_view s, size_t step) {
  std::vector<std::string> out;
  gs::logingest::SyslogStreamFramer f(
      64, [&](std::string_view d, const std::vector<std::string_view>& a) {
        std::string e(d);
        for (auto x : a) e += "|" + std::string(x);
        out.push_back(e);
      });
  for (size_t i = 0; i < s.size(); i += step) f.Feed(s.substr(i, step));
  f.Finish();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto whole = Frame(s, s.size() ? s.size() : 1);
  if (Frame(s, 1) != whole) std::abort();
  size_t step = size ? 1 + data[0] % 17 : 1;
  if (Frame(s, step) != whole) std::abort();
  return 0;
}
