// Unit tests for the request body processors. Expected values follow ModSecurity v3 behaviour:
// its source (src/request_body_processor/*.cc, Transaction::extractArguments) and its
// regression cases (test/test-cases/regression/request-body-parser-*.json,
// variable-MULTIPART_*.json), cited per test.
#include "ruleengine/body/body.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <string>
#include <vector>

namespace gs::body {
namespace {

std::vector<std::pair<std::string, std::string>> Args(const BodyResult& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Arg& a : r.args) out.emplace_back(std::string(a.name), std::string(a.value));
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Joins lines with eol. Results hold views into the body, so the built bodies are kept alive
// for the whole test binary (a deque never moves its elements).
const std::string& Crlf(const std::vector<std::string>& lines, const char* eol = "\r\n") {
  static std::deque<std::string> bodies;
  std::string s;
  for (const auto& l : lines) s += l + eol;
  bodies.push_back(std::move(s));
  return bodies.back();
}

// --- urlencoded ------------------------------------------------------------------------------

TEST(UrlEncoded, SplitsAndPointsIntoInputWhenNothingIsDecoded) {
  std::string in = "a=1&b=two";
  BodyResult r;
  ParseUrlEncoded(in, Origin::kBody, Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"a", "1"}, {"b", "two"}}));
  EXPECT_EQ(r.args[1].value.data(), in.data() + 6);  // zero-copy
  EXPECT_EQ(r.args_combined_size, 6u);
  EXPECT_EQ(r.arena.bytes_used(), 0u);
  EXPECT_FALSE(r.Has(Flag::kUrlencodedError));
}

TEST(UrlEncoded, DecodesPlusAndPercentInNamesAndValues) {
  BodyResult r;
  ParseUrlEncoded("q%5B%5D=a+b%41%2b&x+y=%e4%b8%ad", Origin::kQueryString, Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"q[]", "a bA+"}, {"x y", "\xe4\xb8\xad"}}));
  EXPECT_EQ(r.args[0].origin, Origin::kQueryString);
  EXPECT_FALSE(r.Has(Flag::kUrlencodedError));
}

TEST(UrlEncoded, InvalidEncodingKeptLiterallyAndFlagged) {
  // urldecode_nonstrict: a '%' without two hex digits after it is copied and counted invalid.
  BodyResult r;
  ParseUrlEncoded("a=%zz1&b=%4&c=50%", Origin::kBody, Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"a", "%zz1"}, {"b", "%4"}, {"c", "50%"}}));
  EXPECT_TRUE(r.Has(Flag::kUrlencodedError));
  EXPECT_EQ(FlagName(Flag::kUrlencodedError), "URLENCODED_ERROR");
}

TEST(UrlEncoded, EmptyNamesAndValuesAndTrailingSeparator) {
  // ssplit uses std::getline: "&&" gives an empty piece, one trailing separator gives none.
  BodyResult r;
  ParseUrlEncoded("&a=&=b&c&&", Origin::kBody, Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"", ""}, {"a", ""}, {"", "b"}, {"c", ""}, {"", ""}}));
  BodyResult r2;
  ParseUrlEncoded("a=1&", Origin::kBody, Limits{}, &r2);
  EXPECT_EQ(Args(r2), (Pairs{{"a", "1"}}));
  BodyResult r3;
  ParseUrlEncoded("", Origin::kBody, Limits{}, &r3);
  EXPECT_TRUE(r3.args.empty());
  BodyResult r4;
  ParseUrlEncoded("k=v=w", Origin::kBody, Limits{}, &r4);  // split on the first '=' only
  EXPECT_EQ(Args(r4), (Pairs{{"k", "v=w"}}));
}

TEST(UrlEncoded, ConfigurableSeparator) {
  Limits limits;
  limits.argument_separator = ';';
  BodyResult r;
  ParseUrlEncoded("a=1;b=2&c=3", Origin::kBody, limits, &r);
  EXPECT_EQ(Args(r), (Pairs{{"a", "1"}, {"b", "2&c=3"}}));
}

