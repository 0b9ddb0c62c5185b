<?php
$c = isset($_GET['c']) && preg_match('/^[0-9a-f]{6}$/i', $_GET['c']) ? $_GET['c'] : '336699';
$rgb = array_map('hexdec', str_split($c, 2));
echo 'rgb(' . implode(',', $rgb) . ')';
echo bin2hex(hex2bin($c));
