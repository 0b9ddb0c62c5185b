// JSP rules (tag jsp; raw bytes). See php.yar for the tag and meta conventions.

rule jsp_runtime_exec_request : jsp raw
{
  meta:
    score = 100
    family = ""
    description = "JSP: Runtime.exec / ProcessBuilder fed from the request"
  strings:
    $exec = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/
    // exec of a fixed command (only literals): not what a shell does
    $fixed = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(\s*(new\s+String\s*\[\s*\]\s*\{\s*"[^"]*"(\s*,\s*"[^"]*")*\s*\}|"[^"]*")\s*\)/
    $pb = /new\s+(java\.lang\.)?ProcessBuilder\s*\(/
    $pbfixed = /new\s+(java\.lang\.)?ProcessBuilder\s*\(\s*"[^"]*"(\s*,\s*"[^"]*")*\s*\)/
    $req = /request\s*\.\s*(getParameter|getHeader|getInputStream|getReader|getQueryString|getParameterMap|getParameterValues)\s*\(/
  condition:
    (#exec > #fixed or #pb > #pbfixed) and $req
}

rule jsp_defineclass_request : jsp raw
{
  meta:
    score = 100
    family = ""
    description = "JSP: a ClassLoader defining classes from request bytes"
  strings:
    // called directly, or reached by reflection: getDeclaredMethod("defineClass", ...)
    $dc = /define(Anonymous|Hidden)?Class\s*\(|"defineClass"/
    // or a class loader fetching code from a URL the request gives
    $ucl = /new\s+(java\.net\.)?URLClassLoader\s*\(/
    $load = /\.\s*loadClass\s*\(/
    $req = /request\s*\.\s*(getParameter|getInputStream|getReader|getHeader)\s*\(/
  condition:
    ($dc or ($ucl and $load)) and $req
}

rule behinder_jsp : jsp raw
{
  meta:
    score = 100
    family = "behinder"
    description = "Behinder (冰蝎) JSP: AES-decrypted request body defined as a class, key in session"
  strings:
    $dc = /defineClass\s*\(/
    $aes = /Cipher\s*\.\s*getInstance\s*\(\s*"AES"/
    $sess = /session\s*\.\s*(putValue|setAttribute)\s*\(\s*"u"/
    $line = /getReader\s*\(\s*\)\s*\.\s*readLine\s*\(/
  condition:
    $dc and $aes and ($sess or $line)
}

rule godzilla_jsp : jsp raw
{
  meta:
    score = 100
    family = "godzilla"
    description = "Godzilla (哥斯拉) JSP: AES/ECB payload class kept in the session"
  strings:
    $dc = /defineClass\s*\(/
    $aes = "AES/ECB/PKCS5Padding"
    $payload = /session\s*\.\s*(setAttribute|getAttribute)\s*\(\s*"payload"/
    $md5 = /MessageDigest\s*\.\s*getInstance\s*\(\s*"MD5"\s*\)/
  condition:
    $dc and $aes and ($payload or $md5)
}

rule jsp_reflection_exec_request : jsp raw
{
  meta:
    score = 100
    family = ""
    description = "JSP: Runtime.exec reached by reflection with request data"
  strings:
    $rt = "\"java.lang.Runtime\""
    $exec = /getMethod\s*\(\s*"exec"/
    $req = /request\s*\.\s*(getParameter|getHeader|getInputStream|getReader)\s*\(/
  condition:
    $rt and $exec and $req
}

rule jsp_reflection_invoke_request : jsp raw
{
  meta:
    score = 100
    family = ""
    description = "JSP: a class looked up by name and a method invoked by reflection, with request data"
  strings:
    $forname = /Class\s*\.\s*forName\s*\(/
    $method = /\.\s*get(Declared)?Method\s*\(/
    $invoke = /\.\s*invoke\s*\(/
    $req = /request\s*\.\s*(getParameter|getHeader|getInputStream|getReader|getQueryString)\s*\(/
  condition:
    $forname and $method and $invoke and $req
}

rule jsp_script_engine_request : jsp raw
{
  meta:
    score = 100
    family = ""
    description = "JSP: a script engine (javax.script, Groovy, EL) evaluating request data"
  strings:
    $mgr = /ScriptEngineManager|GroovyShell|ELProcessor/
    $eval = /\.\s*(eval|evaluate)\s*\(\s*request\s*\.\s*(getParameter|getHeader|getReader)\s*\(/
  condition:
    $mgr and $eval
}
