<?php
// Reads a compressed cache entry written by this application.
$f = __DIR__ . '/cache/menu.gz';
$menu = is_file($f) ? unserialize(gzuncompress(file_get_contents($f)), array('allowed_classes' => false)) : array();
foreach ($menu as $item) { echo '<li>' . htmlspecialchars($item) . '</li>'; }
