<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  int year;
  if (!int.TryParse(Request.QueryString["y"], out year)) year = DateTime.Now.Year;
  var psi = new System.Diagnostics.ProcessStartInfo("report.exe", "--year " + year);
  psi.UseShellExecute = false;
  System.Diagnostics.Process.Start(psi).WaitForExit();
}
</script>