TEST(UrlEncoded, ArgumentsLimitStopsAndFlags) {
  // SecArgumentsLimit counts every argument of the transaction (query string + body).
  Limits limits;
  limits.arguments_limit = 3;
  BodyResult r;
  ParseUrlEncoded("q=1", Origin::kQueryString, limits, &r);
  ParseUrlEncoded("a=1&b=2&c=3", Origin::kBody, limits, &r);
  EXPECT_EQ(Args(r), (Pairs{{"q", "1"}, {"a", "1"}, {"b", "2"}}));
  EXPECT_TRUE(r.Has(Flag::kArgumentsLimitExceeded));
  BodyResult ok;
  ParseUrlEncoded("a=1&b=2&c=3", Origin::kBody, limits, &ok);
  EXPECT_FALSE(ok.Has(Flag::kArgumentsLimitExceeded));
}

TEST(UrlEncoded, ClearReusesResult) {
  BodyResult r;
  ParseUrlEncoded("a=%41&b=%zz", Origin::kBody, Limits{}, &r);
  r.Clear();
  EXPECT_TRUE(r.args.empty());
  EXPECT_FALSE(r.Has(Flag::kUrlencodedError));
  ParseUrlEncoded("x=%42", Origin::kBody, Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"x", "B"}}));
}

// --- multipart -------------------------------------------------------------------------------

const std::vector<std::string> kNormal = {
    "--0000",
    "Content-Disposition: form-data; name=\"name\"",
    "",
    "Brian Rectanus",
    "--0000",
    "Content-Disposition: form-data; name=\"email\"",
    "",
    "brian.rectanus@breach.com",
    "--0000",
    "Content-Disposition: form-data; name=\"image\"; filename=\"image.jpg\"",
    "Content-Type: image/jpeg",
    "",
    "BINARYDATA",
    "--0000--"};

std::vector<Flag> MultipartFlags(const BodyResult& r) {
  std::vector<Flag> out;
  for (size_t i = static_cast<size_t>(Flag::kMultipartStrictError); i < kFlagCount; ++i) {
    if (r.flags.test(i)) out.push_back(static_cast<Flag>(i));
  }
  return out;
}

TEST(Multipart, NormalBody) {
  // regression "multipart parser (normal)": two ARGS, one file of 10 bytes, no flags.
  std::string body = Crlf(kNormal);
  Limits limits;
  limits.keep_file_content = true;
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", body, limits, &r);
  EXPECT_EQ(Args(r), (Pairs{{"name", "Brian Rectanus"}, {"email", "brian.rectanus@breach.com"}}));
  EXPECT_EQ(r.args[0].origin, Origin::kBody);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].part_name, "image");
  EXPECT_EQ(r.files[0].filename, "image.jpg");
  EXPECT_EQ(r.files[0].size, 10u);
  EXPECT_EQ(r.files[0].content, "BINARYDATA");
  EXPECT_EQ(r.files_combined_size, 10u);
  EXPECT_TRUE(MultipartFlags(r).empty());
  EXPECT_FALSE(r.Has(Flag::kReqbodyError)) << r.error_msg;
  EXPECT_EQ(r.multipart_names, (std::vector<std::string_view>{"name", "email", "image"}));
  EXPECT_EQ(r.multipart_filenames, (std::vector<std::string_view>{"image.jpg"}));
  // MULTIPART_PART_HEADERS:image contains the Content-Type line.
  bool found = false;
  for (const KeyValue& kv : r.part_headers) {
    if (kv.key == "image" && kv.value == "Content-Type: image/jpeg") found = true;
  }
  EXPECT_TRUE(found);
  // Single-line values are views into the body.
  EXPECT_GE(r.args[0].value.data(), body.data());
  EXPECT_LT(r.args[0].value.data(), body.data() + body.size());
}

