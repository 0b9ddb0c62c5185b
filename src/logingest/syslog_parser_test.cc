// Tests for syslog parsing (RFC 5424 examples from the RFC itself, RFC 3164 variants) and for
// the record built from each message, including every malformed shape keeping its raw bytes.
#include "logingest/syslog_parser.h"

#include <gtest/gtest.h>

#include "logingest/test_util.h"

namespace gs::logingest {
namespace {

using testutil::HasAnomaly;
using testutil::ParseObject;
using testutil::RawOf;

UnixNanos T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

const UnixNanos kRecv = T("2003-10-12T00:00:00Z");

nlohmann::json Record(std::string_view raw, UnixNanos recv = kRecv) {
  SyslogMessage m = ParseSyslog(raw, recv);
  SyslogContext ctx{"udp", "127.0.0.1:5000", recv, {}};
  return ParseObject(SyslogToRecord(raw, m, ctx));
}

TEST(Rfc5424, Rfc5424Example1) {
  std::string raw =
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
      "\xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8";
  SyslogMessage m = ParseSyslog(raw, kRecv);
  EXPECT_EQ(m.format, SyslogFormat::kRfc5424);
  EXPECT_TRUE(m.anomalies.empty());
  EXPECT_EQ(m.facility, 4);
  EXPECT_EQ(m.severity, 2);
  ASSERT_TRUE(m.timestamp);
  EXPECT_EQ(*m.timestamp, T("2003-10-11T22:14:15.003Z"));
  EXPECT_EQ(m.hostname, "mymachine.example.com");
  EXPECT_EQ(m.app_name, "su");
  EXPECT_EQ(m.procid, "");
  EXPECT_EQ(m.msgid, "ID47");
  EXPECT_EQ(m.msg, "'su root' failed for lonvick on /dev/pts/8");  // BOM removed

  auto j = Record(raw);
  EXPECT_EQ(j["ts"], "2003-10-11T22:14:15.003Z");
  EXPECT_EQ(j["source"], "syslog");
  EXPECT_EQ(j["type"], "syslog");
  EXPECT_EQ(j["format"], "rfc5424");
  EXPECT_EQ(j["facility"], 4);
  EXPECT_EQ(j["severity"], 2);
  EXPECT_EQ(j["hostname"], "mymachine.example.com");
  EXPECT_EQ(j["msgid"], "ID47");
  EXPECT_FALSE(j.contains("procid"));
  EXPECT_FALSE(j.contains("anomaly"));
  EXPECT_FALSE(j.contains("raw"));
  EXPECT_EQ(j["peer"], "127.0.0.1:5000");
  EXPECT_EQ(j["transport"], "udp");
}

TEST(Rfc5424, OffsetTimestampAndStructuredData) {
  std::string raw =
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - "
      "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
      "[examplePriority@32473 class=\"high\" note=\"a \\\"quoted\\\" \\] x\" note=\"two\"] "
      "%% It's time to make the do-nuts.";
  SyslogMessage m = ParseSyslog(raw, kRecv);
  EXPECT_TRUE(m.anomalies.empty()) << m.anomalies[0];
  ASSERT_TRUE(m.timestamp);
  EXPECT_EQ(*m.timestamp, T("2003-08-24T12:14:15.000003Z"));
  ASSERT_EQ(m.sd.size(), 2u);
  EXPECT_EQ(m.sd[0].id, "exampleSDID@32473");
  ASSERT_EQ(m.sd[0].params.size(), 3u);
  EXPECT_EQ(m.sd[1].params[1].value, "a \"quoted\" ] x");
  EXPECT_EQ(m.msg, "%% It's time to make the do-nuts.");

  auto j = Record(raw);
  EXPECT_EQ(j["sd"]["exampleSDID@32473"]["eventID"], "1011");
  EXPECT_EQ(j["sd"]["examplePriority@32473"]["class"], "high");
  // A repeated PARAM-NAME keeps every value, in order.
  ASSERT_TRUE(j["sd"]["examplePriority@32473"]["note"].is_array());
  EXPECT_EQ(j["sd"]["examplePriority@32473"]["note"][1], "two");
  EXPECT_EQ(j["procid"], "8710");
}

TEST(Rfc5424, NilFieldsAndNoMessage) {
  SyslogMessage m = ParseSyslog("<0>1 - - - - - -", kRecv);
  EXPECT_TRUE(m.anomalies.empty());
  EXPECT_FALSE(m.timestamp);
  EXPECT_EQ(m.facility, 0);
  EXPECT_EQ(m.msg, "");
  auto j = Record("<0>1 - - - - - -");
  EXPECT_EQ(j["ts"], "2003-10-12T00:00:00Z");  // receive time when the message has none
  EXPECT_EQ(j["received_at"], "2003-10-12T00:00:00Z");
}

TEST(Rfc3164, ClassicMessage) {
  auto raw = "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8";
  SyslogMessage m = ParseSyslog(raw, kRecv);
  EXPECT_EQ(m.format, SyslogFormat::kRfc3164);
  EXPECT_TRUE(m.anomalies.empty());
  ASSERT_TRUE(m.timestamp);
  EXPECT_EQ(*m.timestamp, T("2003-10-11T22:14:15Z"));
  EXPECT_EQ(m.hostname, "mymachine");
  EXPECT_EQ(m.app_name, "su");
  EXPECT_EQ(m.msg, "'su root' failed for lonvick on /dev/pts/8");
}

TEST(Rfc3164, PidPaddedDayNoHostnameAndYearRollover) {
  SyslogMessage m = ParseSyslog("<13>Feb  5 17:32:18 10.0.0.99 myapp[123]: Use the BFG!",
                                T("2004-03-01T00:00:00Z"));
  EXPECT_TRUE(m.anomalies.empty());
  EXPECT_EQ(*m.timestamp, T("2004-02-05T17:32:18Z"));
  EXPECT_EQ(m.hostname, "10.0.0.99");
  EXPECT_EQ(m.app_name, "myapp");
  EXPECT_EQ(m.procid, "123");
  EXPECT_EQ(m.msg, "Use the BFG!");

  m = ParseSyslog("<13>Nov 25 00:41:42 myapp: hello", T("2026-11-25T01:00:00Z"));
  EXPECT_EQ(m.hostname, "");
  EXPECT_EQ(m.app_name, "myapp");
  EXPECT_EQ(m.msg, "hello");

  // Sent on 31 December, received on 1 January: last year.
  m = ParseSyslog("<13>Dec 31 23:59:59 h app: x", T("2027-01-01T00:00:05Z"));
  ASSERT_TRUE(m.timestamp);
  EXPECT_EQ(*m.timestamp, T("2026-12-31T23:59:59Z"));
}

TEST(Rfc3164, Rfc3339TimestampVariant) {
  SyslogMessage m = ParseSyslog("<13>2026-11-25T00:41:42.5+08:00 host app: m", kRecv);
  EXPECT_TRUE(m.anomalies.empty());
  EXPECT_EQ(*m.timestamp, T("2026-11-24T16:41:42.5Z"));
  EXPECT_EQ(m.hostname, "host");
}

struct Malformed {
  std::string raw;
  const char* anomaly;
};

TEST(SyslogRecord, MalformedInputIsKeptRawWithAnomaly) {
  const Malformed cases[] = {
      {"", "empty_message"},
      {"hello world", "missing_pri"},
      {"<999>1 - - - - - - x", "invalid_pri"},
      {"<1a>1 - - - - - - x", "invalid_pri"},
      {"<>x", "invalid_pri"},
      {"<13", "invalid_pri"},
      {"<013>1 - - - - - - x", "pri_leading_zero"},
      {"<13>2 - - - - - - x", "unsupported_version"},
      {"<13>1 2003-10-11T22:14:15.003Z host", "truncated_header"},
      {"<13>1 - h a p m", "truncated_header"},
      {"<13>1 2003-13-11T22:14:15Z h a p m - x", "invalid_timestamp"},
      {"<13>1 2003-10-11T22:14:15.0000001Z h a p m - x", "invalid_timestamp"},
      {"<13>1 2003-10-11 22:14:15 h a p m - x", "invalid_structured_data"},
      {"<13>1 2003-10-11t22:14:15Z h a p m - x", "invalid_timestamp"},
      {"<13>1 9999-12-31T23:59:59.999999Z h a p m - x", "invalid_timestamp"},  // beyond int64 ns
      {"<13>1 0001-01-01T00:00:00Z h a p m - x", "invalid_timestamp"},
      {"<13>1 - h a p m [bad", "invalid_structured_data"},
      {"<13>1 - h a p m [id a=unquoted] x", "invalid_structured_data"},
      {"<13>1 - h a p m [id a=\"x]\"] x", "invalid_structured_data"},
      {"<13>1 - h a p m x", "invalid_structured_data"},
      {"<13>1 - h a p m -x", "invalid_structured_data"},
      {"<13>1 - h a p m [a x=\"1\"][a y=\"2\"] m", "duplicate_sd_id"},
      {"<13>1 - " + std::string(300, 'h') + " a p m - x", "field_too_long"},
      {"<13>1 - h\x01st a p m - x", "invalid_header_field"},
      {"<13>Xyz 11 22:14:15 host app: m", "invalid_timestamp"},
      {"<13>Feb 30 22:14:15 host app: m", "invalid_timestamp"},
      {"<13>1 - h a p m - \xff\xfe bytes", "invalid_utf8"},
      {"<13>Oct 11 22:14:15 h\xc3 app: \xc3\x28", "invalid_utf8"},
  };
  for (const Malformed& c : cases) {
    auto j = Record(c.raw);
    EXPECT_TRUE(HasAnomaly(j, c.anomaly)) << c.raw << " -> " << j.dump();
    EXPECT_EQ(RawOf(j), c.raw) << c.raw;  // the exact bytes survive, even non-UTF-8
    EXPECT_TRUE(j.contains("ts"));
  }
}

TEST(SyslogRecord, ExtraFramingAnomaliesAreAdded) {
  SyslogMessage m = ParseSyslog("<13>1 - - - - - - ok", kRecv);
  SyslogContext ctx{"tcp", "p", kRecv, {"frame_split"}};
  size_t n = 0;
  auto j = ParseObject(SyslogToRecord("<13>1 - - - - - - ok", m, ctx, &n));
  EXPECT_EQ(n, 1u);
  EXPECT_TRUE(HasAnomaly(j, "frame_split"));
  EXPECT_EQ(RawOf(j), "<13>1 - - - - - - ok");
}

TEST(SyslogRecord, AllBytesGiveValidJson) {
  // Every single byte value, and every byte pair after a valid header: never invalid JSON.
  for (int a = 0; a < 256; ++a) {
    std::string raw = "<13>1 - h a p m - ";
    raw.push_back(static_cast<char>(a));
    auto j = Record(raw);
    if (a < 0x80) {
      EXPECT_EQ(j["msg"], std::string(1, static_cast<char>(a))) << a;
      EXPECT_FALSE(j.contains("anomaly")) << a;
    } else {
      EXPECT_TRUE(HasAnomaly(j, "invalid_utf8")) << a;
      EXPECT_EQ(RawOf(j), raw);
    }
    std::string lone(1, static_cast<char>(a));
    auto k = Record(lone);
    EXPECT_EQ(RawOf(k), lone);
  }
}

}  // namespace
}  // namespace gs::logingest
