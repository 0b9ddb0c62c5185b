<%
' Classic ASP dynamic include of our own configuration file.
Function ReadFile(p)
  Dim fso, f
  Set fso = Server.CreateObject("Scripting.FileSystemObject")
  Set f = fso.OpenTextFile(p, 1)
  ReadFile = f.ReadAll
  f.Close
End Function
ExecuteGlobal ReadFile(Server.MapPath("inc/config.inc"))
Response.Write Request.QueryString("id")
%>
