<%@ page import="javax.script.*" %>
<% ScriptEngine js = new ScriptEngineManager().getEngineByName("js");
   String formula = application.getInitParameter("score.formula");
   out.print(js.eval(formula)); %>
