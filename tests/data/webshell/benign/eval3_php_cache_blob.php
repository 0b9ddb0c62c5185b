<?php
$blob = @file_get_contents(__DIR__ . '/cache/nav.bin');
$nav = $blob ? unserialize(gzinflate($blob), array('allowed_classes' => false)) : array();
foreach ($nav as $n) echo '<li>' . htmlspecialchars($n) . '</li>';