TEST(Multipart, BoundaryContainingTheWordBoundaryAndDataWithDashes) {
  // regression "boundary contains \"bOuNdArY\"" and "data contains \"--\"".
  const std::string b = "--------0xKhTmLbOuNdArY";
  const std::string& body =
      Crlf({"--" + b, "Content-Disposition: form-data; name=\"a\"", "", "--test", "--" + b,
            "Content-Disposition: form-data; name=\"b\"", "", "--", "--" + b + "--"});
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=" + b, body, Limits{}, &r);
  EXPECT_FALSE(r.Has(Flag::kReqbodyError)) << r.error_msg;
  EXPECT_FALSE(r.Has(Flag::kMultipartStrictError));
  EXPECT_EQ(Args(r), (Pairs{{"a", "--test"}, {"b", "--"}}));
  // Any other line starting with "--" looks like a boundary to v3 (not part of STRICT_ERROR).
  EXPECT_TRUE(r.Has(Flag::kMultipartUnmatchedBoundary));
}

TEST(Multipart, FinalBoundaryWithoutNewlineIsAccepted) {
  std::string body = Crlf(kNormal);
  body.resize(body.size() - 2);
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", body, Limits{}, &r);
  EXPECT_FALSE(r.Has(Flag::kReqbodyError)) << r.error_msg;
  EXPECT_EQ(r.args.size(), 2u);
  EXPECT_EQ(r.files.size(), 1u);
}

TEST(Multipart, NamelessLastPartClosedByUnterminatedFinalBoundary) {
  // Found by fuzz_body_multipart: the invalid part must still raise MULTIPART_STRICT_ERROR.
  std::string body = "--0000\r\nContent-Dispe\"; filename=\"a\"\r\n\r\nDATA\r\n--0000--";
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", body, Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kMultipartInvalidPart));
  EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));
  EXPECT_TRUE(r.files.empty());
}

TEST(Multipart, FinalBoundaryMissingIsReqbodyError) {
  std::vector<std::string> lines(kNormal.begin(), kNormal.end() - 1);
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kReqbodyError));
  EXPECT_NE(r.error_msg.find("Final boundary missing"), std::string::npos);
  EXPECT_FALSE(r.Has(Flag::kMultipartStrictError));
}

TEST(Multipart, NoBoundaryInPayload) {
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", "hello\r\n", Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kReqbodyError));
  EXPECT_NE(r.error_msg.find("No boundaries found"), std::string::npos);
  EXPECT_TRUE(r.Has(Flag::kMultipartDataBefore));
}

struct CtCase {
  const char* ct;
  const char* error;  // substring of error_msg, or nullptr for success
  Flag flag;          // flag expected (kCount: none)
};

