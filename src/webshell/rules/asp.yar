// ASP / ASP.NET rules (tag asp; raw bytes). See php.yar for the tag and meta conventions.

rule china_chopper_asp : asp raw
{
  meta:
    score = 100
    family = "china_chopper"
    description = "China Chopper (中国菜刀) ASP/ASPX one-liner"
  strings:
    $asp = /<%\s*(eval|execute|executeglobal)\s*\(?\s*request\s*(\.item)?\s*[\(\[]\s*"[^"]{1,40}"\s*[\)\]]/ nocase
    $aspx = /eval\s*\(\s*request\.item\s*\[\s*"[^"]{1,40}"\s*\]\s*,\s*"unsafe"\s*\)/ nocase
  condition:
    any of them
}

rule asp_eval_request : asp raw
{
  meta:
    score = 100
    family = ""
    description = "ASP: eval/execute of request data"
  strings:
    $a = /(eval|execute|executeglobal)\s*\(?\s*request\s*[\.\(\[]/ nocase
    // request data concatenated into the executed text: Execute("x=" & Request("v"))
    $b = /[^.a-z0-9_](eval|execute|executeglobal)\s*\(?\s*"[^"\r\n]{0,60}"\s*[&+]\s*request\s*[\.\(\[]/ nocase
    // request data through a function first: Execute(UnEscape(Request("v")))
    $c = /[^.a-z0-9_](eval|execute|executeglobal)\s*\(?\s*[a-z_][a-z0-9_]{0,30}\s*\(\s*request\s*[\.\(\[]/ nocase
  condition:
    any of them
}

rule asp_wscript_shell_request : asp raw
{
  meta:
    score = 100
    family = ""
    description = "ASP: WScript.Shell / cmd.exe process fed from the request"
  strings:
    // also a ProgID assembled from pieces: CreateObject("WScr" & "ipt.Shell")
    $shell = /wscript\.shell|process\.start\s*\(|"cmd(\.exe)?(\s+\/c[^"]*)?"|createobject\s*\(\s*"[^"]*"\s*&|diagnostics\.process\b|startinfo/ nocase
    $run = /\.(exec|run|start)\s*\(|\.shellexecute\b/ nocase
    // request data in the statement that builds or runs the command (a fixed command in a
    // page that reads some other parameter is not this)
    $req = /(\.(exec|run)\s*\(|\.shellexecute\b|process\.start\s*\(|processstartinfo\s*\(|arguments\s*=)[^;\r\n]{0,160}request\s*(\.form|\.querystring|\.item)?\s*[\(\[]/ nocase
  condition:
    $shell and $run and $req
}

rule behinder_aspx : asp raw
{
  meta:
    score = 100
    family = "behinder"
    description = "Behinder (冰蝎) ASPX: Rijndael-decrypted request body loaded as an assembly"
  strings:
    $load = /Assembly\s*\.\s*Load\s*\(/
    $aes = "RijndaelManaged"
    $body = /Request\s*\.\s*BinaryRead\s*\(/
    $sess = /Session\s*\[\s*"k"\s*\]/
  condition:
    $load and $aes and ($body or $sess)
}

rule godzilla_aspx : asp raw
{
  meta:
    score = 100
    family = "godzilla"
    description = "Godzilla (哥斯拉) ASPX: payload assembly kept in the session"
  strings:
    $load = /Assembly\s*\.\s*Load\s*\(/
    $aes = "RijndaelManaged"
    $payload = /Session\s*\[\s*"payload"\s*\]/
  condition:
    $load and $aes and $payload
}

rule asp_eval_request_variable : asp raw
{
  meta:
    score = 100
    family = ""
    description = "ASP: a variable assigned from Request and passed to Eval/Execute"
  strings:
    $assign = /[a-z_][a-z0-9_]{0,30}\s*=\s*request\s*(\.form|\.querystring|\.item|\.binaryread)?\s*\(/ nocase
    $eval = /[^.a-z0-9_](eval|execute|executeglobal)\s*\(?\s*[a-z_][a-z0-9_]{0,30}\s*\)?\s*(%>|:|\r|\n)/ nocase
  condition:
    $assign and $eval
}

rule aspx_assembly_load_request : asp raw
{
  meta:
    score = 100
    family = ""
    description = "ASPX: an assembly loaded from request bytes (directly or through reflection)"
  strings:
    $load = /Assembly\s*\.\s*Load\s*\(|GetMethod\s*\(\s*"Load"|AppDomain\s*\.\s*CurrentDomain\s*\.\s*Load\s*\(/
    // loading an assembly by its fixed name is not loading request bytes
    $fixed = /Assembly\s*\.\s*Load\s*\(\s*"[^"]*"\s*\)/
    $req = /Request\s*(\.\s*(Form|QueryString|Item|Params|Headers))?\s*\[|Request\s*\.\s*(BinaryRead|InputStream)/
  condition:
    #load > #fixed and $req
}

rule aspx_dynamic_code_request : asp raw
{
  meta:
    score = 100
    family = ""
    description = "ASP/ASPX: request data compiled or evaluated (JScript engine, CodeDom, Eval of Chr-built code)"
  strings:
    // (JScript.NET's eval(code, "unsafe") of anything in a page that reads request data)
    // JScriptEvaluate / CodeDom: the request data must be in the call (a page compiling its
    // own files and reading some parameter elsewhere is not this)
    $engine = /(JScriptEvaluate|CompileAssemblyFrom(Source|Dom))\s*\([^;]{0,200}request\s*(\.form|\.querystring|\.item)?\s*[\(\[]|[^.a-z0-9_]eval\s*\([^;]{1,80},\s*"unsafe"\s*\)|[^.a-z0-9_](eval|execute|executeglobal)\s*\(?\s*chr\s*\(\s*[0-9]+\s*\)\s*&/ nocase
    $req = /request\s*(\.form|\.querystring|\.item)?\s*[\(\[]/ nocase
  condition:
    $engine and $req
}
