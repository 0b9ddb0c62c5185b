// Differential check of our @detectSQLi against libmodsecurity3 (docs/detect_sqli_xss.md).
//
// Reads a corpus (tools/sqli/make_corpus.py: "<category>\t<hex>" per line) and evaluates every
// input three ways:
//   ours    the govshield operator, through OperatorRegistry ("detectSQLi", capture on: TX.0)
//   msc     libmodsecurity3's @detectSQLi: one transaction per input, the input as the only query
//           argument (every byte %-encoded), rule
//             SecRule ARGS "@detectSQLi" "id:1,phase:1,deny,capture,logdata:'%{TX.0}'"
//           verdict = intervention, fingerprint = TX.0 read back from the logdata
//   direct  libinjection_sqli() as exported by libmodsecurity.so (same code as msc, no HTTP
//           layer), for fast debugging of the fingerprint of non-matching inputs too
// Prints per-category agreement (verdict, and fingerprint when both match) and lists the first
// disagreements. Development tool: links libmodsecurity, never part of the govshield binary.
// clang-format off
#include <cstdlib>  // first: modsecurity/intervention.h uses free/NULL without including it
#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>
// clang-format on

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "ruleengine/operators/internal.h"
#include "ruleengine/operators/operator.h"

extern "C" int libinjection_sqli(const char* s, size_t slen, char fingerprint[]);

namespace {

std::string g_logged;  // the intervention's log line, which carries [data "<TX.0>"]

std::string FromHex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::string Printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    }
  }
  return out;
}

