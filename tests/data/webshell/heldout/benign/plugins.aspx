<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
// Loads report plugins listed in web.config (appSettings "ReportPlugins")
// from ~/bin/plugins. Nothing from the request selects an assembly or type.
protected void Page_Load(object sender, EventArgs e)
{
    string list = System.Configuration.ConfigurationManager.AppSettings["ReportPlugins"] ?? "";
    foreach (string name in list.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
    {
        string file = Server.MapPath("~/bin/plugins/" + name.Trim() + ".dll");
        Assembly asm = Assembly.LoadFrom(file);
        Type t = asm.GetType(name.Trim() + ".Plugin", true);
        object p = Activator.CreateInstance(t);
        string title = (string)t.GetMethod("Title").Invoke(p, null);
        plugins.Text += "<li>" + HttpUtility.HtmlEncode(title) + "</li>";
    }
}
</script>
<html><body><ul><asp:Literal id="plugins" runat="server" /></ul></body></html>
