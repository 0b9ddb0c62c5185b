<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="http://java.sun.com/jsp/jstl/core" %>
<%@ taglib prefix="fn" uri="http://java.sun.com/jsp/jstl/functions" %>
<%!
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(ch);
            }
        }
        return b.toString();
    }
%>
<html><body>
<form action="search.jsp" method="get">
  <input type="text" name="q" value="<%= esc(request.getParameter("q")) %>">
  <input type="submit" value="搜索">
</form>
<c:if test="${not empty param.q}">
  <p>搜索结果: ${fn:escapeXml(param.q)}</p>
</c:if>
</body></html>
