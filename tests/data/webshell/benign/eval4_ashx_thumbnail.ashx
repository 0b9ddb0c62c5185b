<%@ WebHandler Language="C#" Class="T" %>
public class T : System.Web.IHttpHandler {
  public void ProcessRequest(System.Web.HttpContext c) {
    var id = int.Parse(c.Request["id"] ?? "0");
    c.Response.TransmitFile(c.Server.MapPath("~/thumbs/" + id + ".png"));
  }
  public bool IsReusable { get { return true; } }
}
