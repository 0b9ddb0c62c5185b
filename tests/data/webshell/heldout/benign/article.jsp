<%@ page contentType="text/html;charset=UTF-8" import="java.sql.*,javax.naming.*,javax.sql.DataSource" %><%!
    static String h(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
%><%
    int id = 0;
    try { id = Integer.parseInt(request.getParameter("id")); } catch (NumberFormatException e) { id = 0; }
    Class.forName("com.mysql.jdbc.Driver");
    DataSource ds = (DataSource) new InitialContext().lookup("java:comp/env/jdbc/site");
    Connection c = ds.getConnection();
    try {
        PreparedStatement ps = c.prepareStatement("SELECT title, body FROM article WHERE id = ?");
        ps.setInt(1, id);
        ResultSet rs = ps.executeQuery();
        if (rs.next()) {
            out.print("<h1>" + h(rs.getString(1)) + "</h1>");
            out.print("<div>" + h(rs.getString(2)) + "</div>");
        }
    } finally {
        c.close();
    }
%>
