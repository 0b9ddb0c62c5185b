<?php
/**
 * Nightly database backup. CLI only; every argument comes from config.php
 * and is passed through escapeshellarg.
 */
if (PHP_SAPI !== 'cli') {
    header('HTTP/1.1 403 Forbidden');
    exit;
}
$cfg = require __DIR__ . '/config.php';
$file = $cfg['backup_dir'] . '/db-' . date('Ymd') . '.sql.gz';
$cmd = sprintf('mysqldump --single-transaction -h %s -u %s -p%s %s | gzip > %s',
    escapeshellarg($cfg['db_host']),
    escapeshellarg($cfg['db_user']),
    escapeshellarg($cfg['db_pass']),
    escapeshellarg($cfg['db_name']),
    escapeshellarg($file));
passthru($cmd, $rc);
if ($rc !== 0) {
    fwrite(STDERR, "backup failed: $rc\n");
    exit(1);
}
foreach (glob($cfg['backup_dir'] . '/db-*.sql.gz') as $old) {
    if (filemtime($old) < time() - 14 * 86400) {
        unlink($old);
    }
}
