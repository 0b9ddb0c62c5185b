<%@ page contentType="text/html;charset=UTF-8" import="java.util.*,java.io.*" %><%
    // Ops console: restarts one of a fixed set of services. The request only
    // selects a key; the command arrays are constants.
    if (!"ops".equals(session.getAttribute("role"))) {
        response.sendError(403);
        return;
    }
    Map<String, String[]> cmds = new HashMap<String, String[]>();
    cmds.put("nginx", new String[]{"/usr/bin/sudo", "/bin/systemctl", "restart", "nginx"});
    cmds.put("redis", new String[]{"/usr/bin/sudo", "/bin/systemctl", "restart", "redis"});
    String svc = request.getParameter("svc");
    String[] argv = cmds.get(svc);
    if (argv == null) {
        out.print("unknown service");
    } else {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectErrorStream(true);
        int rc = pb.start().waitFor();
        out.print("restart " + svc + " rc=" + rc);
    }
%>
