<%@ page contentType="text/html; charset=UTF-8" import="java.util.*" %>
<% String id = request.getParameter("id");
   if (id == null || !id.matches("[0-9]+")) { response.sendError(404); return; }
   List<String> titles = (List<String>) application.getAttribute("titles");
   out.println("<h1>" + org.apache.commons.text.StringEscapeUtils.escapeHtml4(titles.get(Integer.parseInt(id))) + "</h1>"); %>
