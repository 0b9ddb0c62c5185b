<?php
// Admin panel: deployment status (fixed command, no shell).
$p = proc_open(array('git', 'rev-parse', 'HEAD'), array(1 => array('pipe', 'w')), $pipes, __DIR__);
echo htmlspecialchars(stream_get_contents($pipes[1]));
proc_close($p);
