// The secrules-language-tests runner; see secrules.h.
#include "waf/conformance/secrules.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "platform/file.h"
#include "ruleengine/operators/operator.h"
#include "ruleengine/transforms/transforms.h"

namespace gs::waf::conformance {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Operator inputs as ModSecurity's unit harness hands them over: a C string (cut at the first
// NUL) in which literal "\xHH" / "\uHHHH" text became the byte (the latter's low byte).
std::string OperatorInput(const std::string& json_string) {
  std::string s = json_string.substr(0, json_string.find('\0'));
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && HexDigit(s[i + 2]) >= 0 &&
        HexDigit(s[i + 3]) >= 0) {
      out += static_cast<char>(HexDigit(s[i + 2]) * 16 + HexDigit(s[i + 3]));
      i += 3;
      continue;
    }
    if (s[i] == '\\' && i + 5 < s.size() && s[i + 1] == 'u' && HexDigit(s[i + 2]) >= 0 &&
        HexDigit(s[i + 3]) >= 0 && HexDigit(s[i + 4]) >= 0 && HexDigit(s[i + 5]) >= 0) {
      out += static_cast<char>(HexDigit(s[i + 4]) * 16 + HexDigit(s[i + 5]));
      i += 5;
      continue;
    }
    out += s[i];
  }
  return out;
}

// Transformation inputs/outputs through ModSecurity's json2bin: repeatedly take the first
// "\xHH" (then "\uHHHH") text, read its leading hex digits, and replace every occurrence.
void Json2Bin(std::string* s) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (const auto& [tag, width] : {std::pair{'x', size_t{2}}, std::pair{'u', size_t{4}}}) {
    for (;;) {
      size_t at = std::string::npos;
      for (size_t i = 0; i + 2 + width <= s->size(); ++i) {
        if ((*s)[i] != '\\' || (*s)[i + 1] != tag) continue;
        if (std::all_of(s->begin() + i + 2, s->begin() + i + 2 + width, alnum)) {
          at = i;
          break;
        }
      }
      if (at == std::string::npos) break;
      const std::string match = s->substr(at, 2 + width);
      unsigned value = 0;
      for (size_t k = 2; k < match.size() && HexDigit(match[k]) >= 0; ++k) {
        value = value * 16 + static_cast<unsigned>(HexDigit(match[k]));
      }
      const char byte = static_cast<char>(value & 0xff);
      for (size_t pos = 0; (pos = s->find(match, pos)) != std::string::npos;) {
        s->replace(pos, match.size(), 1, byte);
      }
    }
  }
}

std::vector<std::string> JsonFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Base(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// Calls `fn(file, 1-based index, case)` for every case of every *.json file under `dir`; an
// unreadable or malformed file is a suite error, not a crash.
void ForEachCase(const std::string& dir, const char* what, SuiteReport* report,
                 const std::function<void(const std::string&, int, const nlohmann::json&)>& fn) {
  std::vector<std::string> files = JsonFiles(dir);
  if (files.empty()) report->errors.push_back(std::string("no ") + what + " cases under " + dir);
  for (const std::string& file : files) {
    auto text = platform::ReadFile(file);
    if (!text.ok()) {
      report->errors.push_back(text.status().ToString());
      continue;
    }
    nlohmann::json cases = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!cases.is_array()) {
      report->errors.push_back(file + ": not a JSON array");
      continue;
    }
    int index = 0;
    for (const auto& c : cases) fn(file, ++index, c);
  }
}

