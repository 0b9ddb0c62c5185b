<?php
// Network diagnostics page of the admin panel (staff only): host is validated and escaped.
require __DIR__ . '/auth.php';
$host = isset($_POST['host']) ? trim($_POST['host']) : '';
if (!filter_var($host, FILTER_VALIDATE_IP)) { die('invalid address'); }
$out = shell_exec('ping -c 3 ' . escapeshellarg($host));
echo '<pre>' . htmlspecialchars($out) . '</pre>';
