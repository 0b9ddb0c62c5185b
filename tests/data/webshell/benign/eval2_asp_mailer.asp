<%
Set m = Server.CreateObject("CDO.Message")
m.To = "webmaster@example.gov.cn"
m.Subject = "Feedback"
m.TextBody = Server.HTMLEncode(Request.Form("body"))
m.Send
%>