void RunOperators(const SecrulesOptions& o, SuiteReport* report) {
  operators::OperatorRegistry registry;
  operators::RegisterBuiltinOperators(&registry);
  ForEachCase(
      o.suite_dir + "/operators", "operator", report,
      [&](const std::string& file, int index, const nlohmann::json& c) {
        CaseResult r;
        r.file = Base(file);
        std::string name = c.value("name", "");
        std::string param = c.value("param", "");
        std::string input = OperatorInput(c.value("input", ""));
        r.id = "@" + name + "#" + std::to_string(index);
        auto done = [&](Verdict v, std::string klass, std::string reason) {
          r.verdict = v;
          r.klass = std::move(klass);
          r.reason = std::move(reason);
          report->Add(std::move(r));
        };
        if (c.contains("resource")) {
          done(Verdict::kSkip, "needs a GeoIP database", "resource " + c["resource"].dump());
          return;
        }
        if (!registry.Contains(name)) {
          done(Verdict::kSkip, "operator not implemented: @" + name, "");
          return;
        }
        operators::OperatorOptions options;
        if (param.rfind("test-cases/", 0) == 0) {  // paths as in ModSecurity's source tree
          param = param.substr(std::strlen("test-cases/"));
          options.base_dir = o.data_dir;
        }
        auto op = registry.Create(name, param, options);
        if (!op.ok()) {
          if (op.status().code() == StatusCode::kUnimplemented) {
            done(Verdict::kSkip, "operator not implemented: @" + name, op.status().ToString());
          } else if ((name == "validateByteRange" || name == "ipMatch") &&
                     op.status().code() == StatusCode::kInvalidArgument) {
            done(Verdict::kFail, "deliberate deviation (rejected at load)", op.status().ToString());
          } else {
            done(Verdict::kFail, "operator failed to load", op.status().ToString());
          }
          return;
        }
        operators::MatchContext ctx;
        ctx.want_captures = c.contains("re_groups");
        bool got = (*op)->Evaluate(input, &ctx);
        int want = c.value("ret", -1);
        if (static_cast<int>(got) != want) {
          done(Verdict::kFail, "operator result",
               "param '" + param + "': returned " + std::to_string(got) + ", expected " +
                   std::to_string(want));
          return;
        }
        if (c.contains("re_groups") && c["re_groups"].is_array()) {
          std::vector<std::string> want_groups;
          for (const auto& g : c["re_groups"])
            want_groups.push_back(g.is_string() ? g.get<std::string>() : g.dump());
          std::vector<std::string> got_groups;
          for (const auto& cap : ctx.captures) got_groups.emplace_back(cap.value);
          if (want_groups != got_groups) {
            done(Verdict::kFail, "captures", "param '" + param + "': captures differ");
            return;
          }
        }
        done(Verdict::kPass, "", "");
      });
}

void RunTransforms(const SecrulesOptions& o, SuiteReport* report) {
  ForEachCase(o.suite_dir + "/transformations", "transformation", report,
              [&](const std::string& file, int index, const nlohmann::json& c) {
                CaseResult r;
                r.file = Base(file);
                std::string name = c.value("name", "");
                if (name == "cmd_line") name = "cmdLine";  // the harness's spelling of t:cmdLine
                r.id = "t:" + name + "#" + std::to_string(index);
                auto done = [&](Verdict v, std::string klass, std::string reason) {
                  r.verdict = v;
                  r.klass = std::move(klass);
                  r.reason = std::move(reason);
                  report->Add(std::move(r));
                };
                if (!c.contains("input") || !c.contains("output") || !c["input"].is_string() ||
                    !c["output"].is_string()) {
                  done(Verdict::kFail, "malformed case", "no input/output strings");
                  return;
                }
                std::string input = c["input"].get<std::string>();
                std::string expected = c["output"].get<std::string>();
                // yajl hands C strings over: a real NUL ends the string.
                input.resize(std::strlen(input.c_str()));
                expected.resize(std::strlen(expected.c_str()));
                Json2Bin(&input);
                Json2Bin(&expected);
                const transforms::Transform* t = transforms::FindTransform(name);
                if (t == nullptr) {
                  done(Verdict::kSkip, "transformation not implemented: t:" + name, "");
                  return;
                }
                std::string out;
                bool changed = t->fn(input, &out, nullptr);
                const std::string& got = changed ? out : input;
                if (got != expected) {
                  done(Verdict::kFail, "transformation output", "t:" + name + " output differs");
                  return;
                }
                done(Verdict::kPass, "", "");
              });
}

}  // namespace

SuiteReport RunSecrulesSuite(const SecrulesOptions& o) {
  SuiteReport report;
  report.suite = "secrules";
  report.engine = "operators+transforms";
  RunOperators(o, &report);
  RunTransforms(o, &report);
  return report;
}

}  // namespace gs::waf::conformance
