<?php
// Serves a bundled, gzip-compressed stylesheet.
$css = 'H4sIAAAAAAAAA0vKT6lUSM7PS8tMBwB4WQ0lDAAAAA==';
header('Content-Type: text/css');
echo gzdecode(base64_decode($css));
