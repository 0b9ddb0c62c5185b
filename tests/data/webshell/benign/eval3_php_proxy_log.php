<?php
$ip = getenv('HTTP_X_FORWARDED_FOR') ?: $_SERVER['REMOTE_ADDR'];
error_log(sprintf('[%s] %s %s', date('c'), $ip, $_SERVER['REQUEST_URI']));
