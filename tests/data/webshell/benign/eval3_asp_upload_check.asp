<%
Dim ext
ext = LCase(Mid(Request.Form("name"), InStrRev(Request.Form("name"), ".") + 1))
If ext <> "jpg" And ext <> "png" Then Response.Write "not allowed" : Response.End
Set sh = Server.CreateObject("WScript.Shell")
sh.Run "cscript //nologo c:\\scripts\\scan.vbs", 0, True
%>
