<%@ page import="java.beans.XMLDecoder,java.io.*" %>
<% try (XMLDecoder d = new XMLDecoder(new FileInputStream(application.getRealPath("/WEB-INF/menu.xml")))) {
     out.print(d.readObject()); }
   String lang = request.getParameter("lang"); %>