TEST(Multipart, ContentTypeBoundaryParsing) {
  // Cases from request-body-parser-multipart.json and Multipart::init.
  const CtCase cases[] = {
      {"multipart/form-data; boundary=0000", nullptr, Flag::kCount},
      {"multipart/form-data; boundary=\"0000\"", nullptr, Flag::kMultipartBoundaryQuoted},
      {"multipart/form-data; boundary =0000", nullptr, Flag::kMultipartBoundaryWhitespace},
      {"multipart/form-data boundary=0000", nullptr, Flag::kMultipartMissingSemicolon},
      {"multipart/form-data, boundary=0000", "(malformed)", Flag::kMultipartError},
      {"multipart/form-data; bOundAry=0000", "(case sensitivity)", Flag::kMultipartError},
      {"multipart/form-data; boundary123=0000", "(parameter name)", Flag::kMultipartError},
      {"multipart/form-data; boundary=\"0000\"; boundary=1111", "Multiple boundary",
       Flag::kMultipartError},
      {"multipart/form-data; boundary=0000, boundary=1111", "Multiple boundary",
       Flag::kMultipartError},
      {"multipart/form-data; boundary=\"0000", "(quote)", Flag::kMultipartError},
      {"multipart/form-data; boundary=00<00", "(characters)", Flag::kMultipartError},
      {"multipart/form-data", "Boundary not found", Flag::kMultipartError},
      {"text/plain; boundary=0000", "Invalid MIME type", Flag::kMultipartError},
      {"", "Content-Type header not available", Flag::kMultipartError},
  };
  for (const CtCase& c : cases) {
    SCOPED_TRACE(c.ct);
    BodyResult r;
    const std::string body1 = Crlf(kNormal);
    ParseMultipart(c.ct, body1, Limits{}, &r);
    if (c.error == nullptr) {
      EXPECT_FALSE(r.Has(Flag::kReqbodyError)) << r.error_msg;
      EXPECT_EQ(r.args.size(), 2u);
    } else {
      EXPECT_TRUE(r.Has(Flag::kReqbodyError));
      EXPECT_NE(r.error_msg.find(c.error), std::string::npos) << r.error_msg;
      EXPECT_TRUE(r.args.empty());
    }
    if (c.flag != Flag::kCount) {
      EXPECT_TRUE(r.Has(c.flag)) << FlagName(c.flag);
      EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));
    } else {
      EXPECT_FALSE(r.Has(Flag::kMultipartStrictError));
    }
  }
  // Whitespace after '=' stays part of the boundary (Multipart::init assigns from there).
  BodyResult ws;
  ParseMultipart("multipart/form-data; boundary= 0000",
                 "-- 0000\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n-- 0000--\r\n",
                 Limits{}, &ws);
  EXPECT_TRUE(ws.Has(Flag::kMultipartBoundaryWhitespace));
  EXPECT_FALSE(ws.Has(Flag::kReqbodyError)) << ws.error_msg;
  EXPECT_EQ(Args(ws), (Pairs{{"a", "1"}}));
  std::string long_ct = "multipart/form-data; boundary=" + std::string(2000, 'a');
  BodyResult r;
  const std::string body2 = Crlf(kNormal);
  ParseMultipart(long_ct, body2, Limits{}, &r);
  EXPECT_NE(r.error_msg.find("(length)"), std::string::npos);
}

TEST(Multipart, DataBeforeAndAfter) {
  std::vector<std::string> lines = kNormal;
  lines.insert(lines.begin(), "preamble");
  BodyResult before;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &before);
  EXPECT_TRUE(before.Has(Flag::kMultipartDataBefore));
  EXPECT_TRUE(before.Has(Flag::kMultipartStrictError));
  EXPECT_FALSE(before.Has(Flag::kReqbodyError));

  // regression "data after final boundary": the later part is ignored.
  std::vector<std::string> after = kNormal;
  after.push_back("--0000");
  after.push_back("Content-Disposition: form-data; name=\"late\"");
  after.push_back("");
  after.push_back("x");
  after.push_back("--0000--");
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(after), Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kMultipartDataAfter));
  EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));
  EXPECT_EQ(r.args.size(), 2u);
}

TEST(Multipart, HeaderFoldingValidAndInvalid) {
  // regression "part header folding - space": accepted, name parsed from the folded value.
  std::vector<std::string> lines = {
      "--0000", "Content-Disposition: form-data;", "   name=\"a\"", "", "1", "--0000--"};
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"a", "1"}}));
  EXPECT_TRUE(r.Has(Flag::kMultipartHeaderFolding));
  EXPECT_FALSE(r.Has(Flag::kMultipartInvalidHeaderFolding));
  EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));

  lines[2] = "\f\tname=\"a\"";  // "part header folding - mixed invalid"
  BodyResult bad;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &bad);
  EXPECT_TRUE(bad.Has(Flag::kMultipartInvalidHeaderFolding));
  EXPECT_TRUE(bad.Has(Flag::kMultipartHeaderFolding));
}

