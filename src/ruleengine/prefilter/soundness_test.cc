// The property the prefilter exists for, checked on every real pattern we ship against:
//   PCRE2 matches the input  =>  the prefilter says "may match".
// Patterns: every @rx of the OWASP CRS 3.3.4 rules Debian installs (parsed with gs::seclang) and
// of the ModSecurity v3 regression suite. Inputs PCRE2 matches come from the CRS regression test
// payloads (raw, URL-decoded, lowercased), random members of each pattern's language (sampler.h)
// embedded in random context, and case-flip / insertion / deletion mutations of those. The
// compiled matchers (LiteralMatcher, PrefilterSet) must also agree exactly with the reference
// LiteralRequirement::SatisfiedBy on every input. Coverage figures are printed for the docs.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "platform/file.h"
#include "ruleengine/prefilter/pcre2_oracle.h"
#include "ruleengine/prefilter/prefilter.h"
#include "ruleengine/prefilter/sampler.h"
#include "seclang/parser.h"

namespace gs::prefilter {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCrsRules = "/usr/share/modsecurity-crs/rules";

std::string SharedDir() { return std::string(GS_SOURCE_DIR) + "/../shared/conformance"; }

// Sanitizer builds run the same checks with fewer random samples.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kSamplesPerPattern = 60;
#else
constexpr int kSamplesPerPattern = 300;
#endif

struct Pattern {
  std::string text;
  std::string origin;  // "crs:942100" or the regression file
};

using Pcre2 = Pcre2Oracle;

void CollectRx(const seclang::RuleSet& set, const std::string& origin_prefix,
               std::vector<Pattern>* out) {
  for (const auto& r : set.rules) {
    if (r.is_action || r.op.id != seclang::OperatorId::kRx || r.op.has_macros) continue;
    int64_t id = r.id != 0 ? r.id : set.rules[r.chain_head].id;
    out->push_back({r.op.argument, origin_prefix + std::to_string(id)});
  }
}

const std::vector<Pattern>& CrsPatterns() {
  static const auto* patterns = [] {
    auto* v = new std::vector<Pattern>;
    auto set = seclang::ParseFiles({std::string(kCrsRules) + "/*.conf"});
    if (set.ok()) CollectRx(*set, "crs:", v);
    return v;
  }();
  return *patterns;
}

const std::vector<Pattern>& RegressionPatterns() {
  static const auto* patterns = [] {
    auto* v = new std::vector<Pattern>;
    std::string dir = SharedDir() + "/modsecurity-v3-regression/test/test-cases";
    if (!fs::exists(dir)) return v;
    std::set<std::string> seen;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".json") continue;
      auto text = platform::ReadFile(e.path().string());
      if (!text.ok()) continue;
      auto j = nlohmann::json::parse(*text, nullptr, false);
      if (!j.is_array()) continue;
      for (const auto& tc : j) {
        if (!tc.is_object() || !tc.contains("rules") || !tc["rules"].is_array()) continue;
        std::string rules;
        for (const auto& line : tc["rules"])
          if (line.is_string()) rules += line.template get<std::string>() + "\n";
        seclang::ParseOptions opts;
        opts.allow_file_access = false;
        opts.check_data_files = false;
        seclang::Parser parser(opts);
        parser.ParseString(rules, e.path().filename().string());
        std::vector<Pattern> found;
        CollectRx(parser.rule_set(), e.path().filename().string() + ":", &found);
        for (auto& p : found)
          if (seen.insert(p.text).second) v->push_back(std::move(p));
      }
    }
    return v;
  }();
  return *patterns;
}

std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string Lowered(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

void AddScalar(const YAML::Node& n, std::vector<std::string>* out) {
  if (n && n.IsScalar()) out->push_back(n.as<std::string>());
  if (n && n.IsSequence())
    for (const auto& x : n) AddScalar(x, out);
}

// Every uri, body and header value of the CRS regression tests, raw and as a rule would see it
// after t:urlDecodeUni / t:lowercase (approximately; more inputs only means more checks).
const std::vector<std::string>& CrsPayloads() {
  static const auto* payloads = [] {
    auto* v = new std::vector<std::string>;
    std::string dir = SharedDir() + "/crs-v3.3.4/tests/regression/tests";
    if (!fs::exists(dir)) return v;
    std::vector<std::string> raw;
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      YAML::Node doc;
      try {
        doc = YAML::LoadFile(f.string());
      } catch (const std::exception&) {
        continue;
      }
      for (const auto& t : doc["tests"]) {
        for (const auto& st : t["stages"]) {
          const YAML::Node in = st["stage"]["input"];
          if (!in) continue;
          AddScalar(in["uri"], &raw);
          AddScalar(in["data"], &raw);
          if (in["headers"] && in["headers"].IsMap())
            for (const auto& h : in["headers"]) AddScalar(h.second, &raw);
        }
      }
    }
    std::set<std::string> seen;
    for (const auto& r : raw) {
      for (std::string s : {r, UrlDecode(r), Lowered(UrlDecode(r)), UrlDecode(UrlDecode(r))}) {
        if (seen.insert(s).second) v->push_back(std::move(s));
      }
    }
    return v;
  }();
  return *payloads;
}

