<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string q = Request["q"] ?? "";
    lit.Text = "<p>关键字: " + HttpUtility.HtmlEncode(q) + "</p>";
    using (SqlConnection c = new SqlConnection(System.Configuration.ConfigurationManager.ConnectionStrings["site"].ConnectionString))
    using (SqlCommand cmd = new SqlCommand("SELECT TOP 20 Title FROM Notice WHERE Title LIKE @q ORDER BY Id DESC", c))
    {
        cmd.Parameters.AddWithValue("@q", "%" + q + "%");
        c.Open();
        using (SqlDataReader rd = cmd.ExecuteReader())
        {
            while (rd.Read())
            {
                lit.Text += "<li>" + HttpUtility.HtmlEncode(rd.GetString(0)) + "</li>";
            }
        }
    }
}
</script>
<html><body><asp:Literal id="lit" runat="server" /></body></html>
