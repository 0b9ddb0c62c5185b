<%@ page import="java.io.*" %>
<% try (ObjectInputStream in = new ObjectInputStream(new FileInputStream("/var/cache/portal/nav.ser"))) {
     out.print(in.readObject()); }
   out.print(request.getParameter("q") == null ? "" : "search"); %>