std::string RandomPrintable(std::mt19937_64* rng, size_t max_len) {
  std::string s(1 + (*rng)() % max_len, ' ');
  for (auto& c : s) c = static_cast<char>(0x20 + (*rng)() % 95);
  return s;
}

std::string Mutate(const std::string& s, std::mt19937_64* rng,
                   const std::vector<Literal>& literals) {
  std::string m = s;
  switch ((*rng)() % 6) {
    case 0:  // flip the case of every ASCII letter, or of a random subset
      for (auto& c : m) {
        if (((*rng)() & 1) == 0) continue;
        if (c >= 'a' && c <= 'z')
          c = static_cast<char>(c - 32);
        else if (c >= 'A' && c <= 'Z')
          c = static_cast<char>(c + 32);
      }
      break;
    case 1:
      if (!m.empty()) m.erase((*rng)() % m.size(), 1);
      break;
    case 2:
      m.insert(m.empty() ? 0 : (*rng)() % m.size(), 1, static_cast<char>((*rng)() % 256));
      break;
    case 3:
      if (!literals.empty()) {  // insert a required literal (case-flipped if caseless)
        const Literal& l = literals[(*rng)() % literals.size()];
        std::string lit = l.bytes;
        if (l.caseless)
          for (auto& c : lit)
            if (c >= 'a' && c <= 'z' && ((*rng)() & 1)) c = static_cast<char>(c - 32);
        m.insert(m.empty() ? 0 : (*rng)() % (m.size() + 1), lit);
      }
      break;
    case 4:
      m = RandomPrintable(rng, 8) + m + RandomPrintable(rng, 8);
      break;
    default:
      if (m.size() > 2) m = m.substr((*rng)() % (m.size() / 2));
      break;
  }
  return m;
}

struct Totals {
  size_t patterns = 0;
  size_t compiled = 0;
  size_t filterable = 0;
  size_t positives = 0;  // inputs PCRE2 matched, each checked against the prefilter
  size_t violations = 0;
  size_t matcher_disagreements = 0;
  std::map<std::string, size_t> reasons;
};

// Checks one pattern over payloads, samples and mutations; returns what it saw.
void CheckPattern(const Pattern& p, const std::vector<std::string>& payloads, uint64_t seed,
                  Totals* t) {
  ++t->patterns;
  Pcre2 re(p.text);
  auto req = ExtractRequirement(p.text);
  if (!re.ok()) return;  // PCRE2 rejects it: nothing to be sound about
  ++t->compiled;
  ASSERT_TRUE(req.ok()) << p.origin
                        << ": PCRE2 compiles it but extraction errs: " << req.status().ToString()
                        << "\n  " << p.text;
  std::shared_ptr<const LiteralMatcher> matcher;
  if (req->filterable()) {
    ++t->filterable;
    auto m = LiteralMatcher::Build(*req);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    matcher = *m;
  } else {
    // Keep the reason's stable head ("best required literal" without the literal itself).
    t->reasons[req->unfilterable_reason.substr(0, req->unfilterable_reason.find('"'))]++;
  }
  Scratch scratch;
  std::mt19937_64 rng(seed);
  auto check = [&](const std::string& input) {
    bool oracle = req->SatisfiedBy(input);
    if (matcher && matcher->MayMatch(input, &scratch) != oracle) {
      ++t->matcher_disagreements;
      ADD_FAILURE() << p.origin << ": LiteralMatcher disagrees with SatisfiedBy on input "
                    << testing::PrintToString(input);
    }
    if (re.Match(input) != 1) return false;
    ++t->positives;
    if (!oracle) {
      ++t->violations;
      ADD_FAILURE() << p.origin << ": PCRE2 matches but prefilter says no\n  pattern: " << p.text
                    << "\n  requirement: " << req->ToString()
                    << "\n  input: " << testing::PrintToString(input);
    }
    return true;
  };
  std::vector<std::string> matched;
  for (const auto& in : payloads)
    if (check(in) && matched.size() < 64) matched.push_back(in);
  auto sampler = PatternSampler::Create(p.text);
  if (sampler.ok()) {
    for (int i = 0; i < kSamplesPerPattern; ++i) {
      std::string s = sampler->Sample(&rng, 256);
      if ((i & 1) != 0) s = RandomPrintable(&rng, 6) + s + RandomPrintable(&rng, 6);
      if (check(s) && matched.size() < 256) matched.push_back(s);
    }
  }
  for (int i = 0; i < kSamplesPerPattern && !matched.empty(); ++i) {
    check(Mutate(matched[rng() % matched.size()], &rng, req->literals));
  }
  for (int i = 0; i < kSamplesPerPattern / 4; ++i) check(RandomPrintable(&rng, 64));
}

