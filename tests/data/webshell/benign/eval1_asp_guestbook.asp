<%
Dim name
name = Server.HTMLEncode(Request.Form("name"))
If Len(name) > 0 Then
  Response.Write "<p>Thank you, " & name & "</p>"
End If
%>
