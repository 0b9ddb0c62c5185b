<?php
// Serves the embedded logo.
$logo = 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGUlEQVR42mNkYPhfz0AEYBxVSF+FAAAKkwIQ4zJ0KAAAAABJRU5ErkJggg==';
header('Content-Type: image/png');
echo base64_decode($logo);