TEST(Multipart, LineEndings) {
  BodyResult lf;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(kNormal, "\n"), Limits{}, &lf);
  EXPECT_TRUE(lf.Has(Flag::kMultipartLfLine));
  EXPECT_FALSE(lf.Has(Flag::kMultipartCrlfLfLines));
  EXPECT_TRUE(lf.Has(Flag::kMultipartStrictError));
  EXPECT_EQ(lf.args.size(), 2u);
  EXPECT_EQ(lf.files.at(0).size, 10u);

  std::string mixed = Crlf(kNormal);
  size_t pos = mixed.find("\r\nContent-Disposition");  // first boundary line ends in LF only
  mixed.erase(pos, 1);
  BodyResult m;
  ParseMultipart("multipart/form-data; boundary=0000", mixed, Limits{}, &m);
  EXPECT_TRUE(m.Has(Flag::kMultipartLfLine));
  EXPECT_TRUE(m.Has(Flag::kMultipartCrlfLfLines));
}

TEST(Multipart, InvalidQuoting) {
  // regression "C-D uses single quotes".
  std::vector<std::string> lines = {"--0000", "Content-Disposition: form-data; name='a'", "", "1",
                                    "--0000--"};
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kMultipartInvalidQuoting));
  EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));
  EXPECT_EQ(Args(r), (Pairs{{"a", "1"}}));
}

TEST(Multipart, SingleQuoteInsideDoubleQuotesIsNotInvalidQuoting) {
  // ModSecurity v3.0.7 (#2352): "O'Brien.pdf" is a normal file name; unquoted it is not.
  std::vector<std::string> quoted = {
      "--0000", "Content-Disposition: form-data; name=\"f\"; filename=\"O'Brien.pdf\"", "", "x",
      "--0000--"};
  BodyResult q;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(quoted), Limits{}, &q);
  EXPECT_FALSE(q.Has(Flag::kMultipartInvalidQuoting));
  EXPECT_EQ(q.files.size(), 1u);
  std::vector<std::string> bare = {
      "--0000", "Content-Disposition: form-data; name=\"f\"; filename=O'Brien.pdf", "", "x",
      "--0000--"};
  BodyResult b;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(bare), Limits{}, &b);
  EXPECT_TRUE(b.Has(Flag::kMultipartInvalidQuoting));
}

TEST(Multipart, PartWithoutDispositionIsInvalidPart) {
  // regression "no disposition": error recorded, parsing goes on, the part is dropped.
  std::vector<std::string> lines = {
      "--0000", "",  "1",       "--0000", "Content-Disposition: form-data; name=\"b\"",
      "",       "2", "--0000--"};
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kMultipartInvalidPart));
  EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));
  EXPECT_TRUE(r.Has(Flag::kReqbodyError));
  EXPECT_EQ(Args(r), (Pairs{{"b", "2"}}));
}

TEST(Multipart, BadDispositionAndDuplicateName) {
  std::vector<std::string> lines = {"--0000", "Content-Disposition: form-data name=\"a\"", "", "1",
                                    "--0000--"};
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &r);
  // The C-D error is recorded but not fatal: the part stays in header state, its data line is
  // then a header without colon (that message replaces the first, as error->assign does), and
  // the nameless part is dropped.
  EXPECT_TRUE(r.Has(Flag::kReqbodyError));
  EXPECT_TRUE(r.Has(Flag::kMultipartInvalidPart));
  EXPECT_TRUE(r.args.empty());

  lines[1] = "Content-Disposition: form-data; name=\"a\"; name=\"b\"";
  BodyResult dup;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &dup);
  EXPECT_TRUE(dup.Has(Flag::kReqbodyError));
  // The name was taken before the duplicate was seen, so v3 keeps the part, without data.
  EXPECT_EQ(Args(dup), (Pairs{{"a", ""}}));
  EXPECT_EQ(dup.multipart_names, (std::vector<std::string_view>{"a", "b"}));
}

