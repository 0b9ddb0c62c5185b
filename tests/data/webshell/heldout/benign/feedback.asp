<%@LANGUAGE="VBSCRIPT" CODEPAGE="65001"%>
<!--#include file="conn.asp"-->
<%
Dim nm, msg, cmd
nm = Trim(Request.Form("name"))
msg = Trim(Request.Form("msg"))
If nm <> "" And msg <> "" Then
    Set cmd = Server.CreateObject("ADODB.Command")
    Set cmd.ActiveConnection = conn
    cmd.CommandText = "INSERT INTO feedback (uname, content) VALUES (?, ?)"
    cmd.Parameters.Append cmd.CreateParameter("n", 202, 1, 50, Left(nm, 50))
    cmd.Parameters.Append cmd.CreateParameter("m", 203, 1, 4000, Left(msg, 4000))
    cmd.Execute
    Response.Write "<p>感谢您的留言, " & Server.HTMLEncode(nm) & "</p>"
End If
%>
<form method="post"><input name="name"><textarea name="msg"></textarea><input type="submit" value="提交"></form>
