// Fuzz target `html_extract`: the content check's page extraction (libxml2 HTML parser, our
// style/hidden-link walker, date scanner) and the similarity sketch over what it extracts, on
// arbitrary bytes from a web server. Byte 0 picks the charset the "Content-Type" claims.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "monitor/checks/content/html_extract.h"
#include "monitor/checks/content/keywords.h"
#include "monitor/checks/content/sketch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* kCharsets[] = {"", "utf-8", "gbk", "gb2312", "iso-8859-1", "no-such-charset"};
  const char* cs = kCharsets[data[0] % (sizeof kCharsets / sizeof kCharsets[0])];
  std::string_view html(reinterpret_cast<const char*>(data + 1), size - 1);
  static bool init = (gs::monitor::InitHtmlParser(), true);
  (void)init;
  auto f = gs::monitor::ExtractPage(html, "http://www.example.gov.cn/dir/index.html", cs);
  if (!f.ok()) return 0;
  gs::monitor::Sketch t = gs::monitor::TextSketch(f->title + " " + f->text);
  gs::monitor::Sketch p = gs::monitor::PathSketch(f->structure);
  // A page is identical to itself; sketches are sorted, unique and bounded.
  if (gs::monitor::Similarity(t, t) != 1.0 || gs::monitor::Similarity(p, p) != 1.0) std::abort();
  if (t.size() > gs::monitor::kSketchSize) std::abort();
  for (size_t i = 1; i < t.size(); ++i)
    if (!(t[i - 1] < t[i])) std::abort();
  for (const auto& l : f->links) {
    (void)gs::monitor::SpamUrl(l.href);
    (void)gs::monitor::FindKeywords(l.text);
  }
  return 0;
}
