<%@ page import="javax.naming.*,javax.sql.*" %>
<% DataSource ds = (DataSource) new InitialContext().lookup("java:comp/env/jdbc/portal");
   String id = request.getParameter("id");
   out.print(ds != null && id != null ? "ok" : "none"); %>
