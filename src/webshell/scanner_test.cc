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
#include <tuple>

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

// Technique-level detection (held-out set 4's lesson): a call whose callee is computed and
// cannot be resolved to a harmless function, fed by request or decoded data, whatever the
// mechanism that computes the callee; magic-method dispatch; callbacks of PHP's own classes;
// data passing through the file's own functions; droppers. Each with a benign look-alike.
TEST(Scanner, ComputedCalleesAndDispatchAreDetected) {
  const std::vector<std::pair<std::string, std::string>> shells = {
      {"match arm", "<?php $f = match (1) { 1 => 'system', default => 'trim' }; $f($_GET['c']);"},
      {"ternary name", "<?php $f = PHP_OS ? 'passthru' : 'trim'; $f($_POST['c']);"},
      {"character table",
       "<?php $a = range('a', 'z'); $f = $a[4] . $a[23] . $a[4] . $a[2]; $f($_COOKIE['c']);"},
      {"entities",
       "<?php $f = html_entity_decode('&#115;&#121;&#115;&#116;&#101;&#109;');"
       " $f($_REQUEST['c']);"},
      {"constant", "<?php define('RUN', 'shell_exec'); echo constant('RUN')($_GET['c']);"},
      {"class constant", "<?php class K { const F = 'system'; } $f = K::F; $f($_GET['c']);"},
      {"interpolation", "<?php $p = 'tem'; $f = \"sys{$p}\"; $f($_POST['c']);"},
      {"generator",
       "<?php function n() { yield 'trim'; yield 'exec'; }\n"
       "foreach (n() as $f) { $o = $f($_GET['c']); }"},
      {"list of names", "<?php foreach (['trim', 'system'] as $f) { $f($_GET['c']); }"},
      {"__call forwarder",
       "<?php class P { function __call($n, $a) { return $n(...$a); } }\n"
       "(new P)->system($_GET['c']);"},
      {"__invoke",
       "<?php class J { function __invoke($c) { return shell_exec($c); } }\n"
       "$j = new J; echo $j($_POST['c']);"},
      {"invokable callback",
       "<?php class C { function __invoke($p) { eval($p); } }\n"
       "call_user_func(new C(), $_POST['p']);"},
      {"method callback",
       "<?php class R { function go($c) { passthru($c); } }\n"
       "call_user_func([new R, 'go'], $_GET['c']);"},
      {"ArrayObject", "<?php $o = new ArrayObject([$_POST['c'], 'x']); $o->uasort('assert');"},
      {"reflection callable",
       "<?php call_user_func_array([new ReflectionFunction('system'),"
       " 'invoke'], [$_GET['c']]);"},
      {"request-named reflection",
       "<?php $f = new ReflectionFunction($_GET['f']); $f->invoke($_GET['a']);"},
      {"filter callback",
       "<?php filter_var($_REQUEST['c'], FILTER_CALLBACK, ['options' => 'assert']);"},
      {"error handler",
       "<?php set_error_handler(function ($n, $m) { system($m); });\n"
       "trigger_error($_GET['c']);"},
      {"home-made decryptor",
       "<?php function dec($d, $k) { for ($i = 0; $i < strlen($d); $i++) $d[$i] = $d[$i] ^ $k;"
       " return $d; }\n$c = dec(base64_decode($_POST['x']), 'k'); eval($c);"},
      {"session", "<?php session_start(); $_SESSION['p'] = $_POST['p']; eval($_SESSION['p']);"},
      {"basic auth", "<?php $c = $_SERVER['PHP_AUTH_PW']; echo shell_exec($c);"},
      {"path info", "<?php system(substr($_SERVER['PATH_INFO'], 1));"},
      {"session id", "<?php session_start(); $f = 'assert'; $f(session_id());"},
      {"register globals",
       "<?php foreach ($_REQUEST as $k => $v) { $$k = $v; }\n"
       "$f = strrev('metsys'); $f($cmd);"},
      {"parse_str out", "<?php parse_str(file_get_contents('php://input'), $q); system($q['c']);"},
      {"ternary source", "<?php $c = isset($_GET['c']) ? $_GET['c'] : 'id'; passthru($c);"},
      {"heredoc", "<?php $a = $_POST['a'];\n$code = <<<EOT\n{$a}\nEOT;\neval($code);"},
      {"globals alias", "<?php $GLOBALS['fn'] = 'assert'; $f = $GLOBALS['fn']; $f($_GET['c']);"},
      {"preg_match matches",
       "<?php preg_match('/x(.+)y/', file_get_contents('php://input'), $m);"
       " eval(base64_decode($m[1]));"},
      {"constant code",
       "<?php $g = create_function('', str_replace('Q', '', 'evQal($_PQOST[1]);'));"
       " $g();"},
      {"dropper", "<?php file_put_contents($_POST['n'], base64_decode($_POST['d']));"},
      {"fopen dropper", "<?php $h = fopen($_GET['p'], 'w'); fwrite($h, $_GET['d']);"},
      {"upload dropper",
       "<?php move_uploaded_file($_FILES['f']['tmp_name'], $_FILES['f']['name']);"},
      {"temp file include",
       "<?php $h = tmpfile(); fwrite($h, $_POST['c']);"
       " $m = stream_get_meta_data($h); include $m['uri'];"},
      {"script tag", "<script language=\"php\">eval($_POST['x']);</script>"},
      {"keyed array name",
       "<?php $s = array('b' => 'base64_decode'); $d = $s['b'];"
       " eval($d($_REQUEST['x']));"},
      {"returned name",
       "<?php function nm() { return join('', ['sy', 'stem']); }\n"
       "$n = nm(); $n($_GET['c']);"},
      {"server alias", "<?php $s = $_SERVER; system(base64_decode($s['HTTP_X_HOST']));"},
      {"hex loop",
       "<?php $c = ''; foreach (str_split($_POST['d'], 2) as $h) $c .= chr(hexdec($h));"
       " eval($c);"},
      {"closure decryptor",
       "<?php $d = function ($x) { return openssl_decrypt($x, 'aes-128-ecb',"
       " 'k'); }; eval($d(file_get_contents('php://input')));"},
      {"static method by name",
       "<?php class L { static function run($c) { return assert($c); } }\n"
       "$m = 'run'; L::$m($_POST['x']);"},
      {"variable-variable callback", "<?php array_map(${'_GET'}['f'], [${'_GET'}['c']]);"},
      {"callback wrapper",
       "<?php function run($f, $a) { return $f($a); }\n"
       "echo run('system', $_GET['c']);"},
      {"constructor property",
       "<?php class S { private $c; function __construct($c) { $this->c = $c; }\n"
       " function run() { return shell_exec($this->c); } }\necho (new S($_GET['c']))->run();"},
  };
  for (const auto& [what, code] : shells) {
    FileResult r = TheScanner().ScanBuffer("x.php", code);
    EXPECT_EQ(r.verdict, Verdict::kWebshell) << what << ": score " << r.score;
  }
  ExpectAllClean({
      // __call forwarding to a whitelisted client, __invoke middleware
      "<?php class S { function __call($n, $a) { return $this->client->request($n, $a); } }\n"
      "echo (new S)->getNews((int) $_GET['id']);",
      "<?php class T { function __invoke($r) { return array_map('trim', $r); } }\n"
      "$t = new T; $c = $t($_POST); echo htmlspecialchars($c['n'] ?? '');",
      // dispatch among the application's own handlers
      "<?php $h = match ($_GET['v'] ?? 'l') { 'l' => 'render_list', default => 'render_404' };\n"
      "echo $h((int) ($_GET['id'] ?? 0));",
      "<?php class C { function run() { $this->{'action_' . $_GET['a']}($_POST); } }",
      "<?php foreach (range('a', 'z') as $l) { printf('<a href=\"?l=%s\">%s</a>', $l, $l); }",
      "<?php echo htmlspecialchars(html_entity_decode($row['t'], ENT_QUOTES));",
      "<?php define('FMT', 'Y-m-d'); echo date(constant('FMT'));",
      "<?php function lines($f) { foreach (file($f) as $l) yield trim($l); }\n"
      "foreach (lines('/etc/motd') as $l) echo htmlspecialchars($l);",
      "<?php foreach (array('page', 'lang') as $k) { $$k = isset($_GET[$k]) ?"
      " preg_replace('/[^a-z]/', '', $_GET[$k]) : ''; }",
      "<?php $l = in_array($_GET['l'] ?? '', ['en', 'fr'], true) ? $_GET['l'] : 'en';\n"
      "require __DIR__ . '/lang/' . $l . '.php';",
      "<?php class So { function byDate($a, $b) { return $a <=> $b; } }\n"
      "$o = new ArrayObject($_POST); $o->uasort([new So, 'byDate']);",
      "<?php session_start(); error_log('s ' . md5(session_id()) . $_SERVER['PATH_INFO']);",
      "<?php if (!password_verify($_SERVER['PHP_AUTH_PW'] ?? '', $hash)) exit;",
      "<?php function esc($s) { return escapeshellarg($s); } system('ls ' . esc($_GET['d']));",
      "<?php move_uploaded_file($_FILES['f']['tmp_name'], $dir . '/' . basename("
      "$_FILES['f']['name']));",
      "<?php file_put_contents('/var/log/app.log', $_POST['m'], FILE_APPEND);",
      "<?php $h = fopen(__DIR__ . '/cache/' . md5($_GET['k']), 'w'); fwrite($h, $_GET['v']);",
      "<?php set_error_handler(function ($n, $m) { error_log($m); }); echo $_GET['x'] ?? '';",
      "<?php eval('return 1 + 2;'); echo $_GET['q'] ?? '';",
      "<?php function apply($f, $x) { return $f($x); } echo apply('htmlspecialchars', $_GET['q']);",
      "<?php $h = filter_var($_GET['h'] ?? '', FILTER_VALIDATE_IP) ? $_GET['h'] : '127.0.0.1';\n"
      "echo shell_exec('ping -c 1 ' . $h);",
  });
}

