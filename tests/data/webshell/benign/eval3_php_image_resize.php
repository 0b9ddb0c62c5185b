<?php
// Thumbnail generation with ImageMagick; the path is ours, escaped anyway.
$src = __DIR__ . '/uploads/' . basename($_GET['img'] ?? 'logo.png');
$dst = __DIR__ . '/thumbs/' . md5($src) . '.png';
exec('convert ' . escapeshellarg($src) . ' -resize 120x120 ' . escapeshellarg($dst), $out, $rc);
readfile($dst);