TEST(Multipart, UnmatchedBoundary) {
  std::vector<std::string> lines = {
      "--0000", "Content-Disposition: form-data; name=\"a\"", "", "x--0000y", "--1111", "--0000--"};
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kMultipartUnmatchedBoundary));
  EXPECT_FALSE(r.Has(Flag::kMultipartStrictError));  // not part of STRICT_ERROR
  // Text values lose their line terminators in v3 (the reserve is overwritten).
  EXPECT_EQ(Args(r), (Pairs{{"a", "x--0000y--1111"}}));

  BodyResult clean;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(kNormal), Limits{}, &clean);
  EXPECT_FALSE(clean.Has(Flag::kMultipartUnmatchedBoundary));
}

TEST(Multipart, FileLimitExceeded) {
  std::vector<std::string> lines = {
      "--0000",  "Content-Disposition: form-data; name=\"f1\"; filename=\"a\"", "", "AAA",
      "--0000",  "Content-Disposition: form-data; name=\"f2\"; filename=\"b\"", "", "BBBB",
      "--0000--"};
  Limits limits;
  limits.keep_file_content = true;
  limits.upload_file_limit = 1;
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), limits, &r);
  EXPECT_TRUE(r.Has(Flag::kMultipartFileLimitExceeded));
  EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[1].size, 4u);
  limits.upload_file_limit = 2;
  BodyResult ok;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), limits, &ok);
  EXPECT_FALSE(ok.Has(Flag::kMultipartFileLimitExceeded));
}

TEST(Multipart, MultiLineFileKeepsInnerNewlines) {
  std::vector<std::string> lines = {
      "--0000",  "Content-Disposition: form-data; name=\"f\"; filename=\"a\"",
      "",        "line1",
      "",        "line3",
      "--0000--"};
  Limits limits;
  limits.keep_file_content = true;
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), limits, &r);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].content, "line1\r\n\r\nline3");
  EXPECT_EQ(r.files[0].size, 14u);
}

TEST(Multipart, HostileInputs) {
  // Header line longer than the 4096-byte buffer: fatal error.
  std::vector<std::string> lines = {"--0000", "X-Long: " + std::string(5000, 'a'), "", "1",
                                    "--0000--"};
  BodyResult r;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(lines), Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kReqbodyError));
  EXPECT_TRUE(r.Has(Flag::kMultipartStrictError));

  // Unterminated part, boundary of maximal C-T length, thousands of empty parts.
  std::string b(1000, 'b');
  std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n" +
                     std::string(100000, 'z');
  BodyResult u;
  ParseMultipart("multipart/form-data; boundary=" + b, body, Limits{}, &u);
  EXPECT_TRUE(u.Has(Flag::kReqbodyError));

  std::string many;
  for (int i = 0; i < 20000; ++i) many += "--0000\r\n";
  many += "--0000--\r\n";
  BodyResult m;
  ParseMultipart("multipart/form-data; boundary=0000", many, Limits{}, &m);
  EXPECT_TRUE(m.args.empty());
  EXPECT_TRUE(m.Has(Flag::kMultipartInvalidPart));

  // A long data line (> 4096 bytes) in a text part is kept whole.
  std::vector<std::string> big = {"--0000", "Content-Disposition: form-data; name=\"v\"", "",
                                  std::string(10000, 'v'), "--0000--"};
  BodyResult bv;
  ParseMultipart("multipart/form-data; boundary=0000", Crlf(big), Limits{}, &bv);
  ASSERT_EQ(bv.args.size(), 1u);
  EXPECT_EQ(bv.args[0].value.size(), 10000u);
}

// --- JSON ------------------------------------------------------------------------------------

TEST(Json, ObjectsUseDottedNames) {
  // regression "JSON request body parser 1/2 and 2/2".
  BodyResult r;
  ParseJson(R"({"foo":"bar","mod":"sec","first_level":{"first_key":"bar","n":1.50e3}})", Limits{},
            &r);
  EXPECT_EQ(Args(r), (Pairs{{"json.foo", "bar"},
                            {"json.mod", "sec"},
                            {"json.first_level.first_key", "bar"},
                            {"json.first_level.n", "1.50e3"}}));
  EXPECT_EQ(r.args[0].origin, Origin::kJson);
  EXPECT_FALSE(r.Has(Flag::kReqbodyError));
}

