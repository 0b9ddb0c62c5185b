<%
Sub Init()
  Response.Write "ready"
End Sub
Execute "Call Init()"
Response.Write Server.HTMLEncode(Request.QueryString("msg"))
%>
