// Unit tests for the webshell scanner: every sample we wrote is flagged with its family's rule,
// tricky benign PHP stays clean, and untrusted files (hostile names, symlinks, FIFOs, size,
// binary content) are handled safely.
#include "webshell/scanner.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "platform/file.h"
#include "tests/testlib/temp_dir.h"
#include "webshell/normalize.h"

namespace gs::webshell {
namespace {

const std::string kSamples = std::string(GS_SOURCE_DIR) + "/tests/data/webshell/samples";

const Scanner& TheScanner() {
  static const Scanner* s = [] {
    auto r = Scanner::Create();
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value().release() : nullptr;
  }();
  return *s;
}

bool HasRule(const FileResult& r, std::string_view rule) {
  return std::any_of(r.findings.begin(), r.findings.end(),
                     [&](const Finding& f) { return f.rule == rule; });
}

TEST(Scanner, RulesCompileAndIncludeFamilies) {
  auto names = TheScanner().RuleNames();
  std::set<std::string> set(names.begin(), names.end());
  for (const char* r : {"php_eval_request_oneliner", "behinder_php", "behinder_jsp", "godzilla_php",
                        "godzilla_jsp", "antsword_php_loader", "china_chopper_asp"}) {
    EXPECT_TRUE(set.count(r)) << r;
  }
}

TEST(Scanner, EverySampleIsWebshellWithItsFamily) {
  auto names = platform::ListDir(kSamples);
  ASSERT_TRUE(names.ok()) << names.status().message();
  ASSERT_GE(names->size(), 40u);
  const std::vector<std::string> families = {"china_chopper", "behinder", "godzilla", "antsword"};
  size_t with_family = 0;
  for (const auto& name : *names) {
    FileResult r = TheScanner().ScanFile(kSamples + "/" + name);
    EXPECT_EQ(r.verdict, Verdict::kWebshell) << name << " score " << r.score;
    for (const auto& fam : families) {
      if (name.rfind(fam + "_", 0) != 0) continue;
      ++with_family;
      bool found = std::any_of(r.findings.begin(), r.findings.end(),
                               [&](const Finding& f) { return f.family == fam; });
      EXPECT_TRUE(found) << name << " not attributed to " << fam;
    }
  }
  EXPECT_GE(with_family, 25u);
}

// Legitimate code using the same features as webshells (eval of constants, fixed commands,
// registered callbacks, reflection): the first held-out set's benign half, now tuning data.
TEST(Scanner, BenignLookalikesAreClean) {
  const std::string dir = std::string(GS_SOURCE_DIR) + "/tests/data/webshell/benign";
  auto names = platform::ListDir(dir);
  ASSERT_TRUE(names.ok()) << names.status().message();
  ASSERT_GE(names->size(), 18u);
  for (const auto& name : *names) {
    FileResult r = TheScanner().ScanFile(dir + "/" + name);
    EXPECT_EQ(r.verdict, Verdict::kClean)
        << name << " score " << r.score << " " << (r.findings.empty() ? "" : r.findings[0].rule);
  }
}

TEST(Scanner, EncodedLayersAreDecoded) {
  FileResult r = TheScanner().ScanFile(kSamples + "/generic_php_multilayer.php");
  // base64 -> gzinflate(base64) -> str_rot13 -> system($_POST[...]) : three layers deep.
  bool deep_command = std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.rule == "heur_request_to_command" && f.layer == 3;
  });
  EXPECT_TRUE(deep_command);
  EXPECT_TRUE(HasRule(r, "heur_multi_layer_encoding"));
}

TEST(Scanner, EvidenceOffsetPointsIntoTheFile) {
  std::string data = "<?php\n// padding padding\n@eval($_POST['k']);\n";
  FileResult r = TheScanner().ScanBuffer("x.php", data);
  ASSERT_EQ(r.verdict, Verdict::kWebshell);
  for (const auto& f : r.findings) {
    if (f.rule == "php_eval_request_oneliner") {
      EXPECT_EQ(f.offset, data.find("@eval"));
      EXPECT_EQ(f.excerpt.rfind("@eval($_post[", 0), 0u) << f.excerpt;
    }
  }
  EXPECT_TRUE(HasRule(r, "php_eval_request_oneliner"));
}

void ExpectAllClean(const std::vector<std::string>& snippets) {
  for (const auto& s : snippets) {
    FileResult r = TheScanner().ScanBuffer("benign.php", s);
    EXPECT_EQ(r.verdict, Verdict::kClean) << s << "\nscore " << r.score << " first rule "
                                          << (r.findings.empty() ? "" : r.findings[0].rule);
  }
}

