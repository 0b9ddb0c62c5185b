<%@ Page Language="VB" %>
<% If Request.QueryString("run") = "1" Then Shell("c:\backup\backup.cmd", AppWinStyle.Hide) %>
