// Tests for RFC 6587 TCP framing: octet counting, LF/NUL framing, detection, fallback on bad
// length headers, oversize frames, truncated streams — each delivery split at every byte.
#include "logingest/syslog_framing.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace gs::logingest {
namespace {

using namespace std::string_literals;

struct Frame {
  std::string data;
  std::vector<std::string> anomalies;
};

std::vector<Frame> Frames(std::string_view stream, size_t step, size_t max_frame = 1024,
                          SyslogFraming* mode = nullptr) {
  std::vector<Frame> out;
  SyslogStreamFramer f(max_frame, [&](std::string_view d, const std::vector<std::string_view>& a) {
    Frame fr{std::string(d), {}};
    for (auto x : a) fr.anomalies.emplace_back(x);
    out.push_back(fr);
  });
  if (step == 0) step = stream.size() ? stream.size() : 1;
  for (size_t i = 0; i < stream.size(); i += step) f.Feed(stream.substr(i, step));
  if (mode) *mode = f.framing();
  f.Finish();
  return out;
}

std::vector<std::string> Datas(const std::vector<Frame>& fs) {
  std::vector<std::string> d;
  for (auto& f : fs) d.push_back(f.data);
  return d;
}

TEST(SyslogFraming, OctetCountingAtEverySplit) {
  std::string m1 = "<13>1 - h a - - - first";
  std::string m2 = "<13>1 - h a - - - second\nwith newline\0and NUL\0"s;
  std::string stream = std::to_string(m1.size()) + " " + m1 + std::to_string(m2.size()) + " " + m2;
  for (size_t step : {0, 1, 2, 5}) {
    SyslogFraming mode;
    auto fs = Frames(stream, step, 1024, &mode);
    EXPECT_EQ(mode, SyslogFraming::kOctetCounting);
    ASSERT_EQ(fs.size(), 2u) << step;
    EXPECT_EQ(fs[0].data, m1);
    EXPECT_EQ(fs[1].data, m2);  // LF and NUL inside an octet-counted frame are content
    EXPECT_TRUE(fs[0].anomalies.empty());
    EXPECT_TRUE(fs[1].anomalies.empty());
  }
}

TEST(SyslogFraming, NewlineAndNulFraming) {
  std::string stream = "<13>a\n<13>b\r\n\n\r\n<13>c\0<13>d\n"s;
  for (size_t step : {0, 1, 3}) {
    SyslogFraming mode;
    auto fs = Frames(stream, step, 1024, &mode);
    EXPECT_EQ(mode, SyslogFraming::kNonTransparent);
    EXPECT_EQ(Datas(fs), (std::vector<std::string>{"<13>a", "<13>b", "<13>c", "<13>d"}));
    for (auto& f : fs) EXPECT_TRUE(f.anomalies.empty());
  }
}

TEST(SyslogFraming, InvalidOctetCountFallsBackWithoutLosingBytes) {
  const char* bad[] = {"12x <13>hello\n", "0 <13>hello\n", "1234567890 <13>hello\n",
                       "5<13>hello\n"};
  for (const char* s : bad) {
    for (size_t step : {0, 1}) {
      auto fs = Frames(s, step);
      ASSERT_EQ(fs.size(), 1u) << s;
      std::string want(s);
      want.pop_back();
      EXPECT_EQ(fs[0].data, want);
      EXPECT_EQ(fs[0].anomalies, std::vector<std::string>{"invalid_octet_count"}) << s;
    }
  }
}

TEST(SyslogFraming, GoodFramesThenGarbageHeader) {
  std::string stream = "5 <13>a7 <13>bcdXX garbage\nlast\n";
  auto fs = Frames(stream, 1);
  ASSERT_EQ(fs.size(), 4u);
  EXPECT_EQ(fs[0].data, "<13>a");
  EXPECT_EQ(fs[1].data, "<13>bcd");
  EXPECT_EQ(fs[2].data, "XX garbage");
  EXPECT_EQ(fs[2].anomalies, std::vector<std::string>{"invalid_octet_count"});
  EXPECT_EQ(fs[3].data, "last");
  EXPECT_TRUE(fs[3].anomalies.empty());
}

TEST(SyslogFraming, OversizeFramesAreSplitNotDropped) {
  std::string body(40, 'x');
  std::string stream = "40 " + body + "3 <1>";
  auto fs = Frames(stream, 1, 16);
  ASSERT_EQ(fs.size(), 4u);
  EXPECT_EQ(fs[0].data + fs[1].data + fs[2].data, body);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fs[i].anomalies, std::vector<std::string>{"frame_split"});
  EXPECT_EQ(fs[3].data, "<1>");
  EXPECT_TRUE(fs[3].anomalies.empty());

  auto nl = Frames(std::string(40, 'y') + "\nok\n", 0, 16);
  ASSERT_EQ(nl.size(), 4u);
  EXPECT_EQ(nl[0].data + nl[1].data + nl[2].data, std::string(40, 'y'));
  EXPECT_EQ(nl[2].anomalies, std::vector<std::string>{"frame_split"});
  EXPECT_EQ(nl[3].data, "ok");
}

TEST(SyslogFraming, TruncatedStreamsDeliverWhatArrived) {
  auto fs = Frames("20 <13>only part", 1);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].data, "<13>only part");
  EXPECT_EQ(fs[0].anomalies, std::vector<std::string>{"unterminated_frame"});

  fs = Frames("<13>no newline at end", 0);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].data, "<13>no newline at end");
  EXPECT_EQ(fs[0].anomalies, std::vector<std::string>{"unterminated_frame"});

  fs = Frames("5 <13>a12", 0);  // a dangling length header
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs[1].data, "12");
  EXPECT_EQ(fs[1].anomalies.size(), 2u);
}

TEST(SyslogFraming, RandomSplitsPreserveOctetCountedContent) {
  std::mt19937 rng(42);
  std::vector<std::string> msgs;
  std::string stream;
  for (int i = 0; i < 200; ++i) {
    std::string m = "<" + std::to_string(i % 192) + ">";
    size_t len = rng() % 300;
    for (size_t k = 0; k < len; ++k) m.push_back(static_cast<char>(rng() % 256));
    msgs.push_back(m);
    stream += std::to_string(m.size()) + " " + m;
  }
  std::vector<std::string> got;
  SyslogStreamFramer f(1024, [&](std::string_view d, const std::vector<std::string_view>& a) {
    EXPECT_TRUE(a.empty());
    got.emplace_back(d);
  });
  for (size_t i = 0; i < stream.size();) {
    size_t n = 1 + rng() % 50;
    f.Feed(std::string_view(stream).substr(i, n));
    i += n;
  }
  f.Finish();
  EXPECT_EQ(got, msgs);
}

}  // namespace
}  // namespace gs::logingest