TEST(Scanner, TrickyBenignSnippetsAreClean) {
  const std::vector<std::string> benign = {
      "<?php $name = $_POST['name']; echo htmlspecialchars($name);",
      "<?php assert($count > 0); assert(is_string($x));",
      "<?php $cb = 'strtoupper'; echo $cb('a');",
      "<?php call_user_func([$this, 'render'], $_POST);",
      "<?php call_user_func_array($handlers[$_GET['action']], [$request]);",
      "<?php $fn = $_GET['order'] == 'asc' ? 'sort' : 'rsort'; $fn($rows);",
      "<?php $img = base64_decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
      "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='); header('Content-Type: image/png'); echo $img;",
      "<?php // never do eval($_POST['x']) in your code\n/* assert($_GET['a']) */ echo 1;",
      "<?php $msg = \"Do not call eval(\\$_POST['x'])\"; echo $msg;",
      "<?php $data = json_decode(file_get_contents('php://input'), true); echo $data['a'];",
      "<?php $c = new Controller($_GET['db']); $c($request);",
      "<?php parse_str($_SERVER['QUERY_STRING'], $q); $f = $router->get($q['r']); $f();",
      "<?php system('ls ' . escapeshellarg($_GET['dir']));",
      "<?php $sql = \"SELECT `id` FROM `t` WHERE a='\" . $db->escape($_GET['a']) . \"'\";",
      "<?php $decoder = $raw ? 'rawurldecode' : 'urldecode'; echo $decoder($_GET['q']);",
      "<?php preg_replace('/a/i', 'b', $_POST['x']);",
      "<?php include __DIR__ . '/' . basename($_GET['page']) . '.php';",
      "<?php echo chr(65) . chr(66);",
      "<% Response.Write(\"hello\") %>",
      "<%@ page contentType=\"text/html\" %><%= request.getParameter(\"q\") %>",
  };
  ExpectAllClean(benign);
}

// One snippet per evasion technique the heuristics handle generically (constant folding of
// assembled names, callbacks, closures, reflection, properties, files written then included).
TEST(Scanner, EvasionTechniquesAreDetected) {
  const std::vector<std::pair<std::string, std::string>> shells = {
      {"substr name", "<?php $f = substr('..passthru..', 2, 8); $f($_GET['c']);"},
      {"callback name", "<?php array_map(strrev('metsys'), array($_COOKIE['c']));"},
      {"pack name", "<?php call_user_func(pack('H*', '73797374656d'), $_POST['c']);"},
      {"xor name", "<?php $f = ('1'^'P').('C'^'0'); $g = $f . 'sert'; $g($_POST['c']);"},
      {"sprintf name", "<?php $n = sprintf('%s%s', 'sys', 'tem'); $n($_REQUEST['c']);"},
      {"inline closure", "<?php array_walk($_POST, function ($v) { passthru($v); });"},
      {"arrow fn", "<?php $r = fn($c) => shell_exec($c); echo $r($_GET['c']);"},
      {"callable", "<?php $c = Closure::fromCallable('sys' . 'tem'); $c($_POST['c']);"},
      {"property",
       "<?php class K { public $v; function __wakeup() { system($this->v); } }\n"
       "$k = new K; $k->v = $_GET['c'];"},
      {"temp include", "<?php $t = '/tmp/x'; file_put_contents($t, $_POST['c']); include $t;"},
      {"filter_input", "<?php $c = filter_input(INPUT_GET, 'c'); echo shell_exec($c);"},
      {"header via getenv", "<?php @eval(base64_decode(getenv('HTTP_X_DATA')));"},
      {"query string", "<?php system(rawurldecode($_SERVER['QUERY_STRING']));"},
      {"globals", "<?php $c = $GLOBALS['_COOKIE']['c']; passthru($c);"},
      {"input stream", "<?php $h = fopen('php://input', 'rb'); eval(fread($h, 65536));"},
      {"variable variable", "<?php $n = '_GE' . 'T'; ${$n}['f'](${$n}['a']);"},
      {"list", "<?php list(, $f, $a) = explode(',', $_POST['p']); $f($a);"},
      {"spread", "<?php array_map(...$_POST['m']);"},
      {"mb_ereg e", "<?php mb_ereg_replace('x', $_REQUEST['r'], 'x', 'e');"},
      {"captured",
       "<?php $q = $_POST['q']; register_shutdown_function(function () use ($q) {"
       " $n = 1; passthru($q); });"},
      {"com", "<?php $o = new COM('Shell.Application'); $o->ShellExecute('cmd', $_GET['a']);"},
      {"ffi", "<?php $l = FFI::cdef('int execl(const char *p, ...);'); $l->execl($_GET['p']);"},
      {"inline reflection", "<?php (new ReflectionFunction('pass' . 'thru'))->invoke($_GET['c']);"},
      {"last-arg callback", "<?php array_uintersect([$_POST['c']], [1], strrev('tressa'));"},
      {"callback array",
       "<?php preg_replace_callback_array(['/x/' => fn($m) => exec($m[0])], "
       "$_COOKIE['c']);"},
      {"static method",
       "<?php class R { static function go($x) { eval($x); } }\n"
       "call_user_func('R::go', $_GET['c']);"},
      {"json body", "<?php $j = json_decode(file_get_contents('php://input')); system($j->c);"},
  };
  for (const auto& [what, code] : shells) {
    FileResult r = TheScanner().ScanBuffer("x.php", code);
    EXPECT_EQ(r.verdict, Verdict::kWebshell) << what << ": score " << r.score;
  }
  const std::vector<std::string> benign = {
      "<?php $f = substr('..trim..', 2, 4); echo $f($_GET['c']);",
      "<?php array_map(strrev('lavretni'), array($_COOKIE['c']));",
      "<?php array_walk($rows, function ($v) { echo htmlspecialchars($v); });",
      "<?php $c = Closure::fromCallable('strtoupper'); echo $c($_POST['c']);",
      "<?php file_put_contents($log, $_POST['c']); readfile($log);",
  };
  ExpectAllClean(benign);
}

