<?php
/**
 * Serves a placeholder thumbnail when the real image is missing.
 */
$placeholder = 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAE0lEQVR42mM4QyIY1TCqYRhrAABZ92Qf3RsF1AAAAABJRU5ErkJggg==';
$id = isset($_GET['id']) ? (int)$_GET['id'] : 0;
$file = __DIR__ . '/thumbs/' . $id . '.png';
header('Content-Type: image/png');
header('Cache-Control: max-age=86400');
if ($id > 0 && is_file($file)) {
    readfile($file);
} else {
    echo base64_decode($placeholder);
}