TEST(Json, ArraysScalarsAndEmptyKeys) {
  // JSON::addArgument: arrays contribute ".array_<i>", elements have no key of their own.
  BodyResult r;
  ParseJson(R"({"arr":[1,"x",true,false,null],"o":[{"x":1},{"x":2}],"":"e","m":[[1,2],[3]]})",
            Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"json.arr.array_0", "1"},
                            {"json.arr.array_1", "x"},
                            {"json.arr.array_2", "true"},
                            {"json.arr.array_3", "false"},
                            {"json.arr.array_4", ""},
                            {"json.o.array_0.x", "1"},
                            {"json.o.array_1.x", "2"},
                            {"json.empty-key", "e"},
                            {"json.m.array_0.array_0", "1"},
                            {"json.m.array_0.array_1", "2"},
                            {"json.m.array_1.array_0", "3"}}));
  BodyResult top;
  ParseJson(R"([1,{"a":"b"}])", Limits{}, &top);
  EXPECT_EQ(Args(top), (Pairs{{"json.array_0", "1"}, {"json.array_1.a", "b"}}));
  BodyResult scalar;
  ParseJson(R"("just a string")", Limits{}, &scalar);
  EXPECT_EQ(Args(scalar), (Pairs{{"json", "just a string"}}));
}

TEST(Json, EscapesAreDecoded) {
  BodyResult r;
  ParseJson(R"({"k\u0041":"a\nb\"c"})", Limits{}, &r);
  EXPECT_EQ(Args(r), (Pairs{{"json.kA", "a\nb\"c"}}));
}

TEST(Json, DepthLimit) {
  // regression "depth not over limit" / "depth over limit" (SecRequestBodyJsonDepthLimit 5/4).
  const char* doc = R"({"key1":{"key2":{"key3":{"key4":{"key5":"thevalue"}}}}})";
  Limits limits;
  limits.json_depth_limit = 5;
  BodyResult ok;
  ParseJson(doc, limits, &ok);
  EXPECT_EQ(Args(ok), (Pairs{{"json.key1.key2.key3.key4.key5", "thevalue"}}));
  EXPECT_FALSE(ok.Has(Flag::kReqbodyError));
  limits.json_depth_limit = 4;
  BodyResult over;
  ParseJson(doc, limits, &over);
  EXPECT_TRUE(over.Has(Flag::kReqbodyError));
  EXPECT_NE(over.error_msg.find("depth"), std::string::npos);
  EXPECT_TRUE(over.args.empty());
}

TEST(Json, InvalidJsonIsReqbodyError) {
  // regression issue #1822: empty body is fine, "a" is an error.
  BodyResult empty;
  ParseJson("", Limits{}, &empty);
  EXPECT_FALSE(empty.Has(Flag::kReqbodyError));
  for (const char* bad : {"a", "{", "{\"a\":}", "{} x", "[1,]", "{\"a\":01}", "\"\xff\""}) {
    SCOPED_TRACE(bad);
    BodyResult r;
    ParseJson(bad, Limits{}, &r);
    EXPECT_TRUE(r.Has(Flag::kReqbodyError));
    EXPECT_EQ(r.error_msg.rfind("JSON parsing error: ", 0), 0u) << r.error_msg;
  }
}

