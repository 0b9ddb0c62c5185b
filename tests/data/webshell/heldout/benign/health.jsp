<%@ page contentType="text/plain;charset=UTF-8" import="java.io.*" %><%
    // Load balancer health check: fixed command, no request input.
    Process p = Runtime.getRuntime().exec(new String[]{"/usr/bin/uptime"});
    BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line = br.readLine();
    br.close();
    p.waitFor();
    out.println("OK");
    out.println(line == null ? "" : line.trim());
    out.println("heap.free=" + Runtime.getRuntime().freeMemory());
%>
