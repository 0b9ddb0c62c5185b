// Internal to gs::webshell: a small taint analysis for JSP (Java), ASP (VBScript, JScript) and
// ASP.NET (C#, VB.NET, JScript.NET) pages, the counterpart of the PHP heuristics in scanner.cc.
//
// It is not a parser. The page is cut into statements (`;` and braces for the C-like
// languages, lines and `:` for VB); a name becomes tainted when a statement assigns it an
// expression that mentions request data (request.getParameter(...), Request.Form(...), a
// server control's .Text, a [WebMethod] parameter...) or an already tainted name, when a method
// stores tainted data in it (`sb.append(x)`, `dict.Add "k", x`, `session.setAttribute("k", x)`),
// or when it is the parameter of a function of the page called with tainted data. A finding is
// a sink (command execution, dynamic code, class loading, deserialisation, JNDI lookup, a file
// written where the request says) whose argument, or receiver, is tainted. What flows through
// an arbitrary call still counts (`exec(decrypt(x))`): legitimate pages do not hand request
// data to these sinks at all, which is what keeps them clean.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs::webshell::internal {

struct ScriptFinding {
  const char* rule;
  int score;
  size_t offset;  // in the analysed text
};

enum class ScriptLang { kJava, kCSharp, kJScript, kVb };

// The page's language from its directives (<%@ Page Language="C#" %>, <%@ Language="JScript"
// %>, <script runat="server" language=...>), else from the file kind.
ScriptLang GuessScriptLang(std::string_view text, bool jsp, bool dotnet_name);

std::vector<ScriptFinding> AnalyseScript(std::string_view text, ScriptLang lang);

// JSP source as javac and Jasper see it: `\uXXXX` escapes decoded (anywhere in the file, as
// Java does before lexing) and, in XML-syntax pages (.jspx, <jsp:scriptlet>), the XML entities
// &lt; &gt; &amp; &quot; &apos; &#N;. Empty when there is nothing to decode. offsets[i] is the
// file offset of out[i].
std::string DecodeJspSource(std::string_view text, bool xml, std::vector<uint32_t>* offsets);

}  // namespace gs::webshell::internal