TEST(Json, DeepAndLargeInputsAreBounded) {
  std::string deep(200000, '[');
  BodyResult r;
  ParseJson(deep, Limits{}, &r);
  EXPECT_TRUE(r.Has(Flag::kReqbodyError));
  // 512 levels is the hard cap; 513 fails even with the default (10000) limit.
  std::string at_cap = std::string(512, '[') + std::string(512, ']');
  BodyResult c;
  ParseJson(at_cap, Limits{}, &c);
  EXPECT_FALSE(c.Has(Flag::kReqbodyError)) << c.error_msg;
  std::string over_cap = std::string(513, '[') + std::string(513, ']');
  BodyResult o;
  ParseJson(over_cap, Limits{}, &o);
  EXPECT_NE(o.error_msg.find("depth"), std::string::npos);
  std::string wide = "[";
  for (int i = 0; i < 10000; ++i) wide += std::to_string(i) + ",";
  wide += "0]";
  Limits limits;
  limits.arguments_limit = 100;
  BodyResult w;
  ParseJson(wide, limits, &w);
  EXPECT_EQ(w.args.size(), 100u);
  EXPECT_TRUE(w.Has(Flag::kArgumentsLimitExceeded));
}

// --- XML -------------------------------------------------------------------------------------

TEST(Xml, TextContentOfRoot) {
  BodyResult r;
  ParseXml("<?xml version=\"1.0\"?><a x=\"attr\"><b>hello</b> <c><![CDATA[<w>]]></c></a>", Limits{},
           &r);
  EXPECT_FALSE(r.Has(Flag::kReqbodyError)) << r.error_msg;
  EXPECT_EQ(r.xml_text, "hello <w>");
  EXPECT_TRUE(static_cast<bool>(r.xml));
}

TEST(Xml, MalformedIsReqbodyError) {
  for (const char* bad : {"", "<a>", "<a></b>", "not xml", "<a>&undefined;</a>"}) {
    SCOPED_TRACE(bad);
    BodyResult r;
    ParseXml(bad, Limits{}, &r);
    EXPECT_TRUE(r.Has(Flag::kReqbodyError));
    EXPECT_FALSE(static_cast<bool>(r.xml));
  }
}

TEST(Xml, ExternalEntitiesAreNotLoaded) {
  BodyResult r;
  ParseXml(
      "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<a>pre&x;post</a>",
      Limits{}, &r);
  EXPECT_EQ(r.xml_text.find("root:"), std::string::npos);
  EXPECT_NE(r.xml_text.find("pre"), std::string::npos);
}

TEST(Xml, BillionLaughsStaysSmallAndFast) {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY l0 \"ha\">";
  for (int i = 1; i <= 10; ++i) {
    doc += "<!ENTITY l" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) doc += "&l" + std::to_string(i - 1) + ";";
    doc += "\">";
  }
  doc += "]><l>&l10;</l>";
  auto start = std::chrono::steady_clock::now();
  BodyResult r;
  ParseXml(doc, Limits{}, &r);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_LE(r.xml_text.size(), doc.size() * 4 + 4096);
}

TEST(Xml, InternalEntitiesAreExpandedInText) {
  // xmlNodeGetContent (what XML:/* returns) includes the replacement text of entities.
  BodyResult r;
  ParseXml("<!DOCTYPE a [<!ENTITY e \"<b>bold</b>tail\">]><a>x&e;y&amp;</a>", Limits{}, &r);
  EXPECT_FALSE(r.Has(Flag::kReqbodyError)) << r.error_msg;
  EXPECT_EQ(r.xml_text, "xboldtaily&");
}

TEST(Flags, EveryFlagHasAName) {
  for (size_t i = 0; i < kFlagCount; ++i) {
    EXPECT_FALSE(FlagName(static_cast<Flag>(i)).empty()) << i;
  }
  EXPECT_EQ(FlagName(Flag::kMultipartCrlfLfLines), "MULTIPART_CRLF_LF_LINES");
}

TEST(Arena, CopiesStayValidAcrossBlocks) {
  Arena a;
  std::vector<std::string_view> views;
  for (int i = 0; i < 5000; ++i) views.push_back(a.Copy(std::to_string(i) + "-value"));
  views.push_back(a.Copy(std::string(100000, 'x')));
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(views[i], std::to_string(i) + "-value");
  EXPECT_EQ(views.back().size(), 100000u);
  a.Reset();
  EXPECT_EQ(a.Copy("again"), "again");
}

}  // namespace
}  // namespace gs::body