void PrintTotals(const char* what, const Totals& t) {
  std::printf(
      "[prefilter] %s: %zu patterns, %zu compile in PCRE2, %zu filterable (%.1f%%); %zu "
      "PCRE2-matched inputs checked, %zu violations\n",
      what, t.patterns, t.compiled, t.filterable,
      t.compiled ? 100.0 * static_cast<double>(t.filterable) / static_cast<double>(t.compiled)
                 : 0.0,
      t.positives, t.violations);
  for (const auto& [reason, n] : t.reasons)
    std::printf("[prefilter]   unfilterable x%zu: %s\n", n, reason.c_str());
}

TEST(PrefilterSoundness, EveryCrsRxPattern) {
  const auto& patterns = CrsPatterns();
  ASSERT_GT(patterns.size(), 250u) << "CRS 3.3.4 rules not found or not parsed";
  const auto& payloads = CrsPayloads();
  ASSERT_GT(payloads.size(), 2000u) << "CRS regression payloads not found";
  Totals t;
  for (size_t i = 0; i < patterns.size(); ++i) {
    CheckPattern(patterns[i], payloads, 1000 + i, &t);
    if (t.violations > 20) break;
  }
  PrintTotals("CRS 3.3.4 @rx", t);
  EXPECT_EQ(t.violations, 0u);
  EXPECT_EQ(t.matcher_disagreements, 0u);
  // Enough evidence that the check is not vacuous.
  EXPECT_GT(t.positives, 20000u);
  // Coverage floor (measured figure in docs/prefilter.md; a drop means extraction regressed).
  EXPECT_GE(t.filterable * 100, t.compiled * 78);
}

TEST(PrefilterSoundness, EveryRegressionSuiteRxPattern) {
  const auto& patterns = RegressionPatterns();
  ASSERT_GT(patterns.size(), 50u) << "ModSecurity regression suite not found";
  const auto& payloads = CrsPayloads();
  Totals t;
  for (size_t i = 0; i < patterns.size(); ++i) {
    CheckPattern(patterns[i], payloads, 5000 + i, &t);
    if (t.violations > 20) break;
  }
  PrintTotals("ModSecurity v3 regression @rx", t);
  EXPECT_EQ(t.violations, 0u);
  EXPECT_EQ(t.matcher_disagreements, 0u);
  EXPECT_GT(t.positives, 1000u);
}

// One PrefilterSet over every CRS pattern must mark exactly the rules whose requirement each
// payload satisfies, and in particular every rule PCRE2 matches.
TEST(PrefilterSoundness, CrsPrefilterSetAgreesWithReferenceAndPcre2) {
  const auto& patterns = CrsPatterns();
  ASSERT_GT(patterns.size(), 250u);
  std::vector<PrefilterSet::Entry> entries;
  std::vector<std::unique_ptr<Pcre2>> res;
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto req = ExtractRequirement(patterns[i].text);
    ASSERT_TRUE(req.ok());
    entries.push_back({i, *req});
    res.push_back(std::make_unique<Pcre2>(patterns[i].text));
  }
  auto set = PrefilterSet::Build(entries);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  Scratch scratch;
  Bitset may;
  size_t checked = 0, pcre_hits = 0;
  const auto& payloads = CrsPayloads();
  for (size_t k = 0; k < payloads.size(); k += 2) {
    const auto& in = payloads[k];
    may.Clear();
    (*set)->Scan(in, &scratch, &may);
    for (size_t i = 0; i < entries.size(); ++i) {
      const auto& req = entries[i].requirement;
      ASSERT_EQ((*set)->Covers(i), req.filterable());
      if (!req.filterable()) continue;
      ++checked;
      ASSERT_EQ(may.Test(i), req.SatisfiedBy(in))
          << patterns[i].origin << " on " << testing::PrintToString(in);
      if (res[i]->ok() && res[i]->Match(in) == 1) {
        ++pcre_hits;
        ASSERT_TRUE(may.Test(i)) << patterns[i].origin << " matched by PCRE2 but not marked";
      }
    }
  }
  EXPECT_GT(checked, 100000u);
  EXPECT_GT(pcre_hits, 1000u);
}

