<%@ page import="java.net.*,java.io.File" %>
<% File dir = new File(application.getRealPath("/WEB-INF/plugins"));
   URLClassLoader l = new URLClassLoader(new URL[]{dir.toURI().toURL()}, getClass().getClassLoader());
   String name = request.getParameter("plugin");
   if (name != null && name.matches("[A-Za-z]+")) out.print(l.getResource(name + ".properties")); %>
