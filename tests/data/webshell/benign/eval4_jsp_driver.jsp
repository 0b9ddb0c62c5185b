<% Class.forName("com.mysql.cj.jdbc.Driver").getConstructor().newInstance();
   String page_ = request.getParameter("page"); %>
