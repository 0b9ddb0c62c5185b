<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
// Converts the current report to PDF with a fixed converter binary. Paths are
// generated server-side; the only request value is an integer report id.
protected void Page_Load(object sender, EventArgs e)
{
    int id;
    if (!int.TryParse(Request.QueryString["id"], out id)) { Response.StatusCode = 400; return; }
    string tmp = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".pdf");
    string url = "http://localhost/reports/view.aspx?id=" + id.ToString();
    ProcessStartInfo psi = new ProcessStartInfo(@"C:\Program Files\wkhtmltopdf\bin\wkhtmltopdf.exe",
        "--quiet \"" + url + "\" \"" + tmp + "\"");
    psi.UseShellExecute = false;
    psi.CreateNoWindow = true;
    using (Process p = Process.Start(psi))
    {
        p.WaitForExit(30000);
    }
    Response.ContentType = "application/pdf";
    Response.WriteFile(tmp);
    Response.Flush();
    File.Delete(tmp);
}
</script>
