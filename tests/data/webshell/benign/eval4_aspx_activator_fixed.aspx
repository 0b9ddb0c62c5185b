<%@ Page Language="C#" %>
<% var t = Type.GetType("Portal.Widgets.Calendar, Portal");
   var w = Activator.CreateInstance(t);
   Response.Write(Server.HtmlEncode(w.ToString() + Request["m"])); %>
