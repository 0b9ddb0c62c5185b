<%
' Intranet link check for the IT desk: pings the fixed gateway address.
' Nothing from the request reaches the command line.
If Session("admin") <> True Then
    Response.Status = "403 Forbidden"
    Response.End
End If
Dim sh, ex
Set sh = Server.CreateObject("WScript.Shell")
Set ex = sh.Exec("ping -n 2 192.168.1.1")
Response.Write "<pre>" & Server.HTMLEncode(ex.StdOut.ReadAll()) & "</pre>"
%>