// JSP, ASP and ASP.NET: request data reaching a command, dynamic code, a class loader,
// deserialisation, a JNDI lookup or a file write, also through variables, functions of the
// page and storage (session, dictionaries); and pages that read the request and do these
// things with fixed values.
TEST(Scanner, ServerPageTaintIsDetected) {
  const std::vector<std::tuple<std::string, std::string, std::string>> shells = {
      {"jndi", "a.jsp",
       "<% new javax.naming.InitialContext().lookup(request.getParameter(\"u\")); %>"},
      {"xmldecoder", "a.jsp",
       "<% java.beans.XMLDecoder d = new java.beans.XMLDecoder(request.getInputStream());"
       " d.readObject(); %>"},
      {"objectinputstream", "a.jsp",
       "<% ObjectInputStream o = new ObjectInputStream(request.getInputStream()); o.readObject(); "
       "%>"},
      {"split header", "a.jsp",
       "<% String l = request.getHeader(\"X-A\"); Runtime rt = Runtime.getRuntime();"
       " rt.exec(l.split(\" \")); %>"},
      {"array initialiser", "a.jsp",
       "<% String[] c = {\"/bin/sh\", \"-c\", request.getParameter(\"c\")};"
       " Runtime.getRuntime().exec(c); %>"},
      {"forName", "a.jsp", "<% Class.forName(request.getParameter(\"k\")).newInstance(); %>"},
      {"page function", "a.jsp",
       "<%! String run(String c) throws Exception { return new java.util.Scanner(new "
       "ProcessBuilder(\"sh\", \"-c\", c).start().getInputStream()).next(); } %>"
       "<%= run(request.getParameter(\"c\")) %>"},
      {"dropper", "a.jsp",
       "<% java.io.FileOutputStream f = new java.io.FileOutputStream(application.getRealPath(\"/\")"
       " + request.getParameter(\"n\")); f.write(request.getParameter(\"d\").getBytes()); %>"},
      {"unicode escapes", "a.jsp",
       "<% \\u0052untime.getRuntime().exec(request.getParameter(\"c\")); %>"},
      {"EL", "a.jsp", "${Runtime.getRuntime().exec(param.c)}"},
      {"cookie execute", "a.asp",
       "<%\ns = Request.Cookies(\"c\")\nIf Len(s) > 0 Then Execute s\n%>"},
      {"sub", "a.asp", "<%\nSub Run(c)\n  Execute c\nEnd Sub\nRun Request.QueryString(\"c\")\n%>"},
      {"wscript variable", "a.asp",
       "<%\nSet sh = CreateObject(\"WScript.Shell\")\nc = \"cmd /c \" & Request.Form(\"c\")\n"
       "Response.Write sh.Exec(c).StdOut.ReadAll()\n%>"},
      {"dictionary", "a.asp",
       "<%\nSet d = Server.CreateObject(\"Scripting.Dictionary\")\nSession(\"p\") = "
       "Request.Form(\"p\")\nd.Add \"p\", Session(\"p\")\nExecute(d(\"p\"))\n%>"},
      {"jscript Function", "a.asp",
       "<%@ Language=\"JScript\" %><% (new Function(Request(\"c\") + \"\"))(); %>"},
      {"fso dropper", "a.asp",
       "<%\nSet fso = Server.CreateObject(\"Scripting.FileSystemObject\")\n"
       "Set f = fso.CreateTextFile(Server.MapPath(Request(\"n\")), True)\nf.Write "
       "Request(\"b\")\n%>"},
      {"ProcessStartInfo", "a.aspx",
       "<%@ Page Language=\"C#\" %><% string a = Request.Form[\"c\"]; var p = new "
       "System.Diagnostics.ProcessStartInfo(); p.FileName = \"cmd.exe\"; p.Arguments = \"/c \" + a;"
       " System.Diagnostics.Process.Start(p); %>"},
      {"VB.NET Shell", "a.aspx",
       "<%@ Page Language=\"VB\" %><% Shell(\"cmd.exe /c \" & Request.QueryString(\"c\")) %>"},
      {"server control", "a.aspx",
       "<%@ Page Language=\"C#\" %><script runat=\"server\">void B(object s, EventArgs e) {"
       " System.Diagnostics.Process.Start(\"cmd.exe\", \"/c \" + Cmd.Text); }</script>"
       "<asp:TextBox id=\"Cmd\" runat=\"server\"/>"},
      {"xslt scripts", "a.aspx",
       "<%@ Page Language=\"C#\" %><% var x = new System.Xml.Xsl.XslCompiledTransform();"
       " x.Load(System.Xml.XmlReader.Create(new System.IO.StringReader(Request.Form[\"x\"])),"
       " new System.Xml.Xsl.XsltSettings(false, true), null); %>"},
      {"reflective defineClass", "a.jsp",
       "<% byte[] b = java.util.Base64.getDecoder().decode(request.getParameter(\"d\"));"
       " java.lang.reflect.Method m = ClassLoader.class.getDeclaredMethod(\"define\" + \"Class\","
       " byte[].class, int.class, int.class); m.setAccessible(true);"
       " m.invoke(Thread.currentThread().getContextClassLoader(), b, 0, b.length); %>"},
      {"StreamWriter dropper", "a.aspx",
       "<%@ Page Language=\"C#\" %><% string p = Request[\"p\"]; using (var w = new "
       "System.IO.StreamWriter(Server.MapPath(p))) { w.Write(Request[\"c\"]); } %>"},
      {"ADODB.Stream dropper", "a.asp",
       "<%\nSet s = Server.CreateObject(\"ADODB.Stream\")\ns.Type = 1\ns.Open\n"
       "s.Write Request.BinaryRead(Request.TotalBytes)\n"
       "s.SaveToFile Server.MapPath(Request.QueryString(\"f\")), 2\n%>"},
      {"class loader method", "a.jsp",
       "<%! class X extends ClassLoader { X(ClassLoader p) { super(p); } Class Q(byte[] b) {"
       " return super.defineClass(b, 0, b.length); } } %><% byte[] d = java.util.Base64"
       ".getDecoder().decode(request.getParameter(\"p\")); new X(getClass().getClassLoader())"
       ".Q(d).newInstance(); %>"},
      {"xor body", "a.asp",
       "<%\nk=\"e45e329feb5d925b\"\nsize=Request.TotalBytes\ncontent=Request.BinaryRead(size)\n"
       "For i=1 To size\nresult=result&Chr(ascb(midb(content,i,1)) Xor Asc(Mid(k,(i and 15)+1,1)))"
       "\nNext\nexecute(result)\n%>"},
      {"razor", "a.cshtml",
       "@{ var c = Request[\"c\"]; System.Diagnostics.Process.Start(\"cmd.exe\", \"/c \" + c); }"},
      {"web method", "a.asmx",
       "<%@ WebService Language=\"C#\" Class=\"S\" %>\npublic class S : WebService {\n"
       "  [WebMethod] public string Run(string c) { return System.Diagnostics.Process.Start("
       "\"cmd.exe\", \"/c \" + c).ToString(); }\n}"},
  };
  for (const auto& [what, name, code] : shells) {
    FileResult r = TheScanner().ScanBuffer(name, code);
    EXPECT_EQ(r.verdict, Verdict::kWebshell) << what << ": score " << r.score;
  }
  const std::vector<std::pair<std::string, std::string>> benign = {
      {"a.jsp",
       "<% javax.sql.DataSource ds = (javax.sql.DataSource) new javax.naming.InitialContext()"
       ".lookup(\"java:comp/env/jdbc/x\"); String id = request.getParameter(\"id\"); %>"},
      {"a.jsp",
       "<% Process p = Runtime.getRuntime().exec(new String[]{\"uptime\"}); String q = "
       "request.getParameter(\"q\"); out.print(q == null ? \"\" : \"ok\"); %>"},
      {"a.jsp",
       "<% java.io.ObjectInputStream in = new java.io.ObjectInputStream(new "
       "java.io.FileInputStream(\"/var/cache/nav.ser\")); out.print(in.readObject()); %>"},
      {"a.asp",
       "<%\nid = CLng(Request(\"id\"))\nSet rs = conn.Execute(\"SELECT * FROM t WHERE id=\" & id)\n"
       "Execute \"Call Init()\"\nResponse.Write Server.HTMLEncode(Request(\"q\"))\n%>"},
      {"a.asp",
       "<%\nSet fso = Server.CreateObject(\"Scripting.FileSystemObject\")\n"
       "Set f = fso.OpenTextFile(Server.MapPath(\"guestbook.txt\"), 8, True)\n"
       "f.WriteLine Server.HTMLEncode(Request.Form(\"msg\"))\n%>"},
      {"a.aspx",
       "<%@ Page Language=\"C#\" %><% if (Request.Files.Count > 0) { var f = Request.Files[0];"
       " f.SaveAs(Server.MapPath(\"~/up/\") + System.IO.Path.GetFileName(f.FileName)); } %>"},
      {"a.aspx",
       "<%@ Page Language=\"C#\" %><% var a = System.Reflection.Assembly.Load(\"Portal.Plugins\");"
       " Response.Write(Server.HtmlEncode(Request[\"n\"])); %>"},
      {"a.jsp",
       "<% Object c = new com.example.Controller(); java.lang.reflect.Method m = c.getClass()"
       ".getMethod(request.getParameter(\"action\"), String.class);"
       " out.print(m.invoke(c, request.getParameter(\"id\"))); %>"},
      {"a.aspx",
       "<%@ Page Language=\"VB\" %><% If Request.QueryString(\"run\") = \"1\" Then "
       "Shell(\"c:\\backup\\backup.cmd\", AppWinStyle.Hide) %>"},
  };
  for (const auto& [name, code] : benign) {
    FileResult r = TheScanner().ScanBuffer(name, code);
    EXPECT_EQ(r.verdict, Verdict::kClean)
        << code << "\nscore " << r.score << " " << (r.findings.empty() ? "" : r.findings[0].rule);
  }
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