// Constant folding must not amplify hostile input (str_repeat, str_replace, implode, sprintf of
// large values): the values are capped and the output is charged to the work budget.
TEST(Scanner, ConstantFoldingIsBounded) {
  std::string code = "<?php\n";
  for (int i = 0; i < 2000; ++i) {
    code +=
        "$a" + std::to_string(i) +
        " = implode(str_repeat('ab', 30000), str_split(str_replace('a', "
        "str_repeat('xy', 30000), str_repeat('a', 60000)))); $f = sprintf('%s%s', 'sys', 'tem');\n";
  }
  code += "$f($_GET['c']);\n";
  FileResult r = TheScanner().ScanBuffer("big.php", code);
  EXPECT_FALSE(r.skipped);
}

TEST(Scanner, NonScriptTextIsNotAnalysed) {
  FileResult r = TheScanner().ScanBuffer("notes.txt", "remember: eval($_POST['x']) is bad");
  EXPECT_FALSE(r.skipped);
  EXPECT_EQ(r.verdict, Verdict::kClean);
  EXPECT_TRUE(r.findings.empty());
}

TEST(Scanner, BinaryFilesSkippedUnlessPolyglot) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  FileResult r = TheScanner().ScanBuffer("a.png", png);
  EXPECT_TRUE(r.skipped);
  EXPECT_NE(r.skip_reason.find("binary"), std::string::npos);
  std::string poly = png + "<?php @eval($_POST['z']); ?>";
  FileResult p = TheScanner().ScanBuffer("a.png", poly);
  EXPECT_FALSE(p.skipped);
  EXPECT_EQ(p.verdict, Verdict::kWebshell);
}

TEST(Scanner, SizeCapSkipsWithReason) {
  ScanOptions o;
  o.max_file_bytes = 64;
  auto s = Scanner::Create(o);
  ASSERT_TRUE(s.ok());
  std::string big = "<?php @eval($_POST['x']); " + std::string(100, ' ');
  FileResult r = (*s)->ScanBuffer("big.php", big);
  EXPECT_TRUE(r.skipped);
  EXPECT_NE(r.skip_reason.find("size cap"), std::string::npos);
  testing::TempDir dir;
  std::string path = dir.path() + "/big.php";
  ASSERT_TRUE(platform::WriteFileAtomic(path, big).ok());
  FileResult f = (*s)->ScanFile(path);
  EXPECT_TRUE(f.skipped);
  EXPECT_EQ(f.size, big.size());
}

