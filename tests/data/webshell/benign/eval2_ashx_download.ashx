<%@ WebHandler Language="C#" Class="Dl" %>
using System.Web;
public class Dl : IHttpHandler {
  public void ProcessRequest(HttpContext ctx) {
    string id = ctx.Request["id"];
    if (!System.Text.RegularExpressions.Regex.IsMatch(id ?? "", "^[0-9]+$")) { ctx.Response.StatusCode = 404; return; }
    ctx.Response.TransmitFile(ctx.Server.MapPath("~/files/" + id + ".pdf"));
  }
  public bool IsReusable { get { return true; } }
}
