<%
' Shared header and footer; the page id only selects a title.
Server.Execute "inc/header.asp"
Response.Write "<h1>" & Server.HTMLEncode(Request.QueryString("title")) & "</h1>"
Server.Execute "inc/footer.asp"
%>