TEST(Scanner, TreeWalkNeverFollowsSymlinksAndHandlesHostileNames) {
  testing::TempDir outside, root;
  ASSERT_TRUE(
      platform::WriteFileAtomic(outside.path() + "/shell.php", "<?php @eval($_POST['o']);").ok());
  ASSERT_TRUE(platform::MakeDirs(root.path() + "/a/b").ok());
  std::string hostile = "x\n\"\xff\x1b[31m.php";
  ASSERT_TRUE(
      platform::WriteFileAtomic(root.path() + "/a/b/" + hostile, "<?php @eval($_POST['h']);").ok());
  ASSERT_TRUE(platform::WriteFileAtomic(root.path() + "/a/ok.php", "<?php echo 1;").ok());
  ASSERT_EQ(::symlink((outside.path() + "/shell.php").c_str(), (root.path() + "/link.php").c_str()),
            0);
  ASSERT_EQ(::symlink(outside.path().c_str(), (root.path() + "/a/dirlink").c_str()), 0);
  ASSERT_EQ(::mkfifo((root.path() + "/a/fifo.php").c_str(), 0600), 0);

  std::vector<FileResult> results;
  auto stats =
      TheScanner().ScanTree(root.path(), [&](const FileResult& r) { results.push_back(r); });
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->webshells, 1u);
  EXPECT_EQ(stats->errors, 0u);
  bool saw_hostile = false, saw_link = false, saw_dirlink = false;
  for (const auto& r : results) {
    EXPECT_EQ(r.path.find(outside.path()), std::string::npos) << "left the root: " << r.path;
    if (r.path == root.path() + "/a/b/" + hostile) {
      saw_hostile = true;
      EXPECT_EQ(r.verdict, Verdict::kWebshell);
      std::string json = FileResultJson(r);
      EXPECT_EQ(json.find('\n'), std::string::npos);
      auto j = nlohmann::json::parse(json);
      EXPECT_EQ(j["verdict"], "webshell");
      ASSERT_TRUE(j.contains("path_hex"));
      std::string hex = j["path_hex"];
      EXPECT_NE(hex.find("ff1b5b33316d"), std::string::npos);
      EXPECT_FALSE(j["findings"].empty());
      EXPECT_TRUE(j["findings"][0].contains("offset"));
    }
    if (r.path == root.path() + "/link.php") {
      saw_link = true;
      EXPECT_TRUE(r.skipped);
      EXPECT_EQ(r.verdict, Verdict::kClean);
    }
    if (r.path == root.path() + "/a/dirlink") {
      saw_dirlink = true;
      EXPECT_TRUE(r.skipped);
    }
    EXPECT_NE(r.path, root.path() + "/a/fifo.php") << "FIFOs are never opened";
  }
  EXPECT_TRUE(saw_hostile);
  EXPECT_TRUE(saw_link);
  EXPECT_TRUE(saw_dirlink);
}

TEST(Scanner, ScanFileDoesNotFollowASymlink) {
  testing::TempDir dir;
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/s.php", "<?php @eval($_POST['o']);").ok());
  ASSERT_EQ(::symlink((dir.path() + "/s.php").c_str(), (dir.path() + "/l.php").c_str()), 0);
  FileResult r = TheScanner().ScanFile(dir.path() + "/l.php");
  EXPECT_TRUE(r.skipped);
  EXPECT_NE(r.skip_reason.find("symlink"), std::string::npos);
}

TEST(Scanner, MissingRootIsNotFound) {
  auto stats = TheScanner().ScanTree("/nonexistent/webroot", nullptr);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kNotFound);
}

TEST(Scanner, ConcurrentScansAgree) {
  auto names = platform::ListDir(kSamples);
  ASSERT_TRUE(names.ok());
  std::vector<int> expected;
  for (const auto& n : *names) expected.push_back(TheScanner().ScanFile(kSamples + "/" + n).score);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (size_t i = 0; i < names->size(); ++i) {
        if (TheScanner().ScanFile(kSamples + "/" + (*names)[i]).score != expected[i]) ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Scanner, HighEntropyLiteralHeuristic) {
  std::string lit;
  uint32_t x = 12345;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 600; ++i) {
    x = x * 1103515245 + 12345;
    lit.push_back(alphabet[(x >> 16) % 64]);
  }
  FileResult r = TheScanner().ScanBuffer("x.php", "<?php $d = '" + lit + "';");
  EXPECT_TRUE(HasRule(r, "heur_high_entropy_literal"));
  EXPECT_EQ(r.verdict, Verdict::kClean) << "entropy alone is not enough";
}

TEST(Normalize, FoldsConcatenationChrAndEscapes) {
  auto n = internal::NormalizePhp(
      "<?php $f = 'as' . /* c */ \"s\" . chr(101) . chr(0x72) . \"\\x74\"; EvAl ( $x ) ;", false);
  EXPECT_NE(n.text.find("$f=\"assert\";"), std::string::npos) << n.text;
  EXPECT_NE(n.text.find("eval($x);"), std::string::npos) << n.text;
  EXPECT_EQ(n.text.size(), n.raw_offset.size());
}

TEST(Normalize, Decoders) {
  EXPECT_EQ(internal::Base64Decode("YXNzZXJ0").value_or(""), "assert");
  EXPECT_EQ(internal::Rot13("nffreg"), "assert");
  EXPECT_EQ(internal::HexDecode("617373657274").value_or(""), "assert");
  EXPECT_FALSE(internal::HexDecode("61x").has_value());
  EXPECT_FALSE(internal::Inflate("not deflate", -15, 1024).has_value());
}

}  // namespace
}  // namespace gs::webshell
