// PHP rules. Tag `norm`: matched against the normalised view (comments removed, whitespace
// collapsed, identifiers lower-cased, literals re-quoted with " and folded); `raw`: against the
// file bytes. Tag `php` / `jsp` / `asp`: only applied to files of that language.
// meta: score (added to the file's score), family (known webshell family or "").

rule php_eval_request_oneliner : php norm
{
  meta:
    score = 100
    family = "china_chopper"
    description = "China Chopper style one-liner: eval/assert of a request parameter"
  strings:
    $a = /@?(eval|assert)\(\$_(post|get|request|cookie)\[[^\]]{1,40}\]\)/
    $b = /@?(eval|assert)\(\$\{"_(POST|GET|REQUEST|COOKIE)"\}\[[^\]]{1,40}\]\)/
  condition:
    any of them
}

rule php_eval_decoder_chain : php norm
{
  meta:
    score = 100
    family = ""
    description = "eval/assert of a decoded payload"
  strings:
    $a = /(eval|assert)\(@?(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin|convert_uudecode|rawurldecode|urldecode)\(/
  condition:
    $a
}

rule php_include_request_stream : php norm
{
  meta:
    score = 100
    family = ""
    description = "include/require of php://input"
  strings:
    $a = /(include|require)(_once)? ?\(?"php:\/\/input"/
  condition:
    $a
}

rule php_preg_replace_e : php norm
{
  meta:
    score = 60
    family = ""
    description = "preg_replace with the /e (evaluate) modifier"
  strings:
    $a = /preg_replace\("([^"\\]|\\.){0,200}\/[a-df-z]{0,6}e[a-z]{0,6}",/
  condition:
    $a
}

rule china_chopper_php_assert_variant : php norm
{
  meta:
    score = 100
    family = "china_chopper"
    description = "China Chopper variant: request parameter passed to a callback sink"
  strings:
    $a = /(array_map|call_user_func|usort|uasort|uksort|array_filter|register_shutdown_function)\("(assert|eval|system)",\$_(post|get|request)\[/
  condition:
    $a
}

rule behinder_php : php norm
{
  meta:
    score = 100
    family = "behinder"
    description = "Behinder (冰蝎): AES/XOR-decrypted php://input with a session key"
  strings:
    $in = "\"php://input\""
    $aes = "openssl_decrypt("
    $aes128 = "\"aes128\""
    $sess = /\$_session\["[a-z0-9_]{1,16}"\]=\$/
    $xor = /\$[a-z0-9_]{1,20}\[\$[a-z0-9_]{1,8}\]=\$[a-z0-9_]{1,20}\[\$[a-z0-9_]{1,8}\]\^\$[a-z0-9_]{1,20}\[\$[a-z0-9_]{1,8}\+1&15\]/
    $invoke = /function __invoke\(\$[a-z0-9_]{1,20}\)\{@?eval\(/
  condition:
    $in and (($aes and ($aes128 or $sess)) or $xor or $invoke)
}

rule godzilla_php : php norm
{
  meta:
    score = 100
    family = "godzilla"
    description = "Godzilla (哥斯拉): XOR-keyed base64 payload kept in the session"
  strings:
    $xor = /\$[a-z0-9_]{1,20}\[\$[a-z0-9_]{1,8}\+1&15\]/
    $sess = "$_session["
    $md5 = /md5\(\$[a-z0-9_]{1,20}\.\$[a-z0-9_]{1,20}\)/
    $b64 = /base64_decode\(\$_(post|request)\[\$[a-z0-9_]{1,20}\]\)/
  condition:
    $xor and $sess and ($md5 or $b64)
}

rule antsword_php_loader : php norm
{
  meta:
    score = 100
    family = "antsword"
    description = "AntSword (蚁剑) payload boilerplate: display_errors off, asenc/asoutput helpers"
  strings:
    $ini = "@ini_set(\"display_errors\",\"0\");@set_time_limit(0);"
    $asenc = "function asenc("
    $asout = "function asoutput("
  condition:
    $ini and ($asenc or $asout)
}

rule antsword_php_encoder : php norm
{
  meta:
    score = 100
    family = "antsword"
    description = "AntSword (蚁剑) encoder shape: eval of a decoded random 0x parameter, or the ant parameter"
  strings:
    $a = /(eval|assert)\(@?(base64_decode|str_rot13|hex2bin)\(\$_(post|request)\["_?0x[0-9a-f]{3,16}"\]\)\)/
    $b = /(eval|assert)\(@?\$_(post|request)\["ant"\]\)/
    $c = /\$[a-z0-9_]{1,20}\(\$_(post|request)\["ant"\]\)/
  condition:
    any of them
}
