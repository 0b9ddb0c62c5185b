// Tests for the HTTP/JSON ingest body → records conversion.
#include "logingest/json_records.h"

#include <gtest/gtest.h>

#include "logingest/test_util.h"

namespace gs::logingest {
namespace {

using testutil::ParseObject;

const UnixNanos kNow = 1'700'000'000LL * kNanosPerSecond;

TEST(JsonRecords, SingleObjectGetsTsAndKeepsMemberOrder) {
  auto r = JsonBodyToRecords(R"({"source":"gateway","type":"block","z":1,"a":2})", kNow);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0], R"({"source":"gateway","type":"block","z":1,"a":2,"ts":")" +
                         FormatRfc3339(kNow) + R"("})");
}

TEST(JsonRecords, ExistingTsIsKeptAndValidated) {
  auto r = JsonBodyToRecords(R"({"ts":"2026-01-02T03:04:05Z","x":"中"})", kNow);
  ASSERT_TRUE(r.ok());
  auto j = ParseObject((*r)[0]);
  EXPECT_EQ(j["ts"], "2026-01-02T03:04:05Z");
  EXPECT_EQ(j["x"], "中");
  auto bad = JsonBodyToRecords(R"({"ts":"yesterday"})", kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().substr(0, 10), "invalid_ts");
  EXPECT_FALSE(JsonBodyToRecords(R"({"ts":5})", kNow).ok());
  EXPECT_FALSE(JsonBodyToRecords(R"({"ts":"4052-11-25T00:00:00Z"})", kNow).ok());  // > int64 ns
  EXPECT_FALSE(JsonBodyToRecords(R"({"ts":"1700000000"})", kNow).ok());            // Unix seconds
  EXPECT_TRUE(JsonBodyToRecords(R"({"ts":"2026-11-25T08:00:00+08:00"})", kNow).ok());
}

TEST(JsonRecords, ArrayAndNdjson) {
  auto a = JsonBodyToRecords(R"([{"n":1},{"n":2},{"n":3}])", kNow);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ(ParseObject((*a)[2])["n"], 3);
  auto n = JsonBodyToRecords("{\"n\":1}\n\n{\"n\":2}\r\n{\"n\":3}\n", kNow);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_EQ(n->size(), 3u);
  EXPECT_EQ(ParseObject((*n)[1])["n"], 2);
  // A pretty-printed object spanning lines is one document, not NDJSON.
  auto p = JsonBodyToRecords("{\n  \"n\": 1,\n  \"m\": [1,\n 2]\n}\n", kNow);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->size(), 1u);
}

TEST(JsonRecords, RejectionsNameTheReason) {
  struct Case {
    const char* body;
    const char* reason;
  } cases[] = {
      {"", "empty_body"},
      {"  \n ", "empty_body"},
      {"[]", "empty_body"},
      {"{\"a\":", "invalid_json"},
      {"{\"a\":1}\n{oops}\n", "invalid_json"},
      {"[1,2]", "not_an_object"},
      {"[{\"a\":1},\"x\"]", "not_an_object"},
      {"42", "not_an_object"},
      {"\"str\"", "not_an_object"},
      {"{\"a\":\"\xff\"}", "invalid_json"},  // invalid UTF-8 inside a string
      {"{\"a\":1} trailing", "invalid_json"},
  };
  for (const Case& c : cases) {
    auto r = JsonBodyToRecords(c.body, kNow);
    ASSERT_FALSE(r.ok()) << c.body;
    std::string_view msg = r.status().message();
    EXPECT_EQ(msg.substr(0, msg.find(':')), c.reason) << c.body << " -> " << msg;
  }
}

TEST(JsonRecords, DeepNestingAndTooManyRecordsAreRefused) {
  std::string deep(100000, '[');
  auto r = JsonBodyToRecords(deep, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().substr(0, 8), "too_deep");
  std::string pretty;
  for (int i = 0; i < 1000; ++i) pretty += "{\"a\":\n";
  EXPECT_FALSE(JsonBodyToRecords(pretty, kNow).ok());
  auto many = JsonBodyToRecords("[{},{},{}]", kNow, 2);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace gs::logingest
