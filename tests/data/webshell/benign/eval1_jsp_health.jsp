<%@ page import="java.lang.management.*" %>
<% MemoryMXBean m = ManagementFactory.getMemoryMXBean();
   out.print("{\"heap\":" + m.getHeapMemoryUsage().getUsed() + "}"); %>
