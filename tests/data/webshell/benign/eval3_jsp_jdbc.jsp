<%@ page import="java.sql.*" %>
<% Class.forName("org.postgresql.Driver");
   String id = request.getParameter("id");
   try (Connection c = DriverManager.getConnection(application.getInitParameter("db"));
        PreparedStatement ps = c.prepareStatement("SELECT title FROM news WHERE id = ?")) {
     ps.setInt(1, Integer.parseInt(id));
     ResultSet rs = ps.executeQuery();
     if (rs.next()) out.print(rs.getString(1).replace("<", "&lt;"));
   } %>
