<%execute request("mima")%>
