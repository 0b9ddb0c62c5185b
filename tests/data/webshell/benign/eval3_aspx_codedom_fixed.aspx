<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e) {
  // Compiles the site's own rule file at start-up.
  var cp = new Microsoft.CSharp.CSharpCodeProvider();
  var src = System.IO.File.ReadAllText(Server.MapPath("~/App_Data/rules.cs"));
  var r = cp.CompileAssemblyFromSource(new System.CodeDom.Compiler.CompilerParameters(), src);
  Response.Write(Server.HtmlEncode(Request["id"] ?? ""));
}
</script>
