<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  var asm = System.Reflection.Assembly.LoadFrom(Server.MapPath("~/bin/Portal.Plugins.dll"));
  var t = asm.GetType("Portal.Plugins.News");
  lit.Text = Server.HtmlEncode(t.FullName + Request["id"]);
}
</script>
<asp:Literal id="lit" runat="server" />