struct Tally {
  int n = 0, positives = 0, verdict_agree = 0, fp_agree = 0, both_match = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sqli_diff CORPUS [--direct-only] [--show N]\n");
    return 2;
  }
  bool direct_only = false;
  int show = 30;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--direct-only") == 0) direct_only = true;
    if (std::strcmp(argv[i], "--show") == 0 && i + 1 < argc) show = std::atoi(argv[++i]);
  }
  std::ifstream in(argv[1]);
  std::vector<std::pair<std::string, std::string>> corpus;
  for (std::string line; std::getline(in, line);) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    corpus.emplace_back(line.substr(0, tab), FromHex(line.substr(tab + 1)));
  }

  gs::operators::OperatorRegistry registry;
  gs::operators::RegisterBuiltinOperators(&registry);
  auto op = registry.Create("detectSQLi", "", {});
  if (!op.ok()) {
    std::fprintf(stderr, "cannot create detectSQLi\n");
    return 1;
  }
  gs::operators::MatchContext ctx;
  ctx.want_captures = true;

  modsecurity::ModSecurity ms;
  modsecurity::RulesSet rules;
  if (rules.load("SecRuleEngine On\n"
                 "SecRule ARGS \"@detectSQLi\" \"id:1,phase:1,deny,status:403,t:none,capture,"
                 "log,logdata:'%{TX.0}'\"\n") < 0) {
    std::fprintf(stderr, "rules: %s\n", rules.getParserError().c_str());
    return 1;
  }

  std::map<std::string, Tally> direct_t, msc_t;
  int shown = 0;
  for (const auto& [cat, input] : corpus) {
    ctx.ClearCaptures();
    bool ours = (*op)->Evaluate(input, &ctx);
    std::string our_fp = ours && !ctx.captures.empty() ? std::string(ctx.captures[0].value) : "";

    char lfp[8] = {};
    bool lib = libinjection_sqli(input.data(), input.size(), lfp) != 0;
    char ofp[8];
    gs::operators::internal::DetectSqli(input, ofp);
    {
      Tally& t = direct_t[cat];
      ++t.n;
      t.positives += lib;
      t.verdict_agree += lib == ours;
      if (lib && ours) {
        ++t.both_match;
        t.fp_agree += our_fp == lfp;
      }
    }
    bool msc = lib;
    std::string msc_fp = lfp;
    if (!direct_only) {
      std::string uri = "/?a=";
      for (unsigned char c : input) {
        char b[4];
        std::snprintf(b, sizeof b, "%%%02X", c);
        uri += b;
      }
      g_logged.clear();
      modsecurity::Transaction tx(&ms, &rules, nullptr);
      tx.processConnection("127.0.0.1", 12345, "127.0.0.1", 80);
      tx.processURI(uri.c_str(), "GET", "1.1");
      tx.processRequestHeaders();
      modsecurity::ModSecurityIntervention it;
      modsecurity::intervention::clean(&it);
      msc = tx.intervention(&it);
      g_logged = it.log != nullptr ? it.log : "";
      modsecurity::intervention::free(&it);
      msc_fp.clear();
      size_t p = g_logged.find("[data \"");
      if (p != std::string::npos) {
        size_t e = g_logged.find("\"]", p + 7);
        msc_fp = g_logged.substr(p + 7, e - (p + 7));
      }
      Tally& t = msc_t[cat];
      ++t.n;
      t.positives += msc;
      t.verdict_agree += msc == ours;
      if (msc && ours) {
        ++t.both_match;
        t.fp_agree += our_fp == msc_fp;
      }
    }
    if ((ours != lib || (ours && our_fp != lfp)) && shown < show) {
      std::printf("DIFF %-9s ours=%d(%s) lib=%d(%s) msc=%d(%s) | %s\n", cat.c_str(), ours, ofp, lib,
                  lfp, msc, msc_fp.c_str(), Printable(input).c_str());
      ++shown;
    }
  }
  auto report = [](const char* name, const std::map<std::string, Tally>& m) {
    Tally sum;
    std::printf("%s:\n", name);
    for (const auto& [cat, t] : m) {
      std::printf(
          "  %-10s inputs %6d  sqli %6d  verdict agree %6d (%.3f%%)  fingerprint agree %d/%d\n",
          cat.c_str(), t.n, t.positives, t.verdict_agree, 100.0 * t.verdict_agree / t.n, t.fp_agree,
          t.both_match);
      sum.n += t.n;
      sum.positives += t.positives;
      sum.verdict_agree += t.verdict_agree;
      sum.fp_agree += t.fp_agree;
      sum.both_match += t.both_match;
    }
    std::printf(
        "  %-10s inputs %6d  sqli %6d  verdict agree %6d (%.3f%%)  fingerprint agree %d/%d\n",
        "TOTAL", sum.n, sum.positives, sum.verdict_agree, 100.0 * sum.verdict_agree / sum.n,
        sum.fp_agree, sum.both_match);
  };
  // Speed: the whole corpus, several rounds, ours vs libinjection_sqli() (single thread).
  {
    size_t bytes = 0;
    for (const auto& c : corpus) bytes += c.second.size();
    constexpr int kRounds = 10;
    auto time_it = [&](auto&& fn) {
      auto t0 = std::chrono::steady_clock::now();
      int hits = 0;
      for (int r = 0; r < kRounds; ++r) {
        for (const auto& c : corpus) hits += fn(c.second);
      }
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return std::make_pair(s, hits);
    };
    char fp[8];
    auto [ours_s, ours_hits] = time_it(
        [&](const std::string& in) { return gs::operators::internal::DetectSqli(in, fp) ? 1 : 0; });
    auto [lib_s, lib_hits] = time_it([&](const std::string& in) {
      return libinjection_sqli(in.data(), in.size(), fp) != 0 ? 1 : 0;
    });
    double calls = static_cast<double>(corpus.size()) * kRounds;
    std::printf(
        "speed (%zu inputs, avg %.1f bytes, %d rounds): ours %.0f ns/call (%.1f MB/s), "
        "libinjection %.0f ns/call (%.1f MB/s); hits %d/%d\n",
        corpus.size(), static_cast<double>(bytes) / corpus.size(), kRounds, ours_s * 1e9 / calls,
        bytes * kRounds / ours_s / 1e6, lib_s * 1e9 / calls, bytes * kRounds / lib_s / 1e6,
        ours_hits, lib_hits);
  }
  report("vs libinjection_sqli() in libmodsecurity.so", direct_t);
  if (!direct_only) report("vs libmodsecurity3 SecRule ARGS @detectSQLi (TX.0)", msc_t);
  return 0;
}
