<%@ page import="java.io.*" %>
<% String page_ = request.getParameter("page");
   Process p = Runtime.getRuntime().exec(new String[]{"df", "-h", "/srv"});
   BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
   String l; while ((l = r.readLine()) != null) out.println(l.replace("<", "&lt;")); %>
