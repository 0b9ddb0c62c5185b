<%@ WebHandler Language="C#" Class="Thumb" %>
using System;
using System.IO;
using System.Web;

public class Thumb : IHttpHandler
{
    // 1x1 transparent GIF used when the thumbnail is missing
    private static readonly byte[] Blank = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public void ProcessRequest(HttpContext ctx)
    {
        int id;
        int.TryParse(ctx.Request.QueryString["id"], out id);
        string path = ctx.Server.MapPath("~/App_Data/thumbs/" + id.ToString() + ".jpg");
        ctx.Response.Cache.SetMaxAge(TimeSpan.FromDays(1));
        if (id > 0 && File.Exists(path))
        {
            ctx.Response.ContentType = "image/jpeg";
            ctx.Response.TransmitFile(path);
        }
        else
        {
            ctx.Response.ContentType = "image/gif";
            ctx.Response.BinaryWrite(Blank);
        }
    }

    public bool IsReusable { get { return true; } }
}
