<%@ page import="java.io.*, java.util.Base64" %>
<% String data = request.getParameter("avatar");
   byte[] png = Base64.getDecoder().decode(data);
   if (png.length > 4 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G') {
     try (FileOutputStream f = new FileOutputStream(application.getRealPath("/avatars/") + session.getId() + ".png")) { f.write(png); }
   } %>
