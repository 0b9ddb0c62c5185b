<?php
// Logs fatal errors on shutdown.
register_shutdown_function(function () {
    $e = error_get_last();
    if ($e && $e['type'] === E_ERROR) error_log('fatal: ' . $e['message']);
});
ob_start('ob_gzhandler');
echo 'ok';
