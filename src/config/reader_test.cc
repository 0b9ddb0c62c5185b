// Tests of the binding API with a made-up section that uses every supported type, as a later
// module (gateway, tamper, monitor) would. Asserts positions and error counts, not wording.
#include "config/reader.h"

#include <gtest/gtest.h>

#include <array>

namespace gs::config::testing_ns {
namespace {

using namespace std::chrono_literals;

enum class Mode { kBlock, kDetect, kOff };
constexpr std::array<std::pair<std::string_view, Mode>, 3> ConfigEnumEntries(Mode) {
  return {{{"block", Mode::kBlock}, {"detect", Mode::kDetect}, {"off", Mode::kOff}}};
}

struct Upstream {
  std::string host;
  uint16_t port = 80;
  double weight = 1.0;
};
void BindConfig(MapReader& r, Upstream* u) {
  r.Field("host", &u->host, Required(), NonEmpty());
  r.Field("port", &u->port, Min<uint16_t>(1));
  r.Field("weight", &u->weight, Range(0.0, 100.0));
}

struct Site {
  std::string name;
  Mode mode = Mode::kBlock;
  bool hsts = true;
  std::chrono::milliseconds header_timeout = 10s;
  ByteSize body_limit = MiB(1);
  std::filesystem::path root;
  std::optional<int> max_conns;
  std::vector<std::string> hosts;
  std::vector<Upstream> upstreams;
  std::map<std::string, Mode> path_modes;
  int8_t small = 0;
};
void BindConfig(MapReader& r, Site* s) {
  r.Field("name", &s->name, Required());
  r.Field("mode", &s->mode);
  r.Field("hsts", &s->hsts);
  r.Field("header_timeout", &s->header_timeout, Range(1ms, 60s));
  r.Field("body_limit", &s->body_limit, Max(GiB(1)));
  r.Field("root", &s->root);
  r.Field("max_conns", &s->max_conns, Range(1, 1000));
  r.Field("hosts", &s->hosts);
  r.Field("upstreams", &s->upstreams);
  r.Field("path_modes", &s->path_modes);
  r.Field("small", &s->small);
}

struct Top {
  int version = 0;
  std::vector<Site> sites;
  std::string note = "default";
  int inline_value = 0;
};
void BindConfig(MapReader& r, Top* t) {
  r.Field("version", &t->version, Required(), Range(1, 1));
  r.Field("sites", &t->sites);
  r.Field("note", &t->note);
  r.Section("extra", [&](MapReader& e) { e.Field("value", &t->inline_value, Max(10)); });
}

struct Outcome {
  std::shared_ptr<const Top> top;
  LoadReport report;
};

Outcome Load(std::string_view text, LoadOptions options = {}) {
  Outcome o;
  auto r = ParseConfig<Top>(text, "test.yaml", options, &o.report, "/etc/gs");
  if (r.ok()) {
    o.top = *r;
    EXPECT_EQ(o.report.total_errors, 0u);
  } else {
    EXPECT_GT(o.report.total_errors, 0u);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  return o;
}

// Asserts that the errors sit exactly at these (line, column) positions, in order.
void ExpectErrorsAt(const Outcome& o, std::vector<std::pair<int, int>> where) {
  ASSERT_EQ(o.report.total_errors, where.size());
  for (size_t i = 0; i < where.size(); ++i) {
    EXPECT_EQ(o.report.errors[i].mark.line, where[i].first) << o.report.errors[i].ToString();
    EXPECT_EQ(o.report.errors[i].mark.column, where[i].second) << o.report.errors[i].ToString();
    EXPECT_EQ(o.report.errors[i].file, "test.yaml");
  }
}

TEST(ReaderTest, DecodesEveryType) {
  Outcome o = Load(R"(version: 1
sites:
  - name: portal
    mode: detect
    hsts: false
    header_timeout: 2500ms
    body_limit: 512KiB
    root: www/portal
    max_conns: 50
    hosts: [a.gov.cn, b.gov.cn]
    upstreams:
      - {host: 10.0.0.1, port: 8080, weight: 2.5}
      - host: 10.0.0.2
    path_modes: {/admin: block, /static: off}
    small: -128
  - name: minimal
extra:
  value: 7
)");
  ASSERT_NE(o.top, nullptr);
  const Top& t = *o.top;
  EXPECT_EQ(t.version, 1);
  EXPECT_EQ(t.note, "default");
  EXPECT_EQ(t.inline_value, 7);
  ASSERT_EQ(t.sites.size(), 2u);
  const Site& s = t.sites[0];
  EXPECT_EQ(s.name, "portal");
  EXPECT_EQ(s.mode, Mode::kDetect);
  EXPECT_FALSE(s.hsts);
  EXPECT_EQ(s.header_timeout, 2500ms);
  EXPECT_EQ(s.body_limit, KiB(512));
  EXPECT_EQ(s.root, std::filesystem::path("/etc/gs/www/portal"));
  EXPECT_EQ(s.max_conns, 50);
  EXPECT_EQ(s.hosts, (std::vector<std::string>{"a.gov.cn", "b.gov.cn"}));
  ASSERT_EQ(s.upstreams.size(), 2u);
  EXPECT_EQ(s.upstreams[0].port, 8080);
  EXPECT_DOUBLE_EQ(s.upstreams[0].weight, 2.5);
  EXPECT_EQ(s.upstreams[1].port, 80);  // default kept
  EXPECT_EQ(s.path_modes.at("/static"), Mode::kOff);
  EXPECT_EQ(s.small, -128);
  // Defaults of a section that only names itself.
  const Site& m = t.sites[1];
  EXPECT_EQ(m.mode, Mode::kBlock);
  EXPECT_TRUE(m.hsts);
  EXPECT_EQ(m.header_timeout, 10s);
  EXPECT_FALSE(m.max_conns.has_value());
  EXPECT_TRUE(m.root.empty());
}

TEST(ReaderTest, UnknownKeysWithNearMissHint) {
  Outcome o = Load("version: 1\nsites:\n  - name: x\n    mdoe: block\n    colour: red\n");
  ExpectErrorsAt(o, {{4, 5}, {5, 5}});
  EXPECT_NE(o.report.errors[0].hint.find("'mode'"), std::string::npos);
  EXPECT_EQ(o.report.errors[1].hint.find("did you mean"), std::string::npos);
}

TEST(ReaderTest, WrongTypesAreErrorsAtTheValue) {
  Outcome o = Load(R"(version: 1
note: [not, a, string]
sites:
  - name: x
    hsts: yes
    small: 300
    max_conns: "50"
    hosts: a.gov.cn
    upstreams: {host: y}
    header_timeout: 5
  - just a string
)");
  ExpectErrorsAt(o, {{2, 7}, {5, 11}, {6, 12}, {7, 16}, {8, 12}, {9, 16}, {10, 21}, {11, 5}});
  // Hints where a person can act: YAML 1.1 booleans, quoted numbers.
  EXPECT_FALSE(o.report.errors[1].hint.empty());
  EXPECT_FALSE(o.report.errors[3].hint.empty());
}

TEST(ReaderTest, NullForScalarsIsAnErrorButEmptySectionsAreDefaults) {
  Outcome o = Load("version: 1\nnote:\nextra:\nsites:\n");
  ExpectErrorsAt(o, {{2, 1}});
  Outcome ok = Load("version: 1\nextra:\nsites:\n");
  ASSERT_NE(ok.top, nullptr);
  EXPECT_TRUE(ok.top->sites.empty());
}

TEST(ReaderTest, MissingRequiredKeysAreReportedAtTheirMapping) {
  Outcome o = Load("sites:\n  - mode: off\n    upstreams:\n      - port: 1\n");
  ExpectErrorsAt(o, {{1, 1}, {2, 5}, {4, 9}});
}

TEST(ReaderTest, RangesAndEnumsWithHints) {
  Outcome o = Load(R"(version: 2
sites:
  - name: x
    mode: blok
    header_timeout: 2m
    body_limit: 2GiB
    max_conns: 0
    upstreams: [{host: "", port: 0, weight: -1}]
    path_modes: {/a: detect, /b: monitor}
)");
  ExpectErrorsAt(o,
                 {{1, 10}, {4, 11}, {5, 21}, {6, 17}, {7, 16}, {8, 24}, {8, 34}, {8, 45}, {9, 34}});
  EXPECT_NE(o.report.errors[1].hint.find("'block'"), std::string::npos);
  EXPECT_NE(o.report.errors[8].hint.find("detect"), std::string::npos);  // lists the allowed
}

TEST(ReaderTest, BadUnitsAndPaths) {
  Outcome o = Load(R"(version: 1
sites:
  - name: x
    header_timeout: 1500us
    body_limit: 64 megabytes
    root: ~/www
  - name: y
    root: ""
    header_timeout: 1d
)");
  // 1500us is not a whole number of milliseconds; 1d is above the 60s maximum.
  ExpectErrorsAt(o, {{4, 21}, {5, 17}, {6, 11}, {8, 11}, {9, 21}});
}

TEST(ReaderTest, AllErrorsAreCollectedAcrossTheFile) {
  std::string text = "version: 1\nsites:\n";
  for (int i = 0; i < 30; ++i) {
    text += "  - name: s" + std::to_string(i) + "\n    mode: nope\n    typo_key: 1\n";
  }
  Outcome o = Load(text);
  EXPECT_EQ(o.report.total_errors, 60u);
  EXPECT_EQ(o.report.errors.back().mark.line, 2 + 30 * 3);
}

TEST(ReaderTest, ErrorListIsCappedButCounted) {
  std::string text = "version: 1\n";
  for (int i = 0; i < 500; ++i) text += "bad" + std::to_string(i) + ": 1\n";
  LoadOptions options;
  options.max_errors_kept = 20;
  Outcome o = Load(text, options);
  EXPECT_EQ(o.report.total_errors, 500u);
  EXPECT_EQ(o.report.errors.size(), 20u);
}

TEST(ReaderTest, TopLevelMustBeAMapping) {
  for (const char* text : {"- a\n- b\n", "just text\n", "~\n", "---\n"}) {
    Outcome o = Load(text);
    ExpectErrorsAt(o, {{1, 1}});
  }
}

TEST(ReaderTest, AliasesWorkAndExpansionIsBudgeted) {
  Outcome o = Load(R"(version: 1
sites:
  - &s {name: a, hosts: [x.gov.cn]}
  - *s
  - *s
)");
  ASSERT_NE(o.top, nullptr);
  ASSERT_EQ(o.top->sites.size(), 3u);
  EXPECT_EQ(o.top->sites[2].hosts.at(0), "x.gov.cn");

  // "Billion laughs": each level is ten aliases of the one before; fully expanded it is 10^7
  // upstreams. The decoder must stop with one clear error instead of running for minutes.
  std::string bomb = "version: 1\nl0: &l0 {host: h}\n";
  for (int i = 1; i <= 7; ++i) {
    bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += std::string(j ? ", " : "") + "*l" + std::to_string(i - 1);
    bomb += "]\n";
  }
  bomb += "sites:\n  - name: x\n    upstreams: *l6\n";
  LoadOptions options;
  options.work_budget = 100'000;
  Outcome b = Load(bomb, options);
  EXPECT_EQ(b.top, nullptr);
  EXPECT_GE(b.report.total_errors, 1u);
}

TEST(ReaderTest, CrossFieldErrorsUseTheKeyPosition) {
  struct Pair {
    int lo = 0, hi = 0;
  };
  // A local bind via Section, so the check sees both values.
  std::string text = "version: 1\nextra:\n  value: 3\n";
  Diagnostics d("x.yaml");
  auto root = ParseYaml(text, {}, &d);
  ASSERT_NE(root, nullptr);
  Context ctx(&d, "", 1000);
  MapReader top(ctx, *root, "");
  Pair p;
  top.Field("version", &p.lo);
  top.Section("extra", [&](MapReader& e) {
    e.Field("value", &p.hi);
    if (p.hi > p.lo) e.Error("value", "must not exceed version");
  });
  top.ReportUnknownKeys();
  ASSERT_EQ(d.total(), 1u);
  EXPECT_EQ(d.kept()[0].mark.line, 3);
  EXPECT_EQ(d.kept()[0].mark.column, 10);
}

// A module-defined value type (as a CIDR list would be) plugs in by specialising Decoder.
struct EvenNumber {
  int value = 0;
};
struct WithCustom {
  EvenNumber even;
  std::string name;
};
}  // namespace
}  // namespace gs::config::testing_ns

template <>
struct gs::config::Decoder<gs::config::testing_ns::EvenNumber> {
  static bool Decode(Context& ctx, const Node& n, const std::string& path,
                     testing_ns::EvenNumber* out) {
    int v = 0;
    if (!Decoder<int>::Decode(ctx, n, path, &v)) return false;
    if (v % 2 != 0) {
      ctx.Error(n.mark, path + ": odd", "use an even number");
      return false;
    }
    out->value = v;
    return true;
  }
};

namespace gs::config::testing_ns {
namespace {

void BindConfig(MapReader& r, WithCustom* c) {
  r.Field("even", &c->even);
  r.Field("name", &c->name, Satisfies([](const std::string& s) -> std::optional<Problem> {
            if (s.find(' ') != std::string::npos) return Problem{"contains a space", ""};
            return std::nullopt;
          }));
}

TEST(ReaderTest, CustomDecodersAndPredicates) {
  auto ok = ParseConfig<WithCustom>("even: 4\nname: portal\n", "c.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)->even.value, 4);
  LoadReport report;
  auto bad = ParseConfig<WithCustom>("even: 3\nname: my portal\n", "c.yaml", {}, &report);
  EXPECT_FALSE(bad.ok());
  ASSERT_EQ(report.total_errors, 2u);
  EXPECT_EQ(report.errors[0].mark.line, 1);
  EXPECT_EQ(report.errors[1].mark.line, 2);
}

TEST(ReaderTest, StatusListsEveryErrorAndTheCount) {
  auto bad = ParseConfig<WithCustom>("even: 3\nname: a b\nx: 1\n", "c.yaml");
  ASSERT_FALSE(bad.ok());
  std::string msg(bad.status().message());
  EXPECT_NE(msg.find("c.yaml:1:7:"), std::string::npos);
  EXPECT_NE(msg.find("c.yaml:2:7:"), std::string::npos);
  EXPECT_NE(msg.find("c.yaml:3:1:"), std::string::npos);
  EXPECT_NE(msg.find("3 errors"), std::string::npos);
}

TEST(ReaderTest, DiagnosticFormat) {
  Diagnostic d{"f.yaml", Mark{3, 7}, "bad thing", "do this"};
  EXPECT_EQ(d.ToString(), "f.yaml:3:7: error: bad thing (do this)");
  Diagnostic whole{"f.yaml", Mark{}, "unreadable", ""};
  EXPECT_EQ(whole.ToString(), "f.yaml: error: unreadable");
}

}  // namespace
}  // namespace gs::config::testing_ns
