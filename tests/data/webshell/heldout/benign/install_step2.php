<?php
/**
 * Installer step 2: writes config.php. Values are exported with var_export,
 * so they cannot break out of the string literals. Refuses to run twice.
 */
$lock = __DIR__ . '/../data/install.lock';
if (is_file($lock)) {
    exit('already installed; delete data/install.lock to reinstall');
}
$keys = array('db_host', 'db_name', 'db_user', 'db_pass', 'site_name');
$cfg = array();
foreach ($keys as $k) {
    $cfg[$k] = isset($_POST[$k]) ? (string)$_POST[$k] : '';
}
if (!preg_match('/^[A-Za-z0-9_.-]+$/', $cfg['db_host']) || !preg_match('/^\w+$/', $cfg['db_name'])) {
    exit('invalid host or db name');
}
$php = "<?php\nreturn " . var_export($cfg, true) . ";\n";
file_put_contents(__DIR__ . '/../config.php', $php, LOCK_EX);
touch($lock);
echo 'ok';
