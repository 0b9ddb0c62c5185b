<%@ Language="JScript" %>
<% var add = new Function("a", "b", "return a + b;"); Response.Write(add(1, 2) + Server.HTMLEncode(String(Request("q")))); %>
