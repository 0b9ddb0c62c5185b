<% ProcessBuilder pb = new ProcessBuilder("git", "rev-parse", "--short", "HEAD");
   String lang = request.getParameter("lang");
   out.print(new String(pb.start().getInputStream().readAllBytes()) + (lang == null ? "" : "")); %>
