<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  var si = new System.Diagnostics.ProcessStartInfo("convert.exe", "logo.png -resize 64x64 thumb.png");
  si.UseShellExecute = false;
  System.Diagnostics.Process.Start(si).WaitForExit();
  Response.Write(Server.HtmlEncode(Request.QueryString["ok"] ?? ""));
}
</script>