// Benign traffic: what fraction of (rule, value) pairs the prefilter lets the engine skip.
std::vector<std::string> BenignValues() {
  std::vector<std::string> v = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/17.1 Safari/605.1.15",
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
      "gzip, deflate, br",
      "zh-CN,zh;q=0.9,en;q=0.8",
      "keep-alive",
      "max-age=0",
      "https://www.example.gov.cn/zwgk/index.html",
      "www.example.gov.cn",
      "application/x-www-form-urlencoded",
      "_ga=GA1.3.1234567890.1700000000; JSESSIONID=9F8E7D6C5B4A39281706F5E4D3C2B1A0",
      "/index.html",
      "/zwgk/tzgg/202311/t20231120_123456.html",
      "42",
      "hello world",
      "张三",
      "北京市朝阳区建国路88号",
      "13800138000",
      "user@example.com",
      "2023-11-25T03:24:35Z",
      "Please find attached the quarterly report for the department.",
      "id=42&q=hello+world",
      "en-US,en;q=0.5",
      "no-cache",
      "1",
      "XMLHttpRequest",
      "?1",
      "document",
      "navigate",
      "same-origin",
  };
  // Lines of the PHP and HTML files Debian ships (many look like code, which is the hard case).
  std::vector<std::string> files;
  for (const char* root : {"/usr/share/doc", "/usr/share/php", "/usr/share/javascript"}) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      auto ext = it->path().extension();
      if (ext == ".php" || ext == ".html") files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  for (size_t i = 0; i < files.size() && v.size() < 6000;
       i += std::max<size_t>(1, files.size() / 200)) {
    auto text = platform::ReadFile(files[i]);
    if (!text.ok()) continue;
    size_t start = 0;
    while (start < text->size() && v.size() < 6000) {
      size_t nl = text->find('\n', start);
      if (nl == std::string::npos) nl = text->size();
      std::string line = text->substr(start, nl - start);
      if (line.size() >= 8) v.push_back(std::move(line));
      start = nl + 1;
    }
  }
  return v;
}

TEST(PrefilterCoverage, CrsBenignRejectionRate) {
  const auto& patterns = CrsPatterns();
  ASSERT_GT(patterns.size(), 250u);
  std::vector<PrefilterSet::Entry> entries;
  std::vector<std::unique_ptr<Pcre2>> res;
  size_t filterable = 0;
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto req = ExtractRequirement(patterns[i].text);
    ASSERT_TRUE(req.ok());
    filterable += req->filterable();
    entries.push_back({i, *req});
    res.push_back(std::make_unique<Pcre2>(patterns[i].text));
  }
  auto set = PrefilterSet::Build(entries);
  ASSERT_TRUE(set.ok());
  auto values = BenignValues();
  ASSERT_GT(values.size(), 1000u);
  Scratch scratch;
  Bitset may;
  size_t header_pairs = 0, header_skipped = 0, pairs = 0, skipped = 0, filt_pairs = 0;
  for (size_t k = 0; k < values.size(); ++k) {
    may.Clear();
    (*set)->Scan(values[k], &scratch, &may);
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!res[i]->ok()) continue;
      bool skip = (*set)->Covers(i) && !may.Test(i);
      ++pairs;
      filt_pairs += (*set)->Covers(i);
      skipped += skip;
      if (k < 30) {
        ++header_pairs;
        header_skipped += skip;
      }
      // Soundness on benign data too.
      if (skip) {
        ASSERT_NE(res[i]->Match(values[k]), 1) << patterns[i].origin;
      }
    }
  }
  double all = 100.0 * static_cast<double>(skipped) / static_cast<double>(pairs);
  double among = 100.0 * static_cast<double>(skipped) / static_cast<double>(filt_pairs);
  double hdr = 100.0 * static_cast<double>(header_skipped) / static_cast<double>(header_pairs);
  std::printf(
      "[prefilter] CRS @rx: %zu patterns, %zu filterable, %zu distinct literals in one set\n"
      "[prefilter] benign: %zu values (30 typical header/form values + lines of Debian PHP/HTML "
      "files): PCRE2 calls avoided %.1f%% of all (rule, value) pairs, %.1f%% of pairs of "
      "filterable rules; typical header/form values alone: %.1f%%\n",
      patterns.size(), filterable, (*set)->distinct_literals(), values.size(), all, among, hdr);
  RecordProperty("benign_skip_percent", std::to_string(all));
  EXPECT_GT(hdr, 60.0);
  EXPECT_GT(all, 50.0);
}

}  // namespace
}  // namespace gs::prefilter
