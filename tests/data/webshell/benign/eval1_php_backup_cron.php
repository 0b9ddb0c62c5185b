<?php
// Nightly backup: fixed command, arguments escaped.
$target = '/var/backups/site-' . date('Ymd') . '.tar.gz';
exec('tar czf ' . escapeshellarg($target) . ' ' . escapeshellarg(__DIR__ . '/uploads'), $out, $rc);
if ($rc !== 0) { error_log('backup failed: ' . implode("\n", $out)); }
