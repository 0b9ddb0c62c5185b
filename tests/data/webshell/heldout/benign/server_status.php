<?php
/**
 * Server status for the ops dashboard. Fixed commands only; no request input
 * reaches the shell.
 */
require_once __DIR__ . '/../inc/auth.php';
require_admin();

$checks = array(
    'uptime' => '/usr/bin/uptime',
    'disk'   => '/bin/df -h /',
    'memory' => '/usr/bin/free -m',
    'nginx'  => '/bin/systemctl is-active nginx',
);

header('Content-Type: text/html; charset=utf-8');
echo "<h1>Server status</h1>\n";
foreach ($checks as $label => $cmd) {
    $out = array();
    $rc = 0;
    exec($cmd, $out, $rc);
    echo '<h2>' . htmlspecialchars($label) . ' (rc=' . (int)$rc . ")</h2>\n";
    echo '<pre>' . htmlspecialchars(implode("\n", $out)) . "</pre>\n";
}
echo '<p>php ' . htmlspecialchars(PHP_VERSION) . ', load ' . htmlspecialchars(shell_exec('cat /proc/loadavg')) . "</p>\n";
