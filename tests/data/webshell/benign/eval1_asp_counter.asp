<%
Dim fso, f, n
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set f = fso.OpenTextFile(Server.MapPath("count.txt"), 1)
n = CInt(f.ReadLine) + 1
f.Close
Response.Write n
%>
