<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  string q = Request.QueryString["q"] ?? "";
  lit.Text = Server.HtmlEncode(q);
}
</script>
<asp:Literal id="lit" runat="server" />
